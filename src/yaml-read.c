/* The one reader of YAML from outside: see yaml-read.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "xmalloc.h"
#include "yaml-read.h"

struct frame {
	int map;		/* a mapping (else a sequence) */
	int want_key;		/* a mapping's next scalar is a key */
	char *key;		/* a mapping's current key */
	size_t index;		/* a sequence's current item */
};

/* The path to where the walk is: "a.b[2].c". */
static char *
path_of(const struct frame *f, int depth)
{
	char *p = xstrdup(""), *n;
	int i;

	for (i = 0; i < depth; i++) {
		if (f[i].map && f[i].key != NULL)
			n = xprintf("%s%s%s", p, *p != '\0' ? "." : "",
			    f[i].key);
		else if (!f[i].map)
			n = xprintf("%s[%zu]", p, f[i].index);
		else
			continue;
		free(p);
		p = n;
	}
	if (*p == '\0') {
		free(p);
		return NULL;
	}
	if (strlen(p) > 60) {	/* deep nesting: its start says where */
		n = xprintf("%.48s...", p);
		free(p);
		p = n;
	}
	return p;
}

/* After a value (a scalar or a whole collection) at the top of F. */
static void
advance(struct frame *f)
{
	if (f->map)
		f->want_key = 1;
	else
		f->index++;
}

static void
fail(struct yd_error *e, const yaml_event_t *ev, const struct frame *f,
    int depth, char *message)
{
	e->line = (unsigned)ev->start_mark.line + 1;
	e->col = (unsigned)ev->start_mark.column + 1;
	e->key = path_of(f, depth);
	e->message = message;
}

/*
 * Walk BUF's events once, stopping at the first that is refused.  A
 * syntax error is left to the loader, which reports it.
 */
static int
guard(const char *buf, size_t len, struct yd_error *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct frame f[YAML_DEPTH_MAX + 1];
	int depth = 0, rc = 0, done = 0, i;
	const char *v;
	size_t vlen;

	memset(e, 0, sizeof *e);
	memset(f, 0, sizeof f);
	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev))
			break;		/* the loader reports it */
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			v = (const char *)ev.data.scalar.value;
			vlen = ev.data.scalar.length;
			if (memchr(v, '\0', vlen) != NULL) {
				fail(e, &ev, f, depth, xstrdup(_("holds a NUL "
				    "character (\\0), which no key or value "
				    "may hold")));
				rc = -1;
				break;
			}
			if (depth > 0 && f[depth - 1].map &&
			    f[depth - 1].want_key) {
				free(f[depth - 1].key);
				f[depth - 1].key = xstrdup(v);
				f[depth - 1].want_key = 0;
			} else if (depth > 0)
				advance(&f[depth - 1]);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == YAML_DEPTH_MAX) {
				fail(e, &ev, f, depth, xprintf(_("nests "
				    "deeper than %d levels"), YAML_DEPTH_MAX));
				rc = -1;
				break;
			}
			memset(&f[depth], 0, sizeof f[depth]);
			f[depth].map = ev.type == YAML_MAPPING_START_EVENT;
			f[depth].want_key = 1;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				depth--;
				free(f[depth].key);
				f[depth].key = NULL;
				if (depth > 0)
					advance(&f[depth - 1]);
			}
			break;
		case YAML_ALIAS_EVENT:
			if (depth > 0 && f[depth - 1].map &&
			    f[depth - 1].want_key)
				f[depth - 1].want_key = 0;
			else if (depth > 0)
				advance(&f[depth - 1]);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	for (i = 0; i < depth; i++)
		free(f[i].key);
	yaml_parser_delete(&parser);
	return rc;
}

void
yd_error_free(struct yd_error *e)
{
	free(e->key);
	free(e->message);
	free(e->context);
	memset(e, 0, sizeof *e);
}

char *
yd_error_text(struct yd_error *e, const char *what)
{
	char *s;

	s = xprintf("%s:%u:%u: %s%s%s", what, e->line, e->col,
	    e->key != NULL ? e->key : "", e->key != NULL ? ": " : "",
	    e->message);
	yd_error_free(e);
	return s;
}

/* libyaml's refusal, where it stopped. */
static void
syntax(const yaml_parser_t *p, struct yd_error *e)
{
	memset(e, 0, sizeof *e);
	e->syntax = 1;
	e->line = (unsigned)p->problem_mark.line + 1;
	e->col = (unsigned)p->problem_mark.column + 1;
	e->message = xstrdup(p->problem != NULL ? p->problem : "?");
	if (p->context != NULL)
		e->context = xstrdup(p->context);
}

int
yd_open(struct yd_stream *s, const char *buf, size_t len,
    struct yd_error *e)
{
	memset(s, 0, sizeof *s);
	if (guard(buf, len, e) != 0)
		return -1;
	if (!yaml_parser_initialize(&s->parser))
		abort();
	yaml_parser_set_input_string(&s->parser, (const unsigned char *)buf,
	    len);
	return 0;
}

int
yd_next(struct yd_stream *s, yaml_document_t *d, struct yd_error *e)
{
	if (!yaml_parser_load(&s->parser, d)) {
		syntax(&s->parser, e);
		return -1;
	}
	if (yaml_document_get_root_node(d) == NULL) {
		yaml_document_delete(d);
		return 0;
	}
	return 1;
}

void
yd_close(struct yd_stream *s)
{
	yaml_parser_delete(&s->parser);
}

int
yd_load(const char *buf, size_t len, yaml_document_t *d, struct yd_error *e)
{
	struct yd_stream s;
	int rc = 0;

	if (yd_open(&s, buf, len, e) != 0)
		return -1;
	if (!yaml_parser_load(&s.parser, d)) {
		syntax(&s.parser, e);
		rc = -1;
	}
	yd_close(&s);
	return rc;
}

int
yd_load_text(const char *buf, size_t len, const char *what,
    yaml_document_t *d, char **cause)
{
	struct yd_error e;

	if (yd_load(buf, len, d, &e) == 0)
		return 0;
	*cause = yd_error_text(&e, what);
	return -1;
}

yaml_node_t *
yd_node(yaml_document_t *d, int n)
{
	return yaml_document_get_node(d, n);
}

unsigned long
yd_line(const yaml_node_t *n)
{
	return (unsigned long)n->start_mark.line + 1;
}

unsigned long
yd_col(const yaml_node_t *n)
{
	return (unsigned long)n->start_mark.column + 1;
}

yaml_node_t *
yd_get(yaml_document_t *d, yaml_node_t *n, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(d, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

const char *
yd_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
yd_pod_spec(yaml_document_t *d, yaml_node_t *root, const char *kind)
{
	static const char *const templated[] = { "Deployment", "StatefulSet",
	    "DaemonSet", "ReplicaSet", "Job" };
	yaml_node_t *spec = yd_get(d, root, "spec");
	size_t i;

	if (strcmp(kind, "Pod") == 0)
		return spec;
	if (strcmp(kind, "CronJob") == 0)
		return yd_get(d, yd_get(d, yd_get(d, yd_get(d, spec,
		    "jobTemplate"), "spec"), "template"), "spec");
	for (i = 0; i < sizeof templated / sizeof templated[0]; i++)
		if (strcmp(kind, templated[i]) == 0)
			return yd_get(d, yd_get(d, spec, "template"), "spec");
	return NULL;
}
