/*
 * Actions a screen offers on a function key: test the database or the
 * bucket, show the rendered files.  They call the same functions as the
 * headless commands and show what those return.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"
#include "run-flags.h"
#include "secret.h"
#include "wizard.h"
#include "xmalloc.h"

/* The table checks_print() writes (the one `preflight` prints). */
char *
wiz_checks_text(const struct check_list *l)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		return xstrdup(_("The results cannot be shown."));
	checks_print(f, l, 0);
	fclose(f);
	return text;
}

/* Draw VIEW with a box saying MSG, now: what follows may take a while. */
void
wiz_busy(struct view *v, const char *msg)
{
	int y, x, w = ui_width(msg) + 6;

	ui_draw_view(v);
	ui_box(3, w, &y, &x, NULL);
	ui_put(y + 1, x + 2, w - 4, msg, ui_attr(S_DIALOG) | A_BOLD);
	curs_set(0);
	refresh();
}

/* Run FAMILY on the answers with O (NULL: the defaults); the results are
 * added to L. */
void
wiz_run_family(struct wiz *z, const char *family,
    const struct preflight_opts *o, struct check_list *l)
{
	const struct preflight_family *fam = preflight_family_find(family);
	struct answers_resolver res = wiz_resolver(z);
	struct run_flags f;
	struct preflight_opts po;

	if (fam == NULL)
		return;
	memset(&f, 0, sizeof f);
	f.no_disk_bench = 1;
	preflight_opts_from_flags(&res, &f, &po);
	wiz_busy(&z->view, _("Testing…"));
	log_info("wizard: testing %s", family);
	fam->run(z->a, o != NULL ? o : &po, l);
}

/* Run FAMILY on the answers and show its results in the pager. */
void
wiz_test_family(struct wiz *z, const char *family)
{
	struct check_list l = { NULL, 0 };

	wiz_run_family(z, family, NULL, &l);
	wiz_show_checks(z, family, &l);
	checks_free(&l);
}

/* The result of check ID in L, or NULL. */
const struct check *
wiz_check_find(const struct check_list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

/* Sum the results of FAMILY up on the status line and show them. */
void
wiz_show_checks(struct wiz *z, const char *family, const struct check_list *l)
{
	wiz_show_checks_after(z, family, l, NULL);
}

/* The same, with FIRST (NULL: nothing) above the table. */
void
wiz_show_checks_after(struct wiz *z, const char *family,
    const struct check_list *l, const char *first)
{
	char *text, *title, *all;

	text = wiz_checks_text(l);
	all = first != NULL ? xprintf("%s\n\n%s", first, text) : NULL;
	title = xprintf(_("Test: %s"), family);
	wiz_status(z, checks_count(l, CHECK_FAIL) != 0, _("%s: %zu pass, "
	    "%zu warn, %zu fail"), family, checks_count(l, CHECK_PASS),
	    checks_count(l, CHECK_WARN), checks_count(l, CHECK_FAIL));
	ui_pager(&z->view, title, all != NULL ? all : text, 0);
	free(title);
	free(all);
	free(text);
}

/*
 * A field with an action: it behaves as its base class (spec->arg is a
 * struct action_field), and its screen's function key runs the action
 * from wherever the focus is on that screen.
 */
static const struct action_field *
act(const struct widget *w)
{
	return w->spec->arg;
}

static int
act_height(struct widget *w, struct wiz *z, int width)
{
	const struct widget_class *b = act(w)->base;

	return b->height != NULL ? b->height(w, z, width) : 1;
}

static void
act_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	act(w)->base->draw(w, z, y, x, width, h, focused);
}

/* K is A's key: the field is left (its value kept) and A runs. */
static int
act_run(struct widget *w, struct wiz *z, const struct action_field *a,
    struct ui_key k)
{
	if (!k.fkey || k.ch != (wint_t)KEY_F(a->fkey))
		return 0;
	if (w->cls->leave != NULL)
		w->cls->leave(w, z);
	a->run(z);
	return 1;
}

static int
act_base_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	const struct widget_class *b = act(w)->base;

	return b->key != NULL ? b->key(w, z, k) : UI_IGNORED;
}

static int
act_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	if (act_run(w, z, act(w), k))
		return UI_REDRAW;
	return act_base_key(w, z, k);
}

static void
act_enter(struct widget *w, struct wiz *z)
{
	if (act(w)->base->enter != NULL)
		act(w)->base->enter(w, z);
}

static int
act_leave(struct widget *w, struct wiz *z)
{
	return act(w)->base->leave != NULL ? act(w)->base->leave(w, z) : 0;
}

const struct widget_class action_field_class = {
	1, 1, act_height, act_draw, act_key, act_enter, act_leave
};

/*
 * A field with several actions: spec->arg is an array of struct
 * action_field, one a key, that ends with a NULL run; the first gives the
 * base class.
 */
static int
acts_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	const struct action_field *a;

	for (a = act(w); a->run != NULL; a++)
		if (act_run(w, z, a, k))
			return UI_REDRAW;
	return act_base_key(w, z, k);
}

const struct widget_class action_fields_class = {
	1, 1, act_height, act_draw, acts_key, act_enter, act_leave
};

/* The same, for a widget that draws its own label (a list). */
const struct widget_class action_list_class = {
	1, 0, act_height, act_draw, act_key, act_enter, act_leave
};
