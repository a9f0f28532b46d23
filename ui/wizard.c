/*
 * The wizard's main view: the current screen, its keys, moving between
 * screens, and Save.
 */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "check.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "screens.h"
#include "util.h"
#include "wizard.h"
#include "xmalloc.h"

#define INTRO_LINES	3

void
wiz_status(struct wiz *z, int error, const char *fmt, ...)
{
	va_list ap;

	free(z->status);
	z->status = NULL;
	z->status_error = error;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&z->status, fmt, ap);
	va_end(ap);
}

static int
screen_visible(struct wiz *z, size_t i)
{
	return screen_table[i]->visible == NULL ||
	    screen_table[i]->visible(z);
}

/* The next (DIR 1) or previous (-1) visible screen; nscreens if none. */
static size_t
screen_step(struct wiz *z, size_t from, int dir)
{
	size_t i = from;

	for (;;) {
		if (dir < 0 ? i == 0 : i + 1 >= z->nscreens)
			return z->nscreens;
		i = dir < 0 ? i - 1 : i + 1;
		if (screen_visible(z, i))
			return i;
	}
}

static void
screen_show(struct wiz *z, size_t i)
{
	z->cur = i;
	form_enter(&z->forms[i], z);
}

size_t
wiz_problems(struct wiz *z, struct answers_errors *errs)
{
	struct form *f;
	size_t s, i;

	answers_check(z->a, errs);
	for (s = 0; s < z->nscreens; s++) {
		if (!screen_visible(z, s))
			continue;
		f = &z->forms[s];
		for (i = 0; i < f->n; i++)
			if (f->w[i].error != NULL && !f->w[i].claimed &&
			    form_visible(f, i, z))
				answers_errors_add(errs, NULL, 0, 0,
				    f->w[i].key, AE_FORMAT, "%s",
				    f->w[i].error);
	}
	return errs->n;
}

static int
write_pending(struct wiz *z, char **cause)
{
	const struct pending_secret *p;
	const struct secret_ref *ref;
	char *path, *data;
	size_t i;
	int rc;

	for (i = 0; i < z->npending; i++) {
		p = &z->pending[i];
		ref = answers_get_secret(z->a, p->key);
		if (ref == NULL || ref->kind != SECRET_FILE ||
		    strcmp(ref->arg, p->path) != 0)
			continue;
		path = wiz_path(z, p->path);
		data = xprintf("%s\n", p->value);
		rc = write_file_atomic(path, data, strlen(data), 0600, cause);
		xfree_secret(data);
		if (rc == 0)
			log_info("wizard: wrote %s to %s (0600)", p->key, path);
		free(path);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
wiz_save(struct wiz *z, char **cause)
{
	struct answers_errors errs = { NULL, 0 };
	size_t n;

	n = wiz_problems(z, &errs);
	answers_errors_clear(&errs);
	if (n != 0) {
		*cause = xprintf(ngettext("%zu problem: fix it before saving",
		    "%zu problems: fix them before saving", n), n);
		return -1;
	}
	if (write_pending(z, cause) != 0 ||
	    answers_save(z->a, z->out, cause) != 0)
		return -1;
	log_info("wizard: saved the answers to %s", z->out);
	return 0;
}

/* Next: the fields of this screen must be valid, then its rules. */
static int
wiz_next(struct wiz *z)
{
	struct form *f = &z->forms[z->cur];
	struct answers_errors errs = { NULL, 0 };
	struct widget *w = form_focused(f);
	char *cause = NULL;
	size_t n, next;

	if (w != NULL && w->cls->leave != NULL)
		w->cls->leave(w, z);
	if (form_errors(f, z) == 0) {
		answers_check(z->a, &errs);
		form_claim(f, z, &errs);
		answers_errors_clear(&errs);
	}
	if ((n = form_errors(f, z)) != 0) {
		wiz_status(z, 1, ngettext("%zu field is in error: fix it to go "
		    "on", "%zu fields are in error: fix them to go on", n), n);
		form_focus_first_error(f, z);
		return UI_HANDLED;
	}
	if (screen_table[z->cur]->leave != NULL &&
	    screen_table[z->cur]->leave(z, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		free(cause);
		return UI_HANDLED;
	}
	next = screen_step(z, z->cur, 1);
	if (next == z->nscreens) {
		if (wiz_save(z, &cause) != 0) {
			wiz_status(z, 1, "%s", cause);
			free(cause);
			return UI_HANDLED;
		}
		z->saved = 1;
		z->view.result = 0;
		return UI_BREAK;
	}
	wiz_status(z, 0, NULL);
	screen_show(z, next);
	return UI_HANDLED;
}

static void
wiz_leave_field(struct wiz *z)
{
	struct widget *w = form_focused(&z->forms[z->cur]);

	if (w != NULL && w->cls->leave != NULL)
		w->cls->leave(w, z);
}

static int
wiz_back(struct wiz *z)
{
	size_t prev = screen_step(z, z->cur, -1);

	wiz_leave_field(z);
	if (prev == z->nscreens) {
		wiz_status(z, 0, "%s", _("This is the first screen."));
		return UI_HANDLED;
	}
	wiz_status(z, 0, NULL);
	screen_show(z, prev);
	return UI_HANDLED;
}

static int
wiz_f10(struct wiz *z)
{
	size_t last = z->nscreens;

	while (last > 0 && !screen_visible(z, last - 1))
		last--;
	if (z->cur + 1 == last)
		return wiz_next(z);
	wiz_leave_field(z);
	wiz_status(z, 0, NULL);
	screen_show(z, last - 1);
	return UI_HANDLED;
}

static void
wiz_help(struct wiz *z)
{
	const struct screen *s = screen_table[z->cur];
	struct form *f = &z->forms[z->cur];
	const struct answers_key *k;
	char *text, *n;
	size_t i;

	text = xprintf("%s\n\n", _(s->help));
	for (i = 0; i < f->n; i++) {
		k = f->w[i].k;
		if (k == NULL || !form_visible(f, i, z))
			continue;
		n = xprintf("%s%s (%s)\n    %s\n", text, _(f->w[i].label),
		    k->key, _(k->help));
		free(text);
		text = n;
		if (k->def != NULL && *k->def != '\0') {
			n = xprintf("%s    %s %s\n", text, _("Default:"),
			    k->def);
			free(text);
			text = n;
		}
	}
	n = xprintf("%s\n%s", text, _("Keys: Tab, Shift-Tab, Up and Down move "
	    "between fields. Enter goes to the next field, and from the last "
	    "one to the next screen. Esc goes back a screen and keeps what "
	    "you typed. Space changes a choice. F2 shows the log, F10 saves "
	    "from Review, Ctrl-C quits."));
	free(text);
	text = xprintf(_("Help: %s"), _(s->title));
	ui_pager(&z->view, text, n, 0);
	free(text);
	free(n);
}

static void
wiz_draw(struct view *v)
{
	struct wiz *z = v->data;
	const struct screen *s = screen_table[z->cur];
	struct widget *w = form_focused(&z->forms[z->cur]);
	size_t i, step = 0, steps = 0;
	char **intro, *t;
	int y, last;

	for (i = 0; i < z->nscreens; i++) {
		if (!screen_visible(z, i))
			continue;
		steps++;
		if (i <= z->cur)
			step++;
	}
	move(0, 0);
	attron(ui_attr(S_TITLE));
	hline(' ', COLS);
	attroff(ui_attr(S_TITLE));
	t = xprintf(" wbinstall - %s", _(s->title));
	ui_put(0, 0, COLS - 8, t, ui_attr(S_TITLE));
	free(t);
	t = xprintf("%zu/%zu ", step, steps);
	ui_put(0, COLS - ui_width(t), ui_width(t), t, ui_attr(S_TITLE));
	free(t);

	intro = ui_wrap(_(s->help), COLS - 4);
	for (i = 0; intro[i] != NULL && i < INTRO_LINES; i++)
		ui_put(2 + (int)i, 2, COLS - 4, intro[i], 0);
	y = 3 + (int)i;
	ui_lines_free(intro);

	last = LINES - 3;
	form_draw(&z->forms[z->cur], z, y, 2, COLS - 4, last - y);
	if (w != NULL && w->k != NULL)
		ui_put(LINES - 3, 2, COLS - 4, _(w->k->help), ui_attr(S_DIM));
	if (z->status != NULL)
		ui_put(LINES - 2, 2, COLS - 4, z->status, z->status_error ?
		    ui_attr(S_ERROR) : ui_attr(S_OK));
	if (step == steps)	/* Review: F5 runs what the answers are for */
		ui_keybar((const char *const[]){ "F1", N_("Help"), "F2",
		    N_("Log"), "Esc", N_("Back"), "F5", z->mode ==
		    MODE_UPGRADE ? N_("Upgrade") : N_("Install"), "F10",
		    N_("Save"), "^C", N_("Quit"), NULL });
	else
		ui_keybar((const char *const[]){ "F1", N_("Help"), "F2",
		    N_("Log"), "Esc", N_("Back"), "Enter", N_("Next"), "F10",
		    N_("Review"), "^C", N_("Quit"), NULL });
}

static int
wiz_key(struct view *v, struct ui_key k)
{
	struct wiz *z = v->data;
	struct form *f = &z->forms[z->cur];
	struct widget *w = form_focused(f);
	int r;

	if (!k.fkey && k.ch == UI_CTRL('c')) {
		/* After F5 saved them, what was saved stays saved. */
		if (ui_confirm(v, z->saved ? _("Quit? Changes since the "
		    "answers were last saved are not saved.") :
		    _("Quit without saving the answers?"))) {
			v->result = z->saved ? WIZ_QUIT_SAVED : 1;
			return UI_BREAK;
		}
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(1)) {
		wiz_help(z);
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(2)) {
		ui_log_pager(v);
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(10))
		return wiz_f10(z);
	if (!k.fkey && k.ch == UI_ESC)
		return wiz_back(z);
	if (w != NULL && w->cls->key != NULL &&
	    (r = w->cls->key(w, z, k)) != UI_IGNORED)
		return r;
	if (!k.fkey && (k.ch == '\r' || k.ch == '\n')) {
		if (form_move(f, z, 1))
			return UI_HANDLED;
		return wiz_next(z);
	}
	return form_nav(f, z, k);
}

void
wiz_lang(const char *lang)
{
	i18n_init(lang);
}

/* The language in use: --lang (LANGUAGE), else the locale, else en. */
static void
current_lang(char *lang)
{
	const char *l = getenv("LANGUAGE");

	if (l == NULL || *l == '\0')
		l = setlocale(LC_MESSAGES, NULL);
	if (l != NULL && (strncmp(l, "ko", 2) == 0 || strncmp(l, "ja", 2) == 0))
		snprintf(lang, 3, "%.2s", l);
	else
		strcpy(lang, "en");
}

static void
memory_free(struct wiz_memory *m)
{
	checks_free(&m->hosts);
	free(m->bundle);
	free(m->backup_dir);
	free(m->summary.file);
	free(m->summary.text);
}

int
wizard_run(struct answers *a, const char *out,
    const struct wiz_run_opts *o)
{
	struct wiz z;
	char *cause = NULL;
	size_t i;

	memset(&z, 0, sizeof z);
	z.a = a;
	z.out = out;
	z.run = *o;
	current_lang(z.lang);
	z.mode = answers_get_bool(a, "airgap.enabled") ? MODE_AIRGAP :
	    MODE_NEW;
	if (!answers_is_set(a, "version"))
		answers_set(a, "version", "1", NULL);
	for (z.nscreens = 0; screen_table[z.nscreens] != NULL; z.nscreens++)
		;
	z.forms = xcalloc(z.nscreens, sizeof *z.forms);
	for (i = 0; i < z.nscreens; i++)
		form_init(&z.forms[i], screen_table[i]->fields, &z);
	z.view.draw = wiz_draw;
	z.view.key = wiz_key;
	z.view.data = &z;
	z.view.result = 1;
	if (ui_term_init(&cause) != 0) {
		fprintf(stderr, "wbinstall wizard: %s\n", cause);
		free(cause);
		z.view.result = 2;
	} else {
		log_info("wizard: started (%dx%d, TERM=%s)", COLS, LINES,
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		ui_loop(&z.view);
		ui_term_done();
	}
	for (i = 0; i < z.nscreens; i++)
		form_free(&z.forms[i]);
	free(z.forms);
	pending_free(&z);
	memory_free(&z.mem);
	free(z.status);
	return z.view.result;
}
