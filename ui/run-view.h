/*
 * The live view of a plan run (install, upgrade): one row per action
 * (pending, running, done, skipped, failed) and the progress, fed by the
 * plan's on_step hook from a worker thread (wiz_worker); Esc or Ctrl-C
 * stops after the current action, as Ctrl-C does in the CLI.  Once it
 * ends, the end of what the CLI would have printed (the failed action's
 * name, the last lines of its output and what to do; the rollback; where
 * W&B is) shows beneath, F3 shows all of it and F4 the check tables.
 */
#ifndef WB_UI_RUN_VIEW_H
#define WB_UI_RUN_VIEW_H

#include <pthread.h>
#include <stdio.h>

#include "check.h"
#include "plan.h"
#include "wizard.h"

struct rv_row {
	const struct action *act;
	enum plan_step st;
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
};

/* Hook CTX's steps, checks, output and cancel flag to the view. */
void rv_attach(struct run_view *, struct plan_ctx *);
/* Run RV->body live over UNDER, then show the result until Esc; returns
 * the body's exit code. */
int rv_run(struct run_view *, struct view *under);
void rv_free(struct run_view *);
/* The checks of ACTION that the run reported, or NULL. */
const struct check_list *rv_checks(struct run_view *, const char *action);

/* install-view.c, upgrade-view.c */
void wiz_install(struct wiz *);
void wiz_upgrade(struct wiz *);
/* The options of `wizard` (--ca-file, --wait-timeout, ...) as the flags
 * of plan_ctx_from_answers() and the other core functions. */
struct run_flags;
void wiz_run_flags(struct wiz *, struct run_flags *);
/* Load the answers file the wizard saved, checked; NULL with the errors
 * in *text. */
struct answers *wiz_load_saved(struct wiz *, char **text);

#endif
