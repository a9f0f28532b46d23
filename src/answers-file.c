/*
 * The answers file: load with libyaml (every error, with line and column),
 * save atomically at mode 0600 in the contract's key order, keeping the
 * comments of the file it was loaded from.
 */
#include "config.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "answers.h"
#include "i18n.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml-read.h"

#define ANSWERS_MAX (1024 * 1024)

struct loader {
	struct answers *a;
	struct answers_errors *errs;
	const char *file;
	yaml_document_t *doc;
};

static void
lerr(struct loader *l, yaml_node_t *n, const char *key, enum aerr class,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
lerr(struct loader *l, yaml_node_t *n, const char *key, enum aerr class,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	answers_errors_add(l->errs, l->file, (unsigned)n->start_mark.line + 1,
	    (unsigned)n->start_mark.column + 1, key, class, "%s", msg);
	free(msg);
}

static struct acomment *
keyinfo(struct answers *a, const char *key)
{
	size_t i;

	for (i = 0; i < a->ncomments; i++)
		if (strcmp(a->comments[i].key, key) == 0)
			return &a->comments[i];
	return NULL;
}

static struct acomment *
keyinfo_add(struct answers *a, const char *key, yaml_node_t *n)
{
	struct acomment *c;

	a->comments = xreallocarray(a->comments, a->ncomments + 1,
	    sizeof *a->comments);
	c = &a->comments[a->ncomments++];
	memset(c, 0, sizeof *c);
	c->key = xstrdup(key);
	c->line = (unsigned)n->start_mark.line + 1;
	c->col = (unsigned)n->start_mark.column + 1;
	return c;
}

static const char *
type_name(yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return _("a single value");
	case YAML_SEQUENCE_NODE:
		return _("a list");
	case YAML_MAPPING_NODE:
		return _("a mapping");
	default:
		return "?";
	}
}

static int
is_null(yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (*v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0);
}

static int
is_section(const char *path)
{
	size_t i, len = strlen(path);

	for (i = 0; i < answers_table_size; i++)
		if (strncmp(answers_table[i].key, path, len) == 0 &&
		    answers_table[i].key[len] == '.')
			return 1;
	return 0;
}

static void
set(struct loader *l, yaml_node_t *vn, const char *key, const char *text)
{
	char *cause = NULL;
	enum aerr rc;

	rc = answers_set(l->a, key, text, &cause);
	if (rc != AE_OK) {
		lerr(l, vn, key, rc, "%s", cause);
		free(cause);
		return;
	}
	answers_mark(l->a, key, (unsigned)vn->start_mark.line + 1,
	    (unsigned)vn->start_mark.column + 1);
}

static void
load_secret(struct loader *l, yaml_node_t *vn, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *kn, *v;
	char *text;

	if (vn->type == YAML_SCALAR_NODE) {
		/* A bare string: answers_set() explains the forms. */
		set(l, vn, key, (const char *)vn->data.scalar.value);
		return;
	}
	p = vn->data.mapping.pairs.start;
	if (vn->type != YAML_MAPPING_NODE ||
	    vn->data.mapping.pairs.top - p != 1) {
		lerr(l, vn, key, AE_SECRET, _("a secret is one of {env: NAME}, "
		    "{file: PATH} or {value: \"...\"}"));
		return;
	}
	kn = yaml_document_get_node(l->doc, p->key);
	v = yaml_document_get_node(l->doc, p->value);
	if (kn == NULL || v == NULL || kn->type != YAML_SCALAR_NODE ||
	    v->type != YAML_SCALAR_NODE) {
		lerr(l, vn, key, AE_SECRET, _("a secret is one of {env: NAME}, "
		    "{file: PATH} or {value: \"...\"}"));
		return;
	}
	xasprintf(&text, "{%s: %s}", (const char *)kn->data.scalar.value,
	    (const char *)v->data.scalar.value);
	set(l, vn, key, text);
	xfree_secret(text);
}

static void
load_list(struct loader *l, yaml_node_t *vn, const char *key)
{
	yaml_node_item_t *it;
	yaml_node_t *in;
	char *text = xstrdup(""), *n;
	int bad = 0;

	if (vn->type != YAML_SEQUENCE_NODE) {
		lerr(l, vn, key, AE_TYPE, _("expected a list such as [a, b], "
		    "not %s"), type_name(vn));
		free(text);
		return;
	}
	for (it = vn->data.sequence.items.start;
	    it < vn->data.sequence.items.top; it++) {
		in = yaml_document_get_node(l->doc, *it);
		if (in == NULL || in->type != YAML_SCALAR_NODE) {
			lerr(l, in != NULL ? in : vn, key, AE_TYPE,
			    _("list items must be single values"));
			bad = 1;
			break;
		}
		if (strchr((const char *)in->data.scalar.value, ',') != NULL) {
			lerr(l, in, key, AE_FORMAT, _("'%s' holds a comma"),
			    (const char *)in->data.scalar.value);
			bad = 1;
			break;
		}
		xasprintf(&n, "%s%s%s", text, *text ? "," : "",
		    (const char *)in->data.scalar.value);
		free(text);
		text = n;
	}
	if (!bad)
		set(l, vn, key, text);
	free(text);
}

static void
load_leaf(struct loader *l, const struct answers_key *k, yaml_node_t *vn,
    const char *key)
{
	if (k->type == AT_SECRET) {
		if (!is_null(vn))
			load_secret(l, vn, key);
		return;
	}
	if (k->type == AT_LIST) {
		if (!is_null(vn))
			load_list(l, vn, key);
		return;
	}
	if (vn->type != YAML_SCALAR_NODE) {
		lerr(l, vn, key, AE_TYPE, _("expected a single value, not %s"),
		    type_name(vn));
		return;
	}
	if (is_null(vn))
		return;
	if ((k->type == AT_INT || k->type == AT_BOOL) &&
	    vn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		lerr(l, vn, key, AE_TYPE, k->type == AT_INT ?
		    _("expected a number, not a quoted string") :
		    _("expected true or false, not a quoted string"));
		return;
	}
	set(l, vn, key, (const char *)vn->data.scalar.value);
}

static void load_mapping(struct loader *, yaml_node_t *, const char *);

static void
load_targets(struct loader *l, yaml_node_t *vn)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	yaml_node_t *in, *kn, *fv;
	const struct answers_key *k;
	char *key, *full, *item;
	size_t idx;

	if (is_null(vn))
		return;
	if (vn->type != YAML_SEQUENCE_NODE) {
		lerr(l, vn, "targets", AE_TYPE, _("expected a list of hosts, "
		    "not %s"), type_name(vn));
		return;
	}
	for (it = vn->data.sequence.items.start;
	    it < vn->data.sequence.items.top; it++) {
		in = yaml_document_get_node(l->doc, *it);
		idx = answers_target_add(l->a);
		item = xprintf("targets[%zu]", idx);
		if (in == NULL || in->type != YAML_MAPPING_NODE) {
			lerr(l, in != NULL ? in : vn, item, AE_TYPE,
			    _("expected a mapping with host, port, user and "
			    "roles"));
			free(item);
			continue;
		}
		keyinfo_add(l->a, item, in);
		l->a->targets[idx].line = (unsigned)in->start_mark.line + 1;
		l->a->targets[idx].col = (unsigned)in->start_mark.column + 1;
		for (p = in->data.mapping.pairs.start;
		    p < in->data.mapping.pairs.top; p++) {
			kn = yaml_document_get_node(l->doc, p->key);
			fv = yaml_document_get_node(l->doc, p->value);
			if (kn == NULL || fv == NULL ||
			    kn->type != YAML_SCALAR_NODE) {
				lerr(l, in, item, AE_TYPE,
				    _("keys must be plain names"));
				continue;
			}
			key = xprintf("%s.%s", item,
			    (const char *)kn->data.scalar.value);
			if (keyinfo(l->a, key) != NULL) {
				lerr(l, kn, key, AE_DUPLICATE,
				    _("given twice (first at line %u)"),
				    keyinfo(l->a, key)->line);
				free(key);
				continue;
			}
			keyinfo_add(l->a, key, kn);
			full = xprintf("targets[]" ".%s",
			    (const char *)kn->data.scalar.value);
			k = answers_key_find(full, NULL);
			free(full);
			if (k == NULL) {
				const char *hint = answers_key_suggest(key);

				if (hint != NULL)
					lerr(l, kn, key, AE_UNKNOWN,
					    _("unknown key; did you mean %s?"),
					    hint + strlen("targets[]."));
				else
					lerr(l, kn, key, AE_UNKNOWN,
					    _("unknown key (a target has host, "
					    "port, user and roles)"));
			} else
				load_leaf(l, k, fv, key);
			free(key);
		}
		free(item);
	}
}

static void
load_mapping(struct loader *l, yaml_node_t *mn, const char *prefix)
{
	yaml_node_pair_t *p;
	yaml_node_t *kn, *vn;
	const struct answers_key *k;
	const char *name;
	char *path;

	for (p = mn->data.mapping.pairs.start; p < mn->data.mapping.pairs.top;
	    p++) {
		kn = yaml_document_get_node(l->doc, p->key);
		vn = yaml_document_get_node(l->doc, p->value);
		if (kn == NULL || vn == NULL)
			continue;
		if (kn->type != YAML_SCALAR_NODE) {
			lerr(l, kn, prefix[0] ? prefix : NULL, AE_TYPE,
			    _("keys must be plain names"));
			continue;
		}
		name = (const char *)kn->data.scalar.value;
		path = prefix[0] ? xprintf("%s.%s", prefix, name) :
		    xstrdup(name);
		if (keyinfo(l->a, path) != NULL) {
			lerr(l, kn, path, AE_DUPLICATE,
			    _("given twice (first at line %u)"),
			    keyinfo(l->a, path)->line);
			free(path);
			continue;
		}
		keyinfo_add(l->a, path, kn);
		k = answers_key_find(path, NULL);
		if (k != NULL && k->type == AT_TARGETS)
			load_targets(l, vn);
		else if (k != NULL)
			load_leaf(l, k, vn, path);
		else if (is_section(path)) {
			if (vn->type == YAML_MAPPING_NODE)
				load_mapping(l, vn, path);
			else if (!is_null(vn))
				lerr(l, vn, path, AE_TYPE, _("expected a "
				    "mapping of settings, not %s"),
				    type_name(vn));
		} else {
			const char *hint = answers_key_suggest(path);

			if (hint != NULL)
				lerr(l, kn, path, AE_UNKNOWN,
				    _("unknown key; did you mean %s?"), hint);
			else
				lerr(l, kn, path, AE_UNKNOWN,
				    _("unknown key"));
		}
		free(path);
	}
}

/* Find the '#' that starts a comment on a line, outside quotes. */
static const char *
comment_start(const char *s, const char *end)
{
	char quote = 0;
	const char *p;

	for (p = s; p < end; p++) {
		if (quote != 0) {
			if (*p == '\\' && quote == '"' && p + 1 < end)
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '#' && (p == s || isspace((unsigned char)p[-1])))
			return p;
	}
	return NULL;
}

struct line {
	const char *s, *e;
	int kind;		/* 0 blank, 1 comment only, 2 content */
};

/*
 * Where a comment's text ends: YAML also breaks lines at CR and (1.1) at
 * NEL, LS and PS, so a kept comment must stop before any of them.
 */
static const char *
comment_end(const char *s, const char *e)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; p < (const unsigned char *)e; p++) {
		if (*p == '\r')
			break;
		if (*p == 0xc2 && p + 1 < (const unsigned char *)e &&
		    p[1] == 0x85)
			break;
		if (*p == 0xe2 && p + 2 < (const unsigned char *)e &&
		    p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			break;
	}
	return (const char *)p;
}

/*
 * Add LINES[FROM..TO] (comment lines, their indentation dropped) to *DST,
 * in one allocation: a line at a time copied the block for each line, so
 * that 200,000 comment lines took a minute.
 */
static void
append_lines(char **dst, const struct line *lines, size_t from, size_t to)
{
	size_t have = *dst != NULL ? strlen(*dst) : 0, need = have, j;
	const char *s, *e;
	char *n, *w;

	for (j = from; j <= to; j++) {
		for (s = lines[j].s; isspace((unsigned char)*s); s++)
			;
		need += (size_t)(comment_end(s, lines[j].e) - s) + 1;
	}
	n = xmalloc(need + 1);
	if (have > 0)
		memcpy(n, *dst, have);
	w = n + have;
	for (j = from; j <= to; j++) {
		for (s = lines[j].s; isspace((unsigned char)*s); s++)
			;
		e = comment_end(s, lines[j].e);
		memcpy(w, s, (size_t)(e - s));
		w += e - s;
		*w++ = '\n';
	}
	*w = '\0';
	free(*dst);
	*dst = n;
}

/* "targets[0]" stands for a list item, which keeps no comments. */
static int
is_item(const struct acomment *c)
{
	size_t n = strlen(c->key);

	return n == 0 || c->key[n - 1] == ']';
}

static struct acomment *
key_at_line(struct answers *a, size_t line)
{
	struct acomment *best = NULL;
	size_t i;

	for (i = 0; i < a->ncomments; i++) {
		struct acomment *c = &a->comments[i];

		if (c->line != line || is_item(c))
			continue;
		if (best == NULL || c->col > best->col)
			best = c;
	}
	return best;
}

static struct acomment *
key_before(struct answers *a, size_t line)
{
	struct acomment *best = NULL;
	size_t i;

	for (i = 0; i < a->ncomments; i++) {
		struct acomment *c = &a->comments[i];

		if (c->line >= line || is_item(c))
			continue;
		if (best == NULL || c->line > best->line ||
		    (c->line == best->line && c->col > best->col))
			best = c;
	}
	return best;
}

static struct acomment *
first_key(struct answers *a)
{
	struct acomment *best = NULL;
	size_t i;

	for (i = 0; i < a->ncomments; i++)
		if (best == NULL || a->comments[i].line < best->line)
			best = &a->comments[i];
	return best;
}

/* Attach the file's comments to the keys, so answers_save keeps them. */
static void
capture_comments(struct answers *a, const char *buf, size_t len)
{
	struct line *lines = NULL;
	size_t n = 0, cap = 0, i, start;
	const char *p = buf, *end = buf + len, *nl, *nl2, *q, *hash;
	struct acomment *c;
	int as_head;

	/* Lines as libyaml counts them, so that its marks match. */
	while (p < end) {
		/* The other breaks are looked for up to the next LF
		 * only: up to the end, each line cost the whole rest of
		 * the file. */
		nl2 = memchr(p, '\n', (size_t)(end - p));
		nl = comment_end(p, nl2 != NULL ? nl2 : end);
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			lines = xreallocarray(lines, cap, sizeof *lines);
		}
		lines[n].s = p;
		lines[n].e = nl;
		for (q = p; q < nl && isspace((unsigned char)*q); q++)
			;
		lines[n].kind = q == nl ? 0 : *q == '#' ? 1 : 2;
		n++;
		if (nl == end)
			break;
		if (*nl == '\r' && nl + 1 < end && nl[1] == '\n')
			p = nl + 2;		/* CR LF is one break */
		else if (*nl == '\r' || *nl == '\n')
			p = nl + 1;
		else
			p = nl + ((unsigned char)*nl == 0xc2 ? 2 : 3);
	}
	for (i = 0; i < n; i++) {
		if (lines[i].kind == 2) {
			c = key_at_line(a, i + 1);
			hash = comment_start(lines[i].s, lines[i].e);
			if (c != NULL && hash != NULL && c->trail == NULL) {
				c->trail = xstrndup(hash, (size_t)(comment_end(
				    hash, lines[i].e) - hash));
				c->trail_col = (unsigned)(hash - lines[i].s);
			}
			continue;
		}
		if (lines[i].kind != 1)
			continue;
		start = i;
		while (i + 1 < n && lines[i + 1].kind == 1)
			i++;
		/* Directly above a key: its head.  Else below the one
		 * before it; at the top of the file: the first key's. */
		as_head = 1;
		c = i + 1 < n && lines[i + 1].kind == 2 ?
		    key_at_line(a, i + 2) : NULL;
		if (c == NULL && (c = key_before(a, start + 1)) != NULL)
			as_head = 0;
		if (c == NULL)
			c = first_key(a);
		if (c == NULL)
			continue;
		append_lines(as_head ? &c->head : &c->after, lines, start, i);
	}
	free(lines);
}

struct answers *
answers_load_buffer(const char *name, const char *buf, size_t len,
    struct answers_errors *errs)
{
	yaml_document_t doc;
	yaml_node_t *root;
	struct yd_error ye;
	struct loader l;
	struct answers *a;

	if (len > ANSWERS_MAX) {
		answers_errors_add(errs, name, 0, 0, NULL, AE_FILE,
		    _("file is larger than %d bytes"), ANSWERS_MAX);
		return NULL;
	}
	if (yd_load(buf, len, &doc, &ye) != 0) {
		if (!ye.syntax)
			answers_errors_add(errs, name, ye.line, ye.col, ye.key,
			    ye.key != NULL ? AE_FORMAT : AE_SYNTAX, "%s",
			    ye.message);
		else
			answers_errors_add(errs, name, ye.line, ye.col, NULL,
			    AE_SYNTAX, _("YAML syntax error: %s%s%s"),
			    ye.message, ye.context != NULL ? ", " : "",
			    ye.context != NULL ? ye.context : "");
		yd_error_free(&ye);
		return NULL;
	}
	a = answers_new();
	a->path = name != NULL ? xstrdup(name) : NULL;
	root = yaml_document_get_root_node(&doc);
	l.a = a;
	l.errs = errs;
	l.file = name;
	l.doc = &doc;
	if (root == NULL || (root->type == YAML_SCALAR_NODE && is_null(root)))
		answers_errors_add(errs, name, 1, 1, NULL, AE_FILE,
		    _("the file is empty"));
	else if (root->type != YAML_MAPPING_NODE)
		lerr(&l, root, NULL, AE_TYPE, _("the file must be a mapping "
		    "of sections (version, deployment, ...)"));
	else
		load_mapping(&l, root, "");
	yaml_document_delete(&doc);
	capture_comments(a, buf, len);
	return a;
}

struct answers *
answers_load(const char *file, struct answers_errors *errs)
{
	struct answers *a;
	char *buf, *cause = NULL;
	size_t len;

	buf = read_file(file, ANSWERS_MAX, &len, &cause);
	if (buf == NULL) {
		answers_errors_add(errs, NULL, 0, 0, NULL, AE_FILE, "%s",
		    cause);
		free(cause);
		return NULL;
	}
	a = answers_load_buffer(file, buf, len, errs);
	free(buf);
	return a;
}

/* Saving. */

static int
emit_write(void *data, unsigned char *buffer, size_t size)
{
	char **out = data, *n;

	xasprintf(&n, "%s%.*s", *out, (int)size, (const char *)buffer);
	free(*out);
	*out = n;
	return 1;
}

/* One YAML scalar, quoted by libyaml when it must be. */
static char *
scalar(const char *text, int force_quote)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	char *out = xstrdup(""), *end;
	size_t len;
	int quote = force_quote || *text == '\0';
	char *endp;
	static const char *const words[] = { "true", "false", "yes", "no",
		"on", "off", "null", "~", "y", "n" };
	size_t i;

	for (i = 0; !quote && i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(text, words[i]) == 0)
			quote = 1;
	if (!quote) {
		(void)strtod(text, &endp);
		if (*endp == '\0')
			quote = 1;
	}
	yaml_emitter_initialize(&em);
	yaml_emitter_set_output(&em, emit_write, &out);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_unicode(&em, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	yaml_emitter_emit(&em, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	yaml_emitter_emit(&em, &ev);
	yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)text, (int)strlen(text), 1, 1,
	    quote || strchr(text, '\n') != NULL ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
	    : YAML_ANY_SCALAR_STYLE);
	yaml_emitter_emit(&em, &ev);
	yaml_document_end_event_initialize(&ev, 1);
	yaml_emitter_emit(&em, &ev);
	yaml_stream_end_event_initialize(&ev);
	yaml_emitter_emit(&em, &ev);
	yaml_emitter_delete(&em);
	/* Strip the document end marker and the newline. */
	len = strlen(out);
	if (len >= 4 && strcmp(out + len - 4, "...\n") == 0)
		out[len -= 4] = '\0';
	while (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
	if (strncmp(out, "--- ", 4) == 0) {
		end = xstrdup(out + 4);
		free(out);
		out = end;
	}
	return out;
}

static char *
value_text(const struct answers_key *k, const struct avalue *v,
    const char *base)
{
	char *s, *n, *item, *path;
	size_t i;

	switch (k->type) {
	case AT_INT:
	case AT_BOOL:
		return xstrdup(v->text);
	case AT_LIST:
		s = xstrdup("[");
		for (i = 0; v->list != NULL && v->list[i] != NULL; i++) {
			/* Flow items other than plain words are quoted. */
			item = scalar(v->list[i], v->list[i][strspn(v->list[i],
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-")] != '\0');
			xasprintf(&n, "%s%s%s", s, i ? ", " : "", item);
			free(item);
			free(s);
			s = n;
		}
		xasprintf(&n, "%s]", s);
		free(s);
		return n;
	case AT_SECRET:
		if (v->secret.kind == SECRET_FILE && base != NULL &&
		    v->secret.arg[0] != '/' && v->secret.arg[0] != '~') {
			/* Keep pointing at the same file from a new place. */
			path = xprintf("%s/%s", base, v->secret.arg);
			item = scalar(path, 0);
			free(path);
		} else
			item = scalar(v->secret.arg,
			    v->secret.kind == SECRET_VALUE);
		s = xprintf("{%s: %s}", v->secret.kind == SECRET_ENV ? "env" :
		    v->secret.kind == SECRET_FILE ? "file" : "value", item);
		if (v->secret.kind == SECRET_VALUE)
			xfree_secret(item);
		else
			free(item);
		return s;
	default:
		return scalar(v->text, 0);
	}
}

struct out {
	char *s;
	int after;	/* the last lines were a key's "after" comments */
};

static void
out_add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char *add, *n;

	va_start(ap, fmt);
	xvasprintf(&add, fmt, ap);
	va_end(ap);
	/*
	 * A key's "after" block stood apart from the next key in the file
	 * (else it would have been that key's head): keep a blank line
	 * after it, so that loading the output gives it to the same key.
	 */
	xasprintf(&n, "%s%s%s", o->s, o->after && *add != '\n' ? "\n" : "",
	    add);
	o->after = 0;
	free(o->s);
	free(add);
	o->s = n;
}

static void
out_comment_block(struct out *o, const char *block, int indent)
{
	const char *p = block, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		out_add(o, "%*s%.*s\n", indent, "", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/* Write "KEY: VALUE  # trail" with the comments kept for PATH. */
static void
out_line(struct out *o, const struct answers *a, const char *path,
    int indent, const char *lead, const char *name, const char *value)
{
	const struct acomment *c = NULL;
	size_t i, len;
	char *line;

	for (i = 0; i < a->ncomments; i++)
		if (strcmp(a->comments[i].key, path) == 0)
			c = &a->comments[i];
	if (c != NULL && c->head != NULL)
		out_comment_block(o, c->head, indent);
	line = xprintf("%*s%s%s:%s%s", indent, "", lead, name,
	    value != NULL ? " " : "", value != NULL ? value : "");
	if (c != NULL && c->trail != NULL) {
		len = strlen(line);
		out_add(o, "%s%*s%s\n", line, len < c->trail_col ?
		    (int)(c->trail_col - len) : 1, "", c->trail);
	} else
		out_add(o, "%s\n", line);
	free(line);
	if (c != NULL && c->after != NULL) {
		out_comment_block(o, c->after, indent +
		    (int)strlen(lead));
		o->after = 1;
	}
}

static void
out_targets(struct out *o, const struct answers *a)
{
	size_t t, i, first;
	const struct answers_key *k;
	char *path, *v;
	int lead;

	for (t = 0; t < a->ntargets; t++) {
		lead = 1;
		first = 0;
		for (i = 0; i < answers_table_size; i++) {
			k = &answers_table[i];
			if (strncmp(k->key, "targets[].", 10) != 0)
				continue;
			if (first == 0)
				first = i;
			if (!a->targets[t].v[i - first].set)
				continue;
			path = xprintf("targets[%zu].%s", t, k->key + 10);
			v = value_text(k, &a->targets[t].v[i - first], NULL);
			out_line(o, a, path, lead ? 2 : 4, lead ? "- " : "",
			    k->key + 10, v);
			lead = 0;
			free(v);
			free(path);
		}
		if (lead)	/* an empty target still takes a place */
			out_add(o, "  - {}\n");
	}
}

/*
 * {file: PATH} with a relative PATH is relative to the answers file.  When
 * the answers are saved into another directory, such paths are written
 * absolute.  Returns the directory to prefix, or NULL.
 */
static char *
rebase_dir(const struct answers *a, const char *to)
{
	char *from, *dst, *rfrom, *rto, *base = NULL;

	if (a->path == NULL || to == NULL)
		return NULL;
	from = xstrdup(a->path);
	dst = xstrdup(to);
	rfrom = realpath(dirname(from), NULL);
	rto = realpath(dirname(dst), NULL);
	if (rfrom != NULL && rto != NULL && strcmp(rfrom, rto) != 0)
		base = xstrdup(rfrom);
	free(rfrom);
	free(rto);
	free(from);
	free(dst);
	return base;
}

static char *dump_to(const struct answers *, const char *);

char *
answers_dump(const struct answers *a)
{
	return dump_to(a, NULL);
}

static char *
dump_to(const struct answers *a, const char *to)
{
	struct out o = { xstrdup(""), 0 };
	char open[3][64] = { "", "", "" };
	const struct answers_key *k;
	char *v, *dup, *part, *save, path[256], *base = rebase_dir(a, to);
	int depth, d, wrote = 0, any;
	size_t i;

	if (a->ncomments == 0 || a->path == NULL)
		out_add(&o, "# wbinstall answers file, schema version 1.\n"
		    "# A secret is never a bare string: it is {env: NAME}, "
		    "{file: PATH} or {value: \"...\"}.\n");
	for (i = 0; i < answers_table_size; i++) {
		k = &answers_table[i];
		if (strncmp(k->key, "targets[].", 10) == 0)
			continue;
		any = k->type == AT_TARGETS ? a->ntargets > 0 : a->v[i].set;
		if (!any)
			continue;
		/* Open the sections this key is in. */
		dup = xstrdup(k->key);
		depth = 0;
		path[0] = '\0';
		save = NULL;
		for (part = strtok_r(dup, ".", &save); part != NULL;
		    part = strtok_r(NULL, ".", &save)) {
			if (path[0] != '\0')
				strncat(path, ".", sizeof path - strlen(path) -
				    1);
			strncat(path, part, sizeof path - strlen(path) - 1);
			if (strcmp(path, k->key) == 0)
				break;
			if (depth < 3 && strcmp(open[depth], part) != 0) {
				if (depth == 0 && wrote)
					out_add(&o, "\n");
				out_line(&o, a, path, depth * 2, "", part,
				    NULL);
				snprintf(open[depth], sizeof open[depth], "%s",
				    part);
				for (d = depth + 1; d < 3; d++)
					open[d][0] = '\0';
			}
			depth++;
		}
		free(dup);
		if (depth == 0) {
			if (wrote)
				out_add(&o, "\n");
			open[0][0] = '\0';
		}
		if (k->type == AT_TARGETS) {
			out_line(&o, a, "targets", 0, "", "targets", NULL);
			out_targets(&o, a);
		} else {
			v = value_text(k, &a->v[i], base);
			out_line(&o, a, k->key, depth * 2, "",
			    strrchr(k->key, '.') ? strrchr(k->key, '.') + 1 :
			    k->key, v);
			if (k->type == AT_SECRET)
				xfree_secret(v);
			else
				free(v);
		}
		wrote = 1;
	}
	free(base);
	return o.s;
}

int
answers_save(const struct answers *a, const char *file, char **cause)
{
	char *text = dump_to(a, file);
	int rc;

	rc = write_file_atomic(file, text, strlen(text), 0600, cause);
	xfree_secret(text);
	return rc;
}
