/*
 * bundle push: load a verified bundle into a registry.  Each blob is
 * HEADed first and skipped when present, mounted when this push already
 * put it in another repository, else uploaded in chunks (POST, PATCH...,
 * PUT).  Upload sessions are kept in a state file beside the bundle
 * directory, so a push that was killed resumes each blob from the offset
 * the registry reports.  A few images are in flight at once.  Then the
 * charts, as Helm OCI artifacts (bundle-chart.c).  Also what a push would
 * send (HEAD only), for the upgrade's plan.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bundle.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "registry.h"
#include "util.h"
#include "xmalloc.h"

#define DEFAULT_CHUNK	(8 * 1024 * 1024)
#define MAX_JOBS	16

struct blob {
	char *digest;
	char *repo;		/* a repository that holds it, once known */
	struct registry *reg;	/* where repo is */
	int busy;
	size_t owner;		/* 1 + the first image that has it; 0: none */
	int handled;		/* its owner has pushed it (or given up) */
};

struct push {
	const struct bundle_push_opts *o;
	struct registry *reg;
	struct registry *creg;	/* the charts' (may be reg) */
	char *dir;
	char *layout;		/* DIR/oci */
	struct bundle_manifest *m;
	char *state_path;
	json_t *state;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct blob *blobs;
	size_t nblobs;
	size_t next;
	char *cause;
	struct bundle_push_stats st;
	int64_t done, total;
	int64_t paced;		/* bytes sent, for --limit-rate */
	struct timespec t0;
};

static void
push_fail(struct push *p, char *cause)
{
	pthread_mutex_lock(&p->lock);
	if (p->cause == NULL)
		p->cause = cause;
	else
		free(cause);
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void
push_progress(struct push *p, const char *what, int64_t n)
{
	pthread_mutex_lock(&p->lock);
	p->done += n;
	bundle_progress(p->o->progress, what, p->done, p->total);
	pthread_mutex_unlock(&p->lock);
}

/*
 * The state file:
 * {"uploads": {"HOST/REPO@DIGEST": {"location": URL, "offset": N}}}.
 */
static void
state_load(struct push *p)
{
	json_t *root;

	root = json_load_file(p->state_path, 0, NULL);
	if (!json_is_object(json_object_get(root, "uploads"))) {
		json_decref(root);
		root = json_pack("{s:{}}", "uploads");
	}
	p->state = root;
}

/* Called with the lock held. */
static void
state_save(struct push *p)
{
	char *s, *cause = NULL;

	s = json_dumps(p->state, JSON_COMPACT);
	if (s == NULL)
		return;
	if (write_file_atomic(p->state_path, s, strlen(s), 0600, &cause) != 0) {
		log_error("bundle push: %s", cause);
		free(cause);
	}
	free(s);
}

static void
state_set(struct push *p, const char *key, const char *location,
    int64_t offset)
{
	json_t *up;

	pthread_mutex_lock(&p->lock);
	up = json_object_get(p->state, "uploads");
	if (location != NULL)
		json_object_set_new(up, key, json_pack("{s:s, s:I}",
		    "location", location, "offset", (json_int_t)offset));
	else
		json_object_del(up, key);
	state_save(p);
	pthread_mutex_unlock(&p->lock);
}

static char *
state_get(struct push *p, const char *key)
{
	const char *s;
	char *v = NULL;

	pthread_mutex_lock(&p->lock);
	s = json_string_value(json_object_get(json_object_get(
	    json_object_get(p->state, "uploads"), key), "location"));
	if (s != NULL)
		v = xstrdup(s);
	pthread_mutex_unlock(&p->lock);
	return v;
}

/* Sleep as long as --limit-rate asks, after n more bytes. */
static void
pace(struct push *p, int64_t n)
{
	struct timespec now, ts;
	double want, have;

	if (p->o->limit_rate <= 0)
		return;
	pthread_mutex_lock(&p->lock);
	p->paced += n;
	want = (double)p->paced / (double)p->o->limit_rate;
	pthread_mutex_unlock(&p->lock);
	clock_gettime(CLOCK_MONOTONIC, &now);
	have = (double)(now.tv_sec - p->t0.tv_sec) +
	    (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9;
	if (want > have) {
		ts.tv_sec = (time_t)(want - have);
		ts.tv_nsec = (long)((want - have - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* Upload a blob of the layout, or (mem not NULL) one in memory. */
static int
upload(struct push *p, struct registry *reg, const char *repo,
    const struct oci_desc *d, const void *mem, char *location, char **cause)
{
	char *key, *path = NULL, *loc = location, *newloc = NULL;
	int64_t off = 0, n, recv;
	FILE *f;
	int rc = -1;

	key = xprintf("%s/%s@%s", registry_host(reg), repo, d->digest);
	if (mem != NULL)
		f = fmemopen((void *)(uintptr_t)mem, (size_t)d->size, "rb");
	else {
		path = oci_blob_path(p->layout, d->digest);
		f = fopen(path, "rb");
	}
	if (f == NULL) {
		*cause = xprintf("%s: %s", path != NULL ? path : d->digest,
		    strerror(errno));
		goto out;
	}
	if (loc == NULL && (loc = state_get(p, key)) != NULL) {
		off = registry_upload_status(reg, loc, &newloc, cause);
		free(loc);
		loc = NULL;
		if (off >= 0 && off <= d->size) {
			loc = newloc;
			newloc = NULL;
			log_info("bundle push: %s %s: resuming at %" PRId64
			    " of %" PRId64, repo, d->digest, off, d->size);
			pthread_mutex_lock(&p->lock);
			p->st.resumed++;
			pthread_mutex_unlock(&p->lock);
			push_progress(p, d->digest, off);
		} else {
			log_info("bundle push: %s %s: the registry lost the "
			    "upload session (%s); starting the blob over",
			    repo, d->digest, *cause);
			free(*cause);
			*cause = NULL;
			free(newloc);
			newloc = NULL;
			off = 0;
		}
	}
	if (loc == NULL &&
	    (loc = registry_upload_start(reg, repo, cause)) == NULL)
		goto out;
	state_set(p, key, loc, off);
	while (off < d->size) {
		if (bundle_cancelled(p->o->progress)) {
			*cause = xstrdup(_("push cancelled"));
			goto out;
		}
		n = d->size - off;
		if (n > p->o->chunk)
			n = p->o->chunk;
		newloc = registry_upload_chunk(reg, loc, f, off, n, &recv,
		    cause);
		if (newloc == NULL)
			goto out;
		free(loc);
		loc = newloc;
		newloc = NULL;
		if (recv != off + n) {
			*cause = xprintf(_("registry %s: %s: expected %" PRId64
			    " bytes received, the registry has %" PRId64),
			    registry_host(reg), d->digest, off + n, recv);
			goto out;
		}
		state_set(p, key, loc, recv);
		pthread_mutex_lock(&p->lock);
		p->st.bytes += n;
		pthread_mutex_unlock(&p->lock);
		push_progress(p, d->digest, n);
		off += n;
		pace(p, n);
	}
	if (registry_upload_finish(reg, loc, d->digest, cause) != 0)
		goto out;
	state_set(p, key, NULL, 0);
	pthread_mutex_lock(&p->lock);
	p->st.uploaded++;
	pthread_mutex_unlock(&p->lock);
	log_info("bundle push: %s %s: uploaded %" PRId64 " bytes", repo,
	    d->digest, d->size);
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	free(loc);
	free(path);
	free(key);
	return rc;
}

static struct blob *
blob_find(struct push *p, const char *digest)
{
	size_t i;

	for (i = 0; i < p->nblobs; i++)
		if (strcmp(p->blobs[i].digest, digest) == 0)
			return &p->blobs[i];
	p->blobs = xreallocarray(p->blobs, p->nblobs + 1, sizeof *p->blobs);
	memset(&p->blobs[p->nblobs], 0, sizeof *p->blobs);
	p->blobs[p->nblobs].digest = xstrdup(digest);
	return &p->blobs[p->nblobs++];
}

/*
 * Push one blob of image IMG (SIZE_MAX: a chart's).  A blob that several
 * images share is pushed first for the first of them, whichever image's
 * thread comes to it first: the others then find it there and mount it,
 * as the plan (bundle_push_need) counts, whatever the threads' timing.
 */
static int
push_blob(struct push *p, struct registry *reg, const char *repo,
    const struct oci_desc *d, const void *mem, size_t img, char **cause)
{
	struct blob *b;
	char *from = NULL, *loc = NULL;
	int rc, i;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		b = blob_find(p, d->digest);
		if (p->cause != NULL) {
			pthread_mutex_unlock(&p->lock);
			*cause = xstrdup(_("push cancelled"));
			return -1;
		}
		if (!b->busy && (b->owner == 0 || b->owner - 1 == img ||
		    b->handled))
			break;
		pthread_cond_wait(&p->cond, &p->lock);
	}
	b->busy = 1;
	if (b->repo != NULL && b->reg == reg && strcmp(b->repo, repo) != 0)
		from = xstrdup(b->repo);
	pthread_mutex_unlock(&p->lock);

	rc = registry_blob_exists(reg, repo, d->digest, cause);
	if (rc == 1) {
		pthread_mutex_lock(&p->lock);
		p->st.present++;
		pthread_mutex_unlock(&p->lock);
		push_progress(p, d->digest, d->size);
		rc = 0;
	} else if (rc == 0 && from != NULL &&
	    (i = registry_blob_mount(reg, repo, d->digest, from, &loc,
	    cause)) != 0) {
		rc = i == 1 ? 0 : -1;
		if (i == 1) {
			log_info("bundle push: %s %s: mounted from %s", repo,
			    d->digest, from);
			pthread_mutex_lock(&p->lock);
			p->st.mounted++;
			pthread_mutex_unlock(&p->lock);
			push_progress(p, d->digest, d->size);
		}
	} else if (rc == 0)
		rc = upload(p, reg, repo, d, mem, loc, cause);
	free(from);

	pthread_mutex_lock(&p->lock);
	b = blob_find(p, d->digest);
	b->busy = 0;
	b->handled = 1;
	if (rc == 0 && b->repo == NULL) {
		b->repo = xstrdup(repo);
		b->reg = reg;
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static int
push_image(struct push *p, const struct bundle_image *im, char **cause)
{
	struct oci_ref ref;
	struct oci_desc *blobs = NULL;
	char *buf, *mt, *repo;
	size_t len;
	int nb = 0, i, rc = -1;

	if (oci_ref_parse(im->ref, &ref, cause) != 0)
		return -1;
	repo = oci_mirror_path(&ref);
	buf = oci_layout_read_blob(p->layout, im->digest, OCI_MANIFEST_MAX, &len,
	    cause);
	mt = buf != NULL ? oci_media_type(buf, len) : NULL;
	if (buf == NULL ||
	    (nb = oci_manifest_blobs(buf, len, &blobs, cause)) < 0) {
		nb = 0;
		goto out;
	}
	/* Layers first, then the config, then the manifest. */
	for (i = 1; i <= nb; i++) {
		if (p->cause != NULL)
			goto out;
		if (bundle_cancelled(p->o->progress)) {
			*cause = xstrdup(_("push cancelled"));
			goto out;
		}
		if (push_blob(p, p->reg, repo, &blobs[i % nb], NULL,
		    (size_t)(im - p->m->images), cause) != 0)
			goto out;
	}
	if (registry_manifest_put(p->reg, repo, ref.tag != NULL ? ref.tag :
	    im->digest, mt != NULL ? mt : OCI_MT_MANIFEST, buf, len,
	    cause) != 0)
		goto out;
	push_progress(p, im->ref, (int64_t)len);
	log_info("bundle push: %s -> %s/%s:%s (%s)", im->ref,
	    registry_host(p->reg), repo, ref.tag != NULL ? ref.tag : "",
	    im->digest);
	pthread_mutex_lock(&p->lock);
	p->st.images++;
	pthread_mutex_unlock(&p->lock);
	rc = 0;
out:
	oci_descs_free(blobs, nb);
	oci_ref_free(&ref);
	free(repo);
	free(buf);
	free(mt);
	return rc;
}

static void *
worker(void *arg)
{
	struct push *p = arg;
	char *cause = NULL;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		if (p->cause != NULL || p->next >= p->m->nimages) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (push_image(p, &p->m->images[i], &cause) != 0) {
			push_fail(p, cause != NULL ? cause :
			    xstrdup(_("push cancelled")));
			cause = NULL;
		}
	}
}

/* One chart as a Helm OCI artifact: the .tgz (checked against the
 * manifest once more, as read) is the layer, its Chart.yaml the config,
 * and the manifest is tagged with the chart's version. */
static int
push_chart(struct push *p, const struct bundle_chart *c, const char *prefix,
    char **cause)
{
	struct oci_desc layer, config;
	char *path, *data = NULL, *cfg = NULL, *man = NULL, *repo = NULL;
	char *tag, hex[65], chex[65];
	size_t len, clen, mlen;
	int rc = -1;

	memset(&layer, 0, sizeof layer);
	memset(&config, 0, sizeof config);
	if (!bundle_chart_name_ok(c->name) ||
	    (tag = bundle_chart_tag(c->version)) == NULL) {
		*cause = xprintf(_("chart %s %s: its name or version cannot be "
		    "an OCI repository or tag"), c->name, c->version);
		return -1;
	}
	path = xprintf("%s/%s", p->dir, c->path);
	data = read_file(path, BUNDLE_CHART_MAX, &len, cause);
	free(path);
	if (data == NULL)
		goto out;
	sha256_hex(data, len, hex);
	if (strcmp(hex, c->sha256) != 0) {
		*cause = xprintf(_("%s: '%s' was altered: its sha256 does not "
		    "match the manifest"), p->dir, c->path);
		goto out;
	}
	if ((cfg = bundle_chart_config(data, len, c, &clen, cause)) == NULL)
		goto out;
	man = bundle_chart_manifest(cfg, clen, hex, (int64_t)len, c, &mlen);
	repo = bundle_chart_repo(prefix, c->name);
	layer.digest = xprintf("sha256:%s", hex);
	layer.size = (int64_t)len;
	sha256_hex(cfg, clen, chex);
	config.digest = xprintf("sha256:%s", chex);
	config.size = (int64_t)clen;
	if (push_blob(p, p->creg, repo, &layer, data, SIZE_MAX, cause) != 0 ||
	    push_blob(p, p->creg, repo, &config, cfg, SIZE_MAX, cause) != 0 ||
	    registry_manifest_put(p->creg, repo, tag, OCI_MT_MANIFEST, man,
	    mlen, cause) != 0)
		goto out;
	push_progress(p, c->name, (int64_t)(clen + mlen));
	log_info("bundle push: chart %s %s -> oci://%s/%s:%s", c->name,
	    c->version, registry_host(p->creg), repo, tag);
	p->st.charts++;
	rc = 0;
out:
	free(layer.digest);
	free(config.digest);
	free(repo);
	free(man);
	free(cfg);
	free(data);
	free(tag);
	return rc;
}

char *
bundle_unpack_dir(const char *file)
{
	size_t len = strlen(file);

	if (len > 8 && strcmp(file + len - 8, ".tar.zst") == 0)
		len -= 8;
	return xprintf("%.*s.unpacked", (int)len, file);
}

/* FILE: unpack (and so verify) beside it, unless that was done. */
static char *
dir_for_file(const char *file, const struct bundle_push_opts *o,
    char **cause)
{
	struct bundle_read_opts ro;
	char *dir, mhex[65];
	int sig;
	struct bundle_manifest *m;

	dir = bundle_unpack_dir(file);
	m = bundle_inspect(file, &sig, mhex, cause);
	if (m == NULL) {
		free(dir);
		return NULL;
	}
	bundle_manifest_free(m);
	if (bundle_stamp_is(dir, mhex))
		return dir;	/* checked again before the push */
	memset(&ro, 0, sizeof ro);
	ro.pubkey = o->pubkey;
	ro.require_sig = o->require_sig;
	ro.dir = dir;
	ro.progress = o->progress;
	if (bundle_read(file, &ro, NULL, cause) != 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* The credentials are for the registry: another host (an oci:// chart
 * repository elsewhere) gets none of them. */
static struct registry *
push_registry(const struct bundle_push_opts *o, const char *host)
{
	struct registry_opts ro;

	memset(&ro, 0, sizeof ro);
	ro.host = host;
	ro.plain_http = o->plain_http;
	ro.ca_file = o->ca_file;
	if (strcmp(host, o->registry) == 0) {
		ro.user = o->user;
		ro.password = o->password;
	} else if (o->user != NULL)
		ro.creds_host = o->registry;
	ro.push = 1;
	if (o->progress != NULL)
		ro.cancel = o->progress->cancel;
	return registry_new(&ro);
}

char *
bundle_push_summary(const struct bundle_push_stats *st, const char *registry)
{
	char sz[32], *images, *charts, *s;

	bundle_size_text(sz, sizeof sz, st->bytes);
	log_info("bundle push: images=%u charts=%u uploaded=%u mounted=%u "
	    "present=%u resumed=%u bytes=%" PRId64, st->images, st->charts,
	    st->uploaded, st->mounted, st->present, st->resumed, st->bytes);
	images = xprintf(ngettext("%u image", "%u images", st->images),
	    st->images);
	charts = xprintf(ngettext("%u chart", "%u charts", st->charts),
	    st->charts);
	/* TRANSLATORS: the first two are "%u image(s)" and "%u chart(s)". */
	s = xprintf(_("pushed %s and %s to %s: %u blobs uploaded (%s), %u "
	    "mounted, %u already present, %u resumed"), images, charts,
	    registry, st->uploaded, sz, st->mounted, st->present,
	    st->resumed);
	free(images);
	free(charts);
	return s;
}

int
bundle_push(const char *src, const struct bundle_push_opts *o,
    struct bundle_push_stats *st, char **cause)
{
	struct push p;
	struct bundle_push_opts oo = *o;
	struct stat sb;
	pthread_t th[MAX_JOBS];
	char *dir = NULL, *buf, *chost = NULL, *cprefix = NULL;
	size_t i, j, len;
	int jobs, nth = 0, nb, rc = -1;
	struct oci_desc *blobs;
	struct blob *b;

	memset(&p, 0, sizeof p);
	/* Where the charts go, before anything is read. */
	if (!o->no_charts && bundle_chart_target(o->registry, o->chart_repo,
	    &chost, &cprefix, cause) < 0)
		return -1;
	if (stat(src, &sb) != 0) {
		*cause = xprintf("%s: %s", src, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(sb.st_mode))
		dir = xstrdup(src);
	else if ((dir = dir_for_file(src, o, cause)) == NULL)
		goto fail;
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	/* Nothing is pushed from a bundle that has not verified. */
	if (bundle_dir_verify(dir, o->pubkey, o->require_sig, o->progress,
	    &p.m, cause) != 0)
		goto fail;
	if (oo.chunk <= 0)
		oo.chunk = DEFAULT_CHUNK;
	p.o = &oo;
	p.dir = dir;
	p.layout = xprintf("%s/oci", dir);
	p.state_path = xprintf("%s.push-state", dir);
	state_load(&p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.reg = push_registry(o, o->registry);
	if (chost != NULL && p.m->ncharts > 0)
		p.creg = strcmp(chost, o->registry) == 0 ? p.reg :
		    push_registry(o, chost);
	else if (!o->no_charts && p.m->ncharts > 0)
		log_info("bundle push: the charts are not pushed: %s is a "
		    "Helm repository, not an OCI registry", o->chart_repo);
	for (i = 0; i < p.m->nimages; i++) {
		buf = oci_layout_read_blob(p.layout, p.m->images[i].digest,
		    OCI_MANIFEST_MAX, &len, cause);
		if (buf == NULL)
			goto out;
		p.total += (int64_t)len;
		nb = oci_manifest_blobs(buf, len, &blobs, cause);
		free(buf);
		if (nb < 0)
			goto out;
		for (j = 0; j < (size_t)nb; j++) {
			p.total += blobs[j].size;
			b = blob_find(&p, blobs[j].digest);
			if (b->owner == 0)
				b->owner = i + 1;
		}
		oci_descs_free(blobs, nb);
	}
	for (i = 0; p.creg != NULL && i < p.m->ncharts; i++) {
		const struct bundle_file *f = bundle_manifest_file(p.m,
		    p.m->charts[i].path);

		p.total += f != NULL ? f->size : 0;
	}
	/* The bundle checked out; the push itself starts from zero. */
	bundle_progress(o->progress, o->registry, 0, p.total);
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	jobs = o->jobs > 0 ? o->jobs : 3;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if ((size_t)jobs > p.m->nimages)
		jobs = (int)p.m->nimages;
	for (nth = 0; nth < jobs; nth++)
		if (pthread_create(&th[nth], NULL, worker, &p) != 0)
			break;
	if (nth == 0)
		worker(&p);
	for (i = 0; i < (size_t)nth; i++)
		pthread_join(th[i], NULL);
	if (bundle_cancelled(o->progress)) {
		/* Not the error of the request it cut short. */
		*cause = xstrdup(_("push cancelled"));
		goto out;
	}
	if (p.cause != NULL) {
		*cause = p.cause;
		p.cause = NULL;
		goto out;
	}
	for (i = 0; p.creg != NULL && i < p.m->ncharts; i++)
		if (push_chart(&p, &p.m->charts[i], cprefix, cause) != 0)
			goto out;
	*st = p.st;
	rc = 0;
out:
	for (i = 0; i < p.nblobs; i++) {
		free(p.blobs[i].digest);
		free(p.blobs[i].repo);
	}
	free(p.blobs);
	free(p.cause);
	if (p.creg != p.reg)
		registry_free(p.creg);
	registry_free(p.reg);
	json_decref(p.state);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.cond);
	free(p.state_path);
	free(p.layout);
fail:
	bundle_manifest_free(p.m);
	free(dir);
	free(chost);
	free(cprefix);
	return rc;
}

/* A blob of the bundle, for bundle_push_need. */
struct need_blob {
	const char *digest;
	int64_t size;
	size_t owner;		/* the first image that has it */
};

void
bundle_push_need_free(struct bundle_push_need *n, size_t count)
{
	size_t i;

	for (i = 0; n != NULL && i < count; i++)
		free(n[i].ref);
	free(n);
}

/* Does image i (its blobs in bl[i], nbl[i] of them) hold digest? */
static int
image_has(struct oci_desc *const *bl, const int *nbl, size_t i,
    const char *digest)
{
	int j;

	for (j = 0; j < nbl[i]; j++)
		if (strcmp(bl[i][j].digest, digest) == 0)
			return 1;
	return 0;
}

int
bundle_push_need(const char *src, const struct bundle_push_opts *o,
    struct bundle_push_need **out, size_t *np, char **cause)
{
	struct bundle_read_opts rdo;
	struct bundle_manifest *m = NULL;
	struct bundle_push_need *need = NULL;
	struct registry *reg = NULL;
	struct oci_desc **bl = NULL;
	struct oci_ref *refs = NULL;
	struct need_blob *nb = NULL;
	struct stat sb;
	char **img = NULL, *dir = NULL, *layout = NULL, *repo, mhex[65];
	size_t *img_len = NULL, i, k, nnb = 0;
	int *nbl = NULL, j, sig, have, rc = -1;

	if (stat(src, &sb) != 0) {
		*cause = xprintf("%s: %s", src, strerror(errno));
		return -1;
	}
	/* The image manifests, from a bundle that verified: the directory
	 * (or the file's, when it was unpacked), else the file streamed. */
	if (S_ISDIR(sb.st_mode))
		dir = xstrdup(src);
	else {
		if ((m = bundle_inspect(src, &sig, mhex, cause)) == NULL)
			return -1;
		bundle_manifest_free(m);
		m = NULL;
		dir = bundle_unpack_dir(src);
		if (!bundle_stamp_is(dir, mhex)) {
			free(dir);
			dir = NULL;
		}
	}
	if (dir != NULL) {
		if (bundle_dir_verify(dir, o->pubkey, o->require_sig,
		    o->progress, &m, cause) != 0)
			goto out;
		layout = xprintf("%s/oci", dir);
		img = xcalloc(m->nimages + 1, sizeof *img);
		img_len = xcalloc(m->nimages + 1, sizeof *img_len);
		for (i = 0; i < m->nimages; i++)
			if ((img[i] = oci_layout_read_blob(layout,
			    m->images[i].digest, OCI_MANIFEST_MAX, &img_len[i],
			    cause)) == NULL)
				goto out;
	} else {
		memset(&rdo, 0, sizeof rdo);
		rdo.pubkey = o->pubkey;
		rdo.require_sig = o->require_sig;
		rdo.progress = o->progress;
		rdo.image_manifests = &img;
		rdo.image_manifest_lens = &img_len;
		if (bundle_read(src, &rdo, &m, cause) != 0)
			goto out;
	}
	need = xcalloc(m->nimages + 1, sizeof *need);
	bl = xcalloc(m->nimages + 1, sizeof *bl);
	nbl = xcalloc(m->nimages + 1, sizeof *nbl);
	refs = xcalloc(m->nimages + 1, sizeof *refs);
	for (i = 0; i < m->nimages; i++) {
		need[i].ref = xstrdup(m->images[i].ref);
		if (oci_ref_parse(m->images[i].ref, &refs[i], cause) != 0 ||
		    (nbl[i] = oci_manifest_blobs(img[i], img_len[i], &bl[i],
		    cause)) < 0) {
			nbl[i] = 0;
			goto out;
		}
		for (j = 0; j < nbl[i]; j++) {
			need[i].blobs++;
			need[i].bytes += bl[i][j].size;
			for (k = 0; k < nnb; k++)
				if (strcmp(nb[k].digest, bl[i][j].digest) == 0)
					break;
			if (k < nnb)
				continue;
			nb = xreallocarray(nb, nnb + 1, sizeof *nb);
			nb[nnb].digest = bl[i][j].digest;
			nb[nnb].size = bl[i][j].size;
			nb[nnb].owner = i;
			nnb++;
		}
	}
	/* HEAD each blob in the repositories of the images that have it:
	 * present in one of them, the push skips or mounts it. */
	reg = push_registry(o, o->registry);
	for (k = 0; k < nnb; k++) {
		have = 0;
		for (i = nb[k].owner; i < m->nimages && have == 0; i++) {
			if (!image_has(bl, nbl, i, nb[k].digest))
				continue;
			repo = oci_mirror_path(&refs[i]);
			have = registry_blob_exists(reg, repo, nb[k].digest,
			    cause);
			free(repo);
			if (have < 0)
				goto out;
		}
		if (!have) {
			need[nb[k].owner].missing++;
			need[nb[k].owner].missing_bytes += nb[k].size;
		}
	}
	log_info("bundle push: %s: %zu blobs of %zu images checked on %s",
	    src, nnb, m->nimages, o->registry);
	*out = need;
	*np = m->nimages;
	need = NULL;
	rc = 0;
out:
	for (i = 0; m != NULL && i < m->nimages; i++) {
		if (bl != NULL)
			oci_descs_free(bl[i], nbl[i]);
		if (refs != NULL)
			oci_ref_free(&refs[i]);
		if (img != NULL)
			free(img[i]);
	}
	if (need != NULL)
		bundle_push_need_free(need, m->nimages);
	free(nb);
	free(bl);
	free(nbl);
	free(refs);
	free(img);
	free(img_len);
	registry_free(reg);
	free(layout);
	free(dir);
	bundle_manifest_free(m);
	return rc;
}
