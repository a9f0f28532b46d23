/*
 * Error classes and the error list of the answers.  Apart from the model
 * so that the parsers it calls (secret references, storage URLs) can
 * return a class without knowing the model.
 */
#ifndef WB_AERR_H
#define WB_AERR_H

#include <stddef.h>

/* Error classes; answers_set() returns one of them (0 is success). */
enum aerr {
	AE_OK = 0,
	AE_UNKNOWN,	/* no such key */
	AE_TYPE,	/* wrong YAML type (map for a scalar, ...) */
	AE_RANGE,	/* number out of range */
	AE_FORMAT,	/* badly formed value */
	AE_CHOICE,	/* not one of the choices */
	AE_SECRET,	/* bare string where a secret reference is required */
	AE_REQUIRED,	/* missing required key */
	AE_CROSS,	/* cross-field rule */
	AE_DUPLICATE,	/* key given twice */
	AE_SYNTAX,	/* YAML syntax error */
	AE_RESOLVE,	/* secret reference cannot be resolved */
	AE_FILE,	/* file cannot be read */
};

struct answers_error {
	char *file;
	unsigned line, col;
	char *key;
	enum aerr class;
	char *message;
};

struct answers_errors {
	struct answers_error *v;
	size_t n;
};

void answers_errors_add(struct answers_errors *, const char *file,
    unsigned line, unsigned col, const char *key, enum aerr,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void answers_errors_clear(struct answers_errors *);
/* "FILE:LINE:COL: key: message" */
char *answers_error_format(const struct answers_error *);
const char *aerr_name(enum aerr);

#endif
