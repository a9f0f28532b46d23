/*
 * The live host preflight: the "hosts" family runs in its own thread
 * while this view polls for keys and redraws one row per target with a
 * spinner and what the check last reported.  The worker never touches
 * curses; it only records progress under a mutex.  wiz_worker() is that
 * pattern for every live view (the install's and the upgrade's too).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"
#include "wizard.h"
#include "xmalloc.h"

struct pv_row {
	char *target;
	char *what;
};

struct pv {
	pthread_mutex_t lock;
	struct pv_row *rows;	/* in the order targets first report */
	size_t n;
	volatile int cancel;
	const struct preflight_family *fam;
	const struct answers *a;
	struct check_list l;
	unsigned tick;
};

/* From a worker thread: remember WHAT for TARGET. */
static void
pv_progress(void *arg, const char *target, const char *what)
{
	struct pv *p = arg;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++)
		if (strcmp(p->rows[i].target, target) == 0)
			break;
	if (i == p->n) {
		p->rows = xreallocarray(p->rows, p->n + 1, sizeof *p->rows);
		p->rows[p->n].target = xstrdup(target);
		p->rows[p->n].what = NULL;
		p->n++;
	}
	free(p->rows[i].what);
	p->rows[i].what = xstrdup(what);
	pthread_mutex_unlock(&p->lock);
}

static void
pv_worker(void *arg)
{
	struct pv *p = arg;
	struct preflight_opts po = { 0, 0, 0, NULL, pv_progress, p };

	po.cancel = &p->cancel;
	p->fam->run(p->a, &po, &p->l);
}

static void
pv_draw(struct view *v)
{
	static const char spin[] = "|/-\\";
	struct pv *p = v->data;
	int y, x, w, i, top, rows;
	const char *mark, *state;
	char sp[2] = { 0, 0 }, **lines;

	ui_box(LINES - 2, COLS - 2, &y, &x, _("Preflight: hosts"));
	w = COLS - 6;
	lines = ui_wrap(_("Checking every target over SSH; the disk "
	    "benchmark is skipped here (`wbinstall preflight` runs it)."), w);
	for (top = 0; lines[top] != NULL; top++)
		ui_put(y + 1 + top, x + 2, w, lines[top], ui_attr(S_DIALOG));
	ui_lines_free(lines);
	y += top + 2;
	rows = LINES - 4 - y;
	pthread_mutex_lock(&p->lock);
	if (p->n == 0)
		ui_put(y, x + 2, w, _("Starting…"), ui_attr(S_DIALOG));
	for (i = 0; i < (int)p->n && i < rows; i++) {
		state = p->rows[i].what != NULL ? p->rows[i].what : "";
		if (strcmp(state, _("done")) == 0)
			mark = "•";
		else {
			sp[0] = spin[(p->tick + (unsigned)i) % 4];
			mark = sp;
		}
		ui_put(y + i, x + 2, 2, mark, ui_attr(S_DIALOG) | A_BOLD);
		ui_put_pad(y + i, x + 4, 30, p->rows[i].target,
		    ui_attr(S_DIALOG));
		ui_put(y + i, x + 35, w - 33, state, ui_attr(S_DIM));
	}
	pthread_mutex_unlock(&p->lock);
	if (p->cancel)
		ui_put(LINES - 4, x + 2, w, _("Cancelling…"), ui_attr(S_ERROR));
	ui_keybar((const char *const[]){ "Esc", N_("Cancel"), NULL });
}

struct worker {
	pthread_mutex_t lock;
	int finished;
	void (*fn)(void *);
	void *arg;
};

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;

	wk->fn(wk->arg);
	pthread_mutex_lock(&wk->lock);
	wk->finished = 1;
	pthread_mutex_unlock(&wk->lock);
	return NULL;
}

static int
worker_finished(struct worker *wk)
{
	int done;

	pthread_mutex_lock(&wk->lock);
	done = wk->finished;
	pthread_mutex_unlock(&wk->lock);
	return done;
}

/*
 * Run FN(ARG) in its own thread while V is redrawn every 100 ms; Esc and
 * Ctrl-C set *CANCEL (FN is to stop at its next safe point).  FN never
 * touches curses.  Returns 0 once FN has returned, or -1 when no thread
 * can be started.
 */
int
wiz_worker(struct view *v, void (*fn)(void *), void *arg,
    volatile int *cancel, unsigned *tick)
{
	struct worker wk;
	struct ui_key k;
	pthread_t t;

	memset(&wk, 0, sizeof wk);
	wk.fn = fn;
	wk.arg = arg;
	pthread_mutex_init(&wk.lock, NULL);
	if (pthread_create(&t, NULL, worker_main, &wk) != 0) {
		pthread_mutex_destroy(&wk.lock);
		return -1;
	}
	while (!worker_finished(&wk)) {
		ui_draw_view(v);
		curs_set(0);
		refresh();
		timeout(100);
		k = ui_getkey();
		timeout(-1);
		(*tick)++;
		if (k.fkey || *cancel)
			continue;
		if (k.ch == UI_ESC || k.ch == UI_CTRL('c'))
			*cancel = 1;
	}
	pthread_join(t, NULL);
	pthread_mutex_destroy(&wk.lock);
	return 0;
}

/* F4 on the SSH and Targets screens: the live host preflight. */
void
wiz_preflight_hosts(struct wiz *z)
{
	struct pv p;
	struct view v = { pv_draw, NULL, NULL, &p, 0 };
	size_t i;

	memset(&p, 0, sizeof p);
	if ((p.fam = preflight_family_find("hosts")) == NULL)
		return;
	pthread_mutex_init(&p.lock, NULL);
	p.a = z->a;
	log_info("wizard: host preflight");
	if (wiz_worker(&v, pv_worker, &p, &p.cancel, &p.tick) != 0) {
		wiz_status(z, 1, "%s", _("The preflight cannot be started."));
		pthread_mutex_destroy(&p.lock);
		return;
	}
	if (p.cancel) {
		log_info("wizard: host preflight cancelled");
		wiz_status(z, 1, "%s", _("hosts: cancelled"));
	}
	if (!p.cancel)
		wiz_show_checks(z, "hosts", &p.l);
	for (i = 0; i < p.n; i++) {
		free(p.rows[i].target);
		free(p.rows[i].what);
	}
	free(p.rows);
	checks_free(&p.l);
	pthread_mutex_destroy(&p.lock);
}
