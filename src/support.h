/*
 * The support bundle: what a support engineer needs to see of a site (the
 * log, the journal, the rendered files, preflight and verify results,
 * versions, and the namespace as kubectl shows it), in one .tar.gz of
 * mode 0600, with every secret redacted and a report of each redaction
 * (file, line, rule; never the value).
 */
#ifndef WB_SUPPORT_H
#define WB_SUPPORT_H

#include <stddef.h>
#include <stdio.h>

#include "answers.h"
#include "runner.h"

/* The report inside the archive. */
#define SUPPORT_REPORT		"REDACTIONS.txt"
/* What replaces a redacted value. */
#define SUPPORT_MASK		"***"
/* Known secrets shorter than this are not searched for (they would
 * redact ordinary words). */
#define SUPPORT_SECRET_MIN	4

/* Rules, as the report names them. */
#define RULE_LICENSE		"license"
#define RULE_URL_PASSWORD	"url-password"
#define RULE_AWS_ACCESS_KEY	"aws-access-key"
#define RULE_AWS_SECRET_KEY	"aws-secret-key"
/* A resolved secret reference: "secret:KEY". */
#define RULE_SECRET_PREFIX	"secret:"

struct redact_secret {
	char *value;
	char *rule;
};

struct redact_hit {
	char *file;
	unsigned line;
	char *rule;
	size_t order;		/* as found, within the file */
};

struct redactor {
	struct redact_secret *secrets;	/* longest first */
	size_t nsecrets;
	struct redact_hit *hits;
	size_t nhits;
};

void redactor_init(struct redactor *);
void redactor_free(struct redactor *);
/* Search for VALUE in every form it can be written in (secret_forms():
 * escaped, percent-encoded, base64, line by line), as RULE. */
void redactor_add(struct redactor *, const char *value, const char *rule);
/*
 * Every secret reference of the answers that is set and resolves; the
 * keys that do not resolve go into *unresolved (comma-separated, a new
 * string, or NULL).  Returns how many values were added.
 */
size_t redactor_add_answers(struct redactor *, const struct answers *,
    char **unresolved);
/*
 * Redact TEXT (LEN bytes): the known secrets in the whole text, then line
 * by line passwords in URLs, AWS access keys and secret keys.  Each redaction is recorded as
 * a hit of FILE.  Returns a new NUL-terminated string (*outlen bytes).
 */
char *redactor_apply(struct redactor *, const char *file, const char *text,
    size_t len, size_t *outlen);
/* The report: one "FILE:LINE: RULE" line a hit. */
char *redactor_report(const struct redactor *);

struct support_opts {
	const char *answers_path;
	const char *out;	/* FILE.tar.gz */
	struct runner *run;	/* where kubectl runs; NULL: no cluster */
	int checks;		/* run preflight and verify */
	FILE *progress;		/* one line a step; may be NULL */
};

struct support_stats {
	size_t files;
	size_t redactions;
	size_t failed;		/* steps that failed (noted in SUMMARY) */
};

/* Collect, redact and write the archive.  0, or -1 with *cause. */
int support_bundle(const struct answers *, const struct support_opts *,
    struct support_stats *, char **cause);

#endif
