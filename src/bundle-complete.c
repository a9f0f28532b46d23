/*
 * Is a bundle complete?  Its operator-wandb chart, rendered as the site
 * will render it, must pull only images the bundle carries.  bundle
 * create renders it with the defaults of every products set and with a
 * site's own answers (--answers), and refuses, or adds (--add-missing),
 * each image the spec lacks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle-complete.h"
#include "bundle.h"
#include "chart-render.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "render.h"
#include "runner.h"
#include "util.h"
#include "xmalloc.h"

/* The products sets of the answers table, each rendered with the rest of
 * the answers at placeholders (nothing the chart's images depend on). */
static const char *const products_sets[] = { "models", "weave",
    "models+weave" };

static const char defaults_yaml[] =
    "version: 1\n"
    "deployment: {platform: kubernetes, products: %s}\n"
    "domain: {fqdn: wandb.example.com}\n"
    "license: {value: {value: \"x\"}}\n"
    "targets: [{host: k8s.example.com, roles: [app]}]\n"
    "kubernetes: {namespace: wandb, ingress_class: nginx, "
    "tls_secret: wandb-tls}\n"
    "mysql: {host: mysql.example.com, port: 3306, database: wandb, "
    "user: wandb, password: {value: \"x\"}}\n"
    "storage: {provider: s3, bucket: wandb, region: us-east-1, "
    "access_key: {value: \"x\"}, secret_key: {value: \"x\"}}\n";

/* "docker.io/wandb/local:latest": one spelling per image, or NULL. */
static char *
canonical(const char *ref)
{
	struct oci_ref r;
	char *cause = NULL, *out;

	if (oci_ref_parse(ref, &r, &cause) != 0) {
		free(cause);
		return NULL;
	}
	out = xprintf("%s/%s:%s%s%s", r.domain, r.path, r.tag != NULL ?
	    r.tag : "latest", r.digest != NULL ? "@" : "", r.digest != NULL ?
	    r.digest : "");
	oci_ref_free(&r);
	return out;
}

static int
carried(const struct bundle_manifest *spec, const char *ref)
{
	char *want = canonical(ref), *have;
	size_t i;
	int found = 0;

	if (want == NULL)
		return 0;
	for (i = 0; i < spec->nimages && !found; i++) {
		have = canonical(spec->images[i].ref);
		found = have != NULL && strcmp(have, want) == 0;
		free(have);
	}
	free(want);
	return found;
}

static void
missing_add(struct bundle_missing_list *l, const char *image,
    const struct chart_image *im)
{
	struct bundle_missing *m;
	char *want = canonical(image), *have;
	size_t i, j;

	/* One entry per image, however the renders spell it. */
	for (i = 0; i < l->n; i++) {
		have = canonical(l->v[i].image);
		j = have != NULL && want != NULL && strcmp(have, want) == 0;
		free(have);
		if (j || strcmp(l->v[i].image, image) == 0)
			break;
	}
	free(want);
	if (i == l->n) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		m = &l->v[l->n++];
		m->image = xstrdup(image);
		m->workloads = xstrdup("");
	}
	m = &l->v[i];
	for (j = 0; j < im->nworkloads; j++) {
		if (strstr(m->workloads, im->workloads[j]) != NULL)
			continue;
		char *t = xprintf("%s%s%s", m->workloads,
		    *m->workloads != '\0' ? ", " : "", im->workloads[j]);
		free(m->workloads);
		m->workloads = t;
	}
}

/* Render with A and add what SPEC lacks to L. */
static int
check_one(struct runner *r, const struct chart_src *s,
    const struct bundle_manifest *spec, const struct answers *a,
    int progress, struct bundle_missing_list *l, char vhex[65],
    char **cause)
{
	struct chart_images imgs;
	const char *ref;
	char *values, *out;
	size_t vlen, olen, i;
	int cached;

	values = chart_values(a, &vlen, cause);
	if (values == NULL)
		return -1;
	sha256_hex(values, vlen, vhex);
	if (chart_template(r, s, values, vlen, progress ? CHART_PROGRESS : 0,
	    &out, &olen, &cached,
	    cause) != 0) {
		free(values);
		return -1;
	}
	free(values);
	if (chart_images(out, olen, &imgs, cause) != 0) {
		free(out);
		return -1;
	}
	free(out);
	for (i = 0; i < imgs.n; i++) {
		ref = chart_published(imgs.v[i].ref, render_registry(a));
		if (!carried(spec, ref))
			missing_add(l, ref, &imgs.v[i]);
	}
	chart_images_free(&imgs);
	return 0;
}

int
bundle_complete_check(const struct bundle_manifest *spec,
    const char *charts_dir, const struct answers *site, const char *site_name,
    int progress, struct bundle_missing_list *l, char **checked,
    char **cause)
{
	const struct bundle_chart *ch = NULL;
	struct answers_errors errs = { NULL, 0 };
	struct chart_src s;
	struct runner r;
	struct answers *a;
	char *path, *text, *t, vhex[65];
	size_t i;
	int rc = -1;

	memset(l, 0, sizeof *l);
	*checked = NULL;
	for (i = 0; i < spec->ncharts; i++)
		if (strcmp(spec->charts[i].name, RENDER_CHART_NAME) == 0)
			ch = &spec->charts[i];
	if (ch == NULL || charts_dir == NULL)
		return 1;	/* no chart to render: nothing to check */
	path = xprintf("%s/%s-%s.tgz", charts_dir, ch->name, ch->version);
	if (chart_src_open(&s, path, NULL, cause) != 0) {
		free(path);
		return -1;
	}
	free(path);
	runner_local(&r, NULL);
	*checked = xprintf(_("%s %s rendered with the defaults of "),
	    ch->name, ch->version);
	for (i = 0; i < sizeof products_sets / sizeof products_sets[0]; i++) {
		text = xprintf(defaults_yaml, products_sets[i]);
		a = answers_load_buffer("defaults", text, strlen(text), &errs);
		free(text);
		if (a == NULL || errs.n != 0) {
			/* A programming error: the placeholders are wrong. */
			*cause = xprintf("the defaults of products %s do not "
			    "load", products_sets[i]);
			answers_errors_clear(&errs);
			answers_free(a);
			goto out;
		}
		if (check_one(&r, &s, spec, a, progress, l, vhex,
		    cause) != 0) {
			answers_free(a);
			goto out;
		}
		answers_free(a);
		t = xprintf("%s%s%s", *checked, i == 0 ? "" : ", ",
		    products_sets[i]);
		free(*checked);
		*checked = t;
	}
	if (site != NULL) {
		if (check_one(&r, &s, spec, site, progress, l, vhex,
		    cause) != 0)
			goto out;
		t = xprintf(_("%s; and with the answers %s (spec.values "
		    "sha256:%.12s)"), *checked, site_name, vhex);
		free(*checked);
		*checked = t;
	}
	log_info("bundle create: %s: %zu images missing", *checked, l->n);
	rc = 0;
out:
	if (rc != 0) {
		free(*checked);
		*checked = NULL;
		bundle_missing_free(l);
	}
	runner_close(&r);
	chart_src_close(&s);
	return rc;
}

void
bundle_missing_free(struct bundle_missing_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].image);
		free(l->v[i].workloads);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
