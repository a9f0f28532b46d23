/* An answers key's secret resolved, and what is built from resolved ones. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "secret.h"
#include "storage-url.h"
#include "xmalloc.h"

char *
answers_resolve(const struct answers *a, const char *key, char **cause)
{
	const struct secret_ref *s = answers_get_secret(a, key);

	if (s == NULL) {
		*cause = xprintf(_("%s: not a secret key"), key);
		return NULL;
	}
	return secret_resolve_at(s, key, a->path, cause);
}

size_t
answers_resolve_all(const struct answers *a, struct answers_errors *errs)
{
	size_t before = errs->n, i;
	char *v, *cause = NULL;
	unsigned line, col;
	enum aerr rc;

	for (i = 0; i < answers_table_size; i++) {
		const struct answers_key *k = &answers_table[i];

		if (k->type != AT_SECRET || !answers_is_set(a, k->key))
			continue;
		v = answers_resolve(a, k->key, &cause);
		if (v == NULL) {
			answers_where(a, k->key, &line, &col);
			answers_errors_add(errs, a->path, line, col, NULL,
			    AE_RESOLVE, "%s", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (k->check != NULL && (rc = k->check(v, &cause)) != AE_OK) {
			answers_where(a, k->key, &line, &col);
			answers_errors_add(errs, a->path, line, col, k->key, rc,
			    "%s", cause);
			free(cause);
			cause = NULL;
		}
		xfree_secret(v);
	}
	return errs->n - before;
}

char *
resolver_secret(const struct answers_resolver *r, const struct answers *a,
    const char *key, char **cause)
{
	if (r != NULL && r->secret != NULL)
		return r->secret(r->arg, key, cause);
	return answers_resolve(a, key, cause);
}

char *
resolver_path(const struct answers_resolver *r, const struct answers *a,
    const char *key)
{
	if (r != NULL && r->path != NULL)
		return r->path(r->arg, key);
	return answers_get_path(a, key);
}

int
storage_conf_resolve(const struct answers *a, struct storage_conf *c,
    char **cause)
{
	char *url, *endpoint, *colon, *rb;

	memset(c, 0, sizeof *c);
	if (answers_is_set(a, "storage.url")) {
		url = answers_resolve(a, "storage.url", cause);
		if (url == NULL)
			return -1;
		if (storage_url_parse(url, c, cause) != AE_OK) {
			char *why = *cause;

			*cause = xprintf("storage.url: %s", why);
			free(why);
			xfree_secret(url);
			return -1;
		}
		xfree_secret(url);
		free(c->provider);
		c->provider = xstrdup(answers_get(a, "storage.provider"));
		return 0;
	}
	c->provider = xstrdup(answers_get(a, "storage.provider"));
	c->bucket = xstrdup(answers_get(a, "storage.bucket"));
	c->path = xstrdup(answers_get(a, "storage.path"));
	c->region = xstrdup(answers_get(a, "storage.region"));
	c->tls = answers_get_bool(a, "storage.tls");
	endpoint = xstrdup(answers_get(a, "storage.endpoint"));
	if (*endpoint != '\0') {
		colon = strrchr(endpoint, ':');
		rb = strchr(endpoint, ']');
		if (colon != NULL && (rb == NULL || rb < colon)) {
			*colon = '\0';
			c->port = atoi(colon + 1);
		}
		c->host = xstrdup(endpoint);
	}
	free(endpoint);
	if (strcmp(c->provider, "s3") == 0) {
		c->access_key = answers_resolve(a, "storage.access_key",
		    cause);
		if (c->access_key == NULL)
			goto fail;
		c->secret_key = answers_resolve(a, "storage.secret_key",
		    cause);
		if (c->secret_key == NULL)
			goto fail;
	}
	return 0;
fail:
	storage_conf_free(c);
	return -1;
}
