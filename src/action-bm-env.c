/* Action "app-env" (bare metal): the container's environment file on each
 * app host, mode 0600 (it holds the license and the credentials). */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

#define ENV_FILE	"baremetal/wandb.env"

static char *
env_inputs(struct plan_ctx *c)
{
	const struct render_file *f;
	char *cause = NULL;

	if ((f = plan_file(c, ENV_FILE, &cause)) == NULL) {
		free(cause);
		return xstrdup("");
	}
	return xstrndup(f->data, f->len);
}

static int
env_put(struct plan_ctx *c, char **cause)
{
	const struct render_file *f;

	if ((f = plan_file(c, ENV_FILE, cause)) == NULL)
		return -1;
	fprintf(c->out, "      %s:%s\n", c->run->where, PLAN_BM_ENV_FILE);
	return runner_put(c->run, PLAN_BM_ENV_FILE, f->data, f->len, cause);
}

static int
env_apply(struct plan_ctx *c, char **cause)
{
	return plan_on_apps(c, env_put, cause);
}

static void
env_describe(struct plan_ctx *c, FILE *f)
{
	size_t i;

	for (i = 0; i < c->a->ntargets; i++)
		if (answers_target_has_role(c->a, i, "app"))
			fprintf(f, _("      %s: write %s (0600) from the rendered "
			    "%s, on stdin\n"), answers_target_get(c->a, i,
			    "host"), PLAN_BM_ENV_FILE, ENV_FILE);
	fprintf(f, _("      the rendered nginx/wandb.conf is for the load "
	    "balancer in front of the app hosts; install it there\n"));
}

const struct action action_bm_env = {
	"app-env",
	N_("copy the W&B environment file to each app host"),
	N_("check that the SSH user may write /etc/wandb on the app hosts"),
	NULL,
	env_inputs,
	env_apply,
	NULL,
	NULL,
	env_describe,
};
