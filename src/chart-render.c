/*
 * helm template of the W&B chart with the values render writes, cached
 * by digest, and the images of what it renders.
 *
 * Which objects run containers, and where their pod spec is, follows the
 * Kubernetes API (core/v1 Pod; apps/v1 Deployment, StatefulSet, DaemonSet,
 * ReplicaSet; batch/v1 Job and CronJob): spec, spec.template.spec or
 * spec.jobTemplate.spec.template.spec, each with containers,
 * initContainers and ephemeralContainers.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "answers.h"
#include "bundle.h"
#include "chart-render.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "paths.h"
#include "render.h"
#include "runner.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml-read.h"

#define CHART_NAME	RENDER_CHART_NAME
/* helm template of the full chart takes a few seconds; a slow control
 * host gets ten minutes. */
#define TEMPLATE_TIMEOUT_MS	(10 * 60 * 1000)
/* Larger output than this is refused. */
#define TEMPLATE_MAX		(256 * 1024 * 1024)
/* Where a chart .tgz goes on the control target. */
#define REMOTE_CHART_DIR	".wbinstall/charts"

/* The listening thread's own (chart_listen). */
static _Thread_local struct chart_listener listener;

char *
chart_values(const struct answers *a, size_t *lenp, char **cause)
{
	struct render_set set;
	const struct render_file *f;
	struct ynode **docs = NULL, *values;
	size_t ndocs = 0, i;
	char *out = NULL;

	/* As shown: spec.values names Secrets and holds no secret, so none
	 * needs to resolve. */
	memset(&set, 0, sizeof set);
	if (bundle_render(a, 1, &set, cause) != 0)
		return NULL;
	f = render_find(&set, "helm/wandb-cr.yaml");
	if (f == NULL || ynode_parse(f->data, f->len, &docs, &ndocs,
	    cause) != 0) {
		if (f == NULL)
			*cause = xstrdup(_("render wrote no helm/wandb-cr.yaml"));
		render_set_free(&set);
		return NULL;
	}
	values = ndocs == 1 ? y_get(y_get(docs[0], "spec"), "values") : NULL;
	if (values == NULL)
		*cause = xstrdup(_("helm/wandb-cr.yaml has no spec.values"));
	else
		out = ynode_emit(&values, 1, lenp);
	for (i = 0; i < ndocs; i++)
		ynode_free(docs[i]);
	free(docs);
	render_set_free(&set);
	return out;
}

static int
fts_order(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* The digest of a directory: every regular file's path (from the top)
 * and bytes, in the order of their names. */
static int
dir_digest(const char *dir, char hex[65], char **cause)
{
	char *const roots[] = { (char *)dir, NULL };
	struct sha256 h;
	FTS *fts;
	FTSENT *e;
	size_t len, skip = strlen(dir);
	char *data;
	int rc = 0;

	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, fts_order);
	if (fts == NULL) {
		*cause = xprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	oci_sha256_init(&h);
	while (rc == 0 && (e = fts_read(fts)) != NULL) {
		if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR) {
			*cause = xprintf("%s: %s", e->fts_path,
			    strerror(e->fts_errno));
			rc = -1;
		}
		if (e->fts_info != FTS_F)
			continue;
		data = read_file(e->fts_path, BUNDLE_CHART_MAX, &len, cause);
		if (data == NULL) {
			rc = -1;
			break;
		}
		oci_sha256_update(&h, e->fts_path + skip,
		    strlen(e->fts_path + skip) + 1);
		oci_sha256_update(&h, data, len);
		free(data);
	}
	oci_sha256_final(&h, hex);
	fts_close(fts);
	return rc;
}

/* charts/operator-wandb-*.tgz of a bundle, into memory. */
static int
bundle_chart(struct chart_src *s, const char *bundle, char **cause)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	const char *name;
	la_ssize_t n;
	size_t want = strlen("charts/" CHART_NAME "-");
	int rc = -1, r;

	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, bundle, 64 * 1024) != ARCHIVE_OK) {
		*cause = xprintf(_("%s: not a bundle: %s"), bundle,
		    archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		name = archive_entry_pathname(e);
		if (strncmp(name, "charts/" CHART_NAME "-", want) != 0 ||
		    strlen(name) < 4 ||
		    strcmp(name + strlen(name) - 4, ".tgz") != 0)
			continue;
		if (archive_entry_size(e) <= 0 ||
		    archive_entry_size(e) > BUNDLE_CHART_MAX) {
			*cause = xprintf(_("%s: %s is too large or empty"),
			    bundle, name);
			goto out;
		}
		s->len = (size_t)archive_entry_size(e);
		s->tgz = xmalloc(s->len);
		n = archive_read_data(a, s->tgz, s->len);
		if (n < 0 || (size_t)n != s->len) {
			*cause = xprintf(_("%s: %s: %s"), bundle, name,
			    n < 0 ? archive_error_string(a) : _("cut short"));
			goto out;
		}
		s->what = xprintf("%s (%s)", name, bundle);
		rc = 0;
		goto out;
	}
	*cause = r == ARCHIVE_EOF ? xprintf(_("%s holds no %s chart"), bundle,
	    CHART_NAME) : xprintf(_("%s: not a bundle: %s"), bundle,
	    archive_error_string(a));
out:
	archive_read_free(a);
	return rc;
}

int
chart_src_open(struct chart_src *s, const char *path, const char *bundle,
    char **cause)
{
	struct stat st;
	char *p;

	memset(s, 0, sizeof *s);
	if (path == NULL) {
		if (bundle_chart(s, bundle, cause) != 0) {
			chart_src_close(s);
			return -1;
		}
		sha256_hex(s->tgz, s->len, s->digest);
		return 0;
	}
	if (stat(path, &st) != 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	s->what = xstrdup(path);
	if (S_ISDIR(st.st_mode)) {
		p = xprintf("%s/Chart.yaml", path);
		if (access(p, R_OK) != 0) {
			*cause = xprintf(_("%s is not a chart: it has no "
			    "Chart.yaml"), path);
			free(p);
			chart_src_close(s);
			return -1;
		}
		free(p);
		s->dir = xstrdup(path);
		if (dir_digest(path, s->digest, cause) != 0) {
			chart_src_close(s);
			return -1;
		}
		return 0;
	}
	s->tgz = read_file(path, BUNDLE_CHART_MAX, &s->len, cause);
	if (s->tgz == NULL) {
		chart_src_close(s);
		return -1;
	}
	sha256_hex(s->tgz, s->len, s->digest);
	return 0;
}

void
chart_src_close(struct chart_src *s)
{
	free(s->what);
	free(s->dir);
	free(s->tgz);
	memset(s, 0, sizeof *s);
}

char *
chart_cache_dir(void)
{
	return paths_state("renders");
}

/* The chart as helm on the runner can read it: the directory, or the
 * .tgz (written where the runner runs, under its digest). */
static char *
chart_path(struct runner *r, const struct chart_src *s, char **tmp,
    char **cause)
{
	const char *t;
	char *p;
	int fd;

	*tmp = NULL;
	if (r->ssh == NULL && s->dir != NULL)
		return xstrdup(s->dir);
	if (s->dir != NULL) {
		*cause = xprintf(_("%s: helm runs on %s; give the chart as a "
		    ".tgz (helm package) or a bundle"), s->what, r->where);
		return NULL;
	}
	if (r->ssh != NULL) {
		p = xprintf("%s/%s-%s.tgz", REMOTE_CHART_DIR, CHART_NAME,
		    s->digest);
		if (runner_put(r, p, s->tgz, s->len, cause) != 0) {
			free(p);
			return NULL;
		}
		return p;
	}
	t = getenv("TMPDIR");
	p = xprintf("%s/wbinstall-chart-XXXXXX.tgz", t != NULL &&
	    *t == '/' ? t : "/tmp");
	fd = mkstemps(p, 4);
	if (fd == -1 || write(fd, s->tgz, s->len) != (ssize_t)s->len) {
		*cause = xprintf(_("cannot write a temporary file: %s"),
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(p);
		}
		free(p);
		return NULL;
	}
	close(fd);
	*tmp = p;
	return xstrdup(p);
}

void
chart_listen(const struct chart_listener *l)
{
	if (l != NULL)
		listener = *l;
	else
		memset(&listener, 0, sizeof listener);
}

static void
heard(const struct chart_src *s, const struct runner *r, int started)
{
	if (listener.rendering != NULL)
		listener.rendering(listener.arg, s->what, r->where, started);
}

int
chart_template(struct runner *r, const struct chart_src *s,
    const char *values, size_t vlen, int flags, char **out,
    size_t *outlen, int *cached, char **cause)
{
	/* The operator installs the chart and never runs `helm test`: its
	 * test Pod is left out (--skip-tests). */
	const char *argv[] = { "helm", "template", "wandb", NULL, "--values",
	    "-", "--skip-tests", NULL };
	char vhex[65], *dir, *file, *path, *tmp = NULL, *t;
	struct run_result res;
	time_t t0;
	int rc = -1, ran;

	*out = NULL;
	*cached = 0;
	sha256_hex(values, vlen, vhex);
	dir = chart_cache_dir();
	file = xprintf("%s/%s-%s.yaml", dir, s->digest, vhex);
	if (!(flags & CHART_FRESH) && access(file, R_OK) == 0) {
		*out = read_file(file, TEMPLATE_MAX, outlen, cause);
		if (*out != NULL) {
			*cached = 1;
			log_info("chart: %s from the cache %s", s->what, file);
			rc = 0;
			goto done;
		}
		free(*cause);
		*cause = NULL;
	}
	switch (runner_have(r, "helm", cause)) {
	case 1:
		break;
	case 0:
		*cause = xprintf(_("no helm on %s: helm 3 renders the chart "
		    "%s"), r->where, s->what);
		/* FALLTHROUGH */
	default:
		goto done;
	}
	path = chart_path(r, s, &tmp, cause);
	if (path == NULL)
		goto done;
	argv[3] = path;
	if (flags & CHART_PROGRESS)
		fprintf(stderr, _("Rendering %s with helm on %s...\n"),
		    s->what, r->where);
	t0 = time(NULL);
	heard(s, r, 1);
	ran = runner_run(r, argv, values, vlen, "values (spec.values)",
	    TEMPLATE_TIMEOUT_MS, &res, cause);
	heard(s, r, 0);
	free(path);
	if (ran != 0)
		goto done;
	if (res.status != 0) {
		t = runner_tail(res.err, 6);
		*cause = xprintf(_("helm template of %s failed: %s"), s->what,
		    t);
		free(t);
		run_result_free(&res);
		goto done;
	}
	if (flags & CHART_PROGRESS)
		fprintf(stderr, _("Rendered in %lld s.\n"),
		    (long long)(time(NULL) - t0));
	*out = res.out;
	*outlen = res.outlen;
	res.out = NULL;
	run_result_free(&res);
	/* The cache is best effort: a render that cannot be kept is still
	 * good. */
	if (flags & CHART_FRESH)
		;
	else if (mkdir_p(dir, 0700, &t) != 0 ||
	    write_file_atomic(file, *out, *outlen, 0600, &t) != 0) {
		log_info("chart: not cached: %s", t);
		free(t);
	}
	rc = 0;
done:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(file);
	free(dir);
	return rc;
}

static void
add_image(struct chart_images *l, const char *ref, const char *workload)
{
	struct chart_image *im = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].ref, ref) == 0)
			im = &l->v[i];
	if (im == NULL) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		im = &l->v[l->n++];
		memset(im, 0, sizeof *im);
		im->ref = xstrdup(ref);
	}
	for (i = 0; i < im->nworkloads; i++)
		if (strcmp(im->workloads[i], workload) == 0)
			return;
	im->workloads = xreallocarray(im->workloads, im->nworkloads + 1,
	    sizeof *im->workloads);
	im->workloads[im->nworkloads++] = xstrdup(workload);
}

static void
doc_images(yaml_document_t *d, struct chart_images *l)
{
	static const char *const lists[] = { "initContainers", "containers",
	    "ephemeralContainers" };
	yaml_node_t *root = yaml_document_get_root_node(d), *spec, *seq, *c;
	yaml_node_item_t *it;
	const char *kind, *name, *image;
	char *workload;
	size_t i;

	kind = yd_scalar(yd_get(d, root, "kind"));
	name = yd_scalar(yd_get(d, yd_get(d, root, "metadata"), "name"));
	if (kind == NULL || name == NULL)
		return;
	spec = yd_pod_spec(d, root, kind);
	if (spec == NULL)
		return;
	workload = xprintf("%s/%s", kind, name);
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		seq = yd_get(d, spec, lists[i]);
		if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
			continue;
		for (it = seq->data.sequence.items.start;
		    it < seq->data.sequence.items.top; it++) {
			c = yd_node(d, *it);
			image = yd_scalar(yd_get(d, c, "image"));
			if (image != NULL && *image != '\0')
				add_image(l, image, workload);
		}
	}
	free(workload);
}

static int
cmp_image(const void *a, const void *b)
{
	return strcmp(((const struct chart_image *)a)->ref,
	    ((const struct chart_image *)b)->ref);
}

int
chart_images(const char *manifests, size_t len, struct chart_images *l,
    char **cause)
{
	struct yd_stream ys;
	struct yd_error e;
	yaml_document_t d;
	int rc;

	memset(l, 0, sizeof *l);
	if (yd_open(&ys, manifests, len, &e) != 0) {
		*cause = yd_error_text(&e, "helm template");
		return -1;
	}
	while ((rc = yd_next(&ys, &d, &e)) == 1) {
		doc_images(&d, l);
		yaml_document_delete(&d);
	}
	yd_close(&ys);
	if (rc != 0) {
		*cause = yd_error_text(&e, "helm template");
		chart_images_free(l);
		return -1;
	}
	qsort(l->v, l->n, sizeof *l->v, cmp_image);
	return 0;
}

void
chart_images_free(struct chart_images *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].ref);
		for (j = 0; j < l->v[i].nworkloads; j++)
			free(l->v[i].workloads[j]);
		free(l->v[i].workloads);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *
chart_published(const char *ref, const char *registry)
{
	size_t n;

	if (registry == NULL)
		return ref;
	n = strlen(registry);
	if (strncmp(ref, registry, n) == 0 && ref[n] == '/')
		return ref + n + 1;
	return ref;
}
