/* The live view of a plan run (run-view.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "check.h"
#include "checks-view.h"
#include "chart-render.h"
#include "cmd.h"
#include "curses.h"
#include "i18n.h"
#include "log.h"
#include "plan-session.h"
#include "run-flags.h"
#include "run-view.h"
#include "wizard.h"
#include "xmalloc.h"

/* Rows of the finished run's report beneath the actions, at least. */
#define RV_TAIL_MIN	6

static void
rv_step(struct plan_ctx *c, size_t k, size_t n, const struct action *act,
    enum plan_step st, const char *cause)
{
	struct run_view *rv = c->front;
	size_t i;

	(void)cause;
	pthread_mutex_lock(&rv->t.lock);
	if (st == PS_PENDING && k == 1) {
		/* A new plan (an upgrade runs one after its checks). */
		free(rv->rows);
		rv->rows = xcalloc(n, sizeof *rv->rows);
		rv->n = 0;
	}
	for (i = 0; i < rv->n; i++)
		if (rv->rows[i].act == act)
			break;
	if (i == rv->n && rv->n < n) {
		rv->rows[rv->n].act = act;
		rv->n++;
	}
	if (i < rv->n)
		rv->rows[i].st = st;
	rv->k = k;
	if (st == PS_RUNNING)
		rv->current = act->name;
	pthread_mutex_unlock(&rv->t.lock);
}

static void
rv_on_checks(struct plan_ctx *c, const struct check_list *l)
{
	struct run_view *rv = c->front;
	struct rv_checks *rc;
	const struct check *k;
	size_t i;

	pthread_mutex_lock(&rv->t.lock);
	rv->checks = xreallocarray(rv->checks, rv->nchecks + 1,
	    sizeof *rv->checks);
	rc = &rv->checks[rv->nchecks++];
	rc->action = xstrdup(rv->current != NULL ? rv->current : "");
	rc->l.v = NULL;
	rc->l.n = 0;
	for (i = 0; i < l->n; i++) {
		k = &l->v[i];
		checks_add(&rc->l, k->target, k->id, k->status, k->observed,
		    k->required, k->hint, "%s", k->message);
	}
	pthread_mutex_unlock(&rv->t.lock);
}

void
rv_attach(struct run_view *rv, struct plan_ctx *c)
{
	c->on_step = rv_step;
	c->on_checks = rv_on_checks;
	c->front = rv;
	c->out = rv->out;
	c->cancel = &rv->t.cancel;
}

/* From the worker, in chart_template: helm starts or has ended. */
static void
rv_helm_heard(void *arg, const char *what, const char *where, int started)
{
	struct rv_helm *h = arg;

	pthread_mutex_lock(&h->t->lock);
	free(h->what);
	free(h->where);
	h->what = started ? xstrdup(what) : NULL;
	h->where = started ? xstrdup(where) : NULL;
	h->since = time(NULL);
	pthread_mutex_unlock(&h->t->lock);
}

void
rv_helm_listen(struct rv_helm *h)
{
	struct chart_listener l = { rv_helm_heard, h };

	chart_listen(&l);
}

void
rv_helm_stop(void)
{
	chart_listen(NULL);
}

char *
rv_helm_line(struct rv_helm *h)
{
	char *line = NULL;

	if (h->t == NULL)
		return NULL;
	pthread_mutex_lock(&h->t->lock);
	if (h->what != NULL)
		line = xprintf(_("Rendering with helm on %s, %lld s: %s"),
		    h->where, (long long)(time(NULL) - h->since), h->what);
	pthread_mutex_unlock(&h->t->lock);
	return line;
}

void
rv_helm_free(struct rv_helm *h)
{
	free(h->what);
	free(h->where);
	memset(h, 0, sizeof *h);
}

const struct check_list *
rv_checks(struct run_view *rv, const char *action)
{
	size_t i;

	for (i = rv->nchecks; i > 0; i--)
		if (strcmp(rv->checks[i - 1].action, action) == 0)
			return &rv->checks[i - 1].l;
	return NULL;
}

static const char *
step_name(enum plan_step st)
{
	switch (st) {
	case PS_PENDING:
		return _("pending");
	case PS_RUNNING:
		return _("running");
	case PS_DONE:
		return _("done");
	case PS_SKIPPED:
		return _("skipped: done, inputs unchanged");
	case PS_FAILED:
		return _("failed");
	}
	return "";
}

/* The first action shown in ROWS rows: the running or failed one (else
 * the last that is not pending) stays in view. */
static size_t
rows_first(const struct run_view *rv, int rows)
{
	size_t i, at = 0;

	if (rows <= 0 || rv->n <= (size_t)rows)
		return 0;
	for (i = 0; i < rv->n; i++) {
		if (rv->rows[i].st != PS_PENDING)
			at = i;
		if (rv->rows[i].st == PS_RUNNING ||
		    rv->rows[i].st == PS_FAILED)
			break;
	}
	if (i < rv->n)
		at = i;
	return at < (size_t)rows ? 0 : at - (size_t)rows + 1;
}

static void
rv_draw(struct view *v)
{
	struct run_view *rv = v->data;
	int y, x, w, i, rows, bar, fill, attr;
	size_t r, ndone = 0, nt, first;
	char sp[2] = { 0, 0 }, *s;
	const char *mark;

	ui_box(LINES - 2, COLS - 2, &y, &x, _(rv->title));
	w = COLS - 6;
	pthread_mutex_lock(&rv->t.lock);
	for (r = 0; r < rv->n; r++)
		ndone += rv->rows[r].st == PS_DONE ||
		    rv->rows[r].st == PS_SKIPPED;
	/* The progress: [#####.....] done/all */
	s = xprintf(" %zu/%zu", ndone, rv->n);
	bar = w - ui_width(s) - 2;
	fill = rv->n > 0 ? (int)((size_t)bar * ndone / rv->n) : 0;
	ui_put(y + 1, x + 2, 1, "[", ui_attr(S_DIALOG));
	for (i = 0; i < bar; i++)
		ui_put(y + 1, x + 3 + i, 1, i < fill ? "#" : ".",
		    i < fill ? ui_attr(S_OK) : ui_attr(S_DIM));
	ui_put(y + 1, x + 3 + bar, 1, "]", ui_attr(S_DIALOG));
	ui_put(y + 1, x + 4 + bar, ui_width(s), s, ui_attr(S_DIALOG));
	free(s);
	y += 3;
	if (rv->n == 0)
		ui_put(y, x + 2, w, _("Starting…"), ui_attr(S_DIALOG));
	rows = LINES - 4 - y;
	if (rv->finished && rv->tail != NULL && rows - (int)rv->n - 1 <
	    RV_TAIL_MIN)
		rows = rows - RV_TAIL_MIN - 1;
	first = rows_first(rv, rows);
	for (i = 0; first + (size_t)i < rv->n && i < rows; i++) {
		const struct rv_row *row = &rv->rows[first + (size_t)i];

		attr = ui_attr(S_DIALOG);
		switch (row->st) {
		case PS_PENDING:
			mark = "·";
			attr = ui_attr(S_DIM);
			break;
		case PS_RUNNING:
			sp[0] = ui_spin(rv->t.tick);
			mark = sp;
			attr |= A_BOLD;
			break;
		case PS_DONE:
			mark = "✔";
			break;
		case PS_SKIPPED:
			mark = "–";
			break;
		default:
			mark = "✘";
			attr = ui_attr(S_ERROR);
			break;
		}
		ui_put(y + i, x + 2, 2, mark, attr | A_BOLD);
		ui_put_pad(y + i, x + 4, 20, row->act->name, attr);
		ui_put_pad(y + i, x + 25, 34, step_name(row->st), attr);
		ui_put(y + i, x + 60, w - 58, _(row->act->summary),
		    ui_attr(S_DIM));
	}
	y += i + 1;
	pthread_mutex_unlock(&rv->t.lock);
	if (rv->finished && rv->tail != NULL) {
		rows = LINES - 4 - y;
		nt = ui_lines_count(rv->tail);
		if (rv->top + (size_t)rows > nt)
			rv->top = nt > (size_t)rows ? nt - (size_t)rows : 0;
		for (i = 0; i < rows && rv->top + (size_t)i < nt; i++)
			ui_put(y + i, x + 2, w, rv->tail[rv->top + (size_t)i],
			    ui_attr(S_DIALOG));
		ui_put(LINES - 3, x + 2, w, rv->rc == 0 ? _("Finished.") :
		    _("It did not finish: see above; F3 shows all of it, F2 "
		    "the log."),
		    rv->rc == 0 ? ui_attr(S_OK) : ui_attr(S_ERROR));
		ui_keybar((const char *const[]){ "F2", N_("Log"), "F3",
		    N_("Output"), "F4", N_("Checks"), "Up/Down", N_("Scroll"),
		    "Esc", N_("Close"), NULL });
		return;
	}
	if ((s = rv_helm_line(&rv->helm)) != NULL) {
		sp[0] = ui_spin(rv->t.tick);
		ui_put(LINES - 4, x + 2, 2, sp, ui_attr(S_DIALOG) | A_BOLD);
		ui_put(LINES - 4, x + 4, w - 2, s, ui_attr(S_DIM));
		free(s);
	}
	if (rv->t.cancel)
		ui_put(LINES - 3, x + 2, w, _("Stopping after the current "
		    "action…"), ui_attr(S_ERROR));
	ui_keybar((const char *const[]){ "Esc", N_("Stop after this action"),
	    NULL });
}

static void
rv_show_checks(struct run_view *rv, struct view *v)
{
	char *text = xstrdup(""), *t, *n;
	size_t i;

	for (i = 0; i < rv->nchecks; i++) {
		t = wiz_checks_text(&rv->checks[i].l);
		n = xprintf("%s%s%s:\n%s", text, i > 0 ? "\n" : "",
		    rv->checks[i].action, t);
		free(t);
		free(text);
		text = n;
	}
	ui_pager(v, _("Checks"), rv->nchecks > 0 ? text :
	    _("No checks ran."), 0);
	free(text);
}

static int
rv_key(struct view *v, struct ui_key k)
{
	struct run_view *rv = v->data;

	if (!k.fkey && (k.ch == UI_ESC || k.ch == 'q' || k.ch == '\r' ||
	    k.ch == '\n'))
		return UI_BREAK;
	if (k.fkey && k.ch == KEY_F(2)) {
		ui_log_pager(v);
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(3)) {
		ui_pager(v, _("Output"), rv->text, 1);
		return UI_REDRAW;
	}
	if (k.fkey && k.ch == KEY_F(4)) {
		rv_show_checks(rv, v);
		return UI_REDRAW;
	}
	return ui_scroll_key(k, &rv->top, 5);
}

static void
rv_body(struct ui_task *t)
{
	struct run_view *rv = t->arg;

	rv_helm_listen(&rv->helm);
	rv->rc = rv->body(rv);
	rv_helm_stop();
	fflush(rv->out);
}

int
rv_run(struct run_view *rv, struct view *under)
{
	struct view v = { rv_draw, rv_key, under, rv, 0 };
	const struct check_list *l;
	char *clean;

	ui_task_init(&rv->t, rv_body, rv);
	rv->helm.t = &rv->t;
	rv->started = 1;
	rv->rc = EXIT_FAIL;
	if ((rv->out = open_memstream(&rv->text, &rv->textlen)) == NULL ||
	    ui_task_run(&rv->t, &v, rv->title) < 0) {
		if (rv->out != NULL)
			fclose(rv->out);
		rv->out = NULL;
		ui_pager(under, _(rv->title), _("It cannot be started."), 0);
		return EXIT_FAIL;
	}
	fclose(rv->out);
	rv->out = NULL;
	rv->finished = 1;
	rv->tail = ui_wrap(rv->text, COLS - 6);
	rv->top = ui_lines_count(rv->tail);	/* the end: drawn as the last */
	log_info("wizard: %s ended with status %d", rv->title, rv->rc);
	/* A good run ends with the verify table, as the CLI's does. */
	if (rv->rc == 0 && (l = rv_checks(rv, "verify")) != NULL) {
		clean = wiz_checks_text(l);
		ui_draw_view(&v);
		ui_pager(&v, _("Verify"), clean, 0);
		free(clean);
	}
	ui_loop(&v);
	return rv->rc;
}

void
rv_free(struct run_view *rv)
{
	size_t i;

	for (i = 0; i < rv->nchecks; i++) {
		free(rv->checks[i].action);
		checks_free(&rv->checks[i].l);
	}
	free(rv->checks);
	free(rv->rows);
	free(rv->text);
	ui_lines_free(rv->tail);
	rv_helm_free(&rv->helm);
	if (rv->started)
		ui_task_free(&rv->t);
	memset(rv, 0, sizeof *rv);
}

struct answers *
wiz_load_saved(struct wiz *z, char **text)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	char *line, *n;
	size_t i;

	*text = NULL;
	a = answers_load(z->out, &errs);
	if (a != NULL)
		answers_check(a, &errs);
	if (errs.n == 0)
		return a;
	*text = xstrdup("");
	for (i = 0; i < errs.n; i++) {
		line = answers_error_format(&errs.v[i]);
		n = xprintf("%s%s\n", *text, line);
		free(line);
		free(*text);
		*text = n;
	}
	answers_errors_clear(&errs);
	answers_free(a);
	return NULL;
}

void
wiz_run_flags(struct wiz *z, struct run_flags *f)
{
	memset(f, 0, sizeof *f);
	f->wait_timeout_s = z->run.wait_timeout_s;
	f->ca_file = z->run.ca_file;
	f->connect_to = z->run.connect_to;
	f->force = z->run.force;
}
