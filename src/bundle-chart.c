/*
 * The bundle's charts as Helm OCI artifacts: the config is Chart.yaml as
 * JSON (read from the .tgz with libarchive and libyaml), the one layer is
 * the .tgz itself, and the manifest is tagged with the chart's version.
 * Also where charts go (the registry's charts/, or airgap.chart_repo when
 * it is an oci:// URL), which `bundle push` and the install's helm command
 * both take from here so that they agree.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <yaml.h>

#include "answers.h"
#include "bundle.h"
#include "i18n.h"
#include "oci.h"
#include "render.h"
#include "util.h"
#include "xmalloc.h"
#include "yaml-read.h"

/* Chart.yaml larger than this is refused. */
#define CHART_YAML_MAX	(1024 * 1024)
/* Nesting deeper than this in Chart.yaml is refused. */
#define CHART_YAML_DEPTH	32

int
bundle_chart_target(const char *registry, const char *chart_repo,
    char **host, char **prefix, char **cause)
{
	const char *p, *slash;
	size_t len;

	*host = *prefix = NULL;
	if (chart_repo == NULL || *chart_repo == '\0') {
		if (registry == NULL || *registry == '\0') {
			*cause = xstrdup(_("charts go to the registry's "
			    "charts/ repository, but no registry is set"));
			return -1;
		}
		*host = xstrdup(registry);
		*prefix = xstrdup("charts");
		return 1;
	}
	if (strncmp(chart_repo, "oci://", 6) != 0) {
		if (strncmp(chart_repo, "https://", 8) == 0 ||
		    strncmp(chart_repo, "http://", 7) == 0)
			return 0;
		*cause = xprintf(_("chart repository '%s': an oci://, https:// "
		    "or http:// URL"), chart_repo);
		return -1;
	}
	p = chart_repo + 6;
	slash = strchr(p, '/');
	len = slash != NULL ? (size_t)(slash - p) : strlen(p);
	if (len == 0) {
		*cause = xprintf(_("chart repository '%s': no host"),
		    chart_repo);
		return -1;
	}
	*host = xstrndup(p, len);
	p += len;
	while (*p == '/')
		p++;
	len = strlen(p);
	while (len > 0 && p[len - 1] == '/')
		len--;
	*prefix = xstrndup(p, len);
	return 1;
}

char *
bundle_chart_repo(const char *prefix, const char *name)
{
	return *prefix != '\0' ? xprintf("%s/%s", prefix, name) :
	    xstrdup(name);
}

char *
bundle_chart_tag(const char *version)
{
	char *tag = xstrdup(version), *p;

	/* OCI tags have no '+': Helm writes SemVer build metadata with '_'. */
	for (p = tag; *p != '\0'; p++) {
		if (*p == '+')
			*p = '_';
		if (!isalnum((unsigned char)*p) && *p != '_' &&
		    (p == tag || (*p != '.' && *p != '-')))
			break;
	}
	if (*p != '\0' || p == tag || p - tag > 128) {
		free(tag);
		return NULL;
	}
	return tag;
}

/* The version of chart NAME that M lists, or NULL; new. */
static char *
manifest_chart_version(const struct bundle_manifest *m, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->ncharts; i++)
		if (strcmp(m->charts[i].name, name) == 0)
			return xstrdup(m->charts[i].version);
	return NULL;
}

char *
bundle_chart_version(const char *file, const char *name)
{
	struct bundle_manifest *m;
	char *cause = NULL, *v;
	int sig;

	m = bundle_inspect(file, &sig, NULL, &cause);
	free(cause);
	v = manifest_chart_version(m, name);
	bundle_manifest_free(m);
	return v;
}

/* The manifest of FILE, a bundle or the directory it was unpacked into
 * (push takes either); NULL with *cause. */
static struct bundle_manifest *
render_chart_manifest(const char *file, const struct stat *sb, char **cause)
{
	struct bundle_manifest *m;
	char *path, *data;
	size_t len;
	int sig;

	if (!S_ISDIR(sb->st_mode))
		return bundle_inspect(file, &sig, NULL, cause);
	path = xprintf("%s/%s", file, BUNDLE_MANIFEST);
	data = read_file(path, BUNDLE_MANIFEST_MAX, &len, cause);
	m = data != NULL ? bundle_manifest_parse(data, len, path, cause) :
	    NULL;
	free(data);
	free(path);
	return m;
}

int
bundle_render_chart(const struct answers *a, struct render_chart *rc,
    char **cause)
{
	struct bundle_manifest *m;
	struct stat sb;
	char *file, *why = NULL;

	memset(rc, 0, sizeof *rc);
	if (!answers_get_bool(a, "airgap.enabled") ||
	    strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0)
		return 0;
	rc->oci = bundle_chart_oci(answers_get(a, "airgap.registry"),
	    answers_get(a, "airgap.chart_repo"), RENDER_CHART_NAME);
	file = answers_get_path(a, "airgap.bundle");
	if (stat(file, &sb) != 0) {
		if (errno == ENOENT) {
			free(file);
			return 0;
		}
		why = xprintf("%s: %s", file, strerror(errno));
		m = NULL;
	} else
		m = render_chart_manifest(file, &sb, &why);
	if (m == NULL) {
		*cause = xprintf(_("airgap.bundle: %s; the resource names the "
		    "version of %s it holds"), why, RENDER_CHART_NAME);
		free(why);
		free(file);
		render_chart_free(rc);
		return -1;
	}
	rc->version = manifest_chart_version(m, RENDER_CHART_NAME);
	bundle_manifest_free(m);
	free(file);
	return 0;
}

int
bundle_render(const struct answers *a, int shown, struct render_set *set,
    char **cause)
{
	struct render_chart chart;
	int rc;

	memset(set, 0, sizeof *set);
	if (bundle_render_chart(a, &chart, cause) != 0)
		return -1;
	if (shown)
		rc = render_build_shown(a, &chart, set, cause);
	else
		rc = render_build(a, &chart, set, cause);
	render_chart_free(&chart);
	return rc;
}

char *
bundle_chart_ref(const char *registry, const char *chart_repo,
    const char *name, char **cause)
{
	char *host, *prefix, *repo, *ref;
	int rc;

	rc = bundle_chart_target(registry, chart_repo, &host, &prefix, cause);
	if (rc != 1)
		return NULL;
	repo = bundle_chart_repo(prefix, name);
	ref = xprintf("oci://%s/%s", host, repo);
	free(repo);
	free(host);
	free(prefix);
	return ref;
}

char *
bundle_chart_oci(const char *registry, const char *chart_repo,
    const char *name)
{
	char *cause = NULL, *ref;

	ref = bundle_chart_ref(registry, chart_repo, name, &cause);
	if (ref == NULL && cause != NULL)
		ref = xprintf("oci://%s/charts/%s", registry, name);
	free(cause);
	return ref;
}

/* Chart.yaml, as Helm marshals its metadata: YAML scalars are strings,
 * except plain true and false. */
static json_t *
yaml_to_json(yaml_document_t *doc, yaml_node_t *n, int depth,
    const char *what, char **cause)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;
	yaml_node_t *k;
	json_t *j, *v;
	const char *s;

	if (n == NULL || depth > CHART_YAML_DEPTH) {
		*cause = xprintf(_("%s: Chart.yaml is nested too deeply"),
		    what);
		return NULL;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		s = (const char *)n->data.scalar.value;
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (strcmp(s, "true") == 0 || strcmp(s, "false") == 0))
			return json_boolean(*s == 't');
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (*s == '\0' || strcmp(s, "~") == 0 ||
		    strcmp(s, "null") == 0))
			return json_null();
		if ((j = json_stringn(s, n->data.scalar.length)) == NULL)
			*cause = xprintf(_("%s: Chart.yaml:%lu: not UTF-8"),
			    what, yd_line(n));
		return j;
	case YAML_SEQUENCE_NODE:
		j = json_array();
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			v = yaml_to_json(doc, yd_node(doc, *it), depth + 1,
			    what, cause);
			if (v == NULL) {
				json_decref(j);
				return NULL;
			}
			json_array_append_new(j, v);
		}
		return j;
	case YAML_MAPPING_NODE:
		j = json_object();
		for (pr = n->data.mapping.pairs.start;
		    pr < n->data.mapping.pairs.top; pr++) {
			k = yd_node(doc, pr->key);
			if (k == NULL || k->type != YAML_SCALAR_NODE) {
				*cause = xprintf(_("%s: Chart.yaml:%lu: a key "
				    "must be a string"), what, k != NULL ?
				    yd_line(k) : 0);
				json_decref(j);
				return NULL;
			}
			v = yaml_to_json(doc, yd_node(doc, pr->value),
			    depth + 1, what, cause);
			if (v == NULL) {
				json_decref(j);
				return NULL;
			}
			json_object_set_new(j, (const char *)k->data.scalar.value,
			    v);
		}
		return j;
	default:
		*cause = xprintf(_("%s: Chart.yaml is empty"), what);
		return NULL;
	}
}

/* The chart's NAME/Chart.yaml from the .tgz in memory. */
static char *
chart_yaml(const void *tgz, size_t len, const char *what, size_t *lenp,
    char **cause)
{
	struct archive *a;
	struct archive_entry *ae;
	const char *name, *slash;
	char *buf = NULL;
	la_ssize_t n;
	la_int64_t size;
	int st;

	a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, tgz, len) != ARCHIVE_OK)
		goto bad;
	while ((st = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		name = archive_entry_pathname(ae);
		if (name == NULL)
			continue;
		if (strncmp(name, "./", 2) == 0)
			name += 2;
		slash = strchr(name, '/');
		if (slash == NULL || slash == name ||
		    strcmp(slash + 1, "Chart.yaml") != 0 ||
		    archive_entry_filetype(ae) != AE_IFREG)
			continue;
		size = archive_entry_size(ae);
		if (size < 0 || size > CHART_YAML_MAX) {
			*cause = xprintf(_("%s: Chart.yaml is larger than %d "
			    "bytes"), what, CHART_YAML_MAX);
			goto out;
		}
		buf = xmalloc((size_t)size + 1);
		n = archive_read_data(a, buf, (size_t)size);
		if (n != size)
			goto bad;
		buf[size] = '\0';
		*lenp = (size_t)size;
		goto out;
	}
	if (st == ARCHIVE_EOF) {
		*cause = xprintf(_("%s: no NAME/Chart.yaml in the chart "
		    "archive"), what);
		goto out;
	}
bad:
	free(buf);
	buf = NULL;
	*cause = xprintf(_("%s: not a chart archive (.tgz): %s"), what,
	    archive_error_string(a) != NULL ? archive_error_string(a) :
	    _("unreadable"));
out:
	archive_read_free(a);
	return buf;
}

char *
bundle_chart_config(const void *tgz, size_t len,
    const struct bundle_chart *c, size_t *lenp, char **cause)
{
	yaml_document_t doc;
	yaml_node_t *root;
	json_t *j = NULL;
	const char *name, *version, *what = c->path != NULL ? c->path : c->name;
	char *y, *out = NULL;
	size_t ylen;

	if ((y = chart_yaml(tgz, len, what, &ylen, cause)) == NULL)
		return NULL;
	if (yd_load_text(y, ylen, "Chart.yaml", &doc, &out) != 0) {
		*cause = xprintf("%s: %s", what, out);
		free(out);
		free(y);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		*cause = xprintf(_("%s: Chart.yaml is not a mapping"), what);
		goto out;
	}
	if ((j = yaml_to_json(&doc, root, 0, what, cause)) == NULL)
		goto out;
	name = json_string_value(json_object_get(j, "name"));
	version = json_string_value(json_object_get(j, "version"));
	if (name == NULL || version == NULL ||
	    json_string_value(json_object_get(j, "apiVersion")) == NULL) {
		*cause = xprintf(_("%s: Chart.yaml needs apiVersion, name and "
		    "version"), what);
		goto out;
	}
	if (strcmp(name, c->name) != 0 || strcmp(version, c->version) != 0) {
		*cause = xprintf(_("%s: Chart.yaml is %s %s, not %s %s"), what,
		    name, version, c->name, c->version);
		goto out;
	}
	if ((out = json_dumps(j, JSON_COMPACT)) == NULL) {
		*cause = xprintf(_("%s: Chart.yaml cannot be written as JSON"),
		    what);
		goto out;
	}
	*lenp = strlen(out);
out:
	json_decref(j);
	yaml_document_delete(&doc);
	free(y);
	return out;
}

char *
bundle_chart_manifest(const char *config, size_t config_len,
    const char *tgz_hex, int64_t tgz_size, const struct bundle_chart *c,
    size_t *lenp)
{
	json_t *j;
	char hex[65], *cd, *ld, *s;

	sha256_hex(config, config_len, hex);
	cd = xprintf("sha256:%s", hex);
	ld = xprintf("sha256:%s", tgz_hex);
	j = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:[{s:s, s:s, s:I}], "
	    "s:{s:s, s:s}}",
	    "schemaVersion", 2,
	    "mediaType", OCI_MT_MANIFEST,
	    "config", "mediaType", HELM_MT_CONFIG, "digest", cd, "size",
	    (json_int_t)config_len,
	    "layers", "mediaType", HELM_MT_CHART, "digest", ld, "size",
	    (json_int_t)tgz_size,
	    "annotations", "org.opencontainers.image.title", c->name,
	    "org.opencontainers.image.version", c->version);
	s = json_dumps(j, JSON_COMPACT);
	*lenp = strlen(s);
	json_decref(j);
	free(cd);
	free(ld);
	return s;
}

int
bundle_chart_name_ok(const char *name)
{
	const char *p;

	/* One repository path component: [a-z0-9]+([._-][a-z0-9]+)*. */
	if (!islower((unsigned char)*name) && !isdigit((unsigned char)*name))
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (islower((unsigned char)*p) || isdigit((unsigned char)*p))
			continue;
		if ((*p != '.' && *p != '_' && *p != '-') ||
		    !(islower((unsigned char)p[1]) ||
		    isdigit((unsigned char)p[1])))
			return 0;
	}
	return 1;
}
