/* Secret references: {env: NAME}, {file: PATH}, {value: "..."}. */
#ifndef WB_SECRET_H
#define WB_SECRET_H

#include <stddef.h>

#include "aerr.h"
#include "secret-ref.h"

/* Parse "{env: NAME}" etc.; 0 or an error class with *cause. */
enum aerr secret_parse(const char *text, struct secret_ref *out,
    char **cause);
/* Canonical text form, e.g. "{env: NAME}" (values are included). */
char *secret_format(const struct secret_ref *);
/* For display: the value form is masked. */
char *secret_format_masked(const struct secret_ref *);
void secret_clear(struct secret_ref *);
void secret_copy(struct secret_ref *, const struct secret_ref *);

/*
 * Resolve the reference.  Returns an allocated value (free it with
 * xfree_secret) or NULL with *cause naming KEY and the missing variable or
 * file, never the value.  The value is registered with the log so that it
 * is redacted from every line written afterwards.
 */
char *secret_resolve(const struct secret_ref *, const char *key,
    char **cause);
/* The same, a relative {file: PATH} taken from the directory of BASE, the
 * file the reference was written in (NULL: the current directory). */
char *secret_resolve_at(const struct secret_ref *, const char *key,
    const char *base, char **cause);
/*
 * Ask for a secret on the terminal (/dev/tty) with PROMPT, echo off; the
 * terminal is put back even on Ctrl-C, which is then passed on.  The value
 * (free with xfree_secret) is redacted from the log; NULL with *cause when
 * there is no terminal, nothing was typed or it was cancelled.
 */
char *secret_read_tty(const char *prompt, char **cause);

#endif
