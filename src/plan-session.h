/*
 * What `install`, `upgrade` and the wizard do around a plan: the context
 * for an answers file (its state directory, the wait's default), and the
 * journal and runner opened together.
 */
#ifndef WB_PLAN_SESSION_H
#define WB_PLAN_SESSION_H

#include "journal.h"
#include "plan.h"
#include "runner.h"

/* How long the wait action waits by default, in seconds. */
#define PLAN_WAIT_TIMEOUT_DEFAULT	1200

/* <state dir of ANSWERS_PATH>/rendered, allocated. */
char *plan_render_dir(const char *answers_path);
/* Zero C, then the rendered files' directory in the state directory of
 * ANSWERS_PATH and the default wait. */
void plan_ctx_init(struct plan_ctx *, const char *answers_path);

/*
 * Open the journal beside ANSWERS_PATH (read-only in a dry run) into J and
 * the runner for c->a into R (a dry one in a dry run), and point C at
 * them.  0, or -1 with *cause (nothing left open).
 */
int plan_open(struct plan_ctx *, const char *answers_path, struct journal *j,
    struct runner *r, char **cause);
void plan_close(struct plan_ctx *);

#endif
