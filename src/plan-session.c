/* The context, journal and runner of a plan (plan-session.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers-resolve.h"
#include "bundle.h"
#include "i18n.h"
#include "plan-session.h"
#include "render.h"
#include "xmalloc.h"

char *
plan_render_dir(const char *answers_path)
{
	char *dir = journal_dir_for(answers_path), *s;

	s = xprintf("%s/rendered", dir);
	free(dir);
	return s;
}

int
plan_ctx_from_answers(const struct answers *a,
    const struct answers_resolver *resolve, const struct run_flags *f,
    struct plan_ctx *c, char **cause)
{
	memset(c, 0, sizeof *c);
	/* The journal and the rendered files live beside the file. */
	if (a->path == NULL) {
		*cause = xstrdup(_("the answers were not loaded from a file"));
		return -1;
	}
	c->a = a;
	c->resolve = resolve;
	c->render_dir = plan_render_dir(a->path);
	c->dry_run = f->dry_run;
	c->force = f->force;
	c->wait_timeout_s = f->wait_timeout_s > 0 ? f->wait_timeout_s :
	    PLAN_WAIT_TIMEOUT_DEFAULT;
	c->ca_file = f->ca_file;
	c->connect_to = f->connect_to;
	c->cancel = f->cancel;
	c->out = f->out != NULL ? f->out : stdout;
	return 0;
}

int
plan_check_input(struct plan_ctx *c, char **cause)
{
	char *why = NULL;
	int rc;

	if ((rc = bundle_render(c->a, 0, &c->files, &why)) == 0) {
		c->have_files = 1;
		return 0;
	}
	if (rc == RENDER_BAD_INPUT) {
		*cause = why;
		return -1;
	}
	free(why);
	return 0;
}

int
plan_open(struct plan_ctx *c, const char *answers_path, struct journal *j,
    struct runner *r, char **cause)
{
	char *why = NULL;

	if (journal_open(j, answers_path, c->dry_run, cause) != 0)
		return -1;
	if (runner_open(r, c->a, c->dry_run, NULL, &why) != 0) {
		*cause = xprintf(_("cannot reach the control host: %s"), why);
		free(why);
		journal_close(j);
		return -1;
	}
	c->journal = j;
	c->run = r;
	return 0;
}

void
plan_close(struct plan_ctx *c)
{
	if (c->run != NULL)
		runner_close(c->run);
	if (c->journal != NULL)
		journal_close(c->journal);
	c->run = NULL;
	c->journal = NULL;
}
