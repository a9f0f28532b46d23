/*
 * The live host preflight: the "hosts" family runs as a ui_task (its own
 * thread) while this view redraws one row per target with a spinner and
 * what the check last reported.  The worker never touches curses; it only
 * records progress under the task's mutex.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers-resolve.h"
#include "check.h"
#include "checks-view.h"
#include "curses.h"
#include "i18n.h"
#include "log.h"
#include "preflight-view.h"
#include "preflight.h"
#include "run-flags.h"
#include "trust.h"
#include "wizard.h"
#include "xmalloc.h"

struct pv_row {
	char *target;
	char *what;
};

struct pv {
	struct ui_task t;	/* t.lock guards rows and n */
	struct pv_row *rows;	/* in the order targets first report */
	size_t n;
	const struct preflight_family *fam;
	const struct answers *a;
	struct preflight_opts po;
	struct check_list l;
};

/* From a worker thread: remember WHAT for TARGET. */
static void
pv_progress(void *arg, const char *target, const char *what)
{
	struct pv *p = arg;
	size_t i;

	pthread_mutex_lock(&p->t.lock);
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
	pthread_mutex_unlock(&p->t.lock);
}

static void
pv_worker(struct ui_task *t)
{
	struct pv *p = t->arg;

	p->fam->run(p->a, &p->po, &p->l);
}

static void
pv_draw(struct view *v)
{
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
	pthread_mutex_lock(&p->t.lock);
	if (p->n == 0)
		ui_put(y, x + 2, w, _("Starting…"), ui_attr(S_DIALOG));
	for (i = 0; i < (int)p->n && i < rows; i++) {
		state = p->rows[i].what != NULL ? p->rows[i].what : "";
		if (strcmp(state, _("done")) == 0)
			mark = "•";
		else {
			sp[0] = ui_spin(p->t.tick + (unsigned)i);
			mark = sp;
		}
		ui_put(y + i, x + 2, 2, mark, ui_attr(S_DIALOG) | A_BOLD);
		ui_put_pad(y + i, x + 4, 30, p->rows[i].target,
		    ui_attr(S_DIALOG));
		ui_put(y + i, x + 35, w - 33, state, ui_attr(S_DIM));
	}
	pthread_mutex_unlock(&p->t.lock);
	if (p->t.cancel)
		ui_put(LINES - 4, x + 2, w, _("Cancelling…"), ui_attr(S_ERROR));
	ui_keybar((const char *const[]){ "Esc", N_("Cancel"), NULL });
}

/* The last complete run, for the Preflight screen. */
const struct check_list *
wiz_last_host_checks(const struct wiz *z)
{
	return z->mem.have_hosts ? &z->mem.hosts : NULL;
}

/* The live host preflight; with the families of EXTRA (NULL-terminated,
 * or NULL), which need no host and are quick, run after it into the same
 * table. */
static void
preflight_run(struct wiz *z, const char *const *extra)
{
	struct answers_resolver res = wiz_resolver(z);
	struct run_flags rf;
	struct preflight_opts po;
	const struct preflight_family *f;
	struct pv p;
	struct view v = { pv_draw, NULL, NULL, &p, 0 };
	size_t i;
	int rc;

	memset(&p, 0, sizeof p);
	if ((p.fam = preflight_family_find("hosts")) == NULL)
		return;
	ui_task_init(&p.t, pv_worker, &p);
	p.a = z->a;
	/* The benchmark takes a minute: `wbinstall preflight` runs it.  The
	 * secrets typed and not yet saved count (the resolver). */
	memset(&rf, 0, sizeof rf);
	rf.no_disk_bench = 1;
	preflight_opts_from_flags(&res, &rf, &po);
	rf.cancel = &p.t.cancel;
	rf.progress = pv_progress;
	rf.progress_arg = &p;
	preflight_opts_from_flags(&res, &rf, &p.po);
	log_info("wizard: host preflight");
	rc = ui_task_run(&p.t, &v, "host preflight");
	if (rc < 0)
		wiz_status(z, 1, "%s", _("The preflight cannot be started."));
	else if (rc == 1)
		wiz_status(z, 1, "%s", _("hosts: cancelled"));
	else {
		for (i = 0; extra != NULL && extra[i] != NULL; i++)
			if ((f = preflight_family_find(extra[i])) != NULL)
				f->run(z->a, &po, &p.l);
		wiz_show_checks(z, extra != NULL ? _("hosts, license") :
		    "hosts", &p.l);
		wiz_trust_hosts(z, &p.l);
		checks_free(&z->mem.hosts);
		z->mem.hosts = p.l;
		z->mem.have_hosts = 1;
		memset(&p.l, 0, sizeof p.l);
	}
	for (i = 0; i < p.n; i++) {
		free(p.rows[i].target);
		free(p.rows[i].what);
	}
	free(p.rows);
	checks_free(&p.l);
	ui_task_free(&p.t);
}

/* F4 on the SSH and Targets screens: the live host preflight. */
void
wiz_preflight_hosts(struct wiz *z)
{
	preflight_run(z, NULL);
}

/* F4 on the Preflight screen: the hosts, then the license (license.*),
 * which has no F4 of its own. */
void
wiz_preflight_screen(struct wiz *z)
{
	static const char *const extra[] = { "license", NULL };

	preflight_run(z, extra);
}
