/* Review: every answer, secrets masked, and the validation summary. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "install-view.h"
#include "log.h"
#include "render.h"
#include "screens.h"
#include "upgrade-view.h"
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
	add(&l, NULL, xstrdup(_("F3 shows the files these answers render.")),
	    ui_attr(S_DIM));
	add(&l, NULL, xstrdup(z->mode == MODE_UPGRADE ? _("F5 writes the "
	    "answers, then upgrades W&B to a new bundle's release.") :
	    _("F5 writes the answers, then shows the install plan and runs "
	    "it.")), ui_attr(S_DIM));
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

/* F3: the files bundle_render() makes, in a list; Enter shows one. */
struct files {
	struct render_set set;
	size_t sel, top;
};

static int
files_rows(void)
{
	return LINES - 8;
}

static void
files_draw(struct view *v)
{
	struct files *f = v->data;
	const struct render_file *rf;
	int y, x, w = COLS - 10, rows = files_rows(), i;
	size_t r;
	char *s;

	if (f->sel < f->top)
		f->top = f->sel;
	if (f->sel >= f->top + (size_t)rows)
		f->top = f->sel - (size_t)rows + 1;
	ui_box(rows + 4, w, &y, &x, _("Rendered files"));
	for (i = 0; i < rows && f->top + (size_t)i < f->set.n; i++) {
		r = f->top + (size_t)i;
		rf = &f->set.v[r];
		if (rf->secret)
			s = xprintf("%s  %s", rf->path,
			    _("(holds secrets; not shown)"));
		else
			s = xprintf("%s  (%zu B)", rf->path, rf->len);
		ui_put_pad(y + 2 + i, x + 2, w - 4, s, r == f->sel ?
		    ui_attr(S_FOCUS) : ui_attr(S_DIALOG));
		free(s);
	}
	ui_keybar((const char *const[]){ "Enter", N_("Show"), "Up/Down",
	    N_("Choose"), "Esc", N_("Close"), NULL });
}

static int
files_key(struct view *v, struct ui_key k)
{
	struct files *f = v->data;
	const struct render_file *rf;
	char *text;
	size_t i;

	if (!k.fkey && (k.ch == UI_ESC || k.ch == 'q'))
		return UI_BREAK;
	if (k.fkey && k.ch == KEY_F(3))
		return UI_BREAK;
	if (k.fkey && k.ch == KEY_DOWN && f->sel + 1 < f->set.n) {
		f->sel++;
		return UI_HANDLED;
	}
	if (k.fkey && k.ch == KEY_UP && f->sel > 0) {
		f->sel--;
		return UI_HANDLED;
	}
	if (!k.fkey && (k.ch == '\r' || k.ch == '\n') && f->set.n > 0) {
		rf = &f->set.v[f->sel];
		if (rf->secret)
			return UI_HANDLED;
		text = xmalloc(rf->len + 1);
		for (i = 0; i < rf->len; i++)
			text[i] = rf->data[i] == '\t' ? ' ' : rf->data[i];
		text[rf->len] = '\0';
		ui_pager(v, rf->path, text, 0);
		free(text);
		return UI_REDRAW;
	}
	return UI_IGNORED;
}

static void
review_files(struct wiz *z)
{
	struct files f;
	struct view v = { files_draw, files_key, &z->view, &f, 0 };
	char *cause = NULL;

	memset(&f, 0, sizeof f);
	if (bundle_render(z->a, 0, &f.set, &cause) != 0) {
		log_info("wizard: render: %s", cause);
		ui_pager(&z->view, _("The files cannot be rendered"), cause, 0);
		free(cause);
		return;
	}
	ui_loop(&v);
	render_set_free(&f.set);
}

/* F5: save, then install (or upgrade, in the Upgrade mode) with the
 * options of `wizard`. */
static void
review_run(struct wiz *z)
{
	if (z->mode == MODE_UPGRADE)
		wiz_upgrade(z);
	else
		wiz_install(z);
}

static int
review_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	if (k.fkey && k.ch == KEY_F(3)) {
		review_files(z);
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(5)) {
		review_run(z);
		return UI_REDRAW;
	}
	return ui_scroll_key(k, &w->top, 10);
}

static const struct widget_class review_class = {
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
