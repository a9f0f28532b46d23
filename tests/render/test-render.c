/*
 * Unit tests of render: the YAML emitter round trip, the template
 * expander, the quoting, and every rendered YAML file of the answer sets in
 * tests/render/cases checked against the real charts in $WB_SHARED/reference
 * (the chart keys, the CRD's group, version and kind).
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle.h"
#include "render.h"
#include "tap.h"
#include "util.h"
#include "xmalloc.h"

static const char *srcdir, *shared;

/* Strings that break naive YAML, XML, URLs and env files. */
static const char *const nasty[] = {
	"", "0", "0x1F", "1.29", "1e3", "+1", "-1", ".5", ".inf", "-.inf",
	".NaN", "true", "False", "yes", "No", "on", "OFF", "y", "N", "null",
	"Null", "~", "<<", "=", "-", "- x", "? x", ": x", "a: b", "a #b",
	"# c", "#", "'", "\"", "'\"#:@/&<%", "'\"#:@/&<%\nsecond line",
	"x\n", "\n", "\n\nx", "trailing ", " leading", "tab\there",
	"@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "{a}", "[a]", "a,b",
	"\xc3\xa9t\xc3\xa9 \xed\x95\x9c \xe6\x97\xa5", "line\r\nwin",
	"back\\slash", "$(rm -rf /)", "${HOME}", "%{x}", NULL
};

static void
test_typed(void)
{
	static const struct {
		const char *s;
		int typed;
	} t[] = {
		{ "true", 1 }, { "Yes", 1 }, { "off", 1 }, { "~", 1 },
		{ "", 1 }, { "3306", 1 }, { "0.59.2", 1 }, { "-1", 1 },
		{ ".5", 1 }, { "-.inf", 1 }, { ".NaN", 1 }, { "<<", 1 },
		{ "wandb", 0 }, { "-x", 0 }, { ".x", 0 }, { "s3", 0 },
		{ "nginx", 0 }, { "internal://", 0 }, { "yess", 0 },
		{ "+", 0 }, { "-", 0 }, { ".", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		tap_ok(yaml_plain_is_typed(t[i].s) == t[i].typed,
		    "plain '%s' is %s", t[i].s, t[i].typed ? "typed" :
		    "a string");
}

/* Emit, parse back, compare; emit again, byte for byte. */
static int
round_trip(struct ynode *const *docs, size_t ndocs, const char *what)
{
	struct ynode **back = NULL;
	size_t len, len2, nback = 0, i;
	char *text, *text2, *cause = NULL;
	int ok;

	text = ynode_emit(docs, ndocs, &len);
	if (ynode_parse(text, len, &back, &nback, &cause) != 0) {
		tap_diag("%s: %s", what, cause);
		free(cause);
		free(text);
		return 0;
	}
	ok = nback == ndocs;
	for (i = 0; ok && i < ndocs; i++)
		ok = ynode_equal(docs[i], back[i]);
	text2 = ynode_emit(back, nback, &len2);
	ok = ok && len == len2 && memcmp(text, text2, len) == 0;
	if (!ok)
		tap_diag("%s: emitted\n%s", what, text);
	for (i = 0; i < nback; i++)
		ynode_free(back[i]);
	free(back);
	free(text);
	free(text2);
	return ok;
}

static void
test_yaml_round_trip(void)
{
	struct ynode *docs[2], *m, *s;
	size_t i;

	docs[0] = ynode_new(Y_MAP, NULL, NULL);
	m = y_map(docs[0], "strings");
	s = y_seq(docs[0], "list");
	for (i = 0; nasty[i] != NULL; i++) {
		char *k = xprintf("k%zu", i);

		y_str(m, k, nasty[i]);
		y_str(m, nasty[i], k);	/* as a key too */
		y_str(s, NULL, nasty[i]);
		free(k);
	}
	y_int(docs[0], "int", -42);
	y_bool(docs[0], "bool", 0);
	y_null(docs[0], "null");
	y_map(docs[0], "empty map");
	y_seq(docs[0], "empty list");
	docs[1] = ynode_new(Y_MAP, NULL, NULL);
	y_str(docs[1], "second", "document");
	tap_ok(round_trip(docs, 1, "one document"),
	    "YAML round trip: %zu nasty strings as values, keys and items",
	    i);
	tap_ok(round_trip(docs, 2, "two documents"),
	    "YAML round trip: a stream of two documents");
	ynode_free(docs[0]);
	ynode_free(docs[1]);
}

static void
test_template(void)
{
	static const struct render_var v[] = {
		{ "a", "A" }, { "empty", "" }, { "yes", "1" },
		{ "multi", "x\ny" },
	};
	static const struct {
		const char *in, *out;	/* out NULL: an error */
	} t[] = {
		{ "x {{a}} y\n", "x A y\n" },
		{ "{{a}}{{a}}", "AA\n" },
		{ "no newline", "no newline\n" },
		{ "keep\n  {{empty}}\nkeep\n", "keep\nkeep\n" },
		{ "x{{empty}}\n", "x\n" },
		{ "{{multi}}\n", "x\ny\n" },
		{ "{{if yes}}\nin\n{{end}}\nout\n", "in\nout\n" },
		{ "{{if empty}}\nin\n{{if yes}}\ndeep\n{{end}}\n{{end}}\nout\n",
		    "out\n" },
		{ "{{if yes}}\n{{if empty}}\nno\n{{end}}\nyes\n{{end}}\n",
		    "yes\n" },
		{ "{{nope}}\n", NULL },
		{ "{{a\n", NULL },
		{ "{{if yes}}\n", NULL },
		{ "{{end}}\n", NULL },
		{ "{{if nope}}\n{{end}}\n", NULL },
	};
	char *out, *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		out = render_template(t[i].in, v, sizeof v / sizeof v[0],
		    &cause);
		if (t[i].out == NULL) {
			tap_ok(out == NULL && cause != NULL,
			    "template %zu fails: %s", i, cause != NULL ?
			    cause : "(no error)");
		} else {
			tap_ok(out != NULL && strcmp(out, t[i].out) == 0,
			    "template %zu expands", i);
			if (out == NULL || strcmp(out, t[i].out) != 0)
				tap_diag("got [%s]", out != NULL ? out :
				    cause);
		}
		free(out);
		free(cause);
		cause = NULL;
	}
}

static void
test_quote(void)
{
	static const struct {
		const char *in, *hcl;
	} t[] = {
		{ "plain", "\"plain\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "$x `y`", "\"$x `y`\"" },
		{ "${v} %{w}", "\"$${v} %%{w}\"" },
		{ "l1\nl2", "\"l1\\nl2\"" },
		{ "'#&<", "\"'#&<\"" },
	};
	char *h;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		h = render_hcl_quote(t[i].in);
		tap_ok(strcmp(h, t[i].hcl) == 0, "HCL quote %zu: %s", i, h);
		free(h);
	}
}

/* What docker's env file can carry: anything on one line of UTF-8. */
static void
test_env_value(void)
{
	static const struct {
		const char *in;
		int ok;
	} t[] = {
		{ "plain", 1 },
		{ "", 1 },
		{ " lead and trail\t ", 1 },
		{ "\"q\" 'q' $HOME `x` \\ # = %41", 1 },
		{ "\xed\x95\x9c\xea\xb8\x80 \xf0\x9f\x94\x91", 1 },
		{ "a\nMYSQL=x", 0 },
		{ "trailing\r", 0 },
		{ "mid\rdle", 0 },
		{ "\xff\xfe", 0 },
		{ "\xc0\xaf", 0 },		/* overlong '/' */
		{ "\xed\xa0\x80", 0 },	/* a surrogate */
		{ "\xe2\x82", 0 },		/* cut short */
	};
	const char *why;
	char *big;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		why = render_env_value_problem("LICENSE", t[i].in);
		tap_ok((why == NULL) == t[i].ok, "env value %zu: %s", i,
		    why != NULL ? why : "carried");
	}
	big = xmalloc(70000);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	tap_ok(render_env_value_problem("LICENSE", big) != NULL,
	    "env value: a line over 64 KiB is refused");
	big[60000] = '\0';
	tap_ok(render_env_value_problem("LICENSE", big) == NULL,
	    "env value: 60000 bytes are carried");
	free(big);
}

/* Reference files. */

/* Parse TEXT and keep document NDOC (NULL when it is not there). */
static struct ynode *
parse_doc(const char *text, size_t len, size_t ndoc, const char *what)
{
	struct ynode **docs = NULL, *y = NULL;
	size_t n = 0, i;
	char *cause = NULL;

	if (ynode_parse(text, len, &docs, &n, &cause) != 0) {
		tap_diag("%s: %s", what, cause);
		free(cause);
	}
	for (i = 0; i < n; i++) {
		if (i == ndoc)
			y = docs[i];
		else
			ynode_free(docs[i]);
	}
	free(docs);
	return y;
}

/* Aliases read as nulls: one into itself and a nest of them that would
 * expand to a billion nodes end at once. */
static void
test_yaml_aliases(void)
{
	static const char self[] = "a: &x [1, *x]\n";
	static const char laughs[] = "a: &a [x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	struct ynode *y, *a;

	y = parse_doc(self, sizeof self - 1, 0, "self alias");
	a = y_get(y, "a");
	tap_ok(a != NULL && a->type == Y_SEQ && a->n == 2 &&
	    a->kids[1]->type == Y_NULL, "an alias into itself reads as null");
	ynode_free(y);
	y = parse_doc(laughs, sizeof laughs - 1, 0, "laughs");
	a = y_get(y, "i");
	tap_ok(a != NULL && a->n == 9 && a->kids[0]->type == Y_NULL,
	    "a nest of aliases is not expanded");
	ynode_free(y);
}

static struct ynode *
load_yaml(const char *path, size_t ndoc)
{
	struct ynode *y;
	size_t len;
	char *text, *cause = NULL;

	text = read_file(path, 16 * 1024 * 1024, &len, &cause);
	if (text == NULL) {
		tap_diag("%s", cause);
		free(cause);
		return NULL;
	}
	y = parse_doc(text, len, ndoc, path);
	free(text);
	return y;
}

static struct ynode *
yget_path(struct ynode *y, const char *path)
{
	char *dup = xstrdup(path), *tok, *save = NULL;

	for (tok = strtok_r(dup, ".", &save); tok != NULL && y != NULL;
	    tok = strtok_r(NULL, ".", &save))
		y = y_get(y, tok);
	free(dup);
	return y;
}

/*
 * The maps and lists whose contents the chart leaves free (each is there
 * in values.yaml, empty or with another shape): below them any key goes.
 */
static const char *const freeform[] = {
	"ingress.annotations",		/* annotations: {} */
	"ingress.tls",			/* tls: [] of secretName, hosts */
	"app.env",			/* env: a map of variables */
	"app.podSecurityContext", "console.podSecurityContext",
	"weave.podSecurityContext", "parquet.podSecurityContext",
	/* subcharts' own values (tests/chart renders them for real) */
	"prometheus.instance", "redis.master", "otel.daemonset",
	/* operator chart */
	"podSecurityContext",		/* podSecurityContext: {} */
	"customCACerts",		/* customCACerts: [] */
	NULL
};

/* global.bucket takes the keys of global.defaultBucket (the chart merges
 * them; values.yaml: "If specified, the application will use this bucket
 * for all storage operations"). */
static const char *const aliases[][2] = {
	{ "global.bucket.provider", "global.defaultBucket.provider" },
	{ "global.bucket.name", "global.defaultBucket.name" },
	{ "global.bucket.path", "global.defaultBucket.path" },
	{ "global.bucket.region", "global.defaultBucket.region" },
	{ "global.bucket.kmsKey", "global.defaultBucket.kmsKey" },
};

/*
 * Keys of the wandb-base subchart, whose values.yaml is not in the
 * reference: allowed under COMPONENT when Chart.yaml lists COMPONENT as an
 * alias of wandb-base (frontend and mcp-server show podSecurityContext in
 * operator-wandb's values.yaml).
 */
static const char *const subchart_keys[] = { "podSecurityContext", NULL };

/* Keys that values.yaml leaves out but the templates read: wandb-base,
 * otel's agent and the bitnami subcharts take global.imagePullSecrets. */
static const char *const read_not_listed[] = { "global.imagePullSecrets",
	NULL };
static struct ynode *chart_yaml;

static int
in_list(const char *const *list, const char *s);

static int
subchart_key(const char *path)
{
	struct ynode *deps = y_get(chart_yaml, "dependencies"), *n, *al;
	const char *dot = strchr(path, '.');
	size_t i;

	if (dot == NULL || strchr(dot + 1, '.') != NULL ||
	    !in_list(subchart_keys, dot + 1))
		return 0;
	for (i = 0; deps != NULL && i < deps->n; i++) {
		n = y_get(deps->kids[i], "name");
		al = y_get(deps->kids[i], "alias");
		if (n != NULL && al != NULL && strcmp(n->value,
		    "wandb-base") == 0 && strlen(al->value) ==
		    (size_t)(dot - path) && strncmp(al->value, path,
		    (size_t)(dot - path)) == 0)
			return 1;
	}
	return 0;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Every key path of OURS exists in REF; returns the number missing. */
static int
check_keys(const struct ynode *ours, struct ynode *ref_root,
    const char *prefix, const char *what)
{
	struct ynode *ref;
	const char *look;
	char *path;
	size_t i, j;
	int bad = 0;

	for (i = 0; i < ours->n; i++) {
		const struct ynode *k = ours->kids[i];

		path = *prefix != '\0' ? xprintf("%s.%s", prefix, k->key) :
		    xstrdup(k->key);
		look = path;
		for (j = 0; j < sizeof aliases / sizeof aliases[0]; j++)
			if (strcmp(path, aliases[j][0]) == 0)
				look = aliases[j][1];
		ref = yget_path(ref_root, look);
		if (ref == NULL && (subchart_key(path) ||
		    in_list(read_not_listed, path))) {
			free(path);
			continue;
		}
		if (ref == NULL) {
			tap_diag("%s: %s is not in the chart's values.yaml",
			    what, path);
			bad++;
		} else if ((k->type == Y_MAP) != (ref->type == Y_MAP) ||
		    (k->type == Y_SEQ) != (ref->type == Y_SEQ)) {
			tap_diag("%s: %s has another shape in values.yaml",
			    what, path);
			bad++;
		} else if (k->type == Y_MAP && !in_list(freeform, path))
			bad += check_keys(k, ref_root, path, what);
		free(path);
	}
	return bad;
}

static void
load_env(const char *dir)
{
	char *path = xprintf("%s/env", dir), *text, *line, *save = NULL, *eq;
	char *cause = NULL;

	text = read_file(path, 65536, NULL, &cause);
	free(path);
	if (text == NULL) {
		free(cause);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		setenv(line, eq + 1, 1);
	}
	free(text);
}

static int
build_case(const char *name, struct render_set *set)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	char *dir, *path, *cause = NULL;
	int rc = -1;

	dir = xprintf("%s/tests/render/cases/%s", srcdir, name);
	load_env(dir);
	path = xprintf("%s/answers.yaml", dir);
	a = answers_load(path, &errs);
	if (a != NULL)
		answers_check(a, &errs);
	if (a == NULL || errs.n != 0)
		tap_diag("%s: %zu errors, first: %s", path, errs.n, errs.n > 0 ?
		    errs.v[0].message : "cannot load");
	else if ((rc = bundle_render(a, 0, set, &cause)) != 0) {
		tap_diag("%s: %s", name, cause);
		free(cause);
	}
	answers_errors_clear(&errs);
	answers_free(a);
	free(path);
	free(dir);
	return rc;
}

/* Each YAML file parses, and emitting what was parsed gives it back. */
static void
check_yaml_files(const char *name, const struct render_set *set)
{
	struct ynode **docs;
	size_t i, j, n, len;
	char *cause = NULL, *again;

	for (i = 0; i < set->n; i++) {
		const struct render_file *f = &set->v[i];

		if (strlen(f->path) < 5 ||
		    strcmp(f->path + strlen(f->path) - 5, ".yaml") != 0)
			continue;
		if (ynode_parse(f->data, f->len, &docs, &n, &cause) != 0) {
			tap_ok(0, "%s: %s parses: %s", name, f->path, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		again = ynode_emit(docs, n, &len);
		tap_ok(len == f->len && memcmp(again, f->data, len) == 0,
		    "%s: %s parses back to what was emitted", name, f->path);
		free(again);
		for (j = 0; j < n; j++)
			ynode_free(docs[j]);
		free(docs);
	}
}

static struct ynode *
parse_file(const struct render_set *set, const char *path, size_t ndoc)
{
	const struct render_file *f = render_find(set, path);

	return f != NULL ? parse_doc(f->data, f->len, ndoc, path) : NULL;
}

static void
check_charts(const char *name, const struct render_set *set,
    struct ynode *wandb_values, struct ynode *op_values)
{
	struct ynode *cr = parse_file(set, "helm/wandb-cr.yaml", 0);
	struct ynode *ov = parse_file(set, "helm/operator-values.yaml", 0);
	struct ynode *values = yget_path(cr, "spec.values");

	tap_ok(values != NULL && check_keys(values, wandb_values, "",
	    name) == 0, "%s: every spec.values key path is in operator-wandb's "
	    "values.yaml", name);
	tap_ok(ov != NULL && check_keys(ov, op_values, "", name) == 0,
	    "%s: every operator-values.yaml key is in operator's values.yaml",
	    name);
	ynode_free(cr);
	ynode_free(ov);
}

static void
check_crd(const char *crdpath, const struct render_set *set,
    const char *name)
{
	struct ynode *crd = load_yaml(crdpath, 0), *cr, *vers, *api, *kind;
	char *want;
	size_t i;
	int found = 0;

	cr = parse_file(set, "helm/wandb-cr.yaml", 0);
	api = y_get(cr, "apiVersion");
	kind = y_get(cr, "kind");
	vers = yget_path(crd, "spec.versions");
	for (i = 0; vers != NULL && i < vers->n; i++) {
		struct ynode *v = y_get(vers->kids[i], "name");
		struct ynode *g = yget_path(crd, "spec.group");

		if (v == NULL || g == NULL || api == NULL)
			continue;
		want = xprintf("%s/%s", g->value, v->value);
		if (strcmp(want, api->value) == 0 &&
		    y_get(vers->kids[i], "served") != NULL)
			found = 1;
		free(want);
	}
	tap_ok(found && kind != NULL && strcmp(kind->value, yget_path(crd,
	    "spec.names.kind")->value) == 0, "%s: apiVersion and kind match "
	    "%s", name, strrchr(crdpath, '/') + 1);
	ynode_free(crd);
	ynode_free(cr);
}

/* The secrets in k8s/secrets.yaml are the exact values. */
static void
test_nasty_secrets(void)
{
	static const char *answers_text =
	    "version: 1\n"
	    "deployment: {platform: kubernetes}\n"
	    "domain: {fqdn: wandb.example.com}\n"
	    "license: {value: {env: WBT_LICENSE}}\n"
	    "targets: [{host: 10.0.0.1, roles: [app]}]\n"
	    "mysql: {host: db.example.com, password: {env: WBT_PW}}\n"
	    "storage: {bucket: files, endpoint: 's3.example.com:9000',\n"
	    "  access_key: {env: WBT_AK}, secret_key: {env: WBT_SK}}\n";
	struct answers_errors errs = { NULL, 0 };
	struct render_set set;
	struct answers *a;
	struct ynode *lic, *pw, *keys;
	const char *v = "'\"#:@/&<%\nsecond: line";
	char *cause = NULL;
	int ok;

	setenv("WBT_LICENSE", v, 1);
	setenv("WBT_PW", v, 1);
	setenv("WBT_AK", v, 1);
	setenv("WBT_SK", "#not a comment", 1);
	a = answers_load_buffer("nasty.yaml", answers_text,
	    strlen(answers_text), &errs);
	tap_ok(a != NULL && errs.n == 0, "nasty answers load");
	if (a == NULL || errs.n != 0 ||
	    bundle_render(a, 0, &set, &cause) != 0) {
		tap_ok(0, "nasty answers render: %s", cause != NULL ? cause :
		    errs.n > 0 ? errs.v[0].message : "");
		free(cause);
		answers_errors_clear(&errs);
		answers_free(a);
		return;
	}
	lic = parse_file(&set, "k8s/secrets.yaml", 0);
	pw = parse_file(&set, "k8s/secrets.yaml", 1);
	keys = parse_file(&set, "k8s/secrets.yaml", 2);
	/* The password and the S3 keys go into URLs: percent-encoded
	 * (tests/chart expands them as the kubelet does). */
	ok = lic != NULL && pw != NULL && keys != NULL &&
	    strcmp(yget_path(lic, "stringData.license")->value, v) == 0 &&
	    strcmp(yget_path(pw, "stringData.MYSQL_PASSWORD")->value,
	    "%27%22%23%3A%40%2F%26%3C%25%0Asecond%3A%20line") == 0 &&
	    strcmp(yget_path(keys, "stringData.ACCESS_KEY")->value,
	    "%27%22%23%3A%40%2F%26%3C%25%0Asecond%3A%20line") == 0 &&
	    strcmp(yget_path(keys, "stringData.SECRET_KEY")->value,
	    "%23not%20a%20comment") == 0;
	tap_ok(ok, "k8s/secrets.yaml carries '\"#:@/&<%% and a newline "
	    "exactly (the license as it is, the URL parts percent-encoded)");
	tap_ok(render_find(&set, "k8s/secrets.yaml")->secret &&
	    render_find(&set, "mysql/bootstrap.sql")->secret &&
	    !render_find(&set, "mysql/wandb.cnf")->secret,
	    "the files with secrets are marked secret");
	ynode_free(lic);
	ynode_free(pw);
	ynode_free(keys);
	render_set_free(&set);

	unsetenv("WBT_PW");
	tap_ok(bundle_render(a, 0, &set, &cause) == -1 && cause != NULL &&
	    strstr(cause, "mysql.password") != NULL &&
	    strstr(cause, "WBT_PW") != NULL && strstr(cause, "second") == NULL,
	    "an unresolved secret names its key, never a value");
	free(cause);
	answers_errors_clear(&errs);
	answers_free(a);
}

static void
test_cases(void)
{
	struct ynode *wv = NULL, *ov = NULL, *chart = NULL;
	struct render_set set, again;
	char *dir, *p, *m1, *m2;
	struct dirent **names;
	int i, n;

	if (shared != NULL) {
		p = xprintf("%s/reference/wandb-helm-charts/operator-wandb/"
		    "values.yaml", shared);
		wv = load_yaml(p, 0);
		free(p);
		p = xprintf("%s/reference/wandb-helm-charts/operator/"
		    "values.yaml", shared);
		ov = load_yaml(p, 0);
		free(p);
		p = xprintf("%s/reference/wandb-helm-charts/operator-wandb/"
		    "Chart.yaml", shared);
		chart = chart_yaml = load_yaml(p, 0);
		free(p);
		if (chart != NULL)
			tap_ok(strcmp(y_get(chart, "version")->value,
			    RENDER_CHART_VERSION) == 0 && strcmp(y_get(chart,
			    "name")->value, RENDER_CHART_NAME) == 0,
			    "the chart version render names is the "
			    "reference's (%s)", y_get(chart, "version")->value);
	}
	dir = xprintf("%s/tests/render/cases", srcdir);
	n = scandir(dir, &names, NULL, alphasort);
	free(dir);
	tap_ok(n > 2, "answer sets found");
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (name[0] == '.' || build_case(name, &set) != 0) {
			if (name[0] != '.')
				tap_ok(0, "%s renders", name);
			free(names[i]);
			continue;
		}
		tap_ok(build_case(name, &again) == 0, "%s renders", name);
		m1 = render_manifest(&set);
		m2 = render_manifest(&again);
		tap_ok(strcmp(m1, m2) == 0, "%s: rendering twice gives the "
		    "same bytes", name);
		free(m1);
		free(m2);
		render_set_free(&again);
		check_yaml_files(name, &set);
		if (render_find(&set, "helm/wandb-cr.yaml") != NULL) {
			if (wv == NULL || ov == NULL)
				tap_ok(1, "# SKIP %s: no reference charts in "
				    "$WB_SHARED", name);
			else {
				check_charts(name, &set, wv, ov);
				p = xprintf("%s/reference/wandb-operator-v1/"
				    "apps.wandb.com_weightsandbiases.yaml",
				    shared);
				check_crd(p, &set, name);
				free(p);
				p = xprintf("%s/reference/wandb-helm-charts/"
				    "operator/crds/wandb.yaml", shared);
				check_crd(p, &set, name);
				free(p);
			}
		}
		render_set_free(&set);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	ynode_free(wv);
	ynode_free(ov);
	ynode_free(chart_yaml);
}

int
main(void)
{
	srcdir = getenv("WB_SRCDIR");
	if (srcdir == NULL)
		srcdir = ".";
	shared = getenv("WB_SHARED");
	setenv("WBINSTALL_DATADIR", srcdir, 1);

	test_typed();
	test_yaml_round_trip();
	test_yaml_aliases();
	test_template();
	test_quote();
	test_env_value();
	test_nasty_secrets();
	test_cases();
	return tap_done();
}
