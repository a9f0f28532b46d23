/* wbinstall images --answers FILE [--chart DIR|TGZ | --bundle FILE] [--json] */
#include "config.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers.h"
#include "chart-render.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "render.h"
#include "runner.h"
#include "ssh.h"
#include "util.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_images_entry;
#define SELF	(&cmd_images_entry)

enum { O_CHART = CMD_LONG, O_BUNDLE, O_NO_PROGRESS };

static const struct cmd_opt images_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "chart", O_CHART, "DIR|TGZ", N_("the operator-wandb chart: a "
	    "directory or a .tgz"), NULL },
	{ "bundle", O_BUNDLE, "FILE", N_("the chart of this bundle "
	    "(default: airgap.bundle)"), NULL },
	{ "json", 'j', NULL, N_("print the images as JSON"), NULL },
	{ "no-progress", O_NO_PROGRESS, NULL, N_("no progress line while "
	    "helm runs"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
outside(const char *ref, const char *registry)
{
	return registry != NULL && chart_published(ref, registry) == ref;
}

static void
print_json(const struct chart_images *l, const struct chart_src *s,
    const char *registry, int cached)
{
	json_t *root, *arr, *im, *wl;
	size_t i, j;
	char *out;

	arr = json_array();
	for (i = 0; i < l->n; i++) {
		wl = json_array();
		for (j = 0; j < l->v[i].nworkloads; j++)
			json_array_append_new(wl,
			    json_string(l->v[i].workloads[j]));
		im = json_pack("{s:s, s:s, s:o, s:b}", "image",
		    chart_published(l->v[i].ref, registry), "pulled_as",
		    l->v[i].ref,
		    "workloads", wl, "under_registry",
		    !outside(l->v[i].ref, registry));
		json_array_append_new(arr, im);
	}
	root = json_pack("{s:s, s:s, s:o, s:b, s:o}", "chart", s->what,
	    "chart_sha256", s->digest, "registry", registry != NULL ?
	    json_string(registry) : json_null(), "cached", cached,
	    "images", arr);
	out = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	printf("%s\n", out);
	free(out);
	json_decref(root);
}

static void
print_table(const struct chart_images *l, const char *registry)
{
	size_t i, j;
	char *t;

	for (i = 0; i < l->n; i++) {
		t = text_printable(l->v[i].ref);
		printf("%s\n", t);
		free(t);
		if (registry != NULL) {
			t = text_printable(chart_published(l->v[i].ref,
			    registry));
			printf(outside(l->v[i].ref, registry) ?
			    _("    NOT UNDER %s: pulled from its own "
			    "registry\n") : _("    image: %s\n"),
			    outside(l->v[i].ref, registry) ? registry : t);
			free(t);
		}
		for (j = 0; j < l->v[i].nworkloads; j++) {
			t = text_printable(l->v[i].workloads[j]);
			printf("    %s\n", t);
			free(t);
		}
	}
	printf(ngettext("%zu image\n", "%zu images\n", l->n), l->n);
}

static int
cmd_images_exec(int argc, char **argv)
{
	const char *file = NULL, *chart = NULL, *bundle = NULL;
	const char *registry;
	struct chart_images l = { NULL, 0 };
	struct chart_src s;
	struct cmd_parse p;
	struct answers *a;
	struct runner r;
	char *cause = NULL, *values = NULL, *out = NULL;
	size_t vlen = 0, olen = 0, i;
	int c, json = 0, progress, cached = 0, rc = EXIT_FAIL, bad = 0;

	progress = isatty(STDERR_FILENO);
	cmd_parse_init(&p, SELF, NULL);
	while ((c = cmd_parse_next(&p, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case O_CHART:
			chart = optarg;
			break;
		case O_BUNDLE:
			bundle = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case O_NO_PROGRESS:
			progress = 0;
			break;
		}
	}
	cmd_parse_free(&p);
	if (c < 0)
		return p.rc;
	if (cmd_answers_args(SELF, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (chart != NULL && bundle != NULL)
		return cmd_usage_error(SELF, _("--chart and --bundle go "
		    "alone"));
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	if (chart == NULL && bundle == NULL) {
		bundle = answers_get(a, "airgap.bundle");
		if (*bundle == '\0') {
			answers_free(a);
			return cmd_usage_error(SELF, _("say which chart: "
			    "--chart DIR|TGZ or --bundle FILE (or "
			    "airgap.bundle)"));
		}
	}
	if (chart_src_open(&s, chart, bundle, &cause) != 0) {
		answers_free(a);
		rc = cmd_fail(EXIT_USAGE, "%s", cause);
		free(cause);
		return rc;
	}
	values = chart_values(a, &vlen, &cause);
	if (values == NULL) {
		rc = cmd_fail(EXIT_USAGE, "%s", cause);
		goto out;
	}
	ssh_allow_prompt(isatty(STDIN_FILENO));
	if (runner_open(&r, a, 0, NULL, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		goto out;
	}
	if (chart_template(&r, &s, values, vlen, progress && !json ?
	    CHART_PROGRESS : 0, &out,
	    &olen, &cached, &cause) != 0 ||
	    chart_images(out, olen, &l, &cause) != 0) {
		runner_close(&r);
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		goto out;
	}
	runner_close(&r);
	registry = render_registry(a);
	if (json)
		print_json(&l, &s, registry, cached);
	else
		print_table(&l, registry);
	for (i = 0; i < l.n; i++)
		bad += outside(l.v[i].ref, registry);
	if (bad > 0 && !json)
		fprintf(stderr, ngettext("wbinstall: %d image is not under "
		    "%s: the air-gapped site cannot pull it\n",
		    "wbinstall: %d images are not under %s: the air-gapped "
		    "site cannot pull them\n", (unsigned long)bad), bad,
		    registry);
	log_info("images: %s: %zu images, %d outside the registry%s", s.what,
	    l.n, bad, cached ? " (cached render)" : "");
	rc = bad > 0 ? EXIT_FAIL : EXIT_OK;
out:
	free(cause);
	free(out);
	free(values);
	chart_images_free(&l);
	chart_src_close(&s);
	answers_free(a);
	return rc;
}

const struct cmd_entry cmd_images_entry = {
	"images",
	NULL,
	N_("List every image this site's install will pull, as the chart "
	   "renders it."),
	N_("helm template renders the chart with exactly the values that "
	   "render writes\ninto the WeightsAndBiases resource (spec.values), "
	   "here or on the control\ntarget; each image is listed with the "
	   "workloads that run it and, in an air\ngap, the image it mirrors. "
	   "A render is kept in the state directory under\nthe chart's and the "
	   "values' SHA-256 and reused.\n"
	   "\nExit status: 0 listed, 1 helm failed or, in an air gap, an image "
	   "is not\nunder airgap.registry, 2 bad usage, invalid answers or no "
	   "chart.\n"),
	cmd_images_exec,
	images_opts,
	NULL,
};
