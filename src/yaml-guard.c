/* The check of a YAML text from outside: nesting depth and NUL bytes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "i18n.h"
#include "xmalloc.h"
#include "yaml-guard.h"

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
fail(struct yaml_guard_error *e, const yaml_event_t *ev, const struct frame *f,
    int depth, char *message)
{
	e->line = (unsigned)ev->start_mark.line + 1;
	e->col = (unsigned)ev->start_mark.column + 1;
	e->key = path_of(f, depth);
	e->message = message;
}

int
yaml_guard(const char *buf, size_t len, struct yaml_guard_error *e)
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
yaml_guard_error_free(struct yaml_guard_error *e)
{
	free(e->key);
	free(e->message);
	memset(e, 0, sizeof *e);
}

int
yaml_guard_text(const char *buf, size_t len, const char *what, char **cause)
{
	struct yaml_guard_error e;

	if (yaml_guard(buf, len, &e) == 0)
		return 0;
	*cause = xprintf("%s:%u:%u: %s%s%s", what, e.line, e.col,
	    e.key != NULL ? e.key : "", e.key != NULL ? ": " : "", e.message);
	yaml_guard_error_free(&e);
	return -1;
}
