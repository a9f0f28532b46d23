/*
 * YAML for render: a small tree emitted with libyaml (never pasted
 * strings), parsed back for the round-trip tests, and the three YAML files:
 * the operator chart's values, the WeightsAndBiases resource and the
 * Secrets it refers to.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "oci.h"
#include "render.h"
#include "storage-url.h"
#include "xmalloc.h"
#include "yaml-read.h"

struct ynode *
ynode_new(enum ytype type, const char *key, const char *value)
{
	struct ynode *y = xcalloc(1, sizeof *y);

	y->type = type;
	y->key = key != NULL ? xstrdup(key) : NULL;
	y->value = value != NULL ? xstrdup(value) : NULL;
	return y;
}

void
ynode_free(struct ynode *y)
{
	size_t i;

	if (y == NULL)
		return;
	for (i = 0; i < y->n; i++)
		ynode_free(y->kids[i]);
	free(y->kids);
	free(y->key);
	/* Values may be secrets (stringData). */
	xfree_secret(y->value);
	free(y);
}

static struct ynode *
y_add(struct ynode *parent, struct ynode *kid)
{
	parent->kids = xreallocarray(parent->kids, parent->n + 1,
	    sizeof *parent->kids);
	parent->kids[parent->n++] = kid;
	return kid;
}

struct ynode *
y_map(struct ynode *p, const char *key)
{
	return y_add(p, ynode_new(Y_MAP, key, NULL));
}

struct ynode *
y_seq(struct ynode *p, const char *key)
{
	return y_add(p, ynode_new(Y_SEQ, key, NULL));
}

struct ynode *
y_str(struct ynode *p, const char *key, const char *value)
{
	return y_add(p, ynode_new(Y_STR, key, value));
}

struct ynode *
y_int(struct ynode *p, const char *key, long value)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", value);
	return y_add(p, ynode_new(Y_PLAIN, key, buf));
}

struct ynode *
y_bool(struct ynode *p, const char *key, int value)
{
	return y_add(p, ynode_new(Y_PLAIN, key, value ? "true" : "false"));
}

struct ynode *
y_null(struct ynode *p, const char *key)
{
	return y_add(p, ynode_new(Y_NULL, key, NULL));
}

struct ynode *
y_get(const struct ynode *y, const char *key)
{
	size_t i;

	if (y == NULL || y->type != Y_MAP)
		return NULL;
	for (i = 0; i < y->n; i++)
		if (strcmp(y->kids[i]->key, key) == 0)
			return y->kids[i];
	return NULL;
}

struct ynode *
y_map_path(struct ynode *y, const char *path)
{
	const char *dot;
	struct ynode *kid;
	char *part;

	for (; *path != '\0'; path = *dot != '\0' ? dot + 1 : dot) {
		dot = strchr(path, '.');
		if (dot == NULL)
			dot = path + strlen(path);
		part = xstrndup(path, (size_t)(dot - path));
		kid = y_get(y, part);
		y = kid != NULL ? kid : y_map(y, part);
		free(part);
	}
	return y;
}

/*
 * Plain scalars that YAML 1.1 or 1.2 readers (Go's yaml, PyYAML) would
 * take for a null, a bool or a number.  Anything starting with a digit
 * counts, which quotes a few strings needlessly but never misses one.
 */
int
yaml_plain_is_typed(const char *s)
{
	static const char *const words[] = { "null", "Null", "NULL", "~",
		"true", "True", "TRUE", "false", "False", "FALSE", "yes",
		"Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off",
		"OFF", "y", "Y", "n", "N", "<<", "=", NULL };
	const char *t;
	size_t i;

	if (*s == '\0')
		return 1;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	if (s[0] >= '0' && s[0] <= '9')
		return 1;
	if (s[0] == '+' || s[0] == '-' || s[0] == '.') {
		t = s + 1;
		if (*t == '.')
			t++;
		if ((*t >= '0' && *t <= '9') || strcasecmp(t, "inf") == 0 ||
		    strcasecmp(t, "nan") == 0)
			return 1;
	}
	return 0;
}

static int
ybuf_write(void *arg, unsigned char *data, size_t len)
{
	render_buf_add(arg, data, len);
	return 1;
}

static void
emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	/* Only a bug (an unbalanced tree) makes the emitter fail. */
	if (!yaml_emitter_emit(e, ev)) {
		fprintf(stderr, "yaml emitter: %s\n", e->problem != NULL ?
		    e->problem : "error");
		abort();
	}
}

static void
emit_scalar(yaml_emitter_t *e, enum ytype type, const char *s)
{
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
	yaml_event_t ev;
	int typed = 0;

	if (type == Y_NULL)
		s = "null";
	if (type == Y_STR) {
		typed = yaml_plain_is_typed(s);
		if (typed)
			style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		else if (strchr(s, '\n') != NULL)
			style = YAML_LITERAL_SCALAR_STYLE;
	} else
		style = YAML_PLAIN_SCALAR_STYLE;
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    (int)strlen(s), !typed, 1, style);
	emit(e, &ev);
}

static void
emit_node(yaml_emitter_t *e, const struct ynode *y)
{
	yaml_event_t ev;
	size_t i;

	switch (y->type) {
	case Y_MAP:
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_MAPPING_STYLE);
		emit(e, &ev);
		for (i = 0; i < y->n; i++) {
			emit_scalar(e, Y_STR, y->kids[i]->key);
			emit_node(e, y->kids[i]);
		}
		yaml_mapping_end_event_initialize(&ev);
		emit(e, &ev);
		break;
	case Y_SEQ:
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_BLOCK_SEQUENCE_STYLE);
		emit(e, &ev);
		for (i = 0; i < y->n; i++)
			emit_node(e, y->kids[i]);
		yaml_sequence_end_event_initialize(&ev);
		emit(e, &ev);
		break;
	default:
		emit_scalar(e, y->type, y->value);
		break;
	}
}

char *
ynode_emit(struct ynode *const *docs, size_t ndocs, size_t *lenp)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct render_buf b = { NULL, 0, 0 };
	size_t i;

	if (!yaml_emitter_initialize(&e))
		abort();
	yaml_emitter_set_output(&e, ybuf_write, &b);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_indent(&e, 2);
	yaml_emitter_set_width(&e, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&e, &ev);
	for (i = 0; i < ndocs; i++) {
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL,
		    ndocs == 1);
		emit(&e, &ev);
		emit_node(&e, docs[i]);
		yaml_document_end_event_initialize(&ev, 1);
		emit(&e, &ev);
	}
	yaml_stream_end_event_initialize(&ev);
	emit(&e, &ev);
	yaml_emitter_delete(&e);
	if (b.data == NULL)
		b.data = xstrdup("");
	if (lenp != NULL)
		*lenp = b.len;
	return b.data;
}

/*
 * Node ID of document D as a tree.  A node met again is an alias, read as
 * a null: render never writes one, and following them would let a few
 * lines expand without end (or into themselves).  SEEN has a byte a node.
 */
static struct ynode *
from_node(yaml_document_t *d, int id, const char *key, char *seen,
    char **cause)
{
	yaml_node_t *n = yd_node(d, id);
	struct ynode *y, *kid;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	const char *v, *k;

	if (n == NULL || seen[id - 1])
		return ynode_new(Y_NULL, key, NULL);
	seen[id - 1] = 1;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		v = (const char *)n->data.scalar.value;
		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return ynode_new(Y_STR, key, v);
		if (*v == '\0' || strcmp(v, "~") == 0 ||
		    strcasecmp(v, "null") == 0)
			return ynode_new(Y_NULL, key, NULL);
		return ynode_new(yaml_plain_is_typed(v) ? Y_PLAIN : Y_STR,
		    key, v);
	case YAML_SEQUENCE_NODE:
		y = ynode_new(Y_SEQ, key, NULL);
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			if ((kid = from_node(d, *it, NULL, seen, cause)) ==
			    NULL) {
				ynode_free(y);
				return NULL;
			}
			y_add(y, kid);
		}
		return y;
	case YAML_MAPPING_NODE:
		y = ynode_new(Y_MAP, key, NULL);
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			if ((k = yd_scalar(yd_node(d, p->key))) == NULL) {
				*cause = xstrdup(_("a map key is not a "
				    "scalar"));
				ynode_free(y);
				return NULL;
			}
			if ((kid = from_node(d, p->value, k, seen, cause)) ==
			    NULL) {
				ynode_free(y);
				return NULL;
			}
			y_add(y, kid);
		}
		return y;
	default:
		return ynode_new(Y_NULL, key, NULL);
	}
}

int
ynode_parse(const char *buf, size_t len, struct ynode ***docsp,
    size_t *ndocsp, char **cause)
{
	struct yd_stream s;
	struct yd_error e;
	yaml_document_t d;
	struct ynode **docs = NULL, *y = NULL;
	char *seen;
	size_t n = 0;
	int rc;

	if ((rc = yd_open(&s, buf, len, &e)) == 0) {
		while ((rc = yd_next(&s, &d, &e)) == 1) {
			/* The root is node 1 (yaml_document_get_root_node). */
			seen = xcalloc((size_t)(d.nodes.top - d.nodes.start),
			    1);
			y = from_node(&d, 1, NULL, seen, cause);
			free(seen);
			yaml_document_delete(&d);
			if (y == NULL)
				break;
			docs = xreallocarray(docs, n + 1, sizeof *docs);
			docs[n++] = y;
		}
		yd_close(&s);
	}
	if (rc == -1) {
		*cause = xprintf(_("line %zu: %s"), (size_t)e.line,
		    e.message);
		yd_error_free(&e);
	}
	if (rc != 0) {
		while (n > 0)
			ynode_free(docs[--n]);
		free(docs);
		return -1;
	}
	*docsp = docs;
	*ndocsp = n;
	return 0;
}

int
ynode_equal(const struct ynode *a, const struct ynode *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	if ((a->key == NULL) != (b->key == NULL) ||
	    (a->key != NULL && strcmp(a->key, b->key) != 0))
		return 0;
	if ((a->type == Y_STR || a->type == Y_PLAIN) &&
	    strcmp(a->value, b->value) != 0)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!ynode_equal(a->kids[i], b->kids[i]))
			return 0;
	return 1;
}

/* The files. */

static int
airgap(const struct render_ctx *c)
{
	return answers_get_bool(c->a, "airgap.enabled");
}

const char *
render_registry(const struct answers *a)
{
	return answers_get_bool(a, "airgap.enabled") ? answers_get(a,
	    "airgap.registry") : NULL;
}

char *
render_mirror(const struct answers *a, const char *repository)
{
	struct oci_ref ref;
	char *cause = NULL, *path, *out;

	/* The chart's own names always parse; keep one as it is if not. */
	if (oci_ref_parse(repository, &ref, &cause) != 0) {
		free(cause);
		return xprintf("%s/%s", render_registry(a), repository);
	}
	path = oci_mirror_path(&ref);
	out = xprintf("%s/%s", render_registry(a), path);
	free(path);
	oci_ref_free(&ref);
	return out;
}

/* A pull Secret for the internal registry's credentials. */
static int
pull_secret(const struct render_ctx *c)
{
	return c->registry_password != NULL;
}

/*
 * The operator pulls the chart itself, with no pull Secret: an OCI chart
 * at the internal registry that wants credentials is named with a
 * credentialSecret (wandb/operator pkg/wandb/spec/charts/oci.go: it reads
 * the Secret's usernameKey and passwordKey in the resource's namespace,
 * then pulls with basic auth).  A chart repository on another host gets
 * none, as bundle push gives it none.
 */
static int
chart_secret(const struct render_ctx *c)
{
	const char *reg = answers_get(c->a, "airgap.registry"), *h;
	size_t n = strcspn(reg, "/");

	/* render_pull_secret()'s context has no chart: it needs none. */
	if (!pull_secret(c) || c->chart == NULL || c->chart->oci == NULL)
		return 0;
	h = c->chart->oci + strlen("oci://");
	return strncmp(h, reg, n) == 0 && h[n] == '/';
}

/* LIST: [{name: SECRET}], the form every chart here takes. */
static void
pull_secret_list(const struct render_ctx *c, struct ynode *parent,
    const char *key)
{
	if (pull_secret(c))
		y_str(y_map(y_seq(parent, key), NULL), "name",
		    RENDER_REGISTRY_SECRET);
}

static void
security_context(struct ynode *parent, const char *key)
{
	struct ynode *sc = y_map_path(parent, key);

	y_int(sc, "runAsUser", RENDER_OPENSHIFT_UID);
	y_int(sc, "runAsGroup", RENDER_OPENSHIFT_GID);
}

/*
 * helm/operator-values.yaml; every key is in the operator chart's
 * values.yaml (tests/render checks it).
 */
struct ynode *
render_operator_values(const struct render_ctx *c)
{
	struct ynode *root = ynode_new(Y_MAP, NULL, NULL), *img, *certs;
	char *repo;
	size_t i;

	if (airgap(c)) {
		img = y_map(root, "image");
		repo = render_mirror(c->a, "wandb/controller");
		y_str(img, "repository", repo);
		free(repo);
		if (pull_secret(c))
			y_str(y_seq(img, "pullSecrets"), NULL,
			    RENDER_REGISTRY_SECRET);
	}
	y_bool(root, "airgapped", airgap(c));
	if (c->nca > 0) {
		certs = y_seq(root, "customCACerts");
		for (i = 0; i < c->nca; i++)
			y_str(certs, NULL, c->ca_certs[i]);
	}
	if (answers_get_bool(c->a, "kubernetes.openshift"))
		security_context(root, "podSecurityContext");
	return root;
}

static void
cr_bucket(const struct render_ctx *c, struct ynode *global)
{
	const struct storage_conf *s = &c->storage;
	struct ynode *b = y_map(global, "bucket"), *sec;
	char *name, *path;

	y_str(b, "provider", s->provider);
	if (s->host != NULL) {
		/* S3-compatible: the endpoint is the name, the bucket leads
		 * the path. */
		name = s->port != 0 ? xprintf("%s:%d", s->host, s->port) :
		    xstrdup(s->host);
		/* The chart has no key for TLS to the endpoint: the app
		 * reads it from BUCKET's query, which the chart ends with
		 * $(BUCKET_PATH). */
		path = xprintf("%s%s%s?tls=%s", s->bucket, *s->path != '\0' ?
		    "/" : "", s->path, s->tls ? "true" : "false");
	} else {
		name = xstrdup(s->bucket);
		path = xstrdup(s->path);
	}
	y_str(b, "name", name);
	y_str(b, "path", path);
	y_str(b, "region", s->region != NULL ? s->region : "");
	y_null(b, "kmsKey");
	if (s->access_key != NULL) {
		sec = y_map(b, "secret");
		y_str(sec, "secretName", RENDER_BUCKET_SECRET);
		y_str(sec, "accessKeyName", "ACCESS_KEY");
		y_str(sec, "secretKeyName", "SECRET_KEY");
	}
	free(name);
	free(path);
}

/*
 * spec.chart, as the operator reads it (wandb/operator,
 * pkg/wandb/spec/charts/).  An oci:// url is its OCIRelease: the url is the
 * chart's own repository, the chart's name its last component (there is no
 * name key), with version and plainHTTP.  Any other url is its RepoRelease:
 * a Helm repository, with url, name and version.  The oci:// reference is
 * where bundle push put the bundle's charts, at the version it put there:
 * the bundle's own.  Both come resolved in the context (struct
 * render_chart), so that rendering never reads the bundle.
 */
static void
cr_chart(const struct render_ctx *c, struct ynode *spec)
{
	struct ynode *chart = y_map(spec, "chart"), *m;
	const char *ref = c->chart->oci, *version = c->chart->version;

	y_str(chart, "url", ref != NULL ? ref : answers_get(c->a,
	    "airgap.chart_repo"));
	if (ref == NULL)
		y_str(chart, "name", RENDER_CHART_NAME);
	y_str(chart, "version", version != NULL ? version :
	    RENDER_CHART_VERSION);
	if (ref != NULL && answers_get_bool(c->a, "airgap.plain_http"))
		y_bool(chart, "plainHTTP", 1);
	if (chart_secret(c)) {
		m = y_map(chart, "credentialSecret");
		y_str(m, "name", RENDER_CHART_SECRET);
		y_str(m, "usernameKey", "username");
		y_str(m, "passwordKey", "password");
	}
}

/*
 * The wandb-base components that chart 0.43.8 installs with our values,
 * and whether each runs a W&B server image (wandb/local, console,
 * megabinary, weave-python) that deployment.wandb_version pins.  The
 * app-rename hooks run alpine/k8s.
 */
static const struct {
	const char *name;
	int server;
} pod_components[] = {
	{ "app", 1 }, { "console", 1 }, { "weave", 1 }, { "parquet", 1 },
	{ "appRenamePreHook", 0 }, { "appRenamePostHook", 0 },
};

/* The other subcharts' pod (and container) security contexts. */
static const char *const subchart_security[] = {
	"otel.daemonset.pod.securityContext",
	"redis.master.podSecurityContext",
	"redis.master.containerSecurityContext",
	"prometheus.instance.server.securityContext",
};

/* Images that the prometheus subchart (alias instance) names with their
 * registry, outside global.repositoryPrefix and global.imageRegistry. */
static const struct {
	const char *key;
	const char *repository;
} own_images[] = {
	{ "prometheus.instance.server.image",
	  "quay.io/prometheus/prometheus" },
	{ "prometheus.instance.configmapReload.prometheus.image",
	  "quay.io/prometheus-operator/prometheus-config-reloader" },
};

/* The images: from the internal registry in an air gap, with its pull
 * Secret when it wants credentials. */
static void
cr_images(const struct render_ctx *c, struct ynode *values,
    struct ynode *global)
{
	const char *reg = render_registry(c->a);
	char *repo;
	size_t i;

	if (reg == NULL)
		return;
	/* wandb-base and otel prefix their repositories; the bitnami
	 * subcharts (redis) take a registry. */
	y_str(global, "repositoryPrefix", reg);
	y_str(global, "imageRegistry", reg);
	pull_secret_list(c, global, "imagePullSecrets");
	for (i = 0; i < sizeof own_images / sizeof own_images[0]; i++) {
		repo = render_mirror(c->a, own_images[i].repository);
		y_str(y_map_path(values, own_images[i].key), "repository",
		    repo);
		free(repo);
	}
	pull_secret_list(c, y_map_path(values, "prometheus.instance"),
	    "imagePullSecrets");
}

static void
cr_components(const struct render_ctx *c, struct ynode *values)
{
	const char *version = answers_get(c->a, "deployment.wandb_version");
	const char *queue = answers_get(c->a, "storage.queue");
	int openshift = answers_get_bool(c->a, "kubernetes.openshift");
	struct ynode *m;
	size_t i;

	for (i = 0; i < sizeof pod_components / sizeof pod_components[0];
	    i++) {
		const char *name = pod_components[i].name;
		int app = strcmp(name, "app") == 0;
		int pin = pod_components[i].server && *version != '\0';
		int q = app && strcmp(queue, "internal://") != 0;

		if (!openshift && !pin && !q)
			continue;
		m = y_map(values, name);
		if (pin)
			y_str(y_map(m, "image"), "tag", version);
		if (q)
			y_str(y_map(m, "env"), "BUCKET_QUEUE", queue);
		if (openshift)
			security_context(m, "podSecurityContext");
	}
	if (!openshift)
		return;
	for (i = 0; i < sizeof subchart_security /
	    sizeof subchart_security[0]; i++) {
		security_context(values, subchart_security[i]);
		if (strstr(subchart_security[i], "containerSecurity") == NULL)
			y_int(y_map_path(values, subchart_security[i]),
			    "fsGroup", RENDER_OPENSHIFT_GID);
	}
}

/*
 * helm/wandb-cr.yaml; every key path under spec.values is in the
 * operator-wandb chart's values.yaml, except the free-form maps the test
 * lists.
 */
struct ynode *
render_wandb_cr(const struct render_ctx *c)
{
	struct ynode *root = ynode_new(Y_MAP, NULL, NULL), *md, *labels;
	struct ynode *spec, *values, *global, *m, *ing, *ann, *tls, *item;
	struct ynode *hosts;
	const char *fqdn = answers_get(c->a, "domain.fqdn");
	struct render_mysql my;
	char *host;

	y_str(root, "apiVersion", "apps.wandb.com/v1");
	y_str(root, "kind", "WeightsAndBiases");
	md = y_map(root, "metadata");
	labels = y_map(md, "labels");
	y_str(labels, "app.kubernetes.io/instance", RENDER_CR_NAME);
	y_str(labels, "app.kubernetes.io/name", "weightsandbiases");
	y_str(md, "name", RENDER_CR_NAME);
	y_str(md, "namespace", answers_get(c->a, "kubernetes.namespace"));

	spec = y_map(root, "spec");
	if (airgap(c))
		cr_chart(c, spec);
	values = y_map(spec, "values");
	global = y_map(values, "global");
	host = render_origin(c->a);
	y_str(global, "host", host);
	free(host);
	m = y_map(global, "licenseSecret");
	y_str(m, "name", RENDER_LICENSE_SECRET);
	y_str(m, "key", "license");
	cr_bucket(c, global);
	/* Kubernetes always has one. */
	(void)render_mysql_app(c->a, "kubernetes", "", &my, NULL);
	m = y_map(global, "mysql");
	y_str(m, "host", my.host);
	y_int(m, "port", my.port);
	y_str(m, "database", my.database);
	y_str(m, "user", my.user);
	render_mysql_free(&my);
	m = y_map(m, "passwordSecret");
	y_str(m, "name", RENDER_MYSQL_SECRET);
	y_str(m, "passwordKey", "MYSQL_PASSWORD");
	cr_images(c, values, global);

	m = y_map(values, "mysql");
	y_bool(m, "install", 0);

	ing = y_map(values, "ingress");
	y_str(ing, "class", answers_get(c->a, "kubernetes.ingress_class"));
	ann = y_map(ing, "annotations");
	y_str(ann, "nginx.ingress.kubernetes.io/proxy-body-size", "0");
	tls = y_seq(ing, "tls");
	item = y_map(tls, NULL);
	y_str(item, "secretName", answers_get(c->a, "kubernetes.tls_secret"));
	hosts = y_seq(item, "hosts");
	y_str(hosts, NULL, fqdn);

	cr_components(c, values);
	return root;
}

static struct ynode *
secret_doc(const struct render_ctx *c, const char *name, const char *type)
{
	struct ynode *root = ynode_new(Y_MAP, NULL, NULL), *md;

	y_str(root, "apiVersion", "v1");
	y_str(root, "kind", "Secret");
	md = y_map(root, "metadata");
	y_str(md, "name", name);
	y_str(md, "namespace", answers_get(c->a, "kubernetes.namespace"));
	y_str(root, "type", type);
	return root;
}

/* A value that the chart puts into a URL by the kubelet's $(VAR)
 * expansion, which inserts it as it is: percent-encoded, every byte but
 * A-Z a-z 0-9 - . _ ~ (the app's URL parser decodes it, and so does the
 * init-db check's unquote_plus: no '+' for a space). */
static void
y_url_secret(struct ynode *data, const char *key, const char *value)
{
	char *e = url_encode(value);

	y_str(data, key, e);
	xfree_secret(e);
}

/* {"auths": {REGISTRY: {username, password, auth}}} */
static char *
dockerconfigjson(const struct render_ctx *c)
{
	const char *user = answers_get(c->a, "airgap.registry_user");
	char *pair = xprintf("%s:%s", user, c->registry_password), *auth;
	char *out;
	size_t n = strlen(pair);
	json_t *root, *entry;

	auth = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)auth, (unsigned char *)pair, (int)n);
	entry = json_pack("{s:s, s:s, s:s}", "username", user, "password",
	    c->registry_password, "auth", auth);
	root = json_pack("{s:{s:o}}", "auths", render_registry(c->a), entry);
	out = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	if (root == NULL || out == NULL)
		abort();
	/* jansson's copies of the password go with it, unwiped. */
	json_decref(root);
	xfree_secret(pair);
	xfree_secret(auth);
	return out;
}

/* The kubernetes.io/dockerconfigjson Secret pods pull with. */
static struct ynode *
pull_secret_doc(const struct render_ctx *c)
{
	struct ynode *doc;
	char *json;

	doc = secret_doc(c, RENDER_REGISTRY_SECRET,
	    "kubernetes.io/dockerconfigjson");
	json = c->masked ? xstrdup(RENDER_MASK) : dockerconfigjson(c);
	y_str(y_map(doc, "stringData"), ".dockerconfigjson", json);
	xfree_secret(json);
	return doc;
}

int
render_needs_pull_secret(const struct answers *a)
{
	return strcmp(answers_get(a, "deployment.platform"), "kubernetes") ==
	    0 && render_registry(a) != NULL &&
	    *answers_get(a, "airgap.registry_user") != '\0';
}

struct ynode *
render_pull_secret(const struct answers *a, int shown, char **cause)
{
	struct render_ctx c;
	struct ynode *doc;

	*cause = NULL;
	if (!render_needs_pull_secret(a))
		return NULL;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.masked = shown;
	if (!shown && (c.registry_password = answers_resolve(a,
	    "airgap.registry_password", cause)) == NULL)
		return NULL;
	doc = pull_secret_doc(&c);
	xfree_secret(c.registry_password);
	return doc;
}

/* k8s/secrets.yaml: the Secrets the resource names. */
size_t
render_k8s_secrets(const struct render_ctx *c, struct ynode **docs,
    size_t max)
{
	struct ynode *data;
	struct render_mysql my;
	size_t n = 0;
	int s3 = strcmp(c->storage.provider, "s3") == 0;

	if (max < RENDER_K8S_SECRETS_MAX)
		return 0;
	docs[n] = secret_doc(c, RENDER_LICENSE_SECRET, "Opaque");
	y_str(y_map(docs[n++], "stringData"), "license", c->license);
	/* Every consumer in the chart takes it encoded: the mysql:// URLs
	 * and the app's init-db check, which decodes it. */
	(void)render_mysql_app(c->a, "kubernetes", c->mysql_password, &my,
	    NULL);
	docs[n] = secret_doc(c, RENDER_MYSQL_SECRET, "Opaque");
	y_str(y_map(docs[n++], "stringData"), "MYSQL_PASSWORD", my.password);
	render_mysql_free(&my);
	if (c->storage.access_key != NULL) {
		/* S3: only in the s3:// URL, so encoded; Azure's key goes
		 * to AZURE_STORAGE_KEY as it is. */
		docs[n] = secret_doc(c, RENDER_BUCKET_SECRET, "Opaque");
		data = y_map(docs[n++], "stringData");
		if (s3) {
			y_url_secret(data, "ACCESS_KEY",
			    c->storage.access_key);
			y_url_secret(data, "SECRET_KEY",
			    c->storage.secret_key);
		} else {
			y_str(data, "ACCESS_KEY", c->storage.access_key);
			y_str(data, "SECRET_KEY", c->storage.secret_key);
		}
	}
	if (pull_secret(c))
		docs[n++] = pull_secret_doc(c);
	if (chart_secret(c)) {
		docs[n] = secret_doc(c, RENDER_CHART_SECRET, "Opaque");
		data = y_map(docs[n++], "stringData");
		y_str(data, "username", answers_get(c->a,
		    "airgap.registry_user"));
		y_str(data, "password", c->registry_password);
	}
	return n;
}
