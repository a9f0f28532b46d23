/*
 * The registry family (air gap): every image of the bundle is in the
 * internal registry, where bundle push puts it (oci_mirror_path under
 * airgap.registry, at its tag), with the digest the bundle recorded.
 * Asked with manifest HEAD requests only (the Docker-Content-Digest of
 * the answer), with the TLS and the credentials bundle push uses.  When
 * helm can render the bundle's operator-wandb chart with the site's
 * values, each image it renders must be among them (registry.chart).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle.h"
#include "chart-render.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "plan.h"
#include "preflight.h"
#include "registry.h"
#include "render.h"
#include "runner.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

#define T	"registry"

/* The push's fix, for hints. */
static char *
push_hint(const struct answers *a)
{
	return xprintf(_("push the bundle: wbinstall bundle push %s "
	    "--registry %s (or the install's bundle-push step)"),
	    answers_get(a, "airgap.bundle"), answers_get(a, "airgap.registry"));
}

/* One image: 0 pass, 1 fail (added to L), -1 the registry cannot be
 * asked (added too). */
static int
check_image(struct registry *reg, const struct answers *a,
    const struct bundle_image *im, struct check_list *l)
{
	struct oci_ref ref;
	char *cause = NULL, *repo, *digest = NULL, *hint, *where;
	const char *tag;
	int rc;

	if (oci_ref_parse(im->ref, &ref, &cause) != 0) {
		checks_add(l, T, "registry.image", CHECK_FAIL, im->ref, NULL,
		    NULL, "%s", cause);
		free(cause);
		return 1;
	}
	repo = oci_mirror_path(&ref);
	tag = ref.tag != NULL ? ref.tag : im->digest;
	where = xprintf("%s/%s:%s", answers_get(a, "airgap.registry"), repo,
	    tag);
	rc = registry_manifest_head(reg, repo, tag, &digest, &cause);
	hint = push_hint(a);
	if (rc < 0) {
		checks_add(l, T, "registry.image", CHECK_FAIL, where, NULL,
		    hint, "%s", cause);
		rc = -1;
	} else if (rc == 0) {
		checks_add(l, T, "registry.image", CHECK_FAIL, _("absent"),
		    im->digest, hint, _("%s is not in the registry"), where);
		rc = 1;
	} else if (strcmp(digest, im->digest) != 0) {
		checks_add(l, T, "registry.image", CHECK_FAIL, digest,
		    im->digest, hint, _("%s has another digest than the "
		    "bundle's: %s there, %s in the bundle"), where, digest,
		    im->digest);
		rc = 1;
	} else
		rc = 0;
	log_info("registry: %s: %s", where, rc == 0 ? "present" : "no");
	free(hint);
	free(where);
	free(digest);
	free(cause);
	free(repo);
	oci_ref_free(&ref);
	return rc;
}

/* registry.chart: what the chart renders is in the bundle. */
static void
check_chart(const struct answers *a, const struct bundle_manifest *m,
    const char *file, struct check_list *l)
{
	struct chart_images imgs = { NULL, 0 };
	struct chart_src s;
	struct runner r;
	char *cause = NULL, *values = NULL, *out = NULL, *want, *have;
	const char *reg = render_registry(a);
	size_t vlen, olen, i, j, nbad = 0;
	int cached, found;

	if (chart_src_open(&s, NULL, file, &cause) != 0) {
		checks_add(l, T, "registry.chart", CHECK_SKIP, NULL, NULL, NULL,
		    _("not rendered: %s"), cause);
		free(cause);
		return;
	}
	if ((values = chart_values(a, &vlen, &cause)) == NULL ||
	    runner_open(&r, a, 0, NULL, &cause) != 0) {
		checks_add(l, T, "registry.chart", CHECK_SKIP, NULL, NULL, NULL,
		    _("not rendered: %s"), cause);
		goto out;
	}
	if (chart_template(&r, &s, values, vlen, 0, &out, &olen, &cached,
	    &cause) != 0 || chart_images(out, olen, &imgs, &cause) != 0) {
		runner_close(&r);
		checks_add(l, T, "registry.chart", CHECK_SKIP, NULL, NULL, NULL,
		    _("not rendered: %s"), cause);
		goto out;
	}
	runner_close(&r);
	for (i = 0; i < imgs.n; i++) {
		want = xstrdup(chart_published(imgs.v[i].ref, reg));
		found = 0;
		for (j = 0; j < m->nimages && !found; j++) {
			have = m->images[j].ref;
			found = strcmp(have, want) == 0 ||
			    (strncmp(have, "docker.io/", 10) == 0 &&
			    strcmp(have + 10, want) == 0);
		}
		if (!found) {
			checks_add(l, T, "registry.chart", CHECK_FAIL,
			    imgs.v[i].ref, NULL, _("make a bundle that carries "
			    "it: bundle create --answers ANSWERS "
			    "--add-missing"), _("the chart renders %s (%s), "
			    "which the bundle does not carry"), want,
			    imgs.v[i].workloads[0]);
			nbad++;
		}
		free(want);
	}
	if (nbad == 0)
		checks_add(l, T, "registry.chart", CHECK_PASS, NULL, NULL, NULL,
		    ngettext("the bundle carries the %zu image the chart "
		    "renders", "the bundle carries the %zu images the chart "
		    "renders", imgs.n), imgs.n);
out:
	free(cause);
	free(out);
	free(values);
	chart_images_free(&imgs);
	chart_src_close(&s);
}

/* registry.image for every image of the bundle; 0 when the family runs
 * nothing (connected), else the bundle's manifest (the caller frees). */
static struct bundle_manifest *
registry_images(const struct answers *a, atomic_int *cancel,
    struct check_list *l, char **filep)
{
	struct registry_opts ro;
	struct registry *reg;
	struct bundle_manifest *m;
	struct plan_push pp;
	char *cause = NULL, *obs;
	size_t i, nbad = 0;
	int rc, sig;

	*filep = NULL;
	if (!answers_get_bool(a, "airgap.enabled"))
		return NULL;	/* connected: nothing mirrored */
	/* The registry, its TLS and credentials as bundle push has them. */
	if (plan_push_from_answers(a, NULL, &pp, &cause) != 0) {
		checks_add(l, T, "registry.image", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		free(cause);
		return NULL;
	}
	if ((m = bundle_inspect(pp.file, &sig, NULL, &cause)) == NULL) {
		checks_add(l, T, "registry.image", CHECK_FAIL, NULL, NULL,
		    _("airgap.bundle must name the bundle that was pushed"),
		    "%s", cause);
		free(cause);
		plan_push_free(&pp);
		return NULL;
	}
	memset(&ro, 0, sizeof ro);
	ro.host = pp.o.registry;
	ro.plain_http = pp.o.plain_http;
	ro.ca_file = pp.o.ca_file;
	ro.user = pp.o.user;
	ro.password = pp.o.password;
	ro.cancel = cancel;
	reg = registry_new(&ro);
	for (i = 0; i < m->nimages; i++) {
		if (cancel != NULL && *cancel)
			break;
		rc = check_image(reg, a, &m->images[i], l);
		if (rc != 0)
			nbad++;
		if (rc < 0)
			break;	/* the registry cannot be asked */
	}
	registry_free(reg);
	if (nbad == 0 && i == m->nimages) {
		obs = xprintf(ngettext("%zu image present", "%zu images "
		    "present", m->nimages), m->nimages);
		checks_add(l, T, "registry.image", CHECK_PASS, obs,
		    _("the bundle's digests"), NULL, ngettext("the %zu image "
		    "of the bundle is in %s with its digest", "the %zu images "
		    "of the bundle are in %s with their digests", m->nimages),
		    m->nimages, ro.host);
		free(obs);
	}
	*filep = pp.file;
	pp.file = NULL;
	plan_push_free(&pp);
	return m;
}

void
preflight_registry_images(const struct answers *a, atomic_int *cancel,
    struct check_list *l)
{
	char *file;

	bundle_manifest_free(registry_images(a, cancel, l, &file));
	free(file);
}

static void
registry_run(const struct answers *a, const struct preflight_opts *o,
    struct check_list *l)
{
	struct bundle_manifest *m;
	char *file;

	if (o->progress != NULL && answers_get_bool(a, "airgap.enabled"))
		o->progress(o->progress_arg, T, "images");
	m = registry_images(a, o->cancel, l, &file);
	if (m != NULL)
		check_chart(a, m, file, l);
	bundle_manifest_free(m);
	free(file);
}

const struct preflight_family preflight_registry = {
	"registry",
	registry_run,
};
