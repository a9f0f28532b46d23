/*
 * Actions a screen offers on a function key: test the database or the
 * bucket, verify the bundle, run the host preflight.  The actions call
 * the same functions as the headless commands and show what those return.
 */
#include "config.h"

#include "action.h"
#include "curses.h"
#include "form.h"

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
