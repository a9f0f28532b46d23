/* Action "operator": helm upgrade --install the W&B operator, its values
 * on helm's stdin. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

#define VALUES_FILE	"helm/operator-values.yaml"

/*
 * Air gap: the reference bundle push gave the bundle's chart (the
 * registry's charts/, or airgap.chart_repo when it is an oci:// URL), or
 * NULL for an http(s) Helm repository.
 */
static char *
operator_oci_ref(struct plan_ctx *c)
{
	return bundle_chart_oci(answers_get(c->a, "airgap.registry"),
	    answers_get(c->a, "airgap.chart_repo"), PLAN_OPERATOR_CHART);
}

/* The chart: the repository, airgap.chart_repo, or the bundle's charts
 * pushed as OCI artifacts; in an air gap at the bundle's version. */
static void
operator_argv(struct plan_ctx *c, struct plan_argv *av)
{
	const char *repo = answers_get(c->a, "airgap.chart_repo");
	int airgap = answers_get_bool(c->a, "airgap.enabled");
	char *ref = NULL, *version = NULL;

	if (airgap) {
		ref = operator_oci_ref(c);
		version = plan_bundle_chart_version(c, PLAN_OPERATOR_CHART);
	}
	argv_add(av, "helm");
	argv_add(av, "upgrade");
	argv_add(av, "--install");
	argv_add(av, PLAN_OPERATOR_RELEASE);
	if (ref != NULL) {
		argv_add(av, "%s", ref);
		if (answers_get_bool(c->a, "airgap.plain_http"))
			argv_add(av, "--plain-http");
	} else {
		argv_add(av, PLAN_OPERATOR_CHART);
		argv_add(av, "--repo");
		argv_add(av, "%s", airgap ? repo : PLAN_OPERATOR_REPO);
	}
	argv_add(av, "--version");
	argv_add(av, "%s", version != NULL ? version : PLAN_OPERATOR_VERSION);
	free(version);
	free(ref);
	argv_add(av, "--namespace");
	argv_add(av, "%s", plan_namespace(c));
	argv_add(av, "--create-namespace");
	argv_add(av, "--wait");
	argv_add(av, "--timeout");
	argv_add(av, "10m");
	argv_add(av, "--values");
	argv_add(av, "-");
}

static char *
operator_inputs(struct plan_ctx *c)
{
	struct plan_argv av = { NULL, 0 };
	const struct render_file *f;
	char *cause = NULL, *line, *s;

	operator_argv(c, &av);
	line = runner_format(ARGV(&av));
	argv_free(&av);
	if ((f = plan_file(c, VALUES_FILE, &cause)) == NULL) {
		free(cause);
		return line;
	}
	s = xprintf("%s\n%.*s", line, (int)f->len, f->data);
	free(line);
	return s;
}

static int
operator_apply(struct plan_ctx *c, char **cause)
{
	struct plan_argv av = { NULL, 0 };
	const struct render_file *f;
	int rc;

	if ((f = plan_file(c, VALUES_FILE, cause)) == NULL)
		return -1;
	/* Air gap: helm takes the chart bundle-push pushed. */
	if (plan_bundle_chart_check(c, PLAN_OPERATOR_CHART, cause) != 0)
		return -1;
	operator_argv(c, &av);
	rc = plan_exec(c, ARGV(&av), f->data, f->len, VALUES_FILE, 15 * 60000,
	    NULL, cause);
	argv_free(&av);
	return rc;
}

/* Still deployed?  helm status says. */
static int
operator_check(struct plan_ctx *c)
{
	const char *argv[] = { "helm", "status", PLAN_OPERATOR_RELEASE,
		"--namespace", plan_namespace(c), NULL };
	struct run_result res;
	char *cause = NULL;
	int ok;

	if (runner_run(c->run, argv, NULL, 0, NULL, 60000, &res,
	    &cause) != 0) {
		free(cause);
		run_result_free(&res);
		return 0;
	}
	ok = res.status == 0 && strstr(res.out, "STATUS: deployed") != NULL;
	run_result_free(&res);
	return ok;
}

static int
operator_undo(struct plan_ctx *c, char **cause)
{
	const char *argv[] = { "helm", "uninstall", PLAN_OPERATOR_RELEASE,
		"--namespace", plan_namespace(c), NULL };

	return plan_exec(c, argv, NULL, 0, NULL, 10 * 60000, NULL, cause);
}

static void
operator_describe(struct plan_ctx *c, FILE *f)
{
	struct plan_argv av = { NULL, 0 };

	operator_argv(c, &av);
	plan_print_cmd(f, ARGV(&av), VALUES_FILE);
	argv_free(&av);
}

const struct action action_operator = {
	"operator",
	N_("install or upgrade the W&B operator with helm"),
	N_("read helm's error above; `helm status wandb-operator -n "
	   "NAMESPACE` and `kubectl get pods -n NAMESPACE` on the control "
	   "host show more.  The chart must be reachable from the control host "
	   "(charts.wandb.ai, or the air-gap chart repository)"),
	NULL,
	operator_inputs,
	operator_apply,
	operator_check,
	operator_undo,
	operator_describe,
};
