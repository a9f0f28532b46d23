/* The answers' error list and the names of the error classes. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "aerr.h"
#include "xmalloc.h"

const char *
aerr_name(enum aerr e)
{
	static const char *const names[] = {
		"ok", "unknown-key", "type", "range", "format", "choice",
		"secret", "required", "cross-field", "duplicate", "syntax",
		"resolve", "file",
	};

	if ((size_t)e < sizeof names / sizeof names[0])
		return names[e];
	return "?";
}

void
answers_errors_add(struct answers_errors *errs, const char *file,
    unsigned line, unsigned col, const char *key, enum aerr class,
    const char *fmt, ...)
{
	struct answers_error *e;
	va_list ap;

	errs->v = xreallocarray(errs->v, errs->n + 1, sizeof *errs->v);
	e = &errs->v[errs->n++];
	e->file = file != NULL ? xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	e->key = key != NULL ? xstrdup(key) : NULL;
	e->class = class;
	va_start(ap, fmt);
	xvasprintf(&e->message, fmt, ap);
	va_end(ap);
}

void
answers_errors_clear(struct answers_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		free(errs->v[i].file);
		free(errs->v[i].key);
		free(errs->v[i].message);
	}
	free(errs->v);
	errs->v = NULL;
	errs->n = 0;
}

char *
answers_error_format(const struct answers_error *e)
{
	char *where, *s;

	if (e->file != NULL && e->line != 0)
		where = xprintf("%s:%u:%u: ", e->file, e->line, e->col);
	else if (e->file != NULL)
		where = xprintf("%s: ", e->file);
	else
		where = xstrdup("");
	if (e->key != NULL)
		s = xprintf("%s%s: %s", where, e->key, e->message);
	else
		s = xprintf("%s%s", where, e->message);
	free(where);
	return s;
}
