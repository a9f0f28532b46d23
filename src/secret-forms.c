/*
 * The forms a secret can be written in: as is, escaped for SQL, the shell,
 * JSON, YAML (double- and single-quoted, and a block scalar's lines),
 * percent-encoded and base64 (also where it starts at any byte of a longer
 * base64 text).  The log and the support bundle redact every one of them.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "secret-forms.h"
#include "storage-url.h"
#include "xmalloc.h"

/* A base64 core shorter than this would match ordinary text. */
#define SECRET_B64_CORE_MIN	8

struct forms {
	void (*fn)(const char *, void *);
	void *arg;
};

/* FORM with the hex digits of its \xXX, \uXXXX and \UXXXXXXXX escapes
 * in upper (UPPER) or lower case: JSON and YAML writers differ. */
static char *
hex_case(const char *form, int upper)
{
	char *out = xstrdup(form), *p;
	size_t k, n;

	for (p = out; (p = strchr(p, '\\')) != NULL; p += 2) {
		if (p[1] == '\0')
			break;
		n = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : p[1] == 'U' ? 8 : 0;
		for (k = 0; k < n && isxdigit((unsigned char)p[2 + k]); k++)
			p[2 + k] = (char)(upper ? toupper((unsigned char)p[2 + k])
			    : tolower((unsigned char)p[2 + k]));
	}
	return out;
}

/* FORM, and when it spans lines each of its lines (a block scalar, or a
 * log that quotes it line by line). */
static void
emit(struct forms *f, const char *form)
{
	const char *p, *e;
	char *line;
	int upper;

	f->fn(form, f->arg);
	for (upper = 0; upper < 2 && strchr(form, '\\') != NULL; upper++) {
		line = hex_case(form, upper);
		if (strcmp(line, form) != 0)
			f->fn(line, f->arg);
		xfree_secret(line);
	}
	if (strpbrk(form, "\r\n") == NULL)
		return;
	for (p = form; *p != '\0'; p = e + (*e != '\0')) {
		e = p + strcspn(p, "\r\n");
		if (e > p) {
			line = xstrndup(p, (size_t)(e - p));
			f->fn(line, f->arg);
			xfree_secret(line);
		}
	}
}

/* S with each byte of SPECIAL preceded by a backslash, and the control
 * characters of CTRL written as \n, \r, \t or \Z. */
static void
escaped(struct forms *f, const char *s, const char *special, const char *ctrl)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (strchr(ctrl, *s) != NULL) {
			*o++ = '\\';
			*o++ = *s == '\n' ? 'n' : *s == '\r' ? 'r' :
			    *s == '\t' ? 't' : 'Z';
			continue;
		}
		if (strchr(special, *s) != NULL)
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	emit(f, out);
	xfree_secret(out);
}

/* S with every byte of Q written twice (SQL and YAML single quotes). */
static void
doubled(struct forms *f, const char *s, char q)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == q)
			*o++ = q;
		*o++ = *s;
	}
	*o = '\0';
	emit(f, out);
	xfree_secret(out);
}

/* The shell's '...': each ' as '\''. */
static void
sh_single(struct forms *f, const char *s)
{
	char *out = xmalloc(strlen(s) * 4 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = *s;
	}
	*o = '\0';
	emit(f, out);
	xfree_secret(out);
}

/* A quoted form's inside: between the first and the last quote. */
static void
inside(struct forms *f, const char *s, size_t len, char q)
{
	const char *a = memchr(s, q, len), *b = s + len;
	char *body;

	while (b > s && b[-1] != q)
		b--;
	if (a == NULL || b - 1 <= a)
		return;
	body = xstrndup(a + 1, (size_t)(b - 1 - a - 1));
	emit(f, body);
	xfree_secret(body);
}

static void
json_forms(struct forms *f, const char *s)
{
	json_t *j = json_string(s);
	size_t flags[] = { 0, JSON_ENSURE_ASCII }, i;
	char *out;

	if (j == NULL)		/* not UTF-8 */
		return;
	for (i = 0; i < 2; i++) {
		out = json_dumps(j, JSON_ENCODE_ANY | flags[i]);
		if (out != NULL) {
			inside(f, out, strlen(out), '"');
			xfree_secret(out);
		}
	}
	json_decref(j);
}

/* What the emitter writes, always NUL-terminated.  Not render's buffer:
 * the log redacts these forms, and the render logs. */
struct ybuf {
	char *data;
	size_t len, size;
};

static int
yaml_out(void *data, unsigned char *buf, size_t size)
{
	struct ybuf *b = data;

	if (b->len + size + 1 > b->size) {
		while (b->len + size + 1 > b->size)
			b->size = b->size != 0 ? b->size * 2 : 1024;
		b->data = xreallocarray(b->data, b->size, 1);
	}
	memcpy(b->data + b->len, buf, size);
	b->len += size;
	b->data[b->len] = '\0';
	return 1;
}

/* What libyaml's emitter writes for S as a double-quoted scalar, with
 * and without escaping what is not ASCII. */
static void
yaml_forms(struct forms *f, const char *s)
{
	struct ybuf b;
	yaml_emitter_t e;
	yaml_event_t ev;
	int unicode, ok;

	for (unicode = 0; unicode < 2; unicode++) {
		memset(&b, 0, sizeof b);
		if (!yaml_emitter_initialize(&e))
			return;
		yaml_emitter_set_output(&e, yaml_out, &b);
		yaml_emitter_set_unicode(&e, unicode);
		yaml_emitter_set_width(&e, -1);
		ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
		    yaml_emitter_emit(&e, &ev) &&
		    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL,
		    1) && yaml_emitter_emit(&e, &ev) &&
		    yaml_scalar_event_initialize(&ev, NULL, NULL,
		    (yaml_char_t *)s, (int)strlen(s), 1, 1,
		    YAML_DOUBLE_QUOTED_SCALAR_STYLE) &&
		    yaml_emitter_emit(&e, &ev) &&
		    yaml_document_end_event_initialize(&ev, 1) &&
		    yaml_emitter_emit(&e, &ev) &&
		    yaml_stream_end_event_initialize(&ev) &&
		    yaml_emitter_emit(&e, &ev);
		yaml_emitter_delete(&e);
		if (ok && b.data != NULL)
			inside(f, b.data, b.len, '"');
		xfree_secret(b.data);
	}
}

/*
 * base64 of S, as is and from each of the three places S can start in a
 * longer base64 text: only the characters that S alone decides (ending
 * before the group S shares with what follows), at least
 * SECRET_B64_CORE_MIN of them; then each in the URL alphabet.
 */
static void
b64_forms(struct forms *f, const char *s)
{
	size_t len = strlen(s), k, n, from, to, i;
	unsigned char *in = xmalloc(len + 2);
	char *out = xmalloc(4 * ((len + 4) / 3) + 1), *core;

	for (k = 0; k < 3; k++) {
		memset(in, 0, 2);
		memcpy(in + k, s, len);
		n = (size_t)EVP_EncodeBlock((unsigned char *)out, in,
		    (int)(len + k));
		if (k == 0)
			emit(f, out);
		from = k == 0 ? 0 : 4;
		to = (len + k) % 3 == 0 ? n : n - 4;
		if (to < from + SECRET_B64_CORE_MIN)
			continue;
		core = xstrndup(out + from, to - from);
		emit(f, core);
		for (i = 0; core[i] != '\0'; i++)
			core[i] = core[i] == '+' ? '-' : core[i] == '/' ? '_' :
			    core[i];
		emit(f, core);
		xfree_secret(core);
	}
	OPENSSL_cleanse(in, len + 2);
	OPENSSL_cleanse(out, 4 * ((len + 4) / 3) + 1);
	free(in);
	free(out);
}

void
secret_forms(const char *s, void (*fn)(const char *form, void *arg),
    void *arg)
{
	static const char *const quotes[] = { "\\", "'\\", "\"\\",
		"'\"\\" };
	static const char *const ctrls[] = { "", "\n\r\t", "\n\r\032",
		"\n\r" };
	struct forms f = { fn, arg };
	size_t i, k;
	char *u, *p;

	emit(&f, s);
	/* Backslash escapes as SQL (mysql_real_escape_string), C, JSON,
	 * Python's repr and others write them: which quotes are escaped, and
	 * which control characters are named, vary. */
	for (i = 0; i < sizeof quotes / sizeof quotes[0]; i++)
		for (k = 0; k < sizeof ctrls / sizeof ctrls[0]; k++)
			escaped(&f, s, quotes[i], ctrls[k]);
	/* SQL and YAML single quotes: the quote doubled. */
	doubled(&f, s, '\'');
	/* Shell: "..." and '...'. */
	escaped(&f, s, "\"\\$`", "");
	sh_single(&f, s);
	json_forms(&f, s);
	yaml_forms(&f, s);
	/* Percent-encoded, and as a form field ('+' for a space). */
	u = url_encode(s);
	emit(&f, u);
	while ((p = strstr(u, "%20")) != NULL) {
		*p = '+';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	emit(&f, u);
	xfree_secret(u);
	b64_forms(&f, s);
}
