/* Action "wandb-resource": apply the WeightsAndBiases resource. */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

#define CR_FILE	"helm/wandb-cr.yaml"

static const char *const apply_argv[] = { "kubectl", "apply", "-f", "-",
	NULL };

static char *
resource_inputs(struct plan_ctx *c)
{
	const struct render_file *f;
	char *cause = NULL;

	if ((f = plan_file(c, CR_FILE, &cause)) == NULL) {
		free(cause);
		return xstrdup("");
	}
	return xstrndup(f->data, f->len);
}

static int
resource_apply(struct plan_ctx *c, char **cause)
{
	const struct render_file *f;

	if ((f = plan_file(c, CR_FILE, cause)) == NULL)
		return -1;
	/* Air gap: the operator pulls the chart bundle-push pushed. */
	if (plan_bundle_chart_check(c, RENDER_CHART_NAME, cause) != 0)
		return -1;
	return plan_exec(c, apply_argv, f->data, f->len, CR_FILE, 120000,
	    NULL, cause);
}

static int
resource_undo(struct plan_ctx *c, char **cause)
{
	const char *argv[] = { "kubectl", "delete", "weightsandbiases",
		RENDER_CR_NAME, "--namespace", plan_namespace(c),
		"--ignore-not-found", NULL };

	return plan_exec(c, argv, NULL, 0, NULL, 10 * 60000, NULL, cause);
}

static void
resource_describe(struct plan_ctx *c, FILE *f)
{
	const struct render_file *rf;
	char *cause = NULL;

	plan_print_cmd(f, apply_argv, CR_FILE);
	if ((rf = plan_shown_file(c, CR_FILE, &cause)) == NULL) {
		fprintf(f, "      %s\n", cause);
		free(cause);
		return;
	}
	plan_print_stdin(f, rf->data, rf->len);
}

const struct action action_resource = {
	"wandb-resource",
	N_("apply the WeightsAndBiases resource"),
	N_("check that the operator's CRD is installed (kubectl get crd "
	   "weightsandbiases.apps.wandb.com) and that the operator pod runs"),
	NULL,
	resource_inputs,
	resource_apply,
	NULL,
	resource_undo,
	resource_describe,
};
