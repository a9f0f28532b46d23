/*
 * The answers model: one table of keys drives validation, the answers file,
 * the wizard and the documentation (see answers-table.c).
 *
 * answers_set() is the only setter.  The file loader and the wizard both go
 * through it, so the two can never disagree about what is valid.
 */
#ifndef WB_ANSWERS_H
#define WB_ANSWERS_H

#include <stddef.h>

#include "aerr.h"
#include "secret-ref.h"

enum atype {
	AT_INT,		/* integer in [min, max] */
	AT_BOOL,	/* true | false */
	AT_STRING,	/* free text, optional check function */
	AT_ENUM,	/* one of choices[] */
	AT_LIST,	/* list of strings; each checked against choices[] or check */
	AT_SECRET,	/* {env: NAME} | {file: PATH} | {value: "..."} */
	AT_TARGETS,	/* the list of target hosts; its fields are "targets[].x" */
};

#define AK_SECRET	0x1	/* holds a secret reference */
#define AK_REQUIRED	0x2	/* must be set (or have a default) */
#define AK_ADVANCED	0x4	/* not in the contract example; added by us */

/* The EKS version that the AWS Terraform render's module (wandb/wandb/aws
 * ~> 7.18) takes with its default add-ons. */
#define AWS_EKS_VERSION	"1.30"

struct answers_key {
	const char *key;	/* "mysql.port", "targets[].roles" */
	enum atype type;
	const char *def;	/* default as text; NULL: no default */
	const char *const *choices; /* AT_ENUM / AT_LIST */
	long min, max;		/* AT_INT */
	/* Extra check for AT_STRING, AT_LIST items and an AT_SECRET's value
	 * (inline when set, any kind once resolved); 0 or an error class. */
	enum aerr (*check)(const char *, char **);
	const char *pattern;	/* human description of check, for the docs */
	int flags;
	const char *help;	/* one line, translated with gettext */
};

extern const struct answers_key answers_table[];
extern const size_t answers_table_size;

struct avalue {
	int set;		/* explicitly set (file or wizard) */
	char *text;		/* canonical text */
	char **list;		/* AT_LIST: NULL-terminated items */
	struct secret_ref secret; /* AT_SECRET */
	unsigned line, col;	/* where it came from, 0 if unknown */
};

struct target {
	struct avalue *v;	/* one per "targets[]." row, table order */
	unsigned line, col;
};

/* Comments kept from a loaded file, re-emitted by answers_save(). */
struct acomment {
	char *key;		/* key path the comment belongs to */
	char *head;		/* full comment lines above the key */
	char *trail;		/* comment after the value on its line */
	unsigned trail_col;	/* column the trailing comment started at */
	char *after;		/* detached comment lines below the key */
	unsigned line, col;	/* where the key was */
};

struct answers {
	struct avalue *v;	/* indexed like answers_table */
	struct target *targets;
	size_t ntargets;
	char *path;		/* file it was loaded from, if any */
	struct acomment *comments; /* comments kept from the file */
	size_t ncomments;
};

struct answers *answers_new(void);
void answers_free(struct answers *);

/*
 * Table lookups.  answers_key_find is how to ask whether KEY is in the
 * table at all: the getters, answers_mark and answers_unset abort on a
 * key the table lacks (a programming error, named on stderr and in the
 * log), and answers_set refuses it with AE_UNKNOWN (input).
 */
const struct answers_key *answers_key_find(const char *key, size_t *idx);
/* Nearest known key, for "did you mean" (NULL when nothing is close). */
const char *answers_key_suggest(const char *key);

/*
 * Set KEY ("domain.fqdn", "targets[2].port") from TEXT.  Secrets take the
 * forms "{env: NAME}", "{file: PATH}" and "{value: TEXT}"; lists are
 * comma-separated.  On error the old value is kept, *cause (if not NULL)
 * gets an allocated message and the error class is returned.
 * Setting "targets[N].x" with N == ntargets appends a target.
 */
enum aerr answers_set(struct answers *, const char *key, const char *text,
    char **cause);
/* Remember where a key's value came from (after a successful set). */
void answers_mark(struct answers *, const char *key, unsigned line,
    unsigned col);
/* Append an empty target; returns its index. */
size_t answers_target_add(struct answers *);
/* Remove target N (wizard list editor). */
void answers_target_remove(struct answers *, size_t n);
/* Unset KEY back to its default. */
void answers_unset(struct answers *, const char *key);

/* Getters: the set value or the default ("" when neither). */
const struct avalue *answers_value(const struct answers *, const char *key);
const char *answers_get(const struct answers *, const char *key);
/* KEY's value as a path: "~/" expanded, and a relative one taken from the
 * answers file's directory (as the file's own references are); new. */
char *answers_get_path(const struct answers *, const char *key);
long answers_get_int(const struct answers *, const char *key);
int answers_get_bool(const struct answers *, const char *key);
int answers_is_set(const struct answers *, const char *key);
/* AT_LIST: NULL-terminated (never NULL itself). */
char *const *answers_get_list(const struct answers *, const char *key);
const struct secret_ref *answers_get_secret(const struct answers *,
    const char *key);
int answers_list_has(const struct answers *, const char *key,
    const char *item);
/* Target fields: "host", "port", "user", "roles"; falls back to ssh.*. */
const char *answers_target_get(const struct answers *, size_t n,
    const char *field);
int answers_target_has_role(const struct answers *, size_t n,
    const char *role);

/* Where to point an error about KEY: its value, else its section, else
 * the file's start (0:0 when there is no file). */
void answers_where(const struct answers *, const char *key, unsigned *line,
    unsigned *col);
/* Cross-field rules and required keys; appends to errs, returns count. */
size_t answers_check(const struct answers *, struct answers_errors *errs);

/* Load FILE; every error goes to errs.  Returns NULL on a fatal error
 * (unreadable, not YAML), otherwise the answers (check errs->n). */
struct answers *answers_load(const char *file, struct answers_errors *errs);
struct answers *answers_load_buffer(const char *name, const char *buf,
    size_t len, struct answers_errors *errs);
/* Atomic 0600 save, contract key order, comments kept. */
int answers_save(const struct answers *, const char *file, char **cause);
/* The file's text (what answers_save writes). */
char *answers_dump(const struct answers *);

/* The schema as Markdown (answers --print-schema, docs/answers.md). */
char *answers_schema_markdown(void);

/* Validators shared with other modules. */
enum aerr check_fqdn(const char *, char **);
enum aerr check_hostport(const char *, char **);
enum aerr check_host(const char *, char **);

#endif
