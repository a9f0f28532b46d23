/*
 * A check of a YAML text from outside (the answers file, a bundle's
 * manifest, a chart's Chart.yaml) before libyaml builds a document of it.
 */
#ifndef WB_YAML_GUARD_H
#define WB_YAML_GUARD_H

#include <stddef.h>

/* How deep collections may nest in a file wbinstall reads. */
#define YAML_DEPTH_MAX	64

struct yaml_guard_error {
	unsigned line, col;	/* 1-based */
	char *key;		/* "a.b[2].c", or NULL at the top */
	char *message;
};

/*
 * Walk BUF's events once: collections nested deeper than YAML_DEPTH_MAX,
 * and a key or value that holds a NUL (which the loaders' C strings would
 * cut short), are refused.  It stops at the first event past the limit:
 * libyaml's scanner takes time that grows with the square of the flow
 * level, so a deeply nested text must not reach the loader.  A syntax
 * error is left to the loader, which reports it.  Returns 0, or -1 and
 * fills *e (free it with yaml_guard_error_free).
 */
int yaml_guard(const char *buf, size_t len, struct yaml_guard_error *e);
void yaml_guard_error_free(struct yaml_guard_error *);
/* yaml_guard() on BUF, its refusal as "WHAT:LINE:COL: KEY: message" in
 * *cause; 0 or -1. */
int yaml_guard_text(const char *buf, size_t len, const char *what,
    char **cause);

#endif
