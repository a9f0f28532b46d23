/* Action "verify": wbinstall verify, as the last step of an install. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"
#include "run-flags.h"
#include "verify.h"
#include "xmalloc.h"

static int
verify_apply(struct plan_ctx *c, char **cause)
{
	struct run_flags f;
	struct verify_opts o;
	struct check_list l = { NULL, 0 };
	size_t nfail;
	int wst;

	memset(&f, 0, sizeof f);
	f.ca_file = c->ca_file;
	f.connect_to = c->connect_to;
	/* wandb verify on the control host, as `wbinstall verify` runs it. */
	verify_opts_from_flags(&f, c->run, &o);
	verify_run(c->a, &o, &l, &wst);
	if ((nfail = plan_print_checks(c, &l)) == 0)
		return 0;
	*cause = xprintf(_("%zu verify checks failed"), nfail);
	return -1;
}

static void
verify_describe(struct plan_ctx *c, FILE *f)
{
	const char *fqdn = answers_get(c->a, "domain.fqdn");
	char *host = xprintf("https://%s", fqdn);
	const char *argv[] = { "wandb", "verify", "--host", host, NULL };

	fprintf(f, _("      DNS, TLS, GET %s/healthz and /ready, a 10 MB POST, "
	    "the bucket's CORS preflight and a presigned round trip; then, "
	    "where the wandb CLI is:\n"), host);
	plan_print_cmd(f, argv, NULL);
	free(host);
}

const struct action action_verify = {
	"verify",
	N_("verify the installation"),
	N_("fix what the failed checks say; `wbinstall verify` runs them "
	   "again at any time"),
	NULL,
	plan_deployed_inputs,
	verify_apply,
	NULL,
	NULL,
	verify_describe,
};
