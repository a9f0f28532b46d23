/* Table tests: the redactor, the helm list and resource parsers, version
 * order, and the dump check on files of this machine. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest-diff.h"
#include "runner.h"
#include "support.h"
#include "tap.h"
#include "upgrade.h"
#include "util.h"
#include "xmalloc.h"

static void
test_redact(void)
{
	static const struct {
		const char *in, *out, *rules;
	} t[] = {
		{ "pw=Sup3rSecretPw here", "pw=*** here", "secret:x" },
		{ "U3VwM3JTZWNyZXRQdw==", "***", "secret:x" },
		{ "mysql://u:p%40ss@h/db", "mysql://u:***@h/db",
		  "url-password" },
		{ "https://u:***@h", "https://u:***@h", "" },
		{ "https://host:443/x@y", "https://host:443/x@y", "" },
		{ "id AKIAABCDEFGHIJKLMNOP.", "id ***.", "aws-access-key" },
		{ "XAKIAABCDEFGHIJKLMNOP", "XAKIAABCDEFGHIJKLMNOP", "" },
		{ "AKIAABCDEFGHIJKLMNOPQ", "AKIAABCDEFGHIJKLMNOPQ", "" },
		{ "SECRET_KEY=abcdefghi/ABCDEFGHIJ+0123456789abcdefghi",
		  "SECRET_KEY=***", "aws-secret-key" },
		{ "secretKey: \"abcdefghijABCDEFGHIJ0123456789abcdefghij\"",
		  "secretKey: \"***\"", "aws-secret-key" },
		{ "secret_key abcdefghijABCDEFGHIJ0123456789abcdefghij",
		  "secret_key abcdefghijABCDEFGHIJ0123456789abcdefghij", "" },
		{ "secret_key: short", "secret_key: short", "" },
		{ "Sup3rSecretPw and Sup3rSecretPw2", "*** and ***",
		  "secret:x" },
	};
	struct redactor r;
	char *out, *rep, *want;
	size_t i, len;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		redactor_init(&r);
		redactor_add(&r, "Sup3rSecretPw", "secret:x");
		redactor_add(&r, "Sup3rSecretPw2", "secret:x");
		redactor_add(&r, "abc", "secret:short");
		out = redactor_apply(&r, "f", t[i].in, strlen(t[i].in), &len);
		tap_ok(strcmp(out, t[i].out) == 0 && len == strlen(out),
		    "redact %s -> %s", t[i].in, out);
		rep = redactor_report(&r);
		want = *t[i].rules != '\0' ? xprintf("f:1: %s\n",
		    t[i].rules) : xstrdup("");
		tap_ok(strcmp(rep, want) == 0, "report of %s: %.*s", t[i].in,
		    (int)strcspn(rep, "\n"), rep);
		free(want);
		free(rep);
		free(out);
		redactor_free(&r);
	}

	/* Lines are counted, the last one may lack its newline. */
	redactor_init(&r);
	redactor_add(&r, "Sup3rSecretPw", "license");
	out = redactor_apply(&r, "a/b", "x\n\nSup3rSecretPw\ny", 19, &len);
	rep = redactor_report(&r);
	tap_ok(strcmp(out, "x\n\n***\ny") == 0 &&
	    strcmp(rep, "a/b:3: license\n") == 0, "line numbers: %.*s",
	    (int)strcspn(rep, "\n"), rep);
	free(rep);
	free(out);
	redactor_free(&r);
}

static void
test_helm_list(void)
{
	const char *json = "[{\"name\":\"wandb-operator\",\"chart\":"
	    "\"operator-1.4.8\",\"app_version\":\"1.4.8\",\"revision\":\"3\","
	    "\"status\":\"deployed\"},{\"name\":\"old\",\"chart\":"
	    "\"wandb-0.1.10\",\"app_version\":\"0.51.2\",\"revision\":7,"
	    "\"status\":\"deployed\"},{\"name\":\"x\",\"chart\":"
	    "\"my-chart-v2\"}]";
	struct helm_release *v;
	size_t n;
	char *cause = NULL;
	int rc;

	tap_ok(upgrade_parse_helm_list(json, &v, &n, &cause) == 0 && n == 3,
	    "helm list: three releases");
	tap_ok(strcmp(v[0].chart, "operator") == 0 &&
	    strcmp(v[0].chart_version, "1.4.8") == 0 && v[0].revision == 3,
	    "operator-1.4.8, revision as a string");
	tap_ok(strcmp(v[1].chart, "wandb") == 0 &&
	    strcmp(v[1].app_version, "0.51.2") == 0 && v[1].revision == 7,
	    "wandb-0.1.10 is chart wandb, revision as a number");
	tap_ok(strcmp(v[2].chart, "my-chart-v2") == 0 &&
	    *v[2].chart_version == '\0', "a chart name with dashes, no "
	    "version");
	upgrade_releases_free(v, n);
	rc = upgrade_parse_helm_list("{}", &v, &n, &cause);
	tap_ok(rc == -1 && strstr(cause, "helm list") != NULL,
	    "not a list: %s", cause);
	free(cause);
}

static void
test_cr(void)
{
	const char *json = "{\"apiVersion\":\"apps.wandb.com/v1\","
	    "\"kind\":\"WeightsAndBiases\",\"metadata\":{\"name\":\"wandb\","
	    "\"uid\":\"u-1\",\"resourceVersion\":\"42\",\"generation\":2,"
	    "\"annotations\":{\"kubectl.kubernetes.io/last-applied-"
	    "configuration\":\"{}\",\"keep\":\"1\"}},\"spec\":{\"values\":"
	    "{}},\"status\":{\"phase\":\"Completed\",\"version\":\"0.43.8\"}}";
	char *v = NULL, *cause = NULL, *s;

	tap_ok(upgrade_parse_cr_version(json, &v, &cause) == 0 &&
	    strcmp(v, "0.43.8") == 0, "resource status.version");
	free(v);
	tap_ok(upgrade_parse_cr_version("{\"status\":{}}", &v, &cause) == 0 &&
	    *v == '\0', "no version yet");
	free(v);
	s = upgrade_cr_for_apply(json, &cause);
	tap_ok(s != NULL && strstr(s, "status") == NULL &&
	    strstr(s, "resourceVersion") == NULL &&
	    strstr(s, "uid") == NULL && strstr(s, "last-applied") == NULL &&
	    strstr(s, "\"keep\"") != NULL && strstr(s, "\"spec\"") != NULL,
	    "the resource to apply again has no server-set fields");
	free(s);
	s = upgrade_cr_for_apply("[", &cause);
	tap_ok(s == NULL && cause != NULL, "not JSON: %s", cause);
	free(cause);
}

static void
test_versions(void)
{
	static const struct { const char *a, *b; int cmp; } t[] = {
		{ "0.43.8", "0.43.8", 0 },
		{ "0.43.10", "0.43.8", 1 },
		{ "0.42.0", "0.43.8", -1 },
		{ "v1.29.6-eks-db838b0", "1.29", 1 },
		{ "1.29", "1.29.0", 0 },
		{ "1.28", "1.29", -1 },
		{ "v3.15.2", "3.0.0", 1 },
		{ "10.11.6-MariaDB", "8.0.0", 1 },
	};
	size_t i;
	int c;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		c = upgrade_version_cmp(t[i].a, t[i].b);
		tap_ok(c == t[i].cmp, "%s vs %s: %d", t[i].a, t[i].b, c);
	}
}

static void
test_dump_check(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *path, *cmd, *cause = NULL;
	struct runner r;
	long long size;
	int rc;

	dir = xprintf("%s/wb-upgrade-unit.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "mkdtemp");
		free(dir);
		return;
	}
	runner_local(&r, NULL);
	path = xprintf("%s/dump.sql.gz", dir);

	size = upgrade_backup_check(&r, path, &cause);
	tap_ok(size == -1 && strstr(cause, "does not exist") != NULL,
	    "missing dump: %s", cause);
	free(cause);

	write_file_atomic(path, "", 0, 0600, NULL);
	size = upgrade_backup_check(&r, path, &cause);
	tap_ok(size == -1 && strstr(cause, "is empty") != NULL,
	    "empty dump: %s", cause);
	free(cause);

	write_file_atomic(path, "not gzip\n", 9, 0600, NULL);
	size = upgrade_backup_check(&r, path, &cause);
	tap_ok(size == -1 && strstr(cause, "gzip -t") != NULL,
	    "not gzip: %s", cause);
	free(cause);

	cmd = xprintf("printf 'CREATE TABLE t (i int);\\n' | gzip -c > %s",
	    path);
	rc = system(cmd);
	free(cmd);
	size = upgrade_backup_check(&r, path, &cause);
	tap_ok(rc == 0 && size == -1 && strstr(cause, "not a complete") !=
	    NULL, "a cut dump: %s", cause);
	free(cause);

	cmd = xprintf("printf -- '-- MariaDB dump\\nCREATE TABLE t (i int);"
	    "\\n-- Dump completed on 2024-11-23  4:12:09\\n' | gzip -c > %s",
	    path);
	rc = system(cmd);
	free(cmd);
	size = upgrade_backup_check(&r, path, &cause);
	tap_ok(rc == 0 && size > 20, "a complete dump: %lld bytes", size);

	unlink(path);
	rmdir(dir);
	free(dir);
	free(path);
	runner_close(&r);
}

/* The manifests of two releases (manifest-diff.c). */
static const char mdiff_old[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wandb-app}\n"
    "spec:\n  template:\n    spec:\n      initContainers:\n"
    "      - {name: init-db, image: 'wandb/local:0.76.1'}\n"
    "      containers:\n      - name: app\n        image: wandb/local:0.76.1\n"
    "        env:\n        - {name: GORILLA_LOG, value: info}\n"
    "        - {name: MYSQL_PASSWORD, value: old-s3cret-pw}\n"
    "        - {name: DROPPED, value: x}\n"
    "---\napiVersion: v1\nkind: Secret\nmetadata: {name: wandb-mysql}\n"
    "stringData: {MYSQL_PASSWORD: old-s3cret-pw, USER: wandb}\n"
    "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
    "data: {a: '1', b: '2'}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: gone}\n"
    "spec: {ports: [{port: 80}]}\n";
static const char mdiff_new[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wandb-app}\n"
    "spec:\n  template:\n    spec:\n      initContainers:\n"
    "      - {name: init-db, image: 'wandb/local:0.77.0'}\n"
    "      containers:\n      - name: app\n        image: wandb/local:0.77.0\n"
    "        env:\n        - {name: GORILLA_LOG, value: debug}\n"
    "        - {name: MYSQL_PASSWORD, value: new-s3cret-pw}\n"
    "        - {name: ADDED, value: y}\n"
    "---\napiVersion: v1\nkind: Secret\nmetadata: {name: wandb-mysql}\n"
    "stringData: {MYSQL_PASSWORD: new-s3cret-pw, USER: wandb}\n"
    "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
    "data: {a: '1', b: '3', c: '4'}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: new}\n"
    "spec: {ports: [{port: 80}]}\n";

static int
has(const struct mdiff *m, const char *object, const char *what,
    const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].object, object) == 0 &&
		    ((what == NULL && m->v[i].what == NULL) ||
		    (what != NULL && m->v[i].what != NULL &&
		    strcmp(m->v[i].what, what) == 0)) &&
		    (from == NULL || (m->v[i].from != NULL &&
		    strcmp(m->v[i].from, from) == 0)) &&
		    (to == NULL || (m->v[i].to != NULL &&
		    strcmp(m->v[i].to, to) == 0)))
			return 1;
	return 0;
}

static void
test_mdiff(void)
{
	struct mdiff m;
	char *cause = NULL, *json, *text = NULL;
	size_t len = 0;
	FILE *f;

	tap_ok(mdiff_compute(mdiff_old, sizeof mdiff_old - 1, mdiff_new,
	    sizeof mdiff_new - 1, &m, &cause) == 0, "mdiff: both parse");
	tap_ok(has(&m, "Deployment/wandb-app", "container app: image",
	    "wandb/local:0.76.1", "wandb/local:0.77.0"),
	    "mdiff: the image change of a container");
	tap_ok(has(&m, "Deployment/wandb-app", "container init-db: image",
	    "wandb/local:0.76.1", "wandb/local:0.77.0"),
	    "mdiff: and of an init container");
	tap_ok(has(&m, "Deployment/wandb-app", "container app: env "
	    "GORILLA_LOG", "info", "debug"), "mdiff: an env value change");
	tap_ok(has(&m, "Deployment/wandb-app", "container app: env "
	    "MYSQL_PASSWORD", "***", "***"),
	    "mdiff: a secret-looking env var changes, masked");
	tap_ok(has(&m, "Deployment/wandb-app", "container app: env DROPPED",
	    "x", NULL) && has(&m, "Deployment/wandb-app",
	    "container app: env ADDED", NULL, "y"),
	    "mdiff: env vars removed and added");
	tap_ok(has(&m, "Secret/wandb-mysql", "stringData key MYSQL_PASSWORD",
	    "***", "***") && !has(&m, "Secret/wandb-mysql",
	    "stringData key USER", NULL, NULL),
	    "mdiff: a Secret's changed key, masked; its same key not listed");
	tap_ok(has(&m, "ConfigMap/cfg", "data key b", "2", "3") &&
	    has(&m, "ConfigMap/cfg", "data key c", NULL, NULL) &&
	    !has(&m, "ConfigMap/cfg", "data key a", NULL, NULL),
	    "mdiff: a ConfigMap's keys changed and added");
	tap_ok(has(&m, "Service/gone", NULL, NULL, NULL) &&
	    has(&m, "Service/new", NULL, NULL, NULL),
	    "mdiff: objects removed and added");
	json = mdiff_json(&m);
	f = open_memstream(&text, &len);
	mdiff_print(f, &m);
	fclose(f);
	tap_ok(strstr(json, "s3cret") == NULL && strstr(text, "s3cret") ==
	    NULL, "mdiff: the secret appears in neither the text nor JSON");
	tap_ok(strstr(text, "~ Deployment/wandb-app") != NULL &&
	    strstr(text, "container app: image: wandb/local:0.76.1 → "
	    "wandb/local:0.77.0") != NULL && strstr(text, "+ Service/new") !=
	    NULL, "mdiff: the text, grouped by object");
	tap_ok(strstr(json, "\"change\": \"removed\"") != NULL,
	    "mdiff: the JSON");
	free(json);
	free(text);
	mdiff_free(&m);
	tap_ok(mdiff_compute("a: [", 4, "", 0, &m, &cause) == -1 &&
	    cause != NULL, "mdiff: a manifest that does not parse");
	free(cause);
}

int
main(void)
{
	test_redact();
	test_helm_list();
	test_cr();
	test_versions();
	test_dump_check();
	test_mdiff();
	return tap_done();
}
