#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jansson.h>

#include "check.h"
#include "exitcode.h"
#include "i18n.h"
#include "log.h"
#include "xmalloc.h"

static pthread_mutex_t checks_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const names[] = { "pass", "warn", "fail", "skip" };

const char *
check_status_name(enum check_status s)
{
	return names[s];
}

void
checks_add(struct check_list *l, const char *target, const char *id,
    enum check_status status, const char *observed, const char *required,
    const char *hint, const char *fmt, ...)
{
	struct check c;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	/* Results may quote remote output: never let a secret through. */
	c.target = xstrdup(target != NULL ? target : "");
	c.id = xstrdup(id);
	c.status = status;
	c.observed = log_redact(observed != NULL ? observed : "");
	c.required = xstrdup(required != NULL ? required : "");
	c.message = log_redact(msg);
	c.hint = log_redact(hint != NULL ? hint : "");
	free(msg);
	log_info("check %s %s: %s (observed %s, required %s) %s", c.target,
	    c.id, names[status], c.observed, c.required, c.message);
	pthread_mutex_lock(&checks_lock);
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = c;
	pthread_mutex_unlock(&checks_lock);
}

void
checks_free(struct check_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].target);
		free(l->v[i].id);
		free(l->v[i].observed);
		free(l->v[i].required);
		free(l->v[i].message);
		free(l->v[i].hint);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

size_t
checks_count(const struct check_list *l, enum check_status s)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].status == s;
	return n;
}

char *
checks_json(const struct check_list *l)
{
	json_t *root = json_object(), *arr = json_array(), *sum;
	char *out, *r;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct check *c = &l->v[i];

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s}", "target", c->target, "id", c->id,
		    "status", names[c->status], "observed", c->observed,
		    "required", c->required, "message", c->message, "hint",
		    c->hint));
	}
	sum = json_pack("{s:I, s:I, s:I, s:I}",
	    "pass", (json_int_t)checks_count(l, CHECK_PASS),
	    "warn", (json_int_t)checks_count(l, CHECK_WARN),
	    "fail", (json_int_t)checks_count(l, CHECK_FAIL),
	    "skip", (json_int_t)checks_count(l, CHECK_SKIP));
	json_object_set_new(root, "checks", arr);
	json_object_set_new(root, "summary", sum);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	r = xstrdup(out);
	free(out);
	return r;
}

/* Display width of a UTF-8 string, for aligned columns. */
static int
width(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w = 0, cw;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			s++;
			w++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n;
	}
	return w;
}

/* Print S in COLS columns: padded, or cut with "…" when too wide. */
static void
pad(FILE *f, const char *s, int cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w = width(s), cw;

	if (w >= cols) {
		memset(&st, 0, sizeof st);
		w = 0;
		while (*s != '\0') {
			n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
				break;
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 0;
			if (w + cw > cols - 2)
				break;
			fwrite(s, 1, n, f);
			w += cw;
			s += n;
		}
		fputs("…", f);
		w++;
	} else
		fputs(s, f);
	for (; w < cols; w++)
		fputc(' ', f);
}

void
checks_print(FILE *f, const struct check_list *l, int color)
{
	static const char *const marks[] = { "✔", "⚠", "✘", "–" };
	static const char *const colors[] = { "\033[32m", "\033[33m",
		"\033[31m", "\033[2m" };
	int wt = width(_("TARGET")), wi = width(_("CHECK")), wo;
	size_t i;

	wo = width(_("OBSERVED"));
	for (i = 0; i < l->n; i++) {
		if (width(l->v[i].target) > wt)
			wt = width(l->v[i].target);
		if (width(l->v[i].id) > wi)
			wi = width(l->v[i].id);
		if (width(l->v[i].observed) > wo)
			wo = width(l->v[i].observed);
	}
	if (wo > 24)
		wo = 24;
	fputs("   ", f);
	pad(f, _("TARGET"), wt + 2);
	pad(f, _("CHECK"), wi + 2);
	pad(f, _("OBSERVED"), wo + 2);
	fprintf(f, "%s\n", _("REQUIRED"));
	for (i = 0; i < l->n; i++) {
		const struct check *c = &l->v[i];

		fprintf(f, "%s%s%s  ", color ? colors[c->status] : "",
		    marks[c->status], color ? "\033[0m" : "");
		pad(f, c->target, wt + 2);
		pad(f, c->id, wi + 2);
		pad(f, c->observed, wo + 2);
		fprintf(f, "%s\n", c->required);
		if (c->status != CHECK_PASS && *c->message != '\0')
			fprintf(f, "     %s\n", c->message);
		if (c->status != CHECK_PASS && *c->hint != '\0')
			fprintf(f, "     %s %s\n", _("hint:"), c->hint);
	}
	fprintf(f, _("Summary: %zu pass, %zu warn, %zu fail, %zu skip\n"),
	    checks_count(l, CHECK_PASS), checks_count(l, CHECK_WARN),
	    checks_count(l, CHECK_FAIL), checks_count(l, CHECK_SKIP));
}

int
checks_exit_code(const struct check_list *l)
{
	return checks_count(l, CHECK_FAIL) > 0 ? EXIT_FAIL : EXIT_OK;
}
