/* Release specs and bundle manifests: read and written with libyaml. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "bundle.h"
#include "i18n.h"
#include "oci.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml-read.h"

struct ydoc {
	yaml_document_t doc;
	const char *what;
	char **cause;
	int failed;
};

static void
yfail(struct ydoc *y, yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
yfail(struct ydoc *y, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (y->failed)
		return;
	y->failed = 1;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n != NULL)
		*y->cause = xprintf("%s:%lu: %s", y->what, yd_line(n), msg);
	else
		*y->cause = xprintf("%s: %s", y->what, msg);
	free(msg);
}

static const char *
yscalar(struct ydoc *y, yaml_node_t *n, const char *key)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		yfail(y, n, _("%s: expected a string"), key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static char *
ydup(struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = yscalar(y, n, key);

	if (s == NULL)
		return NULL;
	if (*s == '\0') {
		yfail(y, n, _("%s: must not be empty"), key);
		return NULL;
	}
	return xstrdup(s);
}

/* A key given twice is refused (its first value leaked). */
static void
ydup_into(struct ydoc *y, yaml_node_t *n, const char *key, char **dst)
{
	if (*dst != NULL) {
		yfail(y, n, _("%s: given twice"), key);
		return;
	}
	*dst = ydup(y, n, key);
}

static int64_t
yint(struct ydoc *y, yaml_node_t *n, const char *key)
{
	const char *s = yscalar(y, n, key);
	char *end;
	long long v;

	if (s == NULL)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0) {
		yfail(y, n, _("%s: expected a size in bytes, not '%s'"), key,
		    s);
		return -1;
	}
	if (v > BUNDLE_SIZE_MAX) {
		yfail(y, n, _("%s: %lld is more than a bundle may hold (%lld "
		    "bytes)"), key, v, (long long)BUNDLE_SIZE_MAX);
		return -1;
	}
	return v;
}

static yaml_node_t *
ynode(struct ydoc *y, int id)
{
	return yd_node(&y->doc, id);
}

static int
is_hex64(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}

static void
parse_image(struct ydoc *y, yaml_node_t *n, struct bundle_image *im,
    int manifest)
{
	yaml_node_pair_t *p;
	const char *k;
	struct oci_ref ref;
	char *cause = NULL;

	if (n->type == YAML_SCALAR_NODE && !manifest)
		im->ref = ydup(y, n, "images[]");
	else if (n->type == YAML_MAPPING_NODE) {
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			k = yscalar(y, ynode(y, p->key), "images[]");
			if (k == NULL)
				return;
			if (strcmp(k, "ref") == 0)
				ydup_into(y, ynode(y, p->value), k, &im->ref);
			else if (strcmp(k, "digest") == 0)
				ydup_into(y, ynode(y, p->value), k,
				    &im->digest);
			else if (strcmp(k, "platform") == 0)
				ydup_into(y, ynode(y, p->value), k,
				    &im->platform);
			else if (strcmp(k, "size") == 0)
				im->size = yint(y, ynode(y, p->value), k);
		}
	} else {
		yfail(y, n, _("images[]: expected %s"), manifest ?
		    _("a mapping") : _("a reference"));
		return;
	}
	if (y->failed)
		return;
	if (im->ref == NULL) {
		yfail(y, n, _("images[]: ref is missing"));
		return;
	}
	if (oci_ref_parse(im->ref, &ref, &cause) != 0) {
		yfail(y, n, "images[]: %s", cause);
		free(cause);
		return;
	}
	oci_ref_free(&ref);
	if (manifest && (im->digest == NULL || !oci_digest_valid(im->digest)))
		yfail(y, n, _("images[]: %s: digest is missing or is not "
		    "sha256:HEX"), im->ref);
	if (im->digest != NULL && !oci_digest_valid(im->digest))
		yfail(y, n, _("images[]: %s: digest is not sha256:HEX"),
		    im->ref);
}

static void
parse_chart(struct ydoc *y, yaml_node_t *n, struct bundle_chart *c,
    int manifest)
{
	yaml_node_pair_t *p;
	const char *k;

	if (n->type != YAML_MAPPING_NODE) {
		yfail(y, n, _("charts[]: expected a mapping"));
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yscalar(y, ynode(y, p->key), "charts[]");
		if (k == NULL)
			return;
		if (strcmp(k, "name") == 0)
			ydup_into(y, ynode(y, p->value), k, &c->name);
		else if (strcmp(k, "version") == 0)
			ydup_into(y, ynode(y, p->value), k, &c->version);
		else if (strcmp(k, "path") == 0)
			ydup_into(y, ynode(y, p->value), k, &c->path);
		else if (strcmp(k, "sha256") == 0)
			ydup_into(y, ynode(y, p->value), k, &c->sha256);
	}
	if (y->failed)
		return;
	if (c->name == NULL || c->version == NULL ||
	    strchr(c->name, '/') != NULL || strchr(c->version, '/') != NULL)
		yfail(y, n, _("charts[]: name and version are required "
		    "(without '/')"));
	else if (manifest && (c->path == NULL || !bundle_path_safe(c->path) ||
	    strncmp(c->path, "charts/", 7) != 0 || !is_hex64(c->sha256)))
		yfail(y, n, _("charts[]: %s: path (charts/...) or sha256 is "
		    "missing or bad"), c->name);
}

static void
parse_file(struct ydoc *y, yaml_node_t *n, struct bundle_file *f)
{
	yaml_node_pair_t *p;
	const char *k;

	f->size = -1;
	if (n->type != YAML_MAPPING_NODE) {
		yfail(y, n, _("files[]: expected a mapping"));
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yscalar(y, ynode(y, p->key), "files[]");
		if (k == NULL)
			return;
		if (strcmp(k, "path") == 0)
			ydup_into(y, ynode(y, p->value), k, &f->path);
		else if (strcmp(k, "size") == 0)
			f->size = yint(y, ynode(y, p->value), k);
		else if (strcmp(k, "sha256") == 0)
			ydup_into(y, ynode(y, p->value), k, &f->sha256);
	}
	if (y->failed)
		return;
	if (f->path == NULL || !bundle_path_safe(f->path) ||
	    strcmp(f->path, BUNDLE_MANIFEST) == 0 ||
	    strcmp(f->path, BUNDLE_SIG) == 0)
		yfail(y, n, _("files[]: path '%s' is missing or not allowed"),
		    f->path != NULL ? f->path : "");
	else if (f->size < 0 || !is_hex64(f->sha256))
		yfail(y, n, _("files[]: %s: size or sha256 is missing or bad"),
		    f->path);
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bundle_file *)a)->path,
	    ((const struct bundle_file *)b)->path);
}

void
bundle_manifest_sort_files(struct bundle_manifest *m)
{
	if (m->nfiles > 1)
		qsort(m->files, m->nfiles, sizeof *m->files, file_cmp);
}

const struct bundle_file *
bundle_manifest_file(const struct bundle_manifest *m, const char *path)
{
	struct bundle_file key;

	if (m->nfiles == 0)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, m->files, m->nfiles, sizeof *m->files, file_cmp);
}

int64_t
bundle_manifest_total(const struct bundle_manifest *m)
{
	int64_t t = 0;
	size_t i;

	/* Each size is at most BUNDLE_SIZE_MAX (yint), and parse() refuses
	 * a manifest whose files add up to more; saturate all the same. */
	for (i = 0; i < m->nfiles; i++) {
		if (m->files[i].size > INT64_MAX - t)
			return INT64_MAX;
		t += m->files[i].size;
	}
	return t;
}

static void
parse_top(struct ydoc *y, struct bundle_manifest *m, int manifest)
{
	yaml_node_t *root, *v, *it;
	yaml_node_pair_t *p, *q;
	yaml_node_item_t *i;
	const char *k, *s;
	size_t j;

	root = yaml_document_get_root_node(&y->doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		yfail(y, root, _("expected a mapping"));
		return;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top && !y->failed; p++) {
		k = yscalar(y, ynode(y, p->key), "key");
		v = ynode(y, p->value);
		if (k == NULL)
			return;
		if (strcmp(k, "name") == 0)
			ydup_into(y, v, k, &m->name);
		else if (strcmp(k, "version") == 0)
			ydup_into(y, v, k, &m->version);
		else if (strcmp(k, "server_version") == 0)
			ydup_into(y, v, k, &m->server_version);
		else if (strcmp(k, "checked") == 0)
			ydup_into(y, v, k, &m->checked);
		else if (strcmp(k, "created") == 0)
			ydup_into(y, v, k, &m->created);
		else if (strcmp(k, "bundle_format") == 0)
			m->format = (int)yint(y, v, k);
		else if (strcmp(k, "requirements") == 0) {
			if (v->type != YAML_MAPPING_NODE) {
				yfail(y, v, _("requirements: expected a "
				    "mapping"));
				return;
			}
			for (q = v->data.mapping.pairs.start;
			    q < v->data.mapping.pairs.top && !y->failed; q++) {
				m->req = xreallocarray(m->req, m->nreq + 1,
				    sizeof *m->req);
				m->req[m->nreq].key = ydup(y, ynode(y, q->key),
				    "requirements");
				s = yscalar(y, ynode(y, q->value),
				    "requirements");
				m->req[m->nreq++].value = xstrdup(s != NULL ?
				    s : "");
			}
		} else if (strcmp(k, "images") == 0 ||
		    strcmp(k, "charts") == 0 || strcmp(k, "files") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				yfail(y, v, _("%s: expected a list"), k);
				return;
			}
			for (i = v->data.sequence.items.start;
			    i < v->data.sequence.items.top && !y->failed; i++) {
				it = ynode(y, *i);
				if (*k == 'i') {
					m->images = xreallocarray(m->images,
					    m->nimages + 1, sizeof *m->images);
					memset(&m->images[m->nimages], 0,
					    sizeof *m->images);
					parse_image(y, it,
					    &m->images[m->nimages++], manifest);
				} else if (*k == 'c') {
					m->charts = xreallocarray(m->charts,
					    m->ncharts + 1, sizeof *m->charts);
					memset(&m->charts[m->ncharts], 0,
					    sizeof *m->charts);
					parse_chart(y, it,
					    &m->charts[m->ncharts++], manifest);
				} else if (manifest) {
					m->files = xreallocarray(m->files,
					    m->nfiles + 1, sizeof *m->files);
					memset(&m->files[m->nfiles], 0,
					    sizeof *m->files);
					parse_file(y, it, &m->files[m->nfiles++]);
				}
			}
		}
	}
	if (y->failed)
		return;
	if (m->name == NULL || m->version == NULL)
		yfail(y, root, _("name and version are required"));
	else if (manifest && m->format != BUNDLE_FORMAT)
		yfail(y, root, _("bundle_format %d is not supported (this "
		    "wbinstall reads %d)"), m->format, BUNDLE_FORMAT);
	else if (m->nimages == 0 && m->ncharts == 0)
		yfail(y, root, _("no images and no charts"));
	if (y->failed || !manifest)
		return;
	bundle_manifest_sort_files(m);
	for (j = 1; j < m->nfiles; j++)
		if (strcmp(m->files[j - 1].path, m->files[j].path) == 0) {
			yfail(y, NULL, _("files[]: %s is listed twice"),
			    m->files[j].path);
			return;
		}
}

static struct bundle_manifest *
parse(const char *data, size_t len, const char *what, int manifest,
    char **cause)
{
	struct ydoc y;
	struct bundle_manifest *m;

	memset(&y, 0, sizeof y);
	y.what = what;
	y.cause = cause;
	if (yd_load_text(data, len, what, &y.doc, cause) != 0)
		return NULL;
	m = xcalloc(1, sizeof *m);
	parse_top(&y, m, manifest);
	yaml_document_delete(&y.doc);
	if (!y.failed && bundle_manifest_total(m) > BUNDLE_SIZE_MAX) {
		y.failed = 1;
		*cause = xprintf(_("%s: its files add up to more than a bundle "
		    "may hold (%lld bytes)"), what, (long long)BUNDLE_SIZE_MAX);
	}
	if (y.failed) {
		bundle_manifest_free(m);
		return NULL;
	}
	return m;
}

struct bundle_manifest *
bundle_spec_load(const char *path, char **cause)
{
	struct bundle_manifest *m;
	char *data;
	size_t len;

	data = read_file(path, BUNDLE_MANIFEST_MAX, &len, cause);
	if (data == NULL)
		return NULL;
	m = parse(data, len, path, 0, cause);
	free(data);
	return m;
}

struct bundle_manifest *
bundle_manifest_parse(const char *data, size_t len, const char *what,
    char **cause)
{
	return parse(data, len, what, 1, cause);
}

void
bundle_manifest_free(struct bundle_manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->name);
	free(m->version);
	free(m->server_version);
	free(m->checked);
	free(m->created);
	for (i = 0; i < m->nreq; i++) {
		free(m->req[i].key);
		free(m->req[i].value);
	}
	free(m->req);
	for (i = 0; i < m->nimages; i++) {
		free(m->images[i].ref);
		free(m->images[i].digest);
		free(m->images[i].platform);
	}
	free(m->images);
	for (i = 0; i < m->ncharts; i++) {
		free(m->charts[i].name);
		free(m->charts[i].version);
		free(m->charts[i].path);
		free(m->charts[i].sha256);
	}
	free(m->charts);
	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i].path);
		free(m->files[i].sha256);
	}
	free(m->files);
	free(m);
}

/* The emitter. */
struct ybuf {
	char *p;
	size_t len;
};

static int
ybuf_write(void *arg, unsigned char *data, size_t size)
{
	struct ybuf *b = arg;

	b->p = xreallocarray(b->p, b->len + size + 1, 1);
	memcpy(b->p + b->len, data, size);
	b->len += size;
	b->p[b->len] = '\0';
	return 1;
}

static void
emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(e, ev)) {
		fprintf(stderr, "wbinstall: YAML emitter: %s\n",
		    e->problem != NULL ? e->problem : "error");
		abort();
	}
}

static void
emit_str(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, -1,
	    1, 1, YAML_ANY_SCALAR_STYLE);
	emit(e, &ev);
}

static void
emit_kv(yaml_emitter_t *e, const char *k, const char *v)
{
	emit_str(e, k);
	emit_str(e, v != NULL ? v : "");
}

static void
emit_kint(yaml_emitter_t *e, const char *k, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	emit_str(e, k);
	emit_str(e, buf);
}

static void
emit_map(yaml_emitter_t *e, int start)
{
	yaml_event_t ev;

	if (start)
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_MAPPING_STYLE);
	else
		yaml_mapping_end_event_initialize(&ev);
	emit(e, &ev);
}

static void
emit_seq(yaml_emitter_t *e, const char *key, int start)
{
	yaml_event_t ev;

	if (start) {
		emit_str(e, key);
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_SEQUENCE_STYLE);
	} else
		yaml_sequence_end_event_initialize(&ev);
	emit(e, &ev);
}

char *
bundle_manifest_emit(const struct bundle_manifest *m, size_t *lenp)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct ybuf b = { NULL, 0 };
	size_t i;

	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, ybuf_write, &b);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, 1000);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&e, &ev);
	emit_map(&e, 1);
	emit_kint(&e, "bundle_format", BUNDLE_FORMAT);
	emit_kv(&e, "name", m->name);
	emit_kv(&e, "version", m->version);
	if (m->server_version != NULL)
		emit_kv(&e, "server_version", m->server_version);
	if (m->created != NULL)	/* a parsed manifest may lack it */
		emit_kv(&e, "created", m->created);
	if (m->checked != NULL)
		emit_kv(&e, "checked", m->checked);
	emit_str(&e, "requirements");
	emit_map(&e, 1);
	for (i = 0; i < m->nreq; i++)
		emit_kv(&e, m->req[i].key, m->req[i].value);
	emit_map(&e, 0);
	emit_seq(&e, "images", 1);
	for (i = 0; i < m->nimages; i++) {
		emit_map(&e, 1);
		emit_kv(&e, "ref", m->images[i].ref);
		emit_kv(&e, "digest", m->images[i].digest);
		if (m->images[i].platform != NULL)
			emit_kv(&e, "platform", m->images[i].platform);
		emit_kint(&e, "size", m->images[i].size);
		emit_map(&e, 0);
	}
	emit_seq(&e, NULL, 0);
	emit_seq(&e, "charts", 1);
	for (i = 0; i < m->ncharts; i++) {
		emit_map(&e, 1);
		emit_kv(&e, "name", m->charts[i].name);
		emit_kv(&e, "version", m->charts[i].version);
		emit_kv(&e, "path", m->charts[i].path);
		emit_kv(&e, "sha256", m->charts[i].sha256);
		emit_map(&e, 0);
	}
	emit_seq(&e, NULL, 0);
	emit_seq(&e, "files", 1);
	for (i = 0; i < m->nfiles; i++) {
		emit_map(&e, 1);
		emit_kv(&e, "path", m->files[i].path);
		emit_kint(&e, "size", m->files[i].size);
		emit_kv(&e, "sha256", m->files[i].sha256);
		emit_map(&e, 0);
	}
	emit_seq(&e, NULL, 0);
	emit_map(&e, 0);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&e, &ev);
	yaml_emitter_delete(&e);
	*lenp = b.len;
	return b.p;
}

void
bundle_progress(const struct bundle_progress *p, const char *what,
    int64_t done, int64_t total)
{
	if (p != NULL && p->update != NULL)
		p->update(p->arg, what, done, total);
}

int
bundle_cancelled(const struct bundle_progress *p)
{
	return p != NULL && p->cancel != NULL && *p->cancel;
}

void
bundle_size_text(char *buf, size_t len, int64_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRId64 " B", n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* Printable copies of a manifest's strings, freed together. */
struct spool {
	char **v;
	size_t n;
};

static const char *
sp(struct spool *p, const char *s)
{
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	return p->v[p->n++] = text_printable(s != NULL ? s : "");
}

static void
spool_free(struct spool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
}

void
bundle_manifest_print(FILE *out, const struct bundle_manifest *m, int sig)
{
	const struct bundle_file *f;
	struct spool p = { NULL, 0 };
	char sz[32];
	size_t i;

	/* Every string comes from the bundle: printed with its control
	 * characters escaped, so that a name cannot forge a line. */
	fprintf(out, _("name:     %s\n"), sp(&p, m->name));
	fprintf(out, _("version:  %s\n"), sp(&p, m->version));
	if (m->server_version != NULL)
		fprintf(out, _("server:   W&B %s\n"),
		    sp(&p, m->server_version));
	fprintf(out, _("created:  %s\n"), sp(&p, m->created));
	fprintf(out, _("checked:  %s\n"), m->checked != NULL ?
	    sp(&p, m->checked) : _("no (its images were not held against "
	    "its chart)"));
	fprintf(out, _("signed:   %s\n"), sig ? _("yes (check it with verify "
	    "--pubkey)") : _("no"));
	bundle_size_text(sz, sizeof sz, bundle_manifest_total(m));
	fprintf(out, _("size:     %s in %zu files\n"), sz, m->nfiles);
	fprintf(out, _("requirements:\n"));
	for (i = 0; i < m->nreq; i++)
		fprintf(out, "  %-12s %s\n", sp(&p, m->req[i].key),
		    sp(&p, m->req[i].value));
	fprintf(out, _("images:\n"));
	for (i = 0; i < m->nimages; i++) {
		bundle_size_text(sz, sizeof sz, m->images[i].size);
		fprintf(out, "  %-40s %-12s %10s  %s\n",
		    sp(&p, m->images[i].ref), sp(&p, m->images[i].platform),
		    sz, sp(&p, m->images[i].digest));
	}
	fprintf(out, _("charts:\n"));
	for (i = 0; i < m->ncharts; i++) {
		f = bundle_manifest_file(m, m->charts[i].path);
		bundle_size_text(sz, sizeof sz, f != NULL ? f->size : 0);
		fprintf(out, "  %-20s %-12s %10s  %s\n",
		    sp(&p, m->charts[i].name), sp(&p, m->charts[i].version), sz,
		    sp(&p, m->charts[i].path));
	}
	spool_free(&p);
}

int
bundle_path_safe(const char *path)
{
	const char *p = path, *slash;
	size_t n;

	if (*path == '\0' || *path == '/' || strlen(path) > 1024)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (memchr(p, '\\', n) != NULL)
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}
