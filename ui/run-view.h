/*
 * The live view of a plan run (install, upgrade): one row per action
 * (pending, running, done, skipped, failed) and the progress, fed by the
 * plan's on_step hook from a worker thread (a ui_task); Esc or Ctrl-C
 * stops after the current action, as Ctrl-C does in the CLI.  Once it
 * ends, the end of what the CLI would have printed (the failed action's
 * name, the last lines of its output and what to do; the rollback; where
 * W&B is) shows beneath, F3 shows all of it and F4 the check tables.
 */
#ifndef WB_UI_RUN_VIEW_H
#define WB_UI_RUN_VIEW_H

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "check.h"
#include "plan.h"
#include "ui.h"

struct answers;
struct wiz;

struct rv_row {
	const struct action *act;
	enum plan_step st;
};

/* What helm renders in a task's worker (chart_listen), for its view. */
struct rv_helm {
	struct ui_task *t;	/* t->lock guards what follows */
	char *what;		/* the chart being rendered, or NULL */
	char *where;
	time_t since;
};

struct rv_checks {
	char *action;
	struct check_list l;
};

struct run_view {
	const char *title;		/* N_() */
	/* In the worker: write to rv->out, call rv_attach() on each plan
	 * context, return an EXIT_* code. */
	int (*body)(struct run_view *);
	void *arg;
	FILE *out;			/* what the CLI prints */
	struct ui_task t;		/* t.lock guards what follows */
	struct rv_row *rows;
	size_t n, k;
	const char *current;		/* the running action's name */
	struct rv_checks *checks;
	size_t nchecks;
	int started, finished, rc;
	char *text;			/* OUT, once the body returned */
	size_t textlen;
	char **tail;			/* TEXT's lines */
	size_t top;
	struct rv_helm helm;
};

/* Hook CTX's steps, checks, output and cancel flag to the view. */
void rv_attach(struct run_view *, struct plan_ctx *);
/* Run RV->body live over UNDER, then show the result until Esc; returns
 * the body's exit code. */
int rv_run(struct run_view *, struct view *under);
void rv_free(struct run_view *);
/* The checks of ACTION that the run reported, or NULL. */
const struct check_list *rv_checks(struct run_view *, const char *action);

/* In the worker of H's task (h->t, set before it starts): hear of helm's
 * renders into H, until rv_helm_stop. */
void rv_helm_listen(struct rv_helm *h);
void rv_helm_stop(void);
/* For the view: "Rendering with helm on WHERE, N s: CHART" while helm
 * runs (the chart last: a long one is cut), else NULL (a new string). */
char *rv_helm_line(struct rv_helm *);
void rv_helm_free(struct rv_helm *);

/* What the install and the upgrade views share (they do not call each
 * other).  The options of `wizard` (--ca-file, --wait-timeout, ...) as the
 * flags of plan_ctx_from_answers() and the other core functions. */
struct run_flags;
void wiz_run_flags(struct wiz *, struct run_flags *);
/* Load the answers file the wizard saved, checked; NULL with the errors
 * in *text. */
struct answers *wiz_load_saved(struct wiz *, char **text);

#endif
