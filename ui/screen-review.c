/* Review: every answer, secrets masked, and the validation summary. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "i18n.h"
#include "wizard.h"
#include "xmalloc.h"

struct rline {
	char *key;
	char *text;
	int attr;
};

struct rlines {
	struct rline *v;
	size_t n;
};

static void
add(struct rlines *l, const char *key, char *text, int attr)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].key = key != NULL ? xstrdup(key) : NULL;
	l->v[l->n].text = text;
	l->v[l->n++].attr = attr;
}

static void
add_answers(struct rlines *l, struct wiz *z)
{
	const struct answers_key *k;
	const char *v;
	size_t i, t;
	char *s, *roles;

	for (i = 0; i < answers_table_size; i++) {
		k = &answers_table[i];
		if (strncmp(k->key, "targets[].", 10) == 0)
			continue;
		if (k->type == AT_TARGETS) {
			for (t = 0; t < z->a->ntargets; t++) {
				roles = xprintf("targets[%zu].roles", t);
				s = xprintf("targets[%zu]", t);
				add(l, s, xprintf("%s:%s %s [%s]",
				    answers_target_get(z->a, t, "host"),
				    answers_target_get(z->a, t, "port"),
				    answers_target_get(z->a, t, "user"),
				    answers_get(z->a, roles)), 0);
				free(s);
				free(roles);
			}
			continue;
		}
		if (k->type == AT_SECRET) {
			if ((s = secret_display(z, k->key)) != NULL)
				add(l, k->key, s, 0);
			continue;
		}
		v = answers_get(z->a, k->key);
		if (answers_is_set(z->a, k->key))
			add(l, k->key, xstrdup(v), 0);
		else if (*v != '\0')
			add(l, k->key, xprintf("%s  %s", v, _("(default)")),
			    ui_attr(S_DIM));
	}
}

static struct rlines
build(struct wiz *z)
{
	struct answers_errors errs = { NULL, 0 };
	struct rlines l = { NULL, 0 };
	size_t i, n;

	n = wiz_problems(z, &errs);
	if (n == 0)
		add(&l, NULL, xprintf(_("No problems. F10 or Enter writes %s."),
		    z->out), ui_attr(S_OK));
	else
		add(&l, NULL, xprintf(ngettext("%zu problem; Esc goes back to "
		    "fix it:", "%zu problems; Esc goes back to fix them:", n),
		    n), ui_attr(S_ERROR));
	for (i = 0; i < errs.n; i++)
		add(&l, errs.v[i].key, xstrdup(errs.v[i].message),
		    ui_attr(S_ERROR));
	answers_errors_clear(&errs);
	add(&l, NULL, xstrdup(""), 0);
	add_answers(&l, z);
	return l;
}

static void
release(struct rlines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].text);
	}
	free(l->v);
}

static int
review_height(struct widget *w, struct wiz *z, int width)
{
	(void)w;
	(void)z;
	(void)width;
	return -1;
}

static void
review_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	struct rlines l = build(z);
	int keyw = 0, i, kw;
	size_t r;

	(void)focused;
	for (r = 0; r < l.n; r++)
		if (l.v[r].key != NULL && (kw = ui_width(l.v[r].key)) > keyw)
			keyw = kw;
	keyw += 2;
	if (keyw > width / 2)
		keyw = width / 2;
	if (w->top + (size_t)h > l.n)
		w->top = l.n > (size_t)h ? l.n - (size_t)h : 0;
	for (i = 0; i < h && w->top + (size_t)i < l.n; i++) {
		r = w->top + (size_t)i;
		if (l.v[r].key == NULL) {
			ui_put(y + i, x, width, l.v[r].text, l.v[r].attr);
			continue;
		}
		ui_put(y + i, x + 2, keyw, l.v[r].key, l.v[r].attr | A_BOLD);
		ui_put(y + i, x + 2 + keyw, width - keyw - 2, l.v[r].text,
		    l.v[r].attr);
	}
	if (w->top > 0)
		ui_put(y, x + width - 1, 1, "^", A_BOLD);
	if (w->top + (size_t)h < l.n)
		ui_put(y + h - 1, x + width - 1, 1, "v", A_BOLD);
	release(&l);
}

static int
review_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	(void)z;
	return ui_scroll_key(k, &w->top, 10);
}

const struct widget_class review_class = {
	1, 0, review_height, review_draw, review_key, NULL, NULL
};

static const struct field_spec fields[] = {
	{ "@review", NULL, NULL, &review_class, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_review = {
	"review", N_("Review"),
	N_("Every answer, with secrets masked. Up and Down scroll. F10 writes "
	"the answers file (mode 0600) once there are no problems."),
	fields, NULL, NULL
};
