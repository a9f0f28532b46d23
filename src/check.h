/*
 * Check results, shared by every preflight family and by verify:
 * {target, id, status, observed, required, message, hint}, printed as a
 * table or as JSON with one schema.
 */
#ifndef WB_CHECK_H
#define WB_CHECK_H

#include <stdio.h>

enum check_status { CHECK_PASS, CHECK_WARN, CHECK_FAIL, CHECK_SKIP };

struct check {
	char *target;		/* "HOST[:PORT]", "mysql", "storage", ... */
	char *id;		/* "hw.cpu", "mysql.version", ... */
	enum check_status status;
	char *observed;		/* may be "" */
	char *required;		/* may be "" */
	char *message;		/* what was found, one line */
	char *hint;		/* how to fix it; may be "" */
};

struct check_list {
	struct check *v;
	size_t n;
};

/* Add a result; observed/required/hint may be NULL.  Thread-safe. */
void checks_add(struct check_list *, const char *target, const char *id,
    enum check_status, const char *observed, const char *required,
    const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
void checks_free(struct check_list *);
size_t checks_count(const struct check_list *, enum check_status);
const char *check_status_name(enum check_status);

/*
 * {"checks":[{"target":..,"id":..,"status":"pass",...}],
 *  "summary":{"pass":N,"warn":N,"fail":N,"skip":N}}
 */
char *checks_json(const struct check_list *);
/* One row a check, with ✔ ⚠ ✘ –, observed vs required, then hints. */
void checks_print(FILE *, const struct check_list *, int color);
/* EXIT_FAIL (1) if anything failed, else EXIT_OK. */
int checks_exit_code(const struct check_list *);

#endif
