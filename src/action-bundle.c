/* Action "bundle-push" (air gap): verify and unpack the bundle, push its
 * images to the internal registry and its charts there too, as OCI
 * artifacts (or to airgap.chart_repo when it is an oci:// URL); bundle.h
 * does all of it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "bundle.h"
#include "i18n.h"
#include "plan.h"
#include "preflight.h"
#include "util.h"
#include "xmalloc.h"

static int
bundle_wanted(struct plan_ctx *c)
{
	return answers_get_bool(c->a, "airgap.enabled");
}

int
plan_push_from_answers(const struct answers *a,
    const struct answers_resolver *res, struct plan_push *pp, char **cause)
{
	const char *repo = answers_get(a, "airgap.chart_repo");

	memset(pp, 0, sizeof *pp);
	pp->file = resolver_path(res, a, "airgap.bundle");
	pp->o.registry = answers_get(a, "airgap.registry");
	pp->o.chart_repo = *repo != '\0' ? repo : NULL;
	pp->o.plain_http = answers_get_bool(a, "airgap.plain_http");
	if (*answers_get(a, "airgap.registry_ca") != '\0')
		pp->o.ca_file = pp->ca = resolver_path(res, a,
		    "airgap.registry_ca");
	/* With a key, nothing is pushed from a bundle it did not sign. */
	if (*answers_get(a, "airgap.bundle_pubkey") != '\0') {
		pp->pubkey = resolver_path(res, a, "airgap.bundle_pubkey");
		if (access(pp->pubkey, R_OK) != 0) {
			*cause = xprintf("airgap.bundle_pubkey: %s: %s",
			    pp->pubkey, strerror(errno));
			plan_push_free(pp);
			return -1;
		}
		pp->o.pubkey = pp->pubkey;
		pp->o.require_sig = 1;
	}
	if (*answers_get(a, "airgap.registry_user") != '\0') {
		pp->o.user = answers_get(a, "airgap.registry_user");
		pp->pw = resolver_secret(res, a, "airgap.registry_password",
		    cause);
		if (pp->pw == NULL) {
			plan_push_free(pp);
			return -1;
		}
		pp->o.password = pp->pw;
	}
	return 0;
}

int
plan_push_init(struct plan_ctx *c, struct plan_push *pp, char **cause)
{
	return plan_push_from_answers(c->a, c->resolve, pp, cause);
}

void
plan_push_free(struct plan_push *pp)
{
	if (pp->pw != NULL)
		xfree_secret(pp->pw);
	free(pp->ca);
	free(pp->pubkey);
	free(pp->file);
	memset(pp, 0, sizeof *pp);
}

char *
plan_bundle_chart_version(struct plan_ctx *c, const char *name)
{
	char *file = answers_get_path(c->a, "airgap.bundle"), *v;

	v = bundle_chart_version(file, name);
	free(file);
	return v;
}

int
plan_bundle_chart_check(struct plan_ctx *c, const char *name, char **cause)
{
	char *ref, *version;
	int rc = 0;

	if (!answers_get_bool(c->a, "airgap.enabled"))
		return 0;
	ref = bundle_chart_oci(answers_get(c->a, "airgap.registry"),
	    answers_get(c->a, "airgap.chart_repo"), name);
	if (ref == NULL)
		return 0;
	version = plan_bundle_chart_version(c, name);
	if (version == NULL) {
		*cause = xprintf(_("the bundle has no chart %s, so nothing was "
		    "pushed to %s; build it with bundle create --charts DIR "
		    "holding %s-VERSION.tgz"), name, ref, name);
		rc = -1;
	}
	free(version);
	free(ref);
	return rc;
}

static char *
bundle_inputs(struct plan_ctx *c)
{
	char *file = answers_get_path(c->a, "airgap.bundle"), *cause = NULL, *s;
	char mhex[65] = "";
	struct bundle_manifest *m;
	int sig;

	m = bundle_inspect(file, &sig, mhex, &cause);
	bundle_manifest_free(m);
	free(cause);
	s = xprintf("%s %s %s %s %s", file, mhex, answers_get(c->a,
	    "airgap.registry"), answers_get(c->a, "airgap.chart_repo"),
	    answers_get(c->a, "airgap.bundle_pubkey"));
	free(file);
	return s;
}

static int
bundle_apply(struct plan_ctx *c, char **cause)
{
	struct plan_push pp;
	struct bundle_push_stats st;
	struct check_list l = { NULL, 0 };
	char *s;
	int rc;

	memset(&st, 0, sizeof st);
	if (plan_push_init(c, &pp, cause) != 0)
		return -1;
	rc = bundle_push(pp.file, &pp.o, &st, cause);
	if (rc == 0) {
		s = bundle_push_summary(&st, pp.o.registry);
		fprintf(c->out, "      %s\n", s);
		free(s);
	}
	plan_push_free(&pp);
	if (rc != 0)
		return rc;
	/* What the cluster will pull, asked of the registry (HEAD only)
	 * before anything changes there: the install and the upgrade. */
	preflight_registry_images(c->a, c->cancel, &l);
	if (checks_count(&l, CHECK_FAIL) == 0) {
		checks_free(&l);
		return 0;
	}
	*cause = xprintf(ngettext("the registry does not hold %zu image as "
	    "the bundle has it", "the registry does not hold %zu images as "
	    "the bundle has them", checks_count(&l, CHECK_FAIL)),
	    checks_count(&l, CHECK_FAIL));
	plan_print_checks(c, &l);
	return -1;
}

static void
bundle_describe(struct plan_ctx *c, FILE *f)
{
	const char *repo = answers_get(c->a, "airgap.chart_repo");
	char *file = answers_get_path(c->a, "airgap.bundle"), *cause = NULL, *ref;

	fprintf(f, _("      verify and unpack %s, then push its images to "
	    "%s%s\n"), file, answers_get(c->a, "airgap.registry"),
	    answers_get_bool(c->a, "airgap.plain_http") ? " (plain http)" :
	    "");
	if (*answers_get(c->a, "airgap.bundle_pubkey") != '\0')
		fprintf(f, _("      only if it is signed by the key in %s\n"),
		    answers_get(c->a, "airgap.bundle_pubkey"));
	ref = bundle_chart_ref(answers_get(c->a, "airgap.registry"), repo,
	    "NAME", &cause);
	if (ref != NULL)
		fprintf(f, _("      and its charts, as OCI artifacts, to "
		    "%s:VERSION\n"), ref);
	else
		fprintf(f, _("      (its charts are not pushed: they must be in "
		    "the Helm repository %s)\n"), repo);
	free(ref);
	free(cause);
	free(file);
}

const struct action action_bundle = {
	"bundle-push",
	N_("verify the offline bundle and push its images and charts"),
	N_("`wbinstall bundle verify` and `wbinstall bundle push` do the same "
	   "step by step and say more"),
	bundle_wanted,
	bundle_inputs,
	bundle_apply,
	NULL,
	NULL,
	bundle_describe,
};
