/* The answers model: lookups, the one setter, getters and the rules. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

#define TARGET_PREFIX "targets[]."

static size_t target_first = (size_t)-1, target_count;

/* The "targets[]." rows are contiguous; find them once. */
static void
target_rows(void)
{
	size_t i;

	if (target_first != (size_t)-1)
		return;
	for (i = 0; i < answers_table_size; i++) {
		if (strncmp(answers_table[i].key, TARGET_PREFIX,
		    strlen(TARGET_PREFIX)) == 0) {
			if (target_first == (size_t)-1)
				target_first = i;
			target_count++;
		}
	}
}

static void
avalue_clear(struct avalue *v)
{
	size_t i;

	free(v->text);
	if (v->list != NULL) {
		for (i = 0; v->list[i] != NULL; i++)
			free(v->list[i]);
		free(v->list);
	}
	secret_clear(&v->secret);
	memset(v, 0, sizeof *v);
}

struct answers *
answers_new(void)
{
	struct answers *a = xcalloc(1, sizeof *a);

	target_rows();
	a->v = xcalloc(answers_table_size, sizeof *a->v);
	return a;
}

static void
target_free(struct target *t)
{
	size_t i;

	for (i = 0; i < target_count; i++)
		avalue_clear(&t->v[i]);
	free(t->v);
}

void
answers_free(struct answers *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < answers_table_size; i++)
		avalue_clear(&a->v[i]);
	free(a->v);
	for (i = 0; i < a->ntargets; i++)
		target_free(&a->targets[i]);
	free(a->targets);
	for (i = 0; i < a->ncomments; i++) {
		free(a->comments[i].key);
		free(a->comments[i].head);
		free(a->comments[i].trail);
		free(a->comments[i].after);
	}
	free(a->comments);
	free(a->path);
	free(a);
}

const struct answers_key *
answers_key_find(const char *key, size_t *idx)
{
	size_t i;

	for (i = 0; i < answers_table_size; i++) {
		if (strcmp(answers_table[i].key, key) == 0) {
			if (idx != NULL)
				*idx = i;
			return &answers_table[i];
		}
	}
	return NULL;
}

const char *
answers_key_suggest(const char *key)
{
	const char *best = NULL, *k, *dot;
	size_t i, d, bestd = (size_t)-1, limit;

	limit = strlen(key) / 3;
	if (limit < 2)
		limit = 2;
	for (i = 0; i < answers_table_size; i++) {
		k = answers_table[i].key;
		d = edit_distance(key, k);
		/* "targets[0].hots" against "targets[].host" */
		if (strncmp(key, "targets[", 8) == 0 &&
		    strncmp(k, TARGET_PREFIX, strlen(TARGET_PREFIX)) == 0 &&
		    (dot = strchr(key, '.')) != NULL)
			d = edit_distance(dot + 1, k + strlen(TARGET_PREFIX));
		if (d < bestd) {
			bestd = d;
			best = k;
		}
	}
	return bestd <= limit ? best : NULL;
}

/*
 * Split "targets[3].port" into 3 and the row of "targets[].port".
 * Returns the table row or NULL; *tidx is -1 for keys outside targets.
 */
static const struct answers_key *
resolve_key(const char *key, long *tidx, size_t *row, char **cause)
{
	const struct answers_key *k;
	char *end, *full;
	long n;

	*tidx = -1;
	if (strncmp(key, "targets[", 8) == 0) {
		errno = 0;
		n = strtol(key + 8, &end, 10);
		if (end == key + 8 || errno != 0 || n < 0 || end[0] != ']' ||
		    end[1] != '.') {
			*cause = xprintf(_("bad target key '%s' (expected "
			    "targets[N].FIELD)"), key);
			return NULL;
		}
		full = xprintf(TARGET_PREFIX "%s", end + 2);
		k = answers_key_find(full, row);
		free(full);
		*tidx = n;
	} else
		k = answers_key_find(key, row);
	if (k == NULL) {
		const char *hint = answers_key_suggest(key);

		if (hint != NULL)
			*cause = xprintf(_("unknown key; did you mean %s?"),
			    hint);
		else
			*cause = xstrdup(_("unknown key"));
	}
	return k;
}

static struct avalue *
slot(const struct answers *a, const char *key, const struct answers_key **kp)
{
	const struct answers_key *k;
	char *cause = NULL;
	size_t row;
	long t;

	k = resolve_key(key, &t, &row, &cause);
	if (k == NULL) {
		/* The program asked for a key the table does not have: a
		 * typo in the code, which would read "" forever. */
		fprintf(stderr, "wbinstall: internal error: answers key '%s': "
		    "%s\n", key, cause);
		log_error("internal error: answers key '%s': %s", key, cause);
		abort();
	}
	free(cause);
	if (kp != NULL)
		*kp = k;
	if (t >= 0) {
		if ((size_t)t >= a->ntargets)
			return NULL;
		return &a->targets[t].v[row - target_first];
	}
	return &a->v[row];
}

static char *
choices_text(const char *const *choices)
{
	char *s = xstrdup(""), *n;
	size_t i;

	for (i = 0; choices[i] != NULL; i++) {
		xasprintf(&n, "%s%s%s", s, i ? ", " : "", choices[i]);
		free(s);
		s = n;
	}
	return s;
}

static enum aerr
check_choice(const struct answers_key *k, const char *text, char **cause)
{
	size_t i, best = 0, d, bestd = (size_t)-1;
	char *all;

	for (i = 0; k->choices[i] != NULL; i++) {
		if (strcmp(k->choices[i], text) == 0)
			return AE_OK;
		d = edit_distance(k->choices[i], text);
		if (d < bestd) {
			bestd = d;
			best = i;
		}
	}
	all = choices_text(k->choices);
	if (bestd <= 2)
		*cause = xprintf(_("'%s' is not one of %s; did you mean %s?"),
		    text, all, k->choices[best]);
	else
		*cause = xprintf(_("'%s' is not one of %s"), text, all);
	free(all);
	return AE_CHOICE;
}

static char *
trim(const char *s)
{
	const char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static enum aerr
parse_list(const struct answers_key *k, const char *text, struct avalue *nv,
    char **cause)
{
	char *dup = xstrdup(text), *item, *save = NULL, *t, *joined;
	size_t n = 0, i;
	enum aerr rc = AE_OK;

	nv->list = xcalloc(1, sizeof *nv->list);
	for (item = strtok_r(dup, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		t = trim(item);
		if (*t == '\0') {
			free(t);
			continue;
		}
		if (k->choices != NULL)
			rc = check_choice(k, t, cause);
		else if (k->check != NULL)
			rc = k->check(t, cause);
		for (i = 0; rc == AE_OK && i < n; i++) {
			if (strcmp(nv->list[i], t) == 0) {
				*cause = xprintf(_("'%s' is listed twice"), t);
				rc = AE_FORMAT;
			}
		}
		if (rc != AE_OK) {
			free(t);
			break;
		}
		nv->list = xreallocarray(nv->list, n + 2, sizeof *nv->list);
		nv->list[n++] = t;
		nv->list[n] = NULL;
	}
	free(dup);
	if (rc == AE_OK && n == 0 && (k->flags & AK_REQUIRED)) {
		*cause = xstrdup(_("give at least one item"));
		rc = AE_FORMAT;
	}
	if (rc != AE_OK)
		return rc;
	joined = xstrdup("");
	for (i = 0; i < n; i++) {
		t = xprintf("%s%s%s", joined, i ? "," : "", nv->list[i]);
		free(joined);
		joined = t;
	}
	nv->text = joined;
	return AE_OK;
}

static enum aerr
parse_value(const struct answers_key *k, const char *text, struct avalue *nv,
    char **cause)
{
	enum aerr rc;
	char *end;
	long n;

	switch (k->type) {
	case AT_INT:
		errno = 0;
		n = strtol(text, &end, 10);
		if (*text == '\0' || *end != '\0' || errno != 0 ||
		    isspace((unsigned char)*text)) {
			*cause = xprintf(_("expected a whole number, not "
			    "'%s'"), text);
			return AE_TYPE;
		}
		if (k->min == k->max && n != k->min) {
			*cause = xprintf(_("unsupported value %ld; this "
			    "wbinstall reads %ld"), n, k->min);
			return AE_RANGE;
		}
		if (n < k->min || n > k->max) {
			*cause = xprintf(_("%ld is out of range %ld-%ld"), n,
			    k->min, k->max);
			return AE_RANGE;
		}
		nv->text = xprintf("%ld", n);
		return AE_OK;
	case AT_BOOL:
		if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
			*cause = xprintf(_("expected true or false, not "
			    "'%s'"), text);
			return AE_TYPE;
		}
		nv->text = xstrdup(text);
		return AE_OK;
	case AT_ENUM:
		if ((rc = check_choice(k, text, cause)) != AE_OK)
			return rc;
		nv->text = xstrdup(text);
		return AE_OK;
	case AT_STRING:
		if (k->check != NULL && (rc = k->check(text, cause)) != AE_OK)
			return rc;
		nv->text = xstrdup(text);
		return AE_OK;
	case AT_LIST:
		return parse_list(k, text, nv, cause);
	case AT_SECRET:
		if ((rc = secret_parse(text, &nv->secret, cause)) != AE_OK)
			return rc;
		/* Only a value written inline can be checked before it is
		 * resolved. */
		if (nv->secret.kind == SECRET_VALUE && k->check != NULL &&
		    (rc = k->check(nv->secret.arg, cause)) != AE_OK)
			return rc;
		nv->text = secret_format(&nv->secret);
		return AE_OK;
	case AT_TARGETS:
		*cause = xstrdup(_("targets is a list; set targets[N].FIELD"));
		return AE_TYPE;
	}
	return AE_TYPE;
}

enum aerr
answers_set(struct answers *a, const char *key, const char *text,
    char **cause)
{
	const struct answers_key *k;
	struct avalue nv, *v;
	char *why = NULL;
	size_t row;
	long t;
	enum aerr rc;

	k = resolve_key(key, &t, &row, &why);
	if (k == NULL) {
		rc = AE_UNKNOWN;
		goto fail;
	}
	if (t >= 0 && (size_t)t > a->ntargets) {
		why = xprintf(_("there are only %zu targets; add them in "
		    "order"), a->ntargets);
		rc = AE_RANGE;
		goto fail;
	}
	memset(&nv, 0, sizeof nv);
	if ((rc = parse_value(k, text, &nv, &why)) != AE_OK) {
		avalue_clear(&nv);
		goto fail;
	}
	if (t >= 0 && (size_t)t == a->ntargets)
		answers_target_add(a);
	v = t >= 0 ? &a->targets[t].v[row - target_first] : &a->v[row];
	nv.line = v->line;
	nv.col = v->col;
	avalue_clear(v);
	*v = nv;
	v->set = 1;
	return AE_OK;

fail:
	if (cause != NULL)
		*cause = why;
	else
		free(why);
	return rc;
}

void
answers_mark(struct answers *a, const char *key, unsigned line, unsigned col)
{
	struct avalue *v = slot(a, key, NULL);

	if (v != NULL) {
		v->line = line;
		v->col = col;
	}
}

void
answers_unset(struct answers *a, const char *key)
{
	struct avalue *v = slot(a, key, NULL);

	if (v != NULL)
		avalue_clear(v);
}

size_t
answers_target_add(struct answers *a)
{
	a->targets = xreallocarray(a->targets, a->ntargets + 1,
	    sizeof *a->targets);
	memset(&a->targets[a->ntargets], 0, sizeof *a->targets);
	a->targets[a->ntargets].v = xcalloc(target_count, sizeof(struct avalue));
	return a->ntargets++;
}

/* Comments kept for "targets[I]..." follow their target when N goes. */
static void
comments_target_removed(struct answers *a, size_t n)
{
	struct acomment *c;
	size_t i, j = 0;
	unsigned long idx;
	char *end, *renamed;

	for (i = 0; i < a->ncomments; i++) {
		c = &a->comments[i];
		if (strncmp(c->key, "targets[", 8) == 0) {
			idx = strtoul(c->key + 8, &end, 10);
			if (end != c->key + 8 && *end == ']' && idx == n) {
				free(c->key);
				free(c->head);
				free(c->trail);
				free(c->after);
				continue;
			}
			if (end != c->key + 8 && *end == ']' && idx > n) {
				renamed = xprintf("targets[%lu]%s", idx - 1, end + 1);
				free(c->key);
				c->key = renamed;
			}
		}
		a->comments[j++] = *c;
	}
	a->ncomments = j;
}

void
answers_target_remove(struct answers *a, size_t n)
{
	if (n >= a->ntargets)
		return;
	comments_target_removed(a, n);
	target_free(&a->targets[n]);
	memmove(&a->targets[n], &a->targets[n + 1],
	    (a->ntargets - n - 1) * sizeof *a->targets);
	a->ntargets--;
}

const struct avalue *
answers_value(const struct answers *a, const char *key)
{
	return slot(a, key, NULL);
}

int
answers_is_set(const struct answers *a, const char *key)
{
	const struct avalue *v = slot(a, key, NULL);

	return v != NULL && v->set;
}

const char *
answers_get(const struct answers *a, const char *key)
{
	const struct answers_key *k = NULL;
	const struct avalue *v = slot(a, key, &k);

	if (v != NULL && v->set)
		return v->text;
	if (k != NULL && k->def != NULL)
		return k->def;
	return "";
}

char *
answers_get_path(const struct answers *a, const char *key)
{
	const char *p = answers_get(a, key), *slash;

	if (*p == '\0' || *p == '/' || *p == '~' || a->path == NULL ||
	    (slash = strrchr(a->path, '/')) == NULL)
		return expand_home(p);
	return xprintf("%.*s/%s", (int)(slash - a->path), a->path, p);
}

long
answers_get_int(const struct answers *a, const char *key)
{
	return strtol(answers_get(a, key), NULL, 10);
}

int
answers_get_bool(const struct answers *a, const char *key)
{
	return strcmp(answers_get(a, key), "true") == 0;
}

char *const *
answers_get_list(const struct answers *a, const char *key)
{
	static char *empty[] = { NULL };
	static struct {
		const char *key;
		char *items[2];
	} defaults[] = {
		{ "aws.allowed_inbound_cidr", { (char *)"0.0.0.0/0", NULL } },
		{ "aws.allowed_inbound_ipv6_cidr", { (char *)"::/0", NULL } },
	};
	const struct avalue *v = slot(a, key, NULL);
	size_t i;

	if (v != NULL && v->set && v->list != NULL)
		return v->list;
	for (i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strcmp(defaults[i].key, key) == 0)
			return defaults[i].items;
	return empty;
}

int
answers_list_has(const struct answers *a, const char *key, const char *item)
{
	char *const *l = answers_get_list(a, key);

	for (; *l != NULL; l++)
		if (strcmp(*l, item) == 0)
			return 1;
	return 0;
}

const struct secret_ref *
answers_get_secret(const struct answers *a, const char *key)
{
	const struct answers_key *k = NULL;
	const struct avalue *v = slot(a, key, &k);

	if (k == NULL || k->type != AT_SECRET)
		return NULL;
	if (v == NULL) {
		static const struct secret_ref none;

		return &none;
	}
	return &v->secret;
}

const char *
answers_target_get(const struct answers *a, size_t n, const char *field)
{
	char *key;
	const char *v;

	key = xprintf("targets[%zu].%s", n, field);
	if (slot(a, key, NULL) == NULL)	/* no target N (a bad FIELD aborts) */
		v = "";
	else if (answers_is_set(a, key))
		v = answers_get(a, key);
	else if (strcmp(field, "port") == 0)
		v = answers_get(a, "ssh.port");
	else if (strcmp(field, "user") == 0)
		v = answers_get(a, "ssh.user");
	else
		v = answers_get(a, key);
	free(key);
	return v;
}

int
answers_target_has_role(const struct answers *a, size_t n, const char *role)
{
	char *key = xprintf("targets[%zu].roles", n);
	int has = answers_list_has(a, key, role);

	free(key);
	return has;
}

void
answers_where(const struct answers *a, const char *key, unsigned *line,
    unsigned *col)
{
	const struct avalue *v = slot(a, key, NULL);
	char *dup, *dot;
	size_t i;

	*line = *col = 0;
	if (v != NULL && v->line != 0) {
		*line = v->line;
		*col = v->col;
		return;
	}
	dup = xstrdup(key);
	for (;;) {
		for (i = 0; i < a->ncomments; i++) {
			if (strcmp(a->comments[i].key, dup) == 0) {
				*line = a->comments[i].line;
				*col = a->comments[i].col;
				free(dup);
				return;
			}
		}
		dot = strrchr(dup, '.');
		if (dot == NULL)
			break;
		*dot = '\0';
	}
	free(dup);
	if (a->path != NULL) {
		*line = 1;
		*col = 1;
	}
}

static void
rule(const struct answers *a, struct answers_errors *errs, const char *key,
    enum aerr class, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
rule(const struct answers *a, struct answers_errors *errs, const char *key,
    enum aerr class, const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;
	char *msg;
	size_t i, len = strlen(key);

	/* A key that already failed to load gets no follow-on errors. */
	for (i = 0; i < errs->n; i++) {
		const char *k = errs->v[i].key;

		if (k != NULL && strncmp(k, key, len) == 0 &&
		    (k[len] == '\0' || k[len] == '.' || k[len] == '['))
			return;
	}
	answers_where(a, key, &line, &col);
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	answers_errors_add(errs, a->path, line, col, key, class, "%s", msg);
	free(msg);
}

static int
has_value(const struct answers *a, const char *key)
{
	const struct answers_key *k = NULL;
	const struct avalue *v = slot(a, key, &k);

	if (k != NULL && k->type == AT_SECRET)
		return v != NULL && v->set && v->secret.kind != SECRET_NONE;
	return *answers_get(a, key) != '\0';
}

static void
need(const struct answers *a, struct answers_errors *errs, const char *key,
    const char *why)
{
	if (has_value(a, key))
		return;
	if (why != NULL)
		rule(a, errs, key, AE_CROSS, _("is required when %s"), why);
	else
		rule(a, errs, key, AE_REQUIRED, _("is required"));
}

static void
check_targets(const struct answers *a, struct answers_errors *errs,
    const char *platform)
{
	size_t i, j, napp = 0, ncontrol = 0;
	char *key;

	for (i = 0; i < a->ntargets; i++) {
		key = xprintf("targets[%zu].host", i);
		need(a, errs, key, NULL);
		for (j = 0; j < i && has_value(a, key); j++) {
			if (strcmp(answers_target_get(a, i, "host"),
			    answers_target_get(a, j, "host")) == 0 &&
			    strcmp(answers_target_get(a, i, "port"),
			    answers_target_get(a, j, "port")) == 0) {
				rule(a, errs, key, AE_DUPLICATE,
				    _("%s:%s is listed twice (also "
				    "targets[%zu])"),
				    answers_target_get(a, i, "host"),
				    answers_target_get(a, i, "port"), j);
				break;
			}
		}
		free(key);
		key = xprintf("targets[%zu].roles", i);
		if (!answers_is_set(a, key))
			rule(a, errs, key, AE_REQUIRED,
			    _("is required: app, db or control"));
		free(key);
		napp += answers_target_has_role(a, i, "app");
		ncontrol += answers_target_has_role(a, i, "control");
	}
	if (strcmp(platform, "aws-terraform") == 0)
		return;
	if (napp == 0)
		rule(a, errs, "targets", AE_CROSS, _("platform %s needs at "
		    "least one target with role app"), platform);
	if (strcmp(platform, "kubernetes") == 0 && ncontrol > 1)
		rule(a, errs, "targets", AE_CROSS, _("only one target may have "
		    "role control (it runs helm and kubectl)"));
}

static void
check_storage(const struct answers *a, struct answers_errors *errs)
{
	static const char *const separate[] = { "storage.access_key",
		"storage.secret_key", "storage.bucket", "storage.endpoint" };
	const char *provider = answers_get(a, "storage.provider");
	size_t i;

	if (answers_is_set(a, "storage.url")) {
		if (strcmp(provider, "s3") != 0)
			rule(a, errs, "storage.url", AE_CROSS, _("a connection "
			    "string is only for provider s3"));
		for (i = 0; i < sizeof separate / sizeof separate[0]; i++)
			if (answers_is_set(a, separate[i]))
				rule(a, errs, separate[i], AE_CROSS,
				    _("give either storage.url or the "
				    "separate keys, not both"));
		return;
	}
	need(a, errs, "storage.bucket", _("storage.url is not given"));
	if (strcmp(provider, "s3") == 0) {
		need(a, errs, "storage.access_key",
		    _("provider is s3 and storage.url is not given"));
		need(a, errs, "storage.secret_key",
		    _("provider is s3 and storage.url is not given"));
		if (*answers_get(a, "storage.endpoint") == '\0' &&
		    !answers_get_bool(a, "storage.tls"))
			rule(a, errs, "storage.tls", AE_CROSS,
			    _("Amazon S3 (no endpoint) needs tls: true"));
	}
}

size_t
answers_check(const struct answers *a, struct answers_errors *errs)
{
	const char *platform = answers_get(a, "deployment.platform");
	size_t before = errs->n, i;
	char *fqdn;

	for (i = 0; i < answers_table_size; i++) {
		const struct answers_key *k = &answers_table[i];

		if ((k->flags & AK_REQUIRED) && k->def == NULL &&
		    strncmp(k->key, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0)
			need(a, errs, k->key, NULL);
	}
	check_targets(a, errs, platform);

	if (answers_get_bool(a, "airgap.enabled")) {
		need(a, errs, "airgap.bundle", _("airgap.enabled is true"));
		need(a, errs, "airgap.registry", _("airgap.enabled is true"));
	}
	if (answers_get_bool(a, "airgap.plain_http") &&
	    *answers_get(a, "airgap.registry_ca") != '\0')
		rule(a, errs, "airgap.registry_ca", AE_CROSS,
		    _("a registry CA makes no sense with plain_http: true"));
	if (has_value(a, "airgap.registry_password") &&
	    !has_value(a, "airgap.registry_user"))
		need(a, errs, "airgap.registry_user",
		    _("airgap.registry_password is given"));
	if (strcmp(platform, "kubernetes") == 0 &&
	    answers_get_bool(a, "airgap.enabled") &&
	    has_value(a, "airgap.registry_user"))
		need(a, errs, "airgap.registry_password",
		    _("airgap.registry_user is given (pods pull with them)"));
	/* operator-wandb writes mysql://USER:PASSWORD@HOST:PORT/DB (and
	 * mysql -hHOST) with the host as it is. */
	if (strcmp(platform, "kubernetes") == 0 &&
	    strchr(answers_get(a, "mysql.host"), ':') != NULL)
		rule(a, errs, "mysql.host", AE_CROSS, _("an IPv6 address "
		    "cannot go into the operator-wandb chart's MySQL URL "
		    "(mysql://USER:PASSWORD@HOST:PORT, no brackets); use a "
		    "host name"));

	if (has_value(a, "mysql.admin.user") !=
	    has_value(a, "mysql.admin.password")) {
		if (has_value(a, "mysql.admin.user"))
			need(a, errs, "mysql.admin.password",
			    _("mysql.admin.user is given"));
		else
			need(a, errs, "mysql.admin.user",
			    _("mysql.admin.password is given"));
	}

	if (strcmp(platform, "aws-terraform") == 0) {
		static const char *const aws[] = { "aws.subdomain",
			"aws.domain_name", "aws.zone_id", "aws.region" };

		for (i = 0; i < sizeof aws / sizeof aws[0]; i++)
			need(a, errs, aws[i],
			    _("platform is aws-terraform"));
		if (has_value(a, "aws.subdomain") &&
		    has_value(a, "aws.domain_name") &&
		    has_value(a, "domain.fqdn")) {
			fqdn = xprintf("%s.%s", answers_get(a,
			    "aws.subdomain"), answers_get(a,
			    "aws.domain_name"));
			if (strcmp(fqdn, answers_get(a, "domain.fqdn")) != 0)
				rule(a, errs, "domain.fqdn", AE_CROSS,
				    _("must be aws.subdomain.aws.domain_name "
				    "(%s) for aws-terraform"), fqdn);
			free(fqdn);
		}
		/* The module's default EKS add-ons (variables.tf of
		 * wandb/wandb/aws 7.18.2: kube-proxy v1.30.0-eksbuild.1,
		 * coredns v1.11.3) are for Kubernetes 1.30, as is its own
		 * example; the answers cannot name other add-on versions. */
		if (strcmp(answers_get(a, "aws.eks_cluster_version"),
		    AWS_EKS_VERSION) != 0)
			rule(a, errs, "aws.eks_cluster_version", AE_CROSS,
			    _("must be %s: the default EKS add-ons of the "
			    "wandb/wandb/aws module 7.x (kube-proxy "
			    "v1.30.0-eksbuild.1) are for that version"),
			    AWS_EKS_VERSION);
	} else {
		need(a, errs, "mysql.host", NULL);
		need(a, errs, "mysql.password", NULL);
		check_storage(a, errs);
	}
	return errs->n - before;
}

char *
answers_schema_markdown(void)
{
	static const char *const types[] = { "int", "bool", "string", "enum",
		"list", "secret", "list of targets" };
	char *s, *n, *allowed, *def;
	size_t i;

	s = xstrdup("| Key | Type | Default | Allowed | Secret | Description "
	    "|\n|---|---|---|---|---|---|\n");
	for (i = 0; i < answers_table_size; i++) {
		const struct answers_key *k = &answers_table[i];

		if (k->choices != NULL)
			allowed = choices_text(k->choices);
		else if (k->type == AT_INT)
			allowed = xprintf("%ld-%ld", k->min, k->max);
		else if (k->pattern != NULL)
			allowed = xstrdup(k->pattern);
		else
			allowed = xstrdup("");
		if (k->def == NULL)
			def = xstrdup(k->flags & AK_REQUIRED ? "(required)" :
			    "");
		else if (*k->def == '\0')
			def = xstrdup("\"\"");
		else
			def = xprintf("`%s`", k->def);
		xasprintf(&n, "%s| `%s` | %s | %s | %s | %s | %s |\n", s,
		    k->key, types[k->type], def, allowed,
		    (k->flags & AK_SECRET) ? "yes" : "", k->help);
		free(s);
		free(def);
		free(allowed);
		s = n;
	}
	return s;
}
