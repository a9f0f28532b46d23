/*
 * Where the answers model and the reading of secrets meet: an answers
 * key's secret resolved, and what is built from resolved secrets.  Here,
 * not in answers.c or secret.c, so that neither has to know the other.
 */
#ifndef WB_ANSWERS_RESOLVE_H
#define WB_ANSWERS_RESOLVE_H

#include <stddef.h>

#include "answers.h"

struct storage_conf;

/* Resolve an answers key's secret (secret_resolve); a relative file is
 * taken from the answers file's directory. */
char *answers_resolve(const struct answers *, const char *key, char **cause);
/* Resolve every secret reference that is set and run its key's check on
 * the value; errors go to errs. */
size_t answers_resolve_all(const struct answers *, struct answers_errors *);

/*
 * How an operation reads the answers' secrets and paths.  NULL (or a NULL
 * member) is the saved file's way: answers_resolve and answers_get_path.
 * The wizard passes its own, which also knows the secrets typed and not
 * yet saved, and the file it will write.
 */
struct answers_resolver {
	char *(*secret)(void *arg, const char *key, char **cause);
	char *(*path)(void *arg, const char *key);	/* of KEY's value */
	void *arg;
};
char *resolver_secret(const struct answers_resolver *,
    const struct answers *, const char *key, char **cause);
char *resolver_path(const struct answers_resolver *, const struct answers *,
    const char *key);

/* The effective storage settings, from storage.url or the separate keys;
 * resolves the secrets.  Returns 0 or -1 with *cause. */
int storage_conf_resolve(const struct answers *, struct storage_conf *,
    char **cause);

#endif
