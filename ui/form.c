/*
 * A form: a column of widgets with one focus.  Screens and dialogs are
 * forms; the layout measures labels by display width so that Korean and
 * Japanese labels line up.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "wizard.h"
#include "xmalloc.h"

#define LABEL_MAX	28	/* widest label column */

static int
spec_end(const struct field_spec *s)
{
	return s->key == NULL && s->label == NULL && s->cls == NULL;
}

static const struct widget_class *
class_for(const struct field_spec *s, const struct answers_key *k)
{
	if (s->cls != NULL)
		return s->cls;
	if (k == NULL)
		return &note_class;
	switch (k->type) {
	case AT_ENUM:
	case AT_BOOL:
		return &choice_class;
	case AT_SECRET:
		return &secret_class;
	case AT_TARGETS:
		return &targets_class;
	default:
		return &text_class;
	}
}

void
form_add(struct form *f, const struct field_spec *s, const char *key,
    struct wiz *z)
{
	struct widget *w;

	f->w = xreallocarray(f->w, f->n + 1, sizeof *f->w);
	w = &f->w[f->n++];
	memset(w, 0, sizeof *w);
	w->spec = s;
	w->label = s->label;
	/* "@name" fields belong to the wizard, not to the answers. */
	if (s->key != NULL && s->key[0] != '@') {
		w->key = xstrdup(key != NULL ? key : s->key);
		w->k = answers_key_find(s->key, NULL);
	}
	w->cls = class_for(s, w->k);
	if (w->cls == &choice_class && w->k == NULL)
		w->choice = s->arg;
	w->text = xstrdup("");
	if (w->cls->enter != NULL)
		w->cls->enter(w, z);
}

void
form_init(struct form *f, const struct field_spec *specs, struct wiz *z)
{
	memset(f, 0, sizeof *f);
	for (; !spec_end(specs); specs++)
		form_add(f, specs, NULL, z);
	f->focus = f->n;
	form_enter(f, z);
}

void
form_free(struct form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->w[i].key);
		if (f->w[i].masked)
			xfree_secret(f->w[i].text);
		else
			free(f->w[i].text);
		free(f->w[i].error);
	}
	free(f->w);
	memset(f, 0, sizeof *f);
}

int
form_visible(const struct form *f, size_t i, const struct wiz *z)
{
	const struct field_spec *s = f->w[i].spec;

	return s->visible == NULL || s->visible(z);
}

static int
focusable(const struct form *f, size_t i, const struct wiz *z)
{
	return f->w[i].cls->focusable && form_visible(f, i, z);
}

struct widget *
form_focused(struct form *f)
{
	return f->focus < f->n ? &f->w[f->focus] : NULL;
}

/* The screen is shown (again): reload what the model holds. */
void
form_enter(struct form *f, struct wiz *z)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->w[i].error == NULL && f->w[i].cls->enter != NULL)
			f->w[i].cls->enter(&f->w[i], z);
	if (f->focus < f->n && focusable(f, f->focus, z))
		return;
	for (f->focus = 0; f->focus < f->n; f->focus++)
		if (focusable(f, f->focus, z))
			break;
}

int
form_move(struct form *f, struct wiz *z, int dir)
{
	struct widget *w;
	size_t i = f->focus;

	for (;;) {
		if (dir < 0 ? i == 0 || i > f->n : i + 1 >= f->n)
			return 0;
		i = dir < 0 ? i - 1 : i + 1;
		if (focusable(f, i, z))
			break;
	}
	if ((w = form_focused(f)) != NULL && w->cls->leave != NULL)
		w->cls->leave(w, z);
	f->focus = i;
	w = &f->w[i];
	if (w->error == NULL && w->cls->enter != NULL)
		w->cls->enter(w, z);
	return 1;
}

static char **
error_lines(struct form *f, struct widget *w, int width)
{
	int x = w->cls->labelled ? f->labelw : 0;

	return w->error != NULL ? ui_wrap(w->error, width - x - 2) : NULL;
}

/* Rows a widget takes, without its error; -1: all that is left. */
static int
rows_of(struct wiz *z, struct widget *w, int width)
{
	return w->cls->height != NULL ? w->cls->height(w, z, width) : 1;
}

static int
error_rows(struct form *f, struct widget *w, int width)
{
	char **lines = error_lines(f, w, width);
	int n = lines != NULL ? (int)ui_lines_count(lines) : 0;

	ui_lines_free(lines);
	return n;
}

static int
form_row(struct form *f, struct wiz *z, struct widget *w, int y, int x,
    int width, int h, int focused)
{
	int lx = 0, i;
	char **lines;

	if (w->cls->labelled) {
		ui_put(y, x, f->labelw, _(w->label), focused ? A_BOLD : 0);
		lx = f->labelw;
	}
	w->cls->draw(w, z, y, x + lx, width - lx, h, focused);
	if ((lines = error_lines(f, w, width)) == NULL)
		return h;
	for (i = 0; lines[i] != NULL; i++)
		ui_put(y + h + i, x + lx, width - lx, lines[i],
		    ui_attr(S_ERROR));
	ui_lines_free(lines);
	return h + i;
}

void
form_draw(struct form *f, struct wiz *z, int y, int x, int width, int height)
{
	int *pos, *rows, *base, total = 0, lw, r;
	size_t i;

	f->labelw = 0;
	for (i = 0; i < f->n; i++) {
		if (!f->w[i].cls->labelled || !form_visible(f, i, z))
			continue;
		lw = ui_width(_(f->w[i].label)) + 2;
		if (lw > f->labelw)
			f->labelw = lw;
	}
	if (f->labelw > LABEL_MAX)
		f->labelw = LABEL_MAX;
	if (f->labelw > width / 2)
		f->labelw = width / 2;

	/* Lay out, then scroll so the focused field shows in full. */
	pos = xcalloc(f->n, sizeof *pos);
	rows = xcalloc(f->n, sizeof *rows);
	base = xcalloc(f->n, sizeof *base);
	for (i = 0; i < f->n; i++) {
		pos[i] = total;
		if (!form_visible(f, i, z))
			continue;
		r = error_rows(f, &f->w[i], width);
		base[i] = rows_of(z, &f->w[i], width);
		if (base[i] < 0)
			base[i] = height - total - r;
		if (base[i] < 1)
			base[i] = 1;
		rows[i] = base[i] + r;
		total += rows[i];
	}
	if (f->focus < f->n) {
		if (pos[f->focus] < f->top)
			f->top = pos[f->focus];
		if (pos[f->focus] + rows[f->focus] > f->top + height)
			f->top = pos[f->focus] + rows[f->focus] - height;
	}
	if (total <= height || f->top < 0)
		f->top = 0;
	for (i = 0; i < f->n; i++) {
		if (!form_visible(f, i, z) || pos[i] < f->top ||
		    pos[i] >= f->top + height)
			continue;
		form_row(f, z, &f->w[i], y + pos[i] - f->top, x, width,
		    base[i], i == f->focus);
	}
	if (f->top > 0)
		ui_put(y, x + width - 1, 1, "^", A_BOLD);
	if (total - f->top > height)
		ui_put(y + height - 1, x + width - 1, 1, "v", A_BOLD);
	free(pos);
	free(rows);
	free(base);
}

static int
claims(const struct widget *w, const char *key)
{
	if (w->key == NULL || key == NULL)
		return 0;
	if (w->k != NULL && w->k->type == AT_TARGETS)
		return strncmp(key, "targets", 7) == 0;
	return strcmp(w->key, key) == 0;
}

size_t
form_claim(struct form *f, struct wiz *z, const struct answers_errors *errs)
{
	struct widget *w;
	size_t i, j, n = 0;

	for (i = 0; i < f->n; i++) {
		w = &f->w[i];
		if (w->claimed) {
			widget_set_error(w, NULL);
			w->claimed = 0;
		}
	}
	for (j = 0; j < errs->n; j++) {
		for (i = 0; i < f->n; i++) {
			w = &f->w[i];
			if (!form_visible(f, i, z) ||
			    !claims(w, errs->v[j].key))
				continue;
			n++;
			if (w->error == NULL) {
				widget_set_error(w, xprintf("%s: %s",
				    errs->v[j].key, errs->v[j].message));
				w->claimed = 1;
			}
			break;
		}
	}
	return n;
}

size_t
form_errors(const struct form *f, const struct wiz *z)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (f->w[i].error != NULL && form_visible(f, i, z))
			n++;
	return n;
}

void
form_focus_first_error(struct form *f, struct wiz *z)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->w[i].error != NULL && focusable(f, i, z)) {
			f->focus = i;
			return;
		}
	}
}

int
form_nav(struct form *f, struct wiz *z, struct ui_key k)
{
	if ((!k.fkey && k.ch == '\t') || (k.fkey && k.ch == KEY_DOWN))
		form_move(f, z, 1);
	else if (k.fkey && (k.ch == KEY_BTAB || k.ch == KEY_UP))
		form_move(f, z, -1);
	else
		return UI_IGNORED;
	return UI_HANDLED;
}

static void
dialog_draw(struct view *v)
{
	struct form_dialog *d = v->data;
	int y, x;

	ui_box(d->h, d->w, &y, &x, d->title);
	form_draw(&d->form, d->z, y + 2, x + 2, d->w - 4, d->h - 5);
	ui_put(y + d->h - 2, x + 2, d->w - 4, _(d->hint), ui_attr(S_DIALOG));
}

static int
dialog_key(struct view *v, struct ui_key k)
{
	struct form_dialog *d = v->data;
	struct widget *w = form_focused(&d->form);
	int r;

	if (!k.fkey && k.ch == UI_ESC) {
		if (d->esc != NULL)
			d->esc(d);
		v->result = 0;
		return UI_BREAK;
	}
	if (!k.fkey && (k.ch == '\r' || k.ch == '\n')) {
		if (form_move(&d->form, d->z, 1))
			return UI_HANDLED;
		if (w != NULL && w->cls->leave != NULL)
			w->cls->leave(w, d->z);
		if (d->done(d) != 0)
			return UI_HANDLED;
		v->result = 1;
		return UI_BREAK;
	}
	if (w != NULL && w->cls->key != NULL &&
	    (r = w->cls->key(w, d->z, k)) != UI_IGNORED)
		return r;
	return form_nav(&d->form, d->z, k);
}

int
form_dialog_run(struct form_dialog *d)
{
	struct view v = { dialog_draw, dialog_key, &d->z->view, d, 0 };

	return ui_loop(&v);
}
