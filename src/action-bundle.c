/* Action "bundle-push" (air gap): verify and unpack the bundle, push its
 * images to the internal registry (bundle.h does all three). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "i18n.h"
#include "plan.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

static int
bundle_wanted(struct plan_ctx *c)
{
	return answers_get_bool(c->a, "airgap.enabled");
}

/* A path of the answers, relative to the answers file's directory. */
static char *
bundle_path(struct plan_ctx *c, const char *key)
{
	const char *p = answers_get(c->a, key), *slash;

	if (*p == '\0' || *p == '/' || *p == '~' || c->a->path == NULL ||
	    (slash = strrchr(c->a->path, '/')) == NULL)
		return expand_home(p);
	return xprintf("%.*s/%s", (int)(slash - c->a->path), c->a->path, p);
}

static char *
bundle_inputs(struct plan_ctx *c)
{
	char *file = bundle_path(c, "airgap.bundle"), *cause = NULL, *s;
	char mhex[65] = "";
	struct bundle_manifest *m;
	int sig;

	m = bundle_inspect(file, &sig, mhex, &cause);
	bundle_manifest_free(m);
	free(cause);
	s = xprintf("%s %s %s", file, mhex, answers_get(c->a,
	    "airgap.registry"));
	free(file);
	return s;
}

static int
bundle_apply(struct plan_ctx *c, char **cause)
{
	struct bundle_push_opts o;
	struct bundle_push_stats st;
	char *file = bundle_path(c, "airgap.bundle");
	char *ca = NULL, *pw = NULL;
	int rc = -1;

	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.registry = answers_get(c->a, "airgap.registry");
	o.plain_http = answers_get_bool(c->a, "airgap.plain_http");
	if (*answers_get(c->a, "airgap.registry_ca") != '\0')
		o.ca_file = ca = bundle_path(c, "airgap.registry_ca");
	if (*answers_get(c->a, "airgap.registry_user") != '\0') {
		o.user = answers_get(c->a, "airgap.registry_user");
		pw = answers_resolve(c->a, "airgap.registry_password", cause);
		if (pw == NULL)
			goto out;
		o.password = pw;
	}
	if (bundle_push(file, &o, &st, cause) != 0)
		goto out;
	fprintf(c->out, _("      %u images: %u blobs uploaded, %u mounted, %u "
	    "already there\n"), st.images, st.uploaded, st.mounted, st.present);
	rc = 0;
out:
	if (pw != NULL)
		xfree_secret(pw);
	free(ca);
	free(file);
	return rc;
}

static void
bundle_describe(struct plan_ctx *c, FILE *f)
{
	char *file = bundle_path(c, "airgap.bundle");

	fprintf(f, _("      verify and unpack %s, then push its images to "
	    "%s%s\n"), file, answers_get(c->a, "airgap.registry"),
	    answers_get_bool(c->a, "airgap.plain_http") ? " (plain http)" :
	    "");
	free(file);
}

const struct action action_bundle = {
	"bundle-push",
	N_("verify the offline bundle and push its images"),
	N_("`wbinstall bundle verify` and `wbinstall bundle push` do the same "
	   "step by step and say more"),
	bundle_wanted,
	bundle_inputs,
	bundle_apply,
	NULL,
	NULL,
	bundle_describe,
};
