/* The context, journal and runner of a plan (plan-session.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan-session.h"
#include "xmalloc.h"

char *
plan_render_dir(const char *answers_path)
{
	char *dir = journal_dir_for(answers_path), *s;

	s = xprintf("%s/rendered", dir);
	free(dir);
	return s;
}

void
plan_ctx_init(struct plan_ctx *c, const char *answers_path)
{
	memset(c, 0, sizeof *c);
	c->wait_timeout_s = PLAN_WAIT_TIMEOUT_DEFAULT;
	c->render_dir = plan_render_dir(answers_path);
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
