/* Action "namespace-secrets": the namespace and the Secrets, applied with
 * the manifest on kubectl's stdin. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

#define SECRETS_FILE	"k8s/secrets.yaml"

static const char *const apply_argv[] = { "kubectl", "apply", "-f", "-",
	NULL };

/* A Namespace document, then the rendered Secrets (SHOWN: as printed,
 * every secret masked where it is written). */
static char *
secrets_manifest(struct plan_ctx *c, int shown, size_t *lenp, char **cause)
{
	const struct render_file *f = shown ?
	    plan_shown_file(c, SECRETS_FILE, cause) :
	    plan_file(c, SECRETS_FILE, cause);
	struct ynode *ns, *md;
	char *text, *out;
	size_t len, sep;

	if (f == NULL)
		return NULL;
	ns = ynode_new(Y_MAP, NULL, NULL);
	y_str(ns, "apiVersion", "v1");
	y_str(ns, "kind", "Namespace");
	md = y_map(ns, "metadata");
	y_str(md, "name", plan_namespace(c));
	text = ynode_emit(&ns, 1, &len);
	ynode_free(ns);
	/* A stream of several documents starts with its own marker. */
	sep = f->len >= 4 && memcmp(f->data, "---\n", 4) == 0 ? 0 : 4;
	*lenp = len + sep + f->len;
	out = xmalloc(*lenp + 1);
	memcpy(out, text, len);
	memcpy(out + len, "---\n", sep);
	memcpy(out + len + sep, f->data, f->len);
	out[*lenp] = '\0';
	free(text);
	return out;
}

static char *
secrets_inputs(struct plan_ctx *c)
{
	char *cause = NULL, *m;
	size_t len;

	if ((m = secrets_manifest(c, 0, &len, &cause)) == NULL) {
		free(cause);
		return xstrdup("");
	}
	return m;
}

static int
secrets_apply(struct plan_ctx *c, char **cause)
{
	size_t len;
	char *m;
	int rc;

	if ((m = secrets_manifest(c, 0, &len, cause)) == NULL)
		return -1;
	rc = plan_exec(c, apply_argv, m, len, "namespace + " SECRETS_FILE,
	    120000, NULL, cause);
	xfree_secret(m);
	return rc;
}

static void
secrets_describe(struct plan_ctx *c, FILE *f)
{
	char *cause = NULL, *m;
	size_t len;

	plan_print_cmd(f, apply_argv, "namespace + " SECRETS_FILE);
	if ((m = secrets_manifest(c, 1, &len, &cause)) == NULL) {
		fprintf(f, "      %s\n", cause);
		free(cause);
		return;
	}
	plan_print_stdin(f, m, len);
	xfree_secret(m);
}

const struct action action_secrets = {
	"namespace-secrets",
	N_("create the namespace and the Secrets (license, MySQL, bucket)"),
	N_("check that the kubeconfig on the control host may create "
	   "namespaces and Secrets (kubectl auth can-i create secrets -n "
	   "NAMESPACE)"),
	NULL,
	secrets_inputs,
	secrets_apply,
	NULL,
	NULL,
	secrets_describe,
};
