/* Action "app-run" (bare metal): the W&B Server container on each app
 * host, as the seed runs it (wandb/local on port 8080, data in /vol). */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

static void
run_argv(struct plan_ctx *c, struct plan_argv *av)
{
	const char *v = answers_get(c->a, "deployment.wandb_version");

	argv_add(av, "docker");
	argv_add(av, "run");
	argv_add(av, "--detach");
	argv_add(av, "--restart");
	argv_add(av, "unless-stopped");
	argv_add(av, "--name");
	argv_add(av, PLAN_BM_CONTAINER);
	argv_add(av, "--env-file");
	argv_add(av, PLAN_BM_ENV_FILE);
	argv_add(av, "--publish");
	argv_add(av, "8080:8080");
	argv_add(av, "--volume");
	argv_add(av, "wandb:/vol");
	argv_add(av, "%s:%s", PLAN_BM_IMAGE, *v != '\0' ? v : "latest");
}

static const char *const rm_argv[] = { "docker", "rm", "--force",
	PLAN_BM_CONTAINER, NULL };

static char *
bm_run_inputs(struct plan_ctx *c)
{
	struct plan_argv av = { NULL, 0 };
	char *s;

	run_argv(c, &av);
	s = runner_format(ARGV(&av));
	argv_free(&av);
	return s;
}

/* Replace the container: docker run does not take an existing name. */
static int
bm_run_one(struct plan_ctx *c, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	int rc;

	if (plan_exec(c, rm_argv, NULL, 0, NULL, 120000, NULL, cause) != 0)
		return -1;
	run_argv(c, &av);
	rc = plan_exec(c, ARGV(&av), NULL, 0, NULL, 15 * 60000, NULL, cause);
	argv_free(&av);
	return rc;
}

static int
bm_run_apply(struct plan_ctx *c, char **cause)
{
	return plan_on_apps(c, bm_run_one, cause);
}

static void
bm_run_describe(struct plan_ctx *c, FILE *f)
{
	struct plan_argv av = { NULL, 0 };
	size_t i;

	run_argv(c, &av);
	for (i = 0; i < c->a->ntargets; i++) {
		if (!answers_target_has_role(c->a, i, "app"))
			continue;
		fprintf(f, _("      on %s:\n"), answers_target_get(c->a, i,
		    "host"));
		plan_print_cmd(f, rm_argv, NULL);
		plan_print_cmd(f, ARGV(&av), NULL);
	}
	argv_free(&av);
}

const struct action action_bm_run = {
	"app-run",
	N_("run the W&B Server container on each app host"),
	N_("check that Docker runs on the app hosts and can pull the image "
	   "(docker logs wandb-local shows why the container stopped)"),
	NULL,
	bm_run_inputs,
	bm_run_apply,
	NULL,
	NULL,
	bm_run_describe,
};
