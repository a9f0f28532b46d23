/*
 * What `install`, `upgrade` and the wizard do around a plan: the context
 * for an answers file (its state directory, the wait's default, the front
 * end's flags), and the journal and runner opened together.
 */
#ifndef WB_PLAN_SESSION_H
#define WB_PLAN_SESSION_H

#include "journal.h"
#include "plan.h"
#include "run-flags.h"
#include "runner.h"

/* How long the wait action waits by default, in seconds. */
#define PLAN_WAIT_TIMEOUT_DEFAULT	1200

/* <state dir of ANSWERS_PATH>/rendered, allocated. */
char *plan_render_dir(const char *answers_path);
/*
 * The context of a plan on A, which was loaded from its file (the state
 * directory beside it keeps the rendered files), with the front end's
 * flags F: the one place that says it, for install, upgrade and the
 * wizard.  RESOLVE (NULL: the saved file's way) is how the plan's own
 * steps read secrets and paths (the push).  0, or -1 with *cause; free C
 * with plan_ctx_free() in both cases.
 */
struct answers_resolver;
int plan_ctx_from_answers(const struct answers *a,
    const struct answers_resolver *resolve, const struct run_flags *f,
    struct plan_ctx *c, char **cause);
/*
 * Render the files now: an answer that a rendered file cannot carry is
 * bad input, refused before anything runs (-1 with *cause).  Any other
 * failure is left to the render step, which reports it in its place (0).
 */
int plan_check_input(struct plan_ctx *, char **cause);

/*
 * Open the journal beside ANSWERS_PATH (read-only in a dry run) into J and
 * the runner for c->a into R (a dry one in a dry run), and point C at
 * them.  0, or -1 with *cause (nothing left open).
 */
int plan_open(struct plan_ctx *, const char *answers_path, struct journal *j,
    struct runner *r, char **cause);
void plan_close(struct plan_ctx *);

#endif
