/*
 * bundle create: gather the images of a release spec (from an OCI layout
 * or a registry) and its charts, then write manifest.yaml first, its
 * signature, the OCI layout and the charts into one .tar.zst.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "bundle.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "registry.h"
#include "util.h"
#include "xmalloc.h"

#define IO_BLOCK	(1024 * 1024)

/* One file of the bundle: from memory or from a file on disk. */
struct entry {
	char *path;
	char *src;
	char *data;
	int64_t size;
	char hex[65];
};

struct create {
	const struct bundle_create_opts *o;
	struct bundle_manifest *spec;
	char *oci_dir;		/* oci: source */
	struct registry *reg;	/* registry: source */
	char *stage;		/* registry source: downloaded blobs */
	struct entry *v;
	size_t n;
	struct oci_index *index;
	time_t created;
};

static struct entry *
entry_add(struct create *c, const char *path)
{
	struct entry *e;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].path, path) == 0)
			return NULL;
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	e = &c->v[c->n++];
	memset(e, 0, sizeof *e);
	e->path = xstrdup(path);
	return e;
}

static void
entry_data(struct create *c, const char *path, char *data, size_t len)
{
	struct entry *e = entry_add(c, path);

	if (e == NULL) {
		free(data);
		return;
	}
	e->data = data;
	e->size = (int64_t)len;
	sha256_hex(data, len, e->hex);
}

/* Hash a file; -1 with *cause. */
static int
hash_file(const char *path, char hex[65], int64_t *sizep, char **cause)
{
	struct sha256 h;
	FILE *f;
	char *buf;
	size_t n;
	int64_t size = 0;

	if ((f = fopen(path, "rb")) == NULL) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	buf = xmalloc(IO_BLOCK);
	oci_sha256_init(&h);
	while ((n = fread(buf, 1, IO_BLOCK, f)) > 0) {
		oci_sha256_update(&h, buf, n);
		size += (int64_t)n;
	}
	oci_sha256_final(&h, hex);
	free(buf);
	if (ferror(f)) {
		*cause = xprintf(_("%s: read error"), path);
		fclose(f);
		return -1;
	}
	fclose(f);
	*sizep = size;
	return 0;
}

static int
entry_file(struct create *c, const char *path, const char *src,
    const char *want_digest, char **cause)
{
	struct entry *e;
	char hex[65];
	int64_t size;

	if (hash_file(src, hex, &size, cause) != 0)
		return -1;
	if (want_digest != NULL && strcmp(hex, want_digest + 7) != 0) {
		*cause = xprintf(_("%s: content does not match its digest "
		    "%s"), src, want_digest);
		return -1;
	}
	if ((e = entry_add(c, path)) == NULL)
		return 0;
	e->src = xstrdup(src);
	e->size = size;
	memcpy(e->hex, hex, sizeof hex);
	return 0;
}

/* The blob in the source: a path to read (new string), or NULL. */
static char *
fetch_blob(struct create *c, const char *repo, const char *digest,
    char **cause)
{
	char *path;
	FILE *f;
	struct stat sb;

	if (c->oci_dir != NULL)
		return oci_blob_path(c->oci_dir, digest);
	path = xprintf("%s/%s", c->stage, digest + 7);
	if (stat(path, &sb) == 0)
		return path;
	if ((f = fopen(path, "wb")) == NULL) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	log_info("bundle create: pull %s %s", repo, digest);
	if (registry_blob_get(c->reg, repo, digest, f, cause) != 0 ||
	    fclose(f) != 0) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* Fetch a manifest (or index) by digest or tag; checks the digest. */
static char *
fetch_manifest(struct create *c, const struct oci_ref *ref,
    const char *spec_ref, const char *digest, size_t *lenp, char **mt,
    char **dg, char **cause)
{
	char *buf, *names[5];
	struct oci_desc d;
	int i;

	if (c->reg != NULL)
		return registry_manifest_get(c->reg, ref->path,
		    digest != NULL ? digest : ref->tag != NULL ? ref->tag :
		    ref->digest, lenp, mt, dg, cause);
	memset(&d, 0, sizeof d);
	if (digest == NULL) {
		names[0] = xstrdup(spec_ref);
		names[1] = xprintf("%s/%s:%s", ref->domain, ref->path,
		    ref->tag != NULL ? ref->tag : "latest");
		names[2] = xprintf("%s:%s", ref->path,
		    ref->tag != NULL ? ref->tag : "latest");
		names[3] = xstrdup(ref->tag != NULL ? ref->tag : "latest");
		names[4] = NULL;
		oci_layout_find(c->oci_dir, (const char *const *)names, &d,
		    cause);
		for (i = 0; i < 4; i++)
			free(names[i]);
		if (d.digest == NULL)
			return NULL;
		digest = d.digest;
	}
	buf = oci_layout_read_blob(c->oci_dir, digest, OCI_MANIFEST_MAX,
	    lenp, cause);
	if (buf != NULL) {
		*dg = xstrdup(digest);
		*mt = oci_media_type(buf, *lenp);
		if (*mt == NULL)
			*mt = xstrdup(d.media_type != NULL ? d.media_type :
			    OCI_MT_MANIFEST);
	}
	oci_desc_free(&d);
	return buf;
}

/* "os/arch[/variant]" from an image config blob. */
static char *
config_platform(const char *path)
{
	char *buf, *cause = NULL, *p = NULL;
	const char *os, *arch, *variant;
	json_t *root;
	size_t len;

	buf = read_file(path, OCI_MANIFEST_MAX, &len, &cause);
	if (buf == NULL) {
		free(cause);
		return NULL;
	}
	root = json_loadb(buf, len, 0, NULL);
	os = json_string_value(json_object_get(root, "os"));
	arch = json_string_value(json_object_get(root, "architecture"));
	variant = json_string_value(json_object_get(root, "variant"));
	if (os != NULL && arch != NULL)
		p = variant != NULL ? xprintf("%s/%s/%s", os, arch, variant) :
		    xprintf("%s/%s", os, arch);
	json_decref(root);
	free(buf);
	return p;
}

static int
add_image(struct create *c, struct bundle_image *im, char **cause)
{
	struct oci_ref ref;
	struct oci_desc sel, *blobs = NULL, d;
	char *buf = NULL, *mt = NULL, *dg = NULL, *src, *path, *plat;
	const char *platform = c->o->platform;
	size_t len;
	int nb = 0, i, rc = -1;

	if (oci_ref_parse(im->ref, &ref, cause) != 0)
		return -1;
	memset(&sel, 0, sizeof sel);
	buf = fetch_manifest(c, &ref, im->ref, ref.digest, &len, &mt, &dg,
	    cause);
	if (buf == NULL)
		goto out;
	if (oci_is_index(mt)) {
		if (im->platform != NULL)
			platform = im->platform;
		if (oci_index_select(buf, len, platform, &sel, cause) != 0)
			goto out;
		free(buf);
		free(mt);
		free(dg);
		mt = dg = NULL;
		buf = fetch_manifest(c, &ref, im->ref, sel.digest, &len, &mt,
		    &dg, cause);
		if (buf == NULL)
			goto out;
	}
	if ((nb = oci_manifest_blobs(buf, len, &blobs, cause)) < 0) {
		nb = 0;
		goto out;
	}
	im->size = (int64_t)len;
	for (i = 0; i < nb; i++) {
		src = fetch_blob(c, ref.path, blobs[i].digest, cause);
		if (src == NULL)
			goto out;
		path = xprintf("oci/blobs/sha256/%s", blobs[i].digest + 7);
		if (entry_file(c, path, src, blobs[i].digest, cause) != 0) {
			free(path);
			free(src);
			goto out;
		}
		if (i == 0 && im->platform == NULL &&
		    (plat = config_platform(src)) != NULL)
			im->platform = plat;
		free(path);
		free(src);
		im->size += blobs[i].size;
	}
	if (im->platform == NULL)
		im->platform = xstrdup(platform);
	free(im->digest);
	im->digest = xstrdup(dg);
	path = xprintf("oci/blobs/sha256/%s", dg + 7);
	entry_data(c, path, buf, len);
	buf = NULL;
	free(path);
	d.media_type = mt;
	d.digest = dg;
	d.size = (int64_t)len;
	oci_index_add(c->index, &d, im->ref, im->platform);
	log_info("bundle create: %s -> %s (%s, %d blobs)", im->ref, dg,
	    im->platform, nb);
	rc = 0;
out:
	oci_descs_free(blobs, nb);
	oci_desc_free(&sel);
	oci_ref_free(&ref);
	free(buf);
	free(mt);
	free(dg);
	return rc;
}

static int
add_charts(struct create *c, char **cause)
{
	struct bundle_chart *ch, tmp;
	char *src, *path, *data, *cfg;
	size_t i, len, clen;
	int rc;

	if (c->spec->ncharts > 0 && c->o->charts == NULL) {
		*cause = xprintf(_("%s lists charts; --charts DIR must hold "
		    "%s-%s.tgz"), c->o->spec, c->spec->charts[0].name,
		    c->spec->charts[0].version);
		return -1;
	}
	for (i = 0; i < c->spec->ncharts; i++) {
		ch = &c->spec->charts[i];
		src = xprintf("%s/%s-%s.tgz", c->o->charts, ch->name,
		    ch->version);
		/* What push will make of it, checked here rather than at the
		 * site: a chart archive whose Chart.yaml names it, with a name
		 * and version that can be a repository and a tag. */
		if (!bundle_chart_name_ok(ch->name) ||
		    (data = bundle_chart_tag(ch->version)) == NULL) {
			*cause = xprintf(_("%s: chart %s %s: its name or "
			    "version cannot be an OCI repository or tag"),
			    c->o->spec, ch->name, ch->version);
			free(src);
			return -1;
		}
		free(data);
		if ((data = read_file(src, BUNDLE_CHART_MAX, &len,
		    cause)) == NULL) {
			free(src);
			return -1;
		}
		tmp = *ch;
		tmp.path = src;
		cfg = bundle_chart_config(data, len, &tmp, &clen, cause);
		free(data);
		if (cfg == NULL) {
			free(src);
			return -1;
		}
		free(cfg);
		path = xprintf("charts/%s-%s.tgz", ch->name, ch->version);
		rc = entry_file(c, path, src, NULL, cause);
		if (rc == 0) {
			free(ch->path);
			ch->path = path;
			free(ch->sha256);
			ch->sha256 = xstrdup(c->v[c->n - 1].hex);
		} else
			free(path);
		free(src);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int
write_entry(struct archive *a, const struct entry *e, time_t mtime,
    const struct bundle_progress *pr, int64_t *done, int64_t total,
    char **cause)
{
	struct archive_entry *ae;
	struct sha256 h;
	char *buf, hex[65];
	FILE *f = NULL;
	size_t n;
	int64_t left = e->size;

	ae = archive_entry_new();
	archive_entry_set_pathname(ae, e->path);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, e->size);
	archive_entry_set_mtime(ae, mtime, 0);
	archive_entry_set_uname(ae, "root");
	archive_entry_set_gname(ae, "root");
	if (archive_write_header(a, ae) != ARCHIVE_OK) {
		*cause = xprintf("%s: %s", e->path, archive_error_string(a));
		archive_entry_free(ae);
		return -1;
	}
	archive_entry_free(ae);
	if (e->data != NULL) {
		if (archive_write_data(a, e->data, (size_t)e->size) !=
		    (la_ssize_t)e->size)
			goto write_err;
		*done += e->size;
		return 0;
	}
	if ((f = fopen(e->src, "rb")) == NULL) {
		*cause = xprintf("%s: %s", e->src, strerror(errno));
		return -1;
	}
	buf = xmalloc(IO_BLOCK);
	oci_sha256_init(&h);
	while (left > 0 && (n = fread(buf, 1, IO_BLOCK, f)) > 0) {
		if ((int64_t)n > left)
			n = (size_t)left;
		oci_sha256_update(&h, buf, n);
		if (archive_write_data(a, buf, n) != (la_ssize_t)n) {
			oci_sha256_final(&h, hex);
			free(buf);
			fclose(f);
			goto write_err;
		}
		left -= (int64_t)n;
		*done += (int64_t)n;
		bundle_progress(pr, e->path, *done, total);
	}
	oci_sha256_final(&h, hex);
	free(buf);
	fclose(f);
	if (left != 0 || strcmp(hex, e->hex) != 0) {
		*cause = xprintf(_("%s changed while the bundle was written"),
		    e->src);
		return -1;
	}
	return 0;

write_err:
	*cause = xprintf(_("cannot write the bundle (%s): %s"), e->path,
	    archive_error_string(a));
	return -1;
}

static int
write_bundle(struct create *c, const char *manifest, size_t mlen,
    const char *sig, char **cause)
{
	struct archive *a;
	struct entry me;
	char *tmp, *dup, *slash;
	int64_t done = 0, total = 0;
	size_t i;
	int fd, rc = -1;

	dup = xstrdup(c->o->out);
	slash = strrchr(dup, '/');
	if (slash != NULL)
		slash[1] = '\0';
	tmp = xprintf("%s.wbinstall-bundle.XXXXXX", slash != NULL ? dup : "");
	free(dup);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xprintf(_("%s: cannot create a file: %s"), c->o->out,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	for (i = 0; i < c->n; i++)
		total += c->v[i].size;
	a = archive_write_new();
	archive_write_add_filter_zstd(a);
	archive_write_set_filter_option(a, "zstd", "compression-level", "3");
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_per_block(a, 64 * 1024);
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		*cause = xprintf("%s: %s", c->o->out, archive_error_string(a));
		goto out;
	}
	memset(&me, 0, sizeof me);
	me.path = BUNDLE_MANIFEST;
	me.data = (char *)manifest;
	me.size = (int64_t)mlen;
	if (write_entry(a, &me, c->created, NULL, &done, total, cause) != 0)
		goto out;
	if (sig != NULL) {
		me.path = BUNDLE_SIG;
		me.data = (char *)sig;
		me.size = (int64_t)strlen(sig);
		if (write_entry(a, &me, c->created, NULL, &done, total,
		    cause) != 0)
			goto out;
	}
	done = 0;
	for (i = 0; i < c->n; i++)
		if (write_entry(a, &c->v[i], c->created, c->o->progress, &done,
		    total, cause) != 0)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		*cause = xprintf(_("cannot write the bundle %s: %s"),
		    c->o->out, archive_error_string(a));
		goto out;
	}
	if (fsync(fd) != 0 || rename(tmp, c->o->out) != 0) {
		*cause = xprintf("%s: %s", c->o->out, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int bx = strncmp(x->path, "oci/blobs/", 10) == 0;
	int by = strncmp(y->path, "oci/blobs/", 10) == 0;

	/* oci-layout and index.json before the blobs, then charts. */
	if (strncmp(x->path, "oci/", 4) != strncmp(y->path, "oci/", 4))
		return strncmp(x->path, "oci/", 4) == 0 ? -1 : 1;
	if (bx != by)
		return bx ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int
gather(struct create *c, char **cause)
{
	const char *src = c->o->source;
	struct registry_opts ro;
	char *json;
	size_t i, len;

	if (strncmp(src, "oci:", 4) == 0 && src[4] != '\0')
		c->oci_dir = xstrdup(src + 4);
	else if (strncmp(src, "registry:", 9) == 0 && src[9] != '\0') {
		memset(&ro, 0, sizeof ro);
		ro.host = src + 9;
		ro.plain_http = c->o->plain_http;
		ro.ca_file = c->o->ca_file;
		ro.user = c->o->user;
		ro.password = c->o->password;
		c->reg = registry_new(&ro);
		c->stage = xprintf("%s.blobs.XXXXXX", c->o->out);
		if (mkdtemp(c->stage) == NULL) {
			*cause = xprintf(_("%s: cannot create a directory: %s"),
			    c->stage, strerror(errno));
			free(c->stage);
			c->stage = NULL;
			return -1;
		}
	} else {
		*cause = xprintf(_("--source must be oci:DIR or "
		    "registry:HOST[:PORT], not '%s'"), src);
		return -1;
	}
	c->index = oci_index_new();
	entry_data(c, "oci/oci-layout", xstrdup(OCI_LAYOUT_FILE),
	    strlen(OCI_LAYOUT_FILE));
	for (i = 0; i < c->spec->nimages; i++) {
		bundle_progress(c->o->progress, c->spec->images[i].ref,
		    (int64_t)i, (int64_t)c->spec->nimages);
		if (add_image(c, &c->spec->images[i], cause) != 0)
			return -1;
	}
	json = oci_index_dump(c->index, &len);
	entry_data(c, "oci/index.json", json, len);
	if (add_charts(c, cause) != 0)
		return -1;
	qsort(c->v, c->n, sizeof *c->v, entry_cmp);
	return 0;
}

int
bundle_create(const struct bundle_create_opts *o, char **cause)
{
	struct create c;
	struct bundle_manifest *m;
	char *manifest = NULL, *sig = NULL, created[32], *e;
	struct tm tm;
	size_t i, mlen;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.o = o;
	if ((c.spec = bundle_spec_load(o->spec, cause)) == NULL)
		return -1;
	m = c.spec;
	if (o->nadd > 0) {
		m->images = xreallocarray(m->images, m->nimages + o->nadd,
		    sizeof *m->images);
		for (i = 0; i < o->nadd; i++) {
			memset(&m->images[m->nimages], 0, sizeof *m->images);
			m->images[m->nimages++].ref = xstrdup(o->add_images[i]);
		}
	}
	if (o->checked != NULL)
		m->checked = xstrdup(o->checked);
	e = getenv("SOURCE_DATE_EPOCH");
	c.created = e != NULL ? (time_t)strtoll(e, NULL, 10) : time(NULL);
	gmtime_r(&c.created, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (gather(&c, cause) != 0)
		goto out;
	free(m->created);
	m->created = xstrdup(created);
	m->files = xcalloc(c.n, sizeof *m->files);
	for (i = 0; i < c.n; i++) {
		m->files[i].path = xstrdup(c.v[i].path);
		m->files[i].size = c.v[i].size;
		m->files[i].sha256 = xstrdup(c.v[i].hex);
	}
	m->nfiles = c.n;
	manifest = bundle_manifest_emit(m, &mlen);
	if (mlen > BUNDLE_MANIFEST_MAX) {
		*cause = xprintf(_("the manifest would be %zu bytes, more than "
		    "the %d allowed"), mlen, BUNDLE_MANIFEST_MAX);
		goto out;
	}
	if (o->sign_key != NULL &&
	    (sig = bundle_sign(o->sign_key, manifest, mlen, cause)) == NULL)
		goto out;
	rc = write_bundle(&c, manifest, mlen, sig, cause);
	if (rc == 0)
		log_info("bundle create: wrote %s (%zu images, %zu charts, "
		    "%zu files%s)", o->out, m->nimages, m->ncharts, m->nfiles,
		    sig != NULL ? ", signed" : "");
out:
	free(manifest);
	free(sig);
	for (i = 0; i < c.n; i++) {
		free(c.v[i].path);
		free(c.v[i].src);
		free(c.v[i].data);
	}
	free(c.v);
	oci_index_free(c.index);
	if (c.stage != NULL) {
		char *cause2 = NULL;

		if (bundle_rm_rf(c.stage, &cause2) != 0)
			free(cause2);
		free(c.stage);
	}
	registry_free(c.reg);
	free(c.oci_dir);
	bundle_manifest_free(c.spec);
	return rc;
}
