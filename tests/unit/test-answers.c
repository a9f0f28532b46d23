/*
 * Table-driven tests of the answers model: each case is a small answers
 * file (sections of a valid base replaced by the case's own) and the
 * exact key and error class it must produce.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "answers.h"
#include "log.h"
#include "storage-url.h"
#include "tap.h"
#include "xmalloc.h"

static const char *const base[] = {
	"version: 1\n",
	"deployment:\n  products: models\n  environment: production\n"
	"  platform: kubernetes\n",
	"domain:\n  fqdn: wandb.example.com\n",
	"license:\n  value: {env: WB_LICENSE}\n",
	"ssh:\n  user: root\n  port: 22\n",
	"targets:\n  - host: 10.0.0.11\n    roles: [app]\n",
	"kubernetes:\n  namespace: wandb\n",
	"mysql:\n  host: mysql.example.com\n  password: {env: WB_MYSQL_PW}\n",
	"storage:\n  bucket: wandb-files\n  access_key: {env: WB_AK}\n"
	"  secret_key: {env: WB_SK}\n",
	"airgap:\n  enabled: false\n",
	NULL
};

struct fcase {
	const char *name;
	const char *yaml;	/* sections that replace the base's */
	const char *key;	/* expected key of the first error */
	enum aerr class;	/* AE_OK: the file must be valid */
};

#define AWS "deployment:\n  platform: aws-terraform\n" \
	"domain:\n  fqdn: wandb-aws.example.com\n" \
	"aws:\n  subdomain: wandb-aws\n  domain_name: example.com\n" \
	"  zone_id: Z0000000000000\n  region: eu-central-1\n"

static const struct fcase fcases[] = {
	/* Valid files. */
	{ "base file", "", NULL, AE_OK },
	{ "models+weave", "deployment:\n  products: models+weave\n", NULL,
	    AE_OK },
	{ "baremetal", "deployment:\n  platform: baremetal\n", NULL, AE_OK },
	{ "aws-terraform", AWS, NULL, AE_OK },
	{ "aws-terraform without targets", AWS "targets: []\n", NULL, AE_OK },
	{ "air gap", "airgap:\n  enabled: true\n  bundle: /srv/b.tar.zst\n"
	    "  registry: registry.local:5000\n", NULL, AE_OK },
	{ "storage url", "storage:\n  url: {value: \"s3://AK:S%2Fk%40x@minio:"
	    "9000/b1/p?tls=true&region=us-east-1\"}\n", NULL, AE_OK },
	{ "file secret", "license:\n  value: {file: /etc/wandb/lic}\n", NULL,
	    AE_OK },
	{ "value secret", "license:\n  value: {value: \"abc\"}\n", NULL,
	    AE_OK },
	{ "ipv6 target", "targets:\n  - host: \"fd00::11\"\n    roles: [app]\n",
	    NULL, AE_OK },
	{ "target port and user", "targets:\n  - host: h1.example.com\n"
	    "    port: 2222\n    user: ops\n    roles: [app, control]\n", NULL,
	    AE_OK },
	{ "block list roles", "targets:\n  - host: h1\n    roles:\n"
	    "      - app\n      - db\n", NULL, AE_OK },
	{ "ipv6 endpoint", "storage:\n  bucket: wandb-files\n"
	    "  endpoint: \"[::1]:9000\"\n  access_key: {env: A}\n"
	    "  secret_key: {env: B}\n", NULL, AE_OK },
	{ "quoted eks version", AWS "  eks_cluster_version: \"1.30\"\n", NULL,
	    AE_OK },
	{ "empty wandb_version", "deployment:\n  wandb_version: \"\"\n", NULL,
	    AE_OK },
	{ "wandb_version", "deployment:\n  wandb_version: 0.59.2\n", NULL,
	    AE_OK },
	{ "data path", "deployment:\n  data_path: /srv/wandb-data\n", NULL,
	    AE_OK },
	{ "mysql admin", "mysql:\n  host: db\n  password: {env: P}\n"
	    "  admin:\n    user: root\n    password: {env: Q}\n", NULL, AE_OK },
	{ "accept-new", "ssh:\n  host_key_policy: accept-new\n", NULL, AE_OK },
	{ "gcs bucket only", "storage:\n  provider: gcs\n  bucket: b-1\n",
	    NULL, AE_OK },
	{ "null value keeps default", "ssh:\n  port:\n", NULL, AE_OK },

	/* domain.fqdn */
	{ "fqdn with scheme", "domain:\n  fqdn: https://wandb.example.com\n",
	    "domain.fqdn", AE_FORMAT },
	{ "fqdn with port", "domain:\n  fqdn: wandb.example.com:443\n",
	    "domain.fqdn", AE_FORMAT },
	{ "fqdn without dot", "domain:\n  fqdn: wandb\n", "domain.fqdn",
	    AE_FORMAT },
	{ "fqdn too long", "domain:\n  fqdn: "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	    "example.com\n", "domain.fqdn", AE_FORMAT },
	{ "fqdn underscore", "domain:\n  fqdn: my_host.example.com\n",
	    "domain.fqdn", AE_FORMAT },
	{ "fqdn leading hyphen", "domain:\n  fqdn: -w.example.com\n",
	    "domain.fqdn", AE_FORMAT },
	{ "fqdn long label", "domain:\n  fqdn: "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".com\n", "domain.fqdn", AE_FORMAT },
	{ "fqdn with path", "domain:\n  fqdn: wandb.example.com/x\n",
	    "domain.fqdn", AE_FORMAT },
	{ "fqdn missing", "domain: ~\n", "domain.fqdn", AE_REQUIRED },

	/* Numbers. */
	{ "ssh port 0", "ssh:\n  port: 0\n", "ssh.port", AE_RANGE },
	{ "ssh port 65536", "ssh:\n  port: 65536\n", "ssh.port", AE_RANGE },
	{ "ssh port quoted", "ssh:\n  port: \"22\"\n", "ssh.port", AE_TYPE },
	{ "ssh port word", "ssh:\n  port: twenty\n", "ssh.port", AE_TYPE },
	{ "target port", "targets:\n  - host: h\n    port: 70000\n"
	    "    roles: [app]\n", "targets[0].port", AE_RANGE },
	{ "mysql port negative", "mysql:\n  host: db\n  port: -1\n"
	    "  password: {env: P}\n", "mysql.port", AE_RANGE },
	{ "timeout 0", "ssh:\n  timeout_s: 0\n", "ssh.timeout_s", AE_RANGE },
	{ "version 2", "version: 2\n", "version", AE_RANGE },
	{ "version missing", "version: ~\n", "version", AE_REQUIRED },

	/* Choices. */
	{ "products typo", "deployment:\n  products: model\n",
	    "deployment.products", AE_CHOICE },
	{ "environment", "deployment:\n  environment: staging\n",
	    "deployment.environment", AE_CHOICE },
	{ "platform", "deployment:\n  platform: docker\n",
	    "deployment.platform", AE_CHOICE },
	{ "role", "targets:\n  - host: h\n    roles: [app, web]\n",
	    "targets[0].roles", AE_CHOICE },
	{ "host key policy", "ssh:\n  host_key_policy: accept-any\n",
	    "ssh.host_key_policy", AE_CHOICE },
	{ "provider", "storage:\n  provider: minio\n", "storage.provider",
	    AE_CHOICE },

	/* Secrets. */
	{ "bare license", "license:\n  value: abc123\n", "license.value",
	    AE_SECRET },
	{ "bare password", "mysql:\n  host: db\n  password: hunter2\n",
	    "mysql.password", AE_SECRET },
	{ "bad env name", "license:\n  value: {env: 1BAD}\n", "license.value",
	    AE_FORMAT },
	{ "unknown secret kind", "license:\n  value: {vault: x}\n",
	    "license.value", AE_FORMAT },
	{ "two secret kinds", "license:\n  value: {env: A, file: /b}\n",
	    "license.value", AE_SECRET },
	{ "secret as list", "license:\n  value: [a]\n", "license.value",
	    AE_SECRET },
	{ "bare url", "storage:\n  url: s3://a:b@h/b?region=r\n",
	    "storage.url", AE_SECRET },
	{ "url scheme", "storage:\n  url: {value: \"http://a:b@h/b\"}\n",
	    "storage.url", AE_FORMAT },
	{ "url without keys", "storage:\n  url: {value: \"s3://h/b?region="
	    "r\"}\n", "storage.url", AE_FORMAT },
	{ "url without region", "storage:\n  url: {value: \"s3://a:b@h/b\"}\n",
	    "storage.url", AE_FORMAT },
	{ "url without bucket", "storage:\n  url: {value: \"s3://a:b@h/?"
	    "region=r\"}\n", "storage.url", AE_FORMAT },
	{ "url bad tls", "storage:\n  url: {value: \"s3://a:b@h/b?tls=yes&"
	    "region=r\"}\n", "storage.url", AE_FORMAT },
	{ "url and keys", "storage:\n  url: {env: U}\n  access_key: {env: A}\n",
	    "storage.access_key", AE_CROSS },

	/* Unknown and duplicate keys. */
	{ "unknown key", "deployment:\n  platfrom: kubernetes\n",
	    "deployment.platfrom", AE_UNKNOWN },
	{ "unknown section", "databse:\n  host: x\n", "databse", AE_UNKNOWN },
	{ "unknown target key", "targets:\n  - hots: h\n    roles: [app]\n",
	    "targets[0].hots", AE_UNKNOWN },
	{ "duplicate key", "ssh:\n  port: 22\n  port: 23\n", "ssh.port",
	    AE_DUPLICATE },

	/* Cross-field rules. */
	{ "airgap without bundle", "airgap:\n  enabled: true\n"
	    "  registry: r.local:5000\n", "airgap.bundle", AE_CROSS },
	{ "airgap without registry", "airgap:\n  enabled: true\n"
	    "  bundle: /b.tar.zst\n", "airgap.registry", AE_CROSS },
	{ "aws without zone", "deployment:\n  platform: aws-terraform\n"
	    "domain:\n  fqdn: wandb-aws.example.com\n"
	    "aws:\n  subdomain: wandb-aws\n  domain_name: example.com\n"
	    "  region: eu-central-1\n", "aws.zone_id", AE_CROSS },
	{ "aws fqdn mismatch", "deployment:\n  platform: aws-terraform\n"
	    "aws:\n  subdomain: w\n  domain_name: example.org\n"
	    "  zone_id: Z1\n  region: eu-central-1\n", "domain.fqdn",
	    AE_CROSS },
	{ "kubernetes without app", "targets:\n  - host: h\n    roles: [db]\n",
	    "targets", AE_CROSS },
	{ "registry user without password", "airgap:\n  enabled: true\n"
	    "  bundle: /b.tar.zst\n  registry: r.local:5000\n"
	    "  registry_user: u\n", "airgap.registry_password", AE_CROSS },
	{ "IPv6 MySQL host on kubernetes", "mysql:\n  host: \"fd00::5\"\n",
	    "mysql.host", AE_CROSS },
	{ "baremetal without targets", "deployment:\n  platform: baremetal\n"
	    "targets: []\n", "targets", AE_CROSS },
	{ "two control targets", "targets:\n  - host: a\n    roles: [app, "
	    "control]\n  - host: b\n    roles: [control]\n", "targets",
	    AE_CROSS },
	{ "duplicate target", "targets:\n  - host: a\n    roles: [app]\n"
	    "  - host: a\n    roles: [db]\n", "targets[1].host", AE_DUPLICATE },
	{ "target without roles", "targets:\n  - host: a\n",
	    "targets[0].roles", AE_REQUIRED },
	{ "target without host", "targets:\n  - roles: [app]\n",
	    "targets[0].host", AE_REQUIRED },
	{ "mysql host missing", "mysql:\n  password: {env: P}\n", "mysql.host",
	    AE_REQUIRED },
	{ "mysql password missing", "mysql:\n  host: db\n", "mysql.password",
	    AE_REQUIRED },
	{ "bucket missing", "storage:\n  access_key: {env: A}\n"
	    "  secret_key: {env: B}\n", "storage.bucket", AE_CROSS },
	{ "s3 keys missing", "storage:\n  bucket: b12\n",
	    "storage.access_key", AE_CROSS },
	{ "amazon without tls", "storage:\n  bucket: b12\n  tls: false\n"
	    "  access_key: {env: A}\n  secret_key: {env: B}\n", "storage.tls",
	    AE_CROSS },
	{ "admin user without password", "mysql:\n  host: db\n"
	    "  password: {env: P}\n  admin:\n    user: root\n",
	    "mysql.admin.password", AE_CROSS },
	{ "ca with plain http", "airgap:\n  registry_ca: /ca.pem\n"
	    "  plain_http: true\n", "airgap.registry_ca", AE_CROSS },

	/* Types and formats. */
	{ "targets not a list", "targets: 10.0.0.1\n", "targets", AE_TYPE },
	{ "target item scalar", "targets:\n  - 10.0.0.1\n", "targets[0]",
	    AE_TYPE },
	{ "roles scalar", "targets:\n  - host: h\n    roles: app\n",
	    "targets[0].roles", AE_TYPE },
	{ "roles empty", "targets:\n  - host: h\n    roles: []\n",
	    "targets[0].roles", AE_FORMAT },
	{ "roles twice", "targets:\n  - host: h\n    roles: [app, app]\n",
	    "targets[0].roles", AE_FORMAT },
	{ "target host with space", "targets:\n  - host: bad host\n"
	    "    roles: [app]\n", "targets[0].host", AE_FORMAT },
	{ "bucket name", "storage:\n  bucket: Bad_Bucket\n"
	    "  access_key: {env: A}\n  secret_key: {env: B}\n",
	    "storage.bucket", AE_FORMAT },
	{ "bucket path", "storage:\n  path: /x\n", "storage.path", AE_FORMAT },
	{ "endpoint scheme", "storage:\n  endpoint: http://s3:9000\n",
	    "storage.endpoint", AE_FORMAT },
	{ "endpoint port", "storage:\n  endpoint: s3:99999\n",
	    "storage.endpoint", AE_RANGE },
	{ "namespace case", "kubernetes:\n  namespace: WandB\n",
	    "kubernetes.namespace", AE_FORMAT },
	{ "openshift yes", "kubernetes:\n  openshift: yes\n",
	    "kubernetes.openshift", AE_TYPE },
	{ "openshift quoted", "kubernetes:\n  openshift: \"true\"\n",
	    "kubernetes.openshift", AE_TYPE },
	{ "section scalar", "mysql: db.example.com\n", "mysql", AE_TYPE },
	{ "scalar given a map", "domain:\n  fqdn: {a: b}\n", "domain.fqdn",
	    AE_TYPE },
	{ "ipv4 cidr", AWS "  allowed_inbound_cidr: [\"10.0.0.0/33\"]\n",
	    "aws.allowed_inbound_cidr", AE_FORMAT },
	{ "ipv6 cidr", AWS "  allowed_inbound_ipv6_cidr: [\"::/129\"]\n",
	    "aws.allowed_inbound_ipv6_cidr", AE_FORMAT },
	{ "eks version", AWS "  eks_cluster_version: \"1\"\n",
	    "aws.eks_cluster_version", AE_FORMAT },
	{ "wandb version", "deployment:\n  wandb_version: latest\n",
	    "deployment.wandb_version", AE_FORMAT },
	{ "data path relative", "deployment:\n  data_path: var/lib\n",
	    "deployment.data_path", AE_FORMAT },
	{ "data path quote", "deployment:\n  data_path: \"/var/it's\"\n",
	    "deployment.data_path", AE_FORMAT },
	{ "queue", "storage:\n  queue: redis://x\n", "storage.queue",
	    AE_FORMAT },
	{ "chart repo", "airgap:\n  chart_repo: ftp://x\n",
	    "airgap.chart_repo", AE_FORMAT },
	{ "database name", "mysql:\n  host: db\n  database: wandb-local\n"
	    "  password: {env: P}\n", "mysql.database", AE_FORMAT },
	{ "syntax error", "ssh:\n  port: 22\n user: x\n", NULL, AE_SYNTAX },
};

/* Replace the base sections that the case names. */
static char *
build(const char *over)
{
	char *doc = xstrdup(""), *n, *extra = xstrdup(over), *sect, *p;
	size_t i, nlen;
	const char *s, *next;

	for (i = 0; base[i] != NULL; i++) {
		nlen = strcspn(base[i], ":");
		sect = NULL;
		for (s = extra; *s != '\0'; s = next) {
			next = strchr(s, '\n');
			next = next ? next + 1 : s + strlen(s);
			if (strncmp(s, base[i], nlen) == 0 && s[nlen] == ':')
				break;
		}
		if (*s != '\0') {
			/* The case's section runs to the next top-level key. */
			for (p = (char *)next; *p != '\0' && (*p == ' ' ||
			    *p == '-'); ) {
				char *nl = strchr(p, '\n');

				p = nl != NULL ? nl + 1 : p + strlen(p);
			}
			sect = xstrndup(s, (size_t)(p - s));
			memmove((char *)s, p, strlen(p) + 1);
		}
		xasprintf(&n, "%s%s", doc, sect != NULL ? sect : base[i]);
		free(doc);
		free(sect);
		doc = n;
	}
	xasprintf(&n, "%s%s", doc, extra);
	free(doc);
	free(extra);
	return n;
}

static void
run_fcase(const struct fcase *c)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	char *doc = build(c->yaml), *line;
	int good;

	a = answers_load_buffer("t.yaml", doc, strlen(doc), &errs);
	if (a != NULL && errs.n == 0)
		answers_check(a, &errs);
	if (c->class == AE_OK)
		good = a != NULL && errs.n == 0;
	else
		good = errs.n > 0 && errs.v[0].class == c->class &&
		    ((c->key == NULL && errs.v[0].key == NULL) ||
		    (c->key != NULL && errs.v[0].key != NULL &&
		    strcmp(c->key, errs.v[0].key) == 0));
	tap_ok(good, "file: %s -> %s %s", c->name, c->key ? c->key : "-",
	    aerr_name(c->class));
	if (!good) {
		tap_diag("document:\n%s", doc);
		for (size_t i = 0; i < errs.n; i++) {
			line = answers_error_format(&errs.v[i]);
			tap_diag("got [%s] %s", aerr_name(errs.v[i].class),
			    line);
			free(line);
		}
	}
	answers_errors_clear(&errs);
	answers_free(a);
	free(doc);
}

struct scase {
	const char *key, *text;
	enum aerr class;
};

static const struct scase scases[] = {
	{ "domain.fqdn", "wandb.example.com", AE_OK },
	{ "domain.fqdn", "https://wandb.example.com", AE_FORMAT },
	{ "domain.fqd", "x.example.com", AE_UNKNOWN },
	{ "ssh.port", "22", AE_OK },
	{ "ssh.port", "0", AE_RANGE },
	{ "ssh.port", "22x", AE_TYPE },
	{ "kubernetes.openshift", "true", AE_OK },
	{ "kubernetes.openshift", "1", AE_TYPE },
	{ "license.value", "{env: WB_LICENSE}", AE_OK },
	{ "license.value", "{file: ~/lic.txt}", AE_OK },
	{ "license.value", "{value: a}b}", AE_OK },
	{ "license.value", "plain", AE_SECRET },
	{ "license.value", "{env: }", AE_FORMAT },
	{ "targets[0].host", "10.0.0.1", AE_OK },
	{ "targets[5].host", "10.0.0.1", AE_RANGE },
	{ "targets[x].host", "10.0.0.1", AE_UNKNOWN },
	{ "targets[0].roles", "app, control", AE_OK },
	{ "targets[0].roles", "app,worker", AE_CHOICE },
	{ "targets", "x", AE_TYPE },
	{ "aws.allowed_inbound_cidr", "10.0.0.0/8, 192.168.0.0/16", AE_OK },
	{ "storage.endpoint", "minio.local:9000", AE_OK },
	{ "storage.endpoint", "minio.local:", AE_RANGE },
};

static void
test_setter(void)
{
	struct answers *a = answers_new();
	char *cause;
	enum aerr rc;
	size_t i;

	for (i = 0; i < sizeof scases / sizeof scases[0]; i++) {
		cause = NULL;
		rc = answers_set(a, scases[i].key, scases[i].text, &cause);
		tap_ok(rc == scases[i].class && (rc == AE_OK) == (cause ==
		    NULL), "set %s = '%s' -> %s%s%s", scases[i].key,
		    scases[i].text, aerr_name(scases[i].class),
		    cause ? ": " : "", cause ? cause : "");
		free(cause);
	}
	/* A failed set keeps the old value. */
	answers_set(a, "ssh.port", "2200", NULL);
	answers_set(a, "ssh.port", "99999", NULL);
	tap_ok(answers_get_int(a, "ssh.port") == 2200,
	    "a failed set keeps the old value");
	tap_ok(strcmp(answers_target_get(a, 0, "port"), "2200") == 0,
	    "a target without a port takes ssh.port");
	tap_ok(answers_target_has_role(a, 0, "control"),
	    "roles read back as a list");
	tap_ok(strcmp(answers_get(a, "license.value"), "{value: a}b}") == 0,
	    "a value secret keeps its text");
	answers_free(a);
}

static void
test_messages(void)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	const char *doc = "version: 1\ndeployment:\n  platfrom: kubernetes\n"
	    "domain:\n  fqdn: https://x.example.com\nssh:\n  port: 0\n";
	char *line;

	a = answers_load_buffer("bad.yaml", doc, strlen(doc), &errs);
	tap_ok(a != NULL && errs.n == 3, "every error is reported (%zu)",
	    errs.n);
	if (errs.n == 3) {
		line = answers_error_format(&errs.v[0]);
		tap_ok(strcmp(line, "bad.yaml:3:3: deployment.platfrom: "
		    "unknown key; did you mean deployment.platform?") == 0,
		    "did-you-mean with line and column: %s", line);
		free(line);
		line = answers_error_format(&errs.v[1]);
		tap_ok(strncmp(line, "bad.yaml:5:9: domain.fqdn: ", 27) == 0,
		    "value errors point at the value: %s", line);
		free(line);
		line = answers_error_format(&errs.v[2]);
		tap_ok(strcmp(line, "bad.yaml:7:9: ssh.port: 0 is out of "
		    "range 1-65535") == 0, "range message: %s", line);
		free(line);
	}
	answers_errors_clear(&errs);
	answers_free(a);

	doc = "- a\n- b\n";
	a = answers_load_buffer("list.yaml", doc, strlen(doc), &errs);
	tap_ok(errs.n == 1 && errs.v[0].class == AE_TYPE &&
	    errs.v[0].line == 1, "a file that is not a mapping is refused");
	answers_errors_clear(&errs);
	answers_free(a);

	doc = "";
	a = answers_load_buffer("empty.yaml", doc, 0, &errs);
	tap_ok(errs.n == 1 && errs.v[0].class == AE_FILE,
	    "an empty file is refused");
	answers_errors_clear(&errs);
	answers_free(a);

	doc = "version: 1\nlicense:\n  value: s3cr3t-l1cense\n";
	a = answers_load_buffer("s.yaml", doc, strlen(doc), &errs);
	tap_ok(errs.n == 1 && strstr(errs.v[0].message, "s3cr3t") == NULL,
	    "a bare secret is rejected without echoing it");
	answers_errors_clear(&errs);
	answers_free(a);
}

static void
test_secrets(void)
{
	struct answers_errors errs = { NULL, 0 };
	char dir[] = "/tmp/wbtest.XXXXXX", *path, *v, *cause = NULL, *doc;
	struct answers *a;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		abort();
	path = xprintf("%s/lic.txt", dir);
	f = fopen(path, "w");
	fputs("LICENSE-TEXT\n", f);
	fclose(f);
	doc = xprintf("version: 1\nlicense:\n  value: {file: lic.txt}\n"
	    "mysql:\n  password: {env: WB_TEST_UNSET_VAR}\n"
	    "storage:\n  access_key: {env: WB_TEST_AK}\n"
	    "  secret_key: {file: missing.txt}\n");
	free(path);
	path = xprintf("%s/answers.yaml", dir);
	a = answers_load_buffer(path, doc, strlen(doc), &errs);
	tap_ok(a != NULL && errs.n == 0, "secret references load unresolved");

	v = answers_resolve(a, "license.value", &cause);
	tap_ok(v != NULL && strcmp(v, "LICENSE-TEXT") == 0,
	    "a relative file secret is read beside the answers file, "
	    "without its newline");
	xfree_secret(v);

	unsetenv("WB_TEST_UNSET_VAR");
	v = answers_resolve(a, "mysql.password", &cause);
	tap_ok(v == NULL && cause != NULL && strstr(cause, "mysql.password") &&
	    strstr(cause, "WB_TEST_UNSET_VAR"),
	    "an unset variable names the key and the variable: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;

	setenv("WB_TEST_AK", "AKIA-TEST", 1);
	v = answers_resolve(a, "storage.access_key", &cause);
	tap_ok(v != NULL && strcmp(v, "AKIA-TEST") == 0, "env secret");
	xfree_secret(v);

	v = answers_resolve(a, "storage.secret_key", &cause);
	tap_ok(v == NULL && strstr(cause, "storage.secret_key") &&
	    strstr(cause, "missing.txt"), "a missing file names the key and "
	    "the file: %s", cause ? cause : "");
	free(cause);
	cause = NULL;

	tap_ok(answers_resolve_all(a, &errs) == 2, "resolve_all lists both "
	    "unresolvable secrets");
	answers_errors_clear(&errs);

	v = log_redact("key=AKIA-TEST; again AKIA-TEST");
	tap_ok(strcmp(v, "key=***; again ***") == 0,
	    "resolved secrets are redacted from log lines");
	free(v);

	answers_free(a);
	free(doc);
	unlink(path);
	free(path);
	path = xprintf("%s/lic.txt", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

static void
test_storage_url(void)
{
	struct storage_conf c;
	char *cause = NULL, *url;

	tap_ok(storage_url_parse("s3://AK%2B1:S%2Fk%40y%3A@minio.local:9000/"
	    "bkt/a/b?tls=false&region=eu-west-1", &c, &cause) == AE_OK &&
	    strcmp(c.access_key, "AK+1") == 0 &&
	    strcmp(c.secret_key, "S/k@y:") == 0 &&
	    strcmp(c.host, "minio.local") == 0 && c.port == 9000 &&
	    strcmp(c.bucket, "bkt") == 0 && strcmp(c.path, "a/b") == 0 &&
	    c.tls == 0 && strcmp(c.region, "eu-west-1") == 0,
	    "storage URL: percent-encoded keys are decoded");
	url = storage_url_format(&c);
	tap_ok(strcmp(url, "s3://AK%2B1:S%2Fk%40y%3A@minio.local:9000/bkt/a/b"
	    "?tls=false&region=eu-west-1") == 0, "storage URL round trip: %s",
	    url);
	free(url);
	storage_conf_free(&c);
	tap_ok(storage_url_parse("s3://AK:SECRET/with/slash@h/b?region=r", &c,
	    &cause) != AE_OK && strstr(cause, "SECRET") == NULL,
	    "an unencoded '/' in the key is refused without quoting it");
	free(cause);
	cause = NULL;
	tap_ok(storage_url_parse("s3://a:b@h/b?region=r&x=1", &c, &cause) ==
	    AE_FORMAT && strstr(cause, "'x'") != NULL,
	    "unknown URL parameters are named");
	free(cause);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_save(void)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a, *b;
	char *example, *path, *dump, *dump2, *cause = NULL;
	char dir[] = "/tmp/wbsave.XXXXXX";
	struct stat sb;
	const char *shared = getenv("WB_SHARED");

	path = xprintf("%s/contract/answers.example.yaml",
	    shared ? shared : "../shared");
	example = slurp(path);
	if (example == NULL) {
		printf("ok %d # SKIP contract example not found at %s\n",
		    ++tap_n, path);
		free(path);
		return;
	}
	a = answers_load_buffer(path, example, strlen(example), &errs);
	answers_check(a, &errs);
	tap_ok(a != NULL && errs.n == 0, "the contract example is valid");
	answers_errors_clear(&errs);

	dump = answers_dump(a);
	tap_ok(strcmp(dump, example) == 0,
	    "saving the example unchanged gives the same bytes");
	if (strcmp(dump, example) != 0)
		tap_diag("dump:\n%s", dump);

	answers_set(a, "ssh.port", "2022", NULL);
	answers_set(a, "mysql.password", "{value: p'\"#:@/&<%\nx}", NULL);
	free(dump);
	dump = answers_dump(a);
	b = answers_load_buffer("again", dump, strlen(dump), &errs);
	tap_ok(b != NULL && errs.n == 0 && answers_get_int(b, "ssh.port") ==
	    2022 && strcmp(answers_get_secret(b, "mysql.password")->arg,
	    "p'\"#:@/&<%\nx") == 0, "a changed file reloads with the same "
	    "values, odd characters included");
	dump2 = answers_dump(b);
	tap_ok(strcmp(dump, dump2) == 0, "saving is stable");
	tap_ok(strstr(dump, "\n  port: 2022                     # defaults") ==
	    NULL && strstr(dump, "port: 2022") != NULL,
	    "changed values are written");

	if (mkdtemp(dir) == NULL)
		abort();
	free(path);
	path = xprintf("%s/out.yaml", dir);
	tap_ok(answers_save(a, path, &cause) == 0 && stat(path, &sb) == 0 &&
	    (sb.st_mode & 0777) == 0600, "answers_save writes mode 0600");
	unlink(path);
	rmdir(dir);

	free(dump);
	free(dump2);
	answers_free(a);
	answers_free(b);
	answers_errors_clear(&errs);
	free(example);
	free(path);
}

static void
test_save_elsewhere(void)
{
	struct answers_errors errs = { NULL, 0 };
	char d1[] = "/tmp/wbsv1.XXXXXX", d2[] = "/tmp/wbsv2.XXXXXX";
	char *in, *out, *text, *cause = NULL, *want, *real;
	const char *doc = "version: 1\nlicense:\n  value: {file: lic.txt}\n"
	    "targets:\n  - host: a  # first\n    roles: [app]\n"
	    "  - host: b  # second\n    roles: [db]\n";
	struct answers *a;

	if (mkdtemp(d1) == NULL || mkdtemp(d2) == NULL)
		abort();
	in = xprintf("%s/answers.yaml", d1);
	out = xprintf("%s/answers.yaml", d2);
	a = answers_load_buffer(in, doc, strlen(doc), &errs);
	tap_ok(a != NULL && answers_save(a, out, &cause) == 0,
	    "save into another directory");
	text = slurp(out);
	real = realpath(d1, NULL);
	want = xprintf("value: {file: %s/lic.txt}", real);
	tap_ok(text != NULL && strstr(text, want) != NULL,
	    "a relative {file:} secret keeps pointing at the same file");
	free(text);
	free(want);
	free(real);
	text = answers_dump(a);
	tap_ok(strstr(text, "value: {file: lic.txt}") != NULL,
	    "saving beside the input keeps the relative path");
	free(text);

	answers_target_remove(a, 0);
	text = answers_dump(a);
	tap_ok(strstr(text, "- host: b  # second") != NULL &&
	    strstr(text, "# first") == NULL,
	    "removing a target takes its comments along");
	free(text);
	unlink(out);
	rmdir(d1);
	rmdir(d2);
	free(in);
	free(out);
	answers_free(a);
	answers_errors_clear(&errs);
}

static void
test_schema(void)
{
	char *md = answers_schema_markdown(), *needle;
	size_t i, missing = 0;

	for (i = 0; i < answers_table_size; i++) {
		needle = xprintf("| `%s` |", answers_table[i].key);
		if (strstr(md, needle) == NULL)
			missing++;
		free(needle);
	}
	tap_ok(missing == 0, "the schema lists every key");
	free(md);
}

int
main(int argc, char **argv)
{
	size_t i;

	/* tests/answers-keys.sh: a key the table lacks aborts, and so does
	 * a target field it lacks, with no targets as with some. */
	if (argc > 1 && strcmp(argv[1], "--unknown-key") == 0) {
		struct answers *a = answers_new();

		printf("%s\n", answers_get(a, "mysql.hots"));
		answers_free(a);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "--unknown-field") == 0) {
		struct answers *a = answers_new();
		size_t n = (size_t)atoi(argv[2]);

		while (a->ntargets < n)
			answers_target_add(a);
		printf("%s\n", answers_target_get(a, 0, "hots"));
		answers_free(a);
		return 0;
	}

	for (i = 0; i < sizeof fcases / sizeof fcases[0]; i++)
		run_fcase(&fcases[i]);
	test_setter();
	test_messages();
	test_secrets();
	test_storage_url();
	test_save();
	test_save_elsewhere();
	test_schema();
	return tap_done();
}
