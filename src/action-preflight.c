/* Action "preflight": hosts, MySQL, storage and the cluster. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "plan.h"
#include "preflight.h"
#include "run-flags.h"
#include "xmalloc.h"

/* registry (air gap) comes after the plan's bundle-push: what was pushed
 * is checked before anything changes in the cluster. */
static const char *const families[] = { "hosts", "mysql", "storage",
	"license", "registry", NULL };

static char *
preflight_inputs(struct plan_ctx *c)
{
	return answers_dump(c->a);
}

static int
preflight_apply(struct plan_ctx *c, char **cause)
{
	struct run_flags rf;
	struct preflight_opts po;
	struct check_list l = { NULL, 0 };
	const struct preflight_family *f;
	size_t i, nfail;

	memset(&rf, 0, sizeof rf);
	/* `wbinstall preflight` runs the benchmark.  No cancel flag: a
	 * family cut short would leave this step done on part of its checks;
	 * Ctrl-C stops after it. */
	rf.no_disk_bench = 1;
	preflight_opts_from_flags(c->resolve, &rf, &po);
	for (i = 0; families[i] != NULL; i++) {
		if ((f = preflight_family_find(families[i])) == NULL)
			continue;
		log_info("install: preflight %s", f->name);
		f->run(c->a, &po, &l);
	}
	/* The probe Pod, once the cluster answers: from the pod network. */
	if (kube_checks(c->run, c->a, &l) == 0)
		kube_probe(c->run, c->a, c->cancel, &l);
	if ((nfail = plan_print_checks(c, &l)) == 0)
		return 0;
	if (c->force) {
		fprintf(c->out, _("      %zu checks failed; going on "
		    "(--force)\n"), nfail);
		log_info("install: %zu preflight checks failed; --force", nfail);
		return 0;
	}
	*cause = xprintf(_("%zu preflight checks failed"), nfail);
	return -1;
}

static void
preflight_describe(struct plan_ctx *c, FILE *f)
{
	static const char *const cmds[][6] = {
		{ "kubectl", "version", "-o", "json", NULL },
		{ "kubectl", "get", "ingressclass", "-o", "json", NULL },
		{ "kubectl", "get", "storageclass", "-o", "json", NULL },
		{ "kubectl", "get", "nodes", "-o", "json", NULL },
		{ "helm", "version", "--short", NULL },
	};
	size_t i;

	fprintf(f, _("      the preflight families hosts, mysql, storage, "
	    "license and (air gap) registry (read only), then the "
	    "cluster:\n"));
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		plan_print_cmd(f, cmds[i], NULL);
	kube_probe_describe(c->a, f, plan_print_cmd, plan_print_stdin);
}

const struct action action_preflight = {
	"preflight",
	N_("check the hosts, MySQL, the object store and the cluster"),
	N_("fix what the failed checks say (`wbinstall preflight` runs them "
	   "alone), or re-run with --force to go on regardless"),
	NULL,
	preflight_inputs,
	preflight_apply,
	NULL,
	NULL,
	preflight_describe,
};
