#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

#define SECRET_FILE_MAX (1024 * 1024)

static const struct {
	const char *name;
	enum secret_kind kind;
} kinds[] = {
	{ "env", SECRET_ENV },
	{ "file", SECRET_FILE },
	{ "value", SECRET_VALUE },
};

static int
valid_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

enum aerr
secret_parse(const char *text, struct secret_ref *out, char **cause)
{
	size_t len = strlen(text), i, n;
	const char *body, *end, *arg;
	char *val;

	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	if (len < 2 || text[0] != '{' || text[len - 1] != '}') {
		*cause = xstrdup(_("a secret must be a reference, "
		    "{env: NAME}, {file: PATH} or {value: \"...\"}, "
		    "not a bare string"));
		return AE_SECRET;
	}
	body = text + 1;
	end = text + len - 1;
	while (body < end && isspace((unsigned char)*body))
		body++;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		n = strlen(kinds[i].name);
		if ((size_t)(end - body) > n && strncmp(body, kinds[i].name,
		    n) == 0 && body[n] == ':')
			break;
	}
	if (i == sizeof kinds / sizeof kinds[0]) {
		*cause = xstrdup(_("a secret reference takes one of env, "
		    "file or value"));
		return AE_FORMAT;
	}
	arg = body + n + 1;
	if (arg < end && *arg == ' ')
		arg++;
	if (kinds[i].kind == SECRET_VALUE)
		val = xstrndup(arg, (size_t)(end - arg));
	else {
		while (arg < end && isspace((unsigned char)*arg))
			arg++;
		while (end > arg && isspace((unsigned char)end[-1]))
			end--;
		if (end - arg >= 2 && *arg == '"' && end[-1] == '"') {
			arg++;
			end--;
		}
		val = xstrndup(arg, (size_t)(end - arg));
		if (*val == '\0') {
			free(val);
			*cause = xprintf(_("{%s: } needs a %s"), kinds[i].name,
			    kinds[i].kind == SECRET_ENV ? _("variable name") :
			    _("path"));
			return AE_FORMAT;
		}
		if (kinds[i].kind == SECRET_ENV && !valid_env_name(val)) {
			*cause = xprintf(_("'%s' is not a valid environment "
			    "variable name"), val);
			free(val);
			return AE_FORMAT;
		}
	}
	secret_clear(out);
	out->kind = kinds[i].kind;
	out->arg = val;
	return AE_OK;
}

char *
secret_format(const struct secret_ref *s)
{
	switch (s->kind) {
	case SECRET_ENV:
		return xprintf("{env: %s}", s->arg);
	case SECRET_FILE:
		return xprintf("{file: %s}", s->arg);
	case SECRET_VALUE:
		return xprintf("{value: %s}", s->arg);
	case SECRET_NONE:
		break;
	}
	return xstrdup("");
}

char *
secret_format_masked(const struct secret_ref *s)
{
	if (s->kind == SECRET_VALUE)
		return xstrdup("{value: ********}");
	return secret_format(s);
}

void
secret_clear(struct secret_ref *s)
{
	if (s->kind == SECRET_VALUE)
		xfree_secret(s->arg);
	else
		free(s->arg);
	s->arg = NULL;
	s->kind = SECRET_NONE;
}

void
secret_copy(struct secret_ref *dst, const struct secret_ref *src)
{
	secret_clear(dst);
	dst->kind = src->kind;
	dst->arg = src->arg != NULL ? xstrdup(src->arg) : NULL;
}

static char *
resolve_with_base(const struct secret_ref *s, const char *key,
    const char *base, char **cause)
{
	const char *env;
	char *path, *val, *why = NULL;
	size_t len;
	struct stat sb;

	switch (s->kind) {
	case SECRET_NONE:
		*cause = xprintf(_("%s: not set"), key);
		return NULL;
	case SECRET_VALUE:
		val = xstrdup(s->arg);
		break;
	case SECRET_ENV:
		env = getenv(s->arg);
		if (env == NULL) {
			*cause = xprintf(_("%s: environment variable %s is "
			    "not set"), key, s->arg);
			return NULL;
		}
		if (*env == '\0') {
			*cause = xprintf(_("%s: environment variable %s is "
			    "empty"), key, s->arg);
			return NULL;
		}
		val = xstrdup(env);
		break;
	case SECRET_FILE:
		path = expand_home(s->arg);
		if (path[0] != '/' && base != NULL) {
			char *dup = xstrdup(base), *joined;

			joined = xprintf("%s/%s", dirname(dup), path);
			free(dup);
			free(path);
			path = joined;
		}
		val = read_file(path, SECRET_FILE_MAX, &len, &why);
		if (val == NULL) {
			*cause = xprintf(_("%s: secret file %s cannot be "
			    "read (%s)"), key, s->arg, why);
			free(why);
			free(path);
			return NULL;
		}
		if (stat(path, &sb) == 0 && (sb.st_mode & 077) != 0)
			log_info("%s: secret file %s is readable by others; "
			    "chmod 600 it", key, path);
		free(path);
		/* One trailing newline is the file's, not the secret's. */
		if (len > 0 && val[len - 1] == '\n')
			val[--len] = '\0';
		if (len > 0 && val[len - 1] == '\r')
			val[--len] = '\0';
		if (len != strlen(val)) {
			xfree_secret(val);
			*cause = xprintf(_("%s: secret file %s holds a NUL "
			    "byte"), key, s->arg);
			return NULL;
		}
		break;
	default:
		return NULL;
	}
	log_add_secret(val);
	return val;
}

char *
secret_resolve(const struct secret_ref *s, const char *key, char **cause)
{
	return resolve_with_base(s, key, NULL, cause);
}

char *
answers_resolve(const struct answers *a, const char *key, char **cause)
{
	const struct secret_ref *s = answers_get_secret(a, key);

	if (s == NULL) {
		*cause = xprintf(_("%s: not a secret key"), key);
		return NULL;
	}
	return resolve_with_base(s, key, a->path, cause);
}
