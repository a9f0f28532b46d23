/* Unit tests of the bundle code: references, paths, manifests, keys and
 * cancelling. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle.h"
#include "oci.h"
#include "tap.h"
#include "xmalloc.h"
#include "util.h"

#define D64 "0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef"

struct rcase {
	const char *in;
	const char *domain, *path, *tag, *digest;	/* NULL domain: bad */
};

static const struct rcase rcases[] = {
	{ "wandb/local:latest", "docker.io", "wandb/local", "latest", NULL },
	{ "alpine", "docker.io", "library/alpine", "latest", NULL },
	{ "alpine/k8s:1.31.12", "docker.io", "alpine/k8s", "1.31.12", NULL },
	{ "us-docker.pkg.dev/wandb-production/public/wandb/lumen:v0.1.5",
	  "us-docker.pkg.dev", "wandb-production/public/wandb/lumen",
	  "v0.1.5", NULL },
	{ "localhost:5000/x:1", "localhost:5000", "x", "1", NULL },
	{ "127.0.0.1:5000/a/b", "127.0.0.1:5000", "a/b", "latest", NULL },
	{ "x@sha256:" D64, "docker.io", "library/x", NULL, "sha256:" D64 },
	{ "Upper/x", NULL, NULL, NULL, NULL },
	{ "x:", NULL, NULL, NULL, NULL },
	{ "a//b", NULL, NULL, NULL, NULL },
	{ "x@sha256:zz", NULL, NULL, NULL, NULL },
	{ "", NULL, NULL, NULL, NULL },
};

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
test_refs(void)
{
	const struct rcase *c;
	struct oci_ref r;
	char *cause = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof rcases / sizeof rcases[0]; i++) {
		c = &rcases[i];
		rc = oci_ref_parse(c->in, &r, &cause);
		if (c->domain == NULL) {
			tap_ok(rc == -1 && cause != NULL &&
			    strstr(cause, "not an image reference") != NULL,
			    "ref '%s' is refused", c->in);
			free(cause);
			cause = NULL;
			continue;
		}
		tap_ok(rc == 0 && same(r.domain, c->domain) &&
		    same(r.path, c->path) && same(r.tag, c->tag) &&
		    same(r.digest, c->digest), "ref '%s' -> %s %s", c->in,
		    c->domain, c->path);
		oci_ref_free(&r);
	}
}

/* One rule for an image's path under an internal registry: what bundle
 * push writes and render names (a chart's repositoryPrefix + repository). */
static void
test_mirror(void)
{
	static const char *const cases[][2] = {
		{ "wandb/local:latest", "wandb/local" },
		{ "docker.io/bitnamilegacy/redis:7", "bitnamilegacy/redis" },
		{ "alpine", "alpine" },
		{ "docker.io/library/python:3.12", "python" },
		{ "library/a/b", "library/a/b" },
		{ "quay.io/prometheus/prometheus:v2.47.0",
		  "quay.io/prometheus/prometheus" },
		{ "gcr.io/x/y@sha256:" D64, "gcr.io/x/y" },
		{ "us-docker.pkg.dev/wandb-production/public/wandb/lumen:v0.1.5",
		  "us-docker.pkg.dev/wandb-production/public/wandb/lumen" },
		{ "localhost:5000/x:1", "localhost-5000/x" },
	};
	struct oci_ref r;
	char *cause = NULL, *m;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (oci_ref_parse(cases[i][0], &r, &cause) != 0) {
			tap_ok(0, "mirror of '%s': %s", cases[i][0], cause);
			free(cause);
			cause = NULL;
			continue;
		}
		m = oci_mirror_path(&r);
		tap_ok(strcmp(m, cases[i][1]) == 0, "'%s' goes to REGISTRY/%s "
		    "(%s)", cases[i][0], cases[i][1], m);
		free(m);
		oci_ref_free(&r);
	}
}

static void
test_paths(void)
{
	static const char *const good[] = { "oci/index.json",
	    "charts/a-1.tgz", "oci/blobs/sha256/" D64, "a..b", NULL };
	static const char *const bad[] = { "/etc/passwd", "../x", "a/../b",
	    "a//b", "", "./a", "a/", "..", "a\\b", NULL };
	size_t i;

	for (i = 0; good[i] != NULL; i++)
		tap_ok(bundle_path_safe(good[i]), "path '%s' is safe",
		    good[i]);
	for (i = 0; bad[i] != NULL; i++)
		tap_ok(!bundle_path_safe(bad[i]), "path '%s' is refused",
		    bad[i]);
}

static void
test_manifest(void)
{
	struct bundle_manifest m, *p;
	struct bundle_kv req[] = { { "kubernetes", "1.29" } };
	struct bundle_image im[] = { { "wandb/local:latest",
	    "sha256:" D64, "linux/amd64", 1234 } };
	struct bundle_chart ch[] = { { "operator", "1.4.8",
	    "charts/operator-1.4.8.tgz", D64 } };
	struct bundle_file fl[] = { { "oci/index.json", 10, D64 },
	    { "charts/operator-1.4.8.tgz", 20, D64 } };
	char *y, *cause = NULL, *bad;
	size_t len;

	memset(&m, 0, sizeof m);
	m.name = "wandb-server";
	m.version = "0.43.8";
	m.created = "2026-01-01T00:00:00Z";
	m.req = req;
	m.nreq = 1;
	m.images = im;
	m.nimages = 1;
	m.charts = ch;
	m.ncharts = 1;
	m.files = fl;
	m.nfiles = 2;
	y = bundle_manifest_emit(&m, &len);
	p = bundle_manifest_parse(y, len, "manifest.yaml", &cause);
	tap_ok(p != NULL, "emitted manifest parses back%s%s",
	    cause != NULL ? ": " : "", cause != NULL ? cause : "");
	if (p != NULL) {
		tap_ok(strcmp(p->version, "0.43.8") == 0 &&
		    p->nimages == 1 && p->images[0].size == 1234 &&
		    strcmp(p->images[0].digest, "sha256:" D64) == 0 &&
		    strcmp(p->req[0].value, "1.29") == 0 &&
		    p->ncharts == 1 && p->nfiles == 2,
		    "round trip keeps every field");
		tap_ok(bundle_manifest_file(p, "oci/index.json") != NULL &&
		    bundle_manifest_file(p, "oci/nope") == NULL,
		    "files are found by path");
		tap_ok(bundle_manifest_total(p) == 30, "total size");
		bundle_manifest_free(p);
	}

	/* Defects, each named. */
	bad = xprintf("%s", y);
	memcpy(strstr(bad, "sha256:" D64), "sha256:XX", 9);
	p = bundle_manifest_parse(bad, strlen(bad), "manifest.yaml", &cause);
	tap_ok(p == NULL && strstr(cause, "manifest.yaml:") != NULL &&
	    strstr(cause, "digest") != NULL, "a bad digest is refused: %s",
	    cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(bad);
	bad = xprintf("%s", y);
	memcpy(strstr(bad, "charts/operator-1.4.8.tgz\n  size"),
	    "../operator-1.4.8.tgz", 21);
	p = bundle_manifest_parse(bad, strlen(bad), "manifest.yaml", &cause);
	tap_ok(p == NULL && cause != NULL && strstr(cause, "not allowed"),
	    "an unsafe file path is refused: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(bad);
	bad = xprintf("bundle_format: 2\nname: a\nversion: 1\nimages: []\n");
	p = bundle_manifest_parse(bad, strlen(bad), "m", &cause);
	tap_ok(p == NULL && cause != NULL && strstr(cause, "bundle_format"),
	    "an unknown format is refused");
	free(cause);
	cause = NULL;
	free(bad);
	free(y);
}

static void
test_keys(void)
{
	char *dir, *key, *pub, *other, *sig, *cause = NULL, *cmd;
	const char *msg = "name: a\n", *tmp = getenv("TMPDIR");

	dir = xprintf("%s/wb-test-bundle.XXXXXX", tmp != NULL ? tmp :
	    P_tmpdir);
	if (mkdtemp(dir) == NULL) {
		free(dir);
		tap_ok(0, "mkdtemp");
		return;
	}
	key = xprintf("%s/k", dir);
	pub = xprintf("%s/k.pub", dir);
	other = xprintf("%s/o", dir);
	tap_ok(bundle_keygen(key, &cause) == 0 &&
	    bundle_keygen(other, &cause) == 0, "keygen");
	tap_ok(bundle_keygen(key, &cause) == -1 && cause != NULL,
	    "keygen refuses to overwrite");
	free(cause);
	cause = NULL;
	sig = bundle_sign(key, msg, strlen(msg), &cause);
	tap_ok(sig != NULL && strlen(sig) == 89, "sign: base64 and newline");
	tap_ok(sig != NULL && bundle_sig_check(pub, msg, strlen(msg), sig,
	    strlen(sig), &cause) == 0, "the signature checks");
	tap_ok(sig != NULL && bundle_sig_check(pub, "name: b\n", 8, sig,
	    strlen(sig), &cause) == -1, "altered data fails");
	free(cause);
	cause = NULL;
	free(other);
	other = xprintf("%s/o.pub", dir);
	tap_ok(sig != NULL && bundle_sig_check(other, msg, strlen(msg), sig,
	    strlen(sig), &cause) == -1 && strstr(cause, "does not match"),
	    "another key fails");
	free(cause);
	cause = NULL;
	tap_ok(bundle_sig_check(pub, msg, strlen(msg), "junk", 4, &cause) ==
	    -1, "a malformed signature fails");
	free(cause);
	cause = NULL;
	tap_ok(bundle_sign(pub, msg, strlen(msg), &cause) == NULL &&
	    cause != NULL, "a public key cannot sign");
	free(cause);
	free(sig);
	cmd = xprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("cannot remove %s", dir);
	free(cmd);
	free(dir);
	free(key);
	free(pub);
	free(other);
}

static void
tar_add(struct archive *a, const char *name, const char *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_write_header(a, e);
	archive_write_data(a, data, len);
	archive_entry_free(e);
}

/* Sets the cancel flag at the first block, as Esc in the wizard does. */
static void
cancel_now(void *arg, const char *what, int64_t done, int64_t total)
{
	(void)what;
	(void)done;
	(void)total;
	*(atomic_int *)arg = 1;
}

static int
exists(const char *dir, const char *name)
{
	char *p = xprintf("%s/%s", dir, name);
	int rc = access(p, F_OK) == 0;

	free(p);
	return rc;
}

/* A bundle of one 2 MiB file; verify, unpack and the directory check
 * stop on the cancel flag and report nothing done. */
static void
test_cancel(void)
{
	struct bundle_manifest m, *got = NULL;
	struct bundle_file fl[] = { { "charts/big-1.tgz", 2 << 20, NULL } };
	struct bundle_chart ch[] = { { "big", "1", "charts/big-1.tgz", NULL } };
	struct bundle_read_opts ro;
	atomic_int cancel = 0;
	struct bundle_progress pr = { cancel_now, (void *)&cancel, &cancel };
	char hex[65], *tmp, *y, *file, *dir, *big, *cause = NULL;
	const char *td = getenv("TMPDIR");
	struct archive *a;
	size_t len;
	int rc;

	tmp = xprintf("%s/wb-test-bundle.XXXXXX", td != NULL ? td : P_tmpdir);
	if (mkdtemp(tmp) == NULL) {
		free(tmp);
		tap_ok(0, "mkdtemp");
		return;
	}
	big = xcalloc(1, (size_t)fl[0].size);
	sha256_hex(big, (size_t)fl[0].size, hex);
	fl[0].sha256 = hex;
	ch[0].sha256 = hex;
	memset(&m, 0, sizeof m);
	m.name = "t";
	m.version = "1";
	m.created = "2026-01-01T00:00:00Z";
	m.files = fl;
	m.nfiles = 1;
	m.charts = ch;
	m.ncharts = 1;
	y = bundle_manifest_emit(&m, &len);
	file = xprintf("%s/b.tar.zst", tmp);
	dir = xprintf("%s/b.unpacked", tmp);
	a = archive_write_new();
	archive_write_add_filter_zstd(a);
	archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, file);
	tar_add(a, BUNDLE_MANIFEST, y, len);
	tar_add(a, fl[0].path, big, (size_t)fl[0].size);
	archive_write_close(a);
	archive_write_free(a);

	memset(&ro, 0, sizeof ro);
	ro.progress = &pr;
	rc = bundle_read(file, &ro, &got, &cause);
	tap_ok(rc == -1 && cancel && cause != NULL &&
	    strstr(cause, "cancelled") != NULL && got == NULL,
	    "verify stops on the cancel flag: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	cancel = 0;
	ro.dir = dir;
	rc = bundle_read(file, &ro, NULL, &cause);
	tap_ok(rc == -1 && cause != NULL && strstr(cause, "cancelled") &&
	    !exists(dir, ".partial") && !exists(dir, BUNDLE_STAMP) &&
	    !exists(dir, "charts"), "unpack stops, removes .partial and "
	    "unpacks nothing: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	ro.progress = NULL;
	rc = bundle_read(file, &ro, NULL, &cause);
	tap_ok(rc == 0 && exists(dir, BUNDLE_STAMP), "without a cancel it "
	    "unpacks%s%s", cause != NULL ? ": " : "", cause != NULL ? cause :
	    "");
	free(cause);
	cause = NULL;
	cancel = 0;
	/* Without its stamp, every file is hashed again (and can stop). */
	free(y);
	y = xprintf("%s/%s", dir, BUNDLE_STAMP);
	unlink(y);
	rc = bundle_dir_verify(dir, NULL, 0, &pr, &got, &cause);
	tap_ok(rc == -1 && cause != NULL && strstr(cause, "cancelled"),
	    "the check of an unpacked bundle stops too: %s", cause != NULL ?
	    cause : "");
	free(cause);
	cause = NULL;
	if (bundle_rm_rf(tmp, &cause) != 0)
		free(cause);
	free(tmp);
	free(big);
	free(y);
	free(file);
	free(dir);
}

/* A .tgz in memory holding one file. */
static char *
mktgz(const char *name, const char *data, size_t *lenp)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t cap = 64 * 1024;
	char *buf = xmalloc(cap);

	archive_write_set_format_ustar(a);
	archive_write_add_filter_gzip(a);
	archive_write_open_memory(a, buf, cap, lenp);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)strlen(data));
	archive_write_header(a, e);
	archive_write_data(a, data, strlen(data));
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	return buf;
}

struct tcase {
	const char *registry, *chart_repo;
	int rc;
	const char *ref;	/* of chart "operator" */
};

static const struct tcase tcases[] = {
	{ "reg:5000", "", 1, "oci://reg:5000/charts/operator" },
	{ "reg:5000", NULL, 1, "oci://reg:5000/charts/operator" },
	{ "reg", "oci://other:443/site/helm/", 1,
	  "oci://other:443/site/helm/operator" },
	{ "reg", "oci://other", 1, "oci://other/operator" },
	{ "reg", "https://charts.example", 0, NULL },
	{ "reg", "http://charts.example", 0, NULL },
	{ "reg", "oci:///x", -1, NULL },
	{ "reg", "ftp://x", -1, NULL },
	{ "", "", -1, NULL },
};

static void
test_charts(void)
{
	const char *y = "apiVersion: v2\nname: operator\nversion: 1.4.8\n"
	    "deprecated: false\nappVersion: 1.16\nkeywords: [a, \"true\"]\n"
	    "maintainers:\n  - name: W&B\n    email: ~\n";
	struct bundle_chart c = { "operator", "1.4.8",
		"charts/operator-1.4.8.tgz", NULL };
	char *tgz, *cfg, *cause = NULL, *host, *prefix, *ref, *man, *t;
	size_t len, clen, mlen, i;
	int rc;

	for (i = 0; i < sizeof tcases / sizeof tcases[0]; i++) {
		rc = bundle_chart_target(tcases[i].registry,
		    tcases[i].chart_repo, &host, &prefix, &cause);
		free(cause);
		cause = NULL;
		ref = bundle_chart_ref(tcases[i].registry, tcases[i].chart_repo,
		    "operator", &cause);
		tap_ok(rc == tcases[i].rc && ((ref == NULL &&
		    tcases[i].ref == NULL) || (ref != NULL &&
		    tcases[i].ref != NULL && strcmp(ref, tcases[i].ref) == 0)),
		    "chart target '%s' '%s': %d %s", tcases[i].registry,
		    tcases[i].chart_repo != NULL ? tcases[i].chart_repo : "",
		    rc, ref != NULL ? ref : "-");
		free(host);
		free(prefix);
		free(ref);
		free(cause);
		cause = NULL;
	}
	/* The install's and the resource's: never an error. */
	ref = bundle_chart_oci("reg", "ftp://x", "operator-wandb");
	t = bundle_chart_oci("reg", "https://charts.example", "operator-wandb");
	tap_ok(ref != NULL && strcmp(ref, "oci://reg/charts/operator-wandb") ==
	    0 && t == NULL, "chart_oci: an unusable chart_repo gives the "
	    "registry's charts/, a Helm repository none");
	free(ref);
	free(t);
	t = bundle_chart_tag("1.0.0+build.5");
	tap_ok(t != NULL && strcmp(t, "1.0.0_build.5") == 0,
	    "a version's '+' is '_' in its tag");
	free(t);
	t = bundle_chart_tag(".1");
	tap_ok(t == NULL, "a tag cannot start with '.'");
	tap_ok(bundle_chart_name_ok("operator-wandb") &&
	    !bundle_chart_name_ok("Operator") && !bundle_chart_name_ok("a--") &&
	    !bundle_chart_name_ok("-a"), "chart names as repository paths");

	tgz = mktgz("operator/Chart.yaml", y, &len);
	cfg = bundle_chart_config(tgz, len, &c, &clen, &cause);
	tap_ok(cfg != NULL && strcmp(cfg, "{\"apiVersion\":\"v2\","
	    "\"name\":\"operator\",\"version\":\"1.4.8\",\"deprecated\":"
	    "false,\"appVersion\":\"1.16\",\"keywords\":[\"a\",\"true\"],"
	    "\"maintainers\":[{\"name\":\"W&B\",\"email\":null}]}") == 0,
	    "Chart.yaml as Helm's config JSON: %s", cfg != NULL ? cfg : cause);
	man = cfg != NULL ? bundle_chart_manifest(cfg, clen, D64, 42, &c,
	    &mlen) : NULL;
	tap_ok(man != NULL && strstr(man, "\"config\":{\"mediaType\":\""
	    HELM_MT_CONFIG "\"") != NULL && strstr(man, "\"layers\":[{"
	    "\"mediaType\":\"" HELM_MT_CHART "\",\"digest\":\"sha256:"
	    D64 "\",\"size\":42}]") != NULL, "the chart's OCI manifest");
	free(man);
	free(cfg);
	c.version = "1.4.9";
	cfg = bundle_chart_config(tgz, len, &c, &clen, &cause);
	tap_ok(cfg == NULL && cause != NULL && strstr(cause,
	    "Chart.yaml is operator 1.4.8, not operator 1.4.9"),
	    "a chart whose Chart.yaml disagrees with the manifest: %s",
	    cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	c.version = "1.4.8";
	free(tgz);
	tgz = mktgz("operator/values.yaml", y, &len);
	cfg = bundle_chart_config(tgz, len, &c, &clen, &cause);
	tap_ok(cfg == NULL && cause != NULL && strstr(cause, "no NAME/Chart"),
	    "a chart without Chart.yaml: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	cfg = bundle_chart_config("not a tgz", 9, &c, &clen, &cause);
	tap_ok(cfg == NULL && cause != NULL && strstr(cause, "not a chart"),
	    "not a .tgz: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(tgz);
	tgz = mktgz("operator/Chart.yaml", "- a\n", &len);
	cfg = bundle_chart_config(tgz, len, &c, &clen, &cause);
	tap_ok(cfg == NULL && cause != NULL && strstr(cause, "not a mapping"),
	    "Chart.yaml that is not a mapping: %s", cause != NULL ? cause : "");
	free(cause);
	free(tgz);
}

/* Hostile manifests: sizes that would overflow the total, deep nesting
 * (linear time, and refused), a NUL in a string, and names that would
 * forge lines when printed. */
static void
test_hostile(void)
{
	static const char head[] = "bundle_format: 1\nname: a\nversion: "
	    "'1'\nimages: [{ref: a, digest: 'sha256:" D64 "'}]\nfiles:\n";
	static const char *const printable[][2] = {
		{ "plain name 0.43.8", "plain name 0.43.8" },
		{ "x\033[2J\nsigned: yes", "x\\x1b[2J\\nsigned: yes" },
		{ "tab\there\rcr", "tab\\there\\rcr" },
		{ "del\177", "del\\x7f" },
		{ "c1 \302\233[31m", "c1 \\u009b[31m" },
		{ "bad \377 byte", "bad \\xff byte" },
		{ "\355\240\200surrogate", "\\xed\\xa0\\x80surrogate" },
		{ "한국어 日本語", "한국어 日本語" },
	};
	struct bundle_manifest *p;
	char *bad, *cause = NULL, *out = NULL, *t, *deep;
	size_t i, len = 0;
	FILE *f;
	struct timespec t0, t1;
	double secs;

	bad = xprintf("%s  - {path: a, size: 9223372036854775807, sha256: "
	    "%s}\n", head, D64);
	p = bundle_manifest_parse(bad, strlen(bad), "m", &cause);
	tap_ok(p == NULL && cause != NULL && strstr(cause, "more than a "
	    "bundle may hold") != NULL, "a size near INT64_MAX is refused: %s",
	    cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(bad);
	bad = xprintf("%s  - {path: a, size: 1125899906842624, sha256: %s}\n"
	    "  - {path: b, size: 1125899906842624, sha256: %s}\n", head, D64,
	    D64);
	p = bundle_manifest_parse(bad, strlen(bad), "m", &cause);
	tap_ok(p == NULL && cause != NULL && strstr(cause, "add up to") !=
	    NULL, "sizes that add up to more than a bundle holds are refused: "
	    "%s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(bad);

	deep = xmalloc(200003);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	memcpy(deep + 200000, "\n", 2);
	bad = xprintf("name: ");
	t = xprintf("%s%s", bad, deep);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = bundle_manifest_parse(t, strlen(t), "m", &cause);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	tap_ok(p == NULL && cause != NULL && strstr(cause, "nests deeper") !=
	    NULL && secs < 2.0, "100,000-deep flow nesting is refused in %.3f "
	    "s: %.60s", secs, cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(t);
	free(bad);
	free(deep);

	bad = xprintf("bundle_format: 1\nname: \"a\\0tail\"\nversion: '1'\n"
	    "images: []\n");
	p = bundle_manifest_parse(bad, strlen(bad), "m", &cause);
	tap_ok(p == NULL && cause != NULL && strstr(cause, "m:2:7: name: "
	    "holds a NUL") != NULL, "a NUL in a string is refused, with its "
	    "line and key: %s", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	free(bad);

	for (i = 0; i < sizeof printable / sizeof printable[0]; i++) {
		t = text_printable(printable[i][0]);
		tap_ok(strcmp(t, printable[i][1]) == 0, "printable: %s", t);
		free(t);
	}

	bad = xprintf("bundle_format: 1\nname: \"x\\e[2J\\nsigned: yes "
	    "(verified)\"\nversion: \"1\\r\"\nimages: [{ref: a, "
	    "digest: \"sha256:%s\"}]\n", D64);
	p = bundle_manifest_parse(bad, strlen(bad), "m", &cause);
	f = open_memstream(&out, &len);
	if (p != NULL)
		bundle_manifest_print(f, p, 0);
	fclose(f);
	tap_ok(p != NULL && out != NULL && strchr(out, '\033') == NULL &&
	    strchr(out, '\r') == NULL && strstr(out, "\nsigned: yes "
	    "(verified)") == NULL && strstr(out, "\nsigned:   no\n") != NULL &&
	    strstr(out, "x\\x1b[2J\\nsigned: yes (verified)") != NULL,
	    "inspect prints a forged name escaped, on its own line");
	free(out);
	free(cause);
	cause = NULL;
	bundle_manifest_free(p);
	free(bad);
}

int
main(void)
{
	test_refs();
	test_mirror();
	test_paths();
	test_manifest();
	test_keys();
	test_cancel();
	test_charts();
	test_hostile();
	return tap_done();
}
