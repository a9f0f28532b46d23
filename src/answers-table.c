/*
 * The answers table: every key of the answers file, in the contract's
 * order.  Validation, the file, the wizard and docs/answers.md all come
 * from here.  Keys may be added; none may be renamed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "i18n.h"
#include "storage-url.h"
#include "xmalloc.h"

static const char *const products[] = { "models", "weave", "models+weave",
	NULL };
static const char *const environments[] = { "test", "production", NULL };
static const char *const platforms[] = { "kubernetes", "baremetal",
	"aws-terraform", NULL };
static const char *const policies[] = { "strict", "accept-new", NULL };
static const char *const roles[] = { "app", "db", "control", NULL };
static const char *const providers[] = { "s3", "gcs", "azure", NULL };

static int
is_label(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int
is_hostname(const char *s)
{
	const char *dot;
	size_t len = strlen(s);

	if (len == 0 || len > 253)
		return 0;
	for (;;) {
		dot = strchr(s, '.');
		if (!is_label(s, dot != NULL ? (size_t)(dot - s) : strlen(s)))
			return 0;
		if (dot == NULL)
			return 1;
		s = dot + 1;
	}
}

static int
is_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1;
}

enum aerr
check_fqdn(const char *s, char **cause)
{
	const char *dot;
	size_t len = strlen(s);

	if (strstr(s, "://") != NULL) {
		*cause = xstrdup(_("give the host name only, without a scheme "
		    "(wandb.example.com, not https://wandb.example.com)"));
		return AE_FORMAT;
	}
	if (strchr(s, ':') != NULL) {
		*cause = xstrdup(_("give the host name only, without a port"));
		return AE_FORMAT;
	}
	if (strchr(s, '/') != NULL) {
		*cause = xstrdup(_("give the host name only, without a path"));
		return AE_FORMAT;
	}
	if (len > 253) {
		*cause = xprintf(_("a domain name has at most 253 characters, "
		    "this one has %zu"), len);
		return AE_FORMAT;
	}
	if (strchr(s, '.') == NULL) {
		*cause = xstrdup(_("a fully qualified domain name has at least "
		    "one dot"));
		return AE_FORMAT;
	}
	for (;;) {
		dot = strchr(s, '.');
		if (!is_label(s, dot != NULL ? (size_t)(dot - s) : strlen(s))) {
			*cause = xstrdup(_("each label has 1-63 letters, digits "
			    "or hyphens, and does not start or end with a "
			    "hyphen (RFC 1123)"));
			return AE_FORMAT;
		}
		if (dot == NULL)
			return AE_OK;
		s = dot + 1;
	}
}

enum aerr
check_host(const char *s, char **cause)
{
	if (is_ip(s) || is_hostname(s))
		return AE_OK;
	*cause = xstrdup(_("not a host name or IP address"));
	return AE_FORMAT;
}

enum aerr
check_hostport(const char *s, char **cause)
{
	char *host, *colon, *end;
	long port;
	enum aerr rc = AE_OK;

	if (strstr(s, "://") != NULL) {
		*cause = xstrdup(_("give host[:port] without a scheme"));
		return AE_FORMAT;
	}
	if (*s == '[') {
		end = strchr(s, ']');
		if (end == NULL) {
			*cause = xstrdup(_("an IPv6 address needs a closing "
			    "']'"));
			return AE_FORMAT;
		}
		host = xstrndup(s + 1, (size_t)(end - s - 1));
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && colon == NULL) {
			free(host);
			*cause = xstrdup(_("expected ':' after ']'"));
			return AE_FORMAT;
		}
	} else {
		colon = strchr(s, ':');
		host = colon != NULL ? xstrndup(s, (size_t)(colon - s)) :
		    xstrdup(s);
	}
	if (!is_ip(host) && !is_hostname(host)) {
		*cause = xstrdup(_("not a host name or IP address "
		    "(host[:port])"));
		rc = AE_FORMAT;
	} else if (colon != NULL) {
		port = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || port < 1 ||
		    port > 65535) {
			*cause = xstrdup(_("the port must be a number in "
			    "1-65535"));
			rc = AE_RANGE;
		}
	}
	free(host);
	return rc;
}

static enum aerr
check_match(const char *s, const char *allowed, size_t minlen, size_t maxlen)
{
	size_t len = strlen(s);

	if (len < minlen || len > maxlen)
		return AE_FORMAT;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr(allowed, *s) == NULL)
			return AE_FORMAT;
	return AE_OK;
}

static enum aerr
check_dns_label(const char *s, char **cause)
{
	size_t i, len = strlen(s);

	if (is_label(s, len)) {
		for (i = 0; i < len; i++)
			if (isupper((unsigned char)s[i]))
				break;
		if (i == len)
			return AE_OK;
	}
	*cause = xstrdup(_("must be a DNS label: 1-63 lowercase letters, "
	    "digits or hyphens, starting and ending with a letter or digit"));
	return AE_FORMAT;
}

static enum aerr
check_optional_label(const char *s, char **cause)
{
	return *s == '\0' ? AE_OK : check_dns_label(s, cause);
}

static enum aerr
check_optional_hostport(const char *s, char **cause)
{
	return *s == '\0' ? AE_OK : check_hostport(s, cause);
}

static enum aerr
check_optional_domain(const char *s, char **cause)
{
	return *s == '\0' ? AE_OK : check_fqdn(s, cause);
}

static enum aerr
check_user(const char *s, char **cause)
{
	if (check_match(s, "._-", 1, 32) == AE_OK && *s != '-')
		return AE_OK;
	*cause = xstrdup(_("a user name has 1-32 letters, digits, '.', '_' "
	    "or '-'"));
	return AE_FORMAT;
}

static enum aerr
check_user_opt(const char *s, char **cause)
{
	return *s == '\0' ? AE_OK : check_user(s, cause);
}

static enum aerr
check_sql_name(const char *s, char **cause)
{
	if (check_match(s, "_$", 1, 64) == AE_OK)
		return AE_OK;
	*cause = xstrdup(_("use 1-64 letters, digits, '_' or '$'"));
	return AE_FORMAT;
}

static enum aerr
check_sql_user(const char *s, char **cause)
{
	if (check_match(s, "_$.-", 1, 32) == AE_OK)
		return AE_OK;
	*cause = xstrdup(_("use 1-32 letters, digits, '_', '$', '.' or '-'"));
	return AE_FORMAT;
}

static enum aerr
check_sql_user_opt(const char *s, char **cause)
{
	return *s == '\0' ? AE_OK : check_sql_user(s, cause);
}

static enum aerr
check_bucket(const char *s, char **cause)
{
	size_t len = strlen(s);

	if (len == 0 || (check_match(s, ".-", 3, 63) == AE_OK &&
	    isalnum((unsigned char)s[0]) && isalnum((unsigned char)s[len - 1])
	    && strstr(s, "..") == NULL)) {
		for (; *s != '\0'; s++)
			if (isupper((unsigned char)*s))
				goto bad;
		return AE_OK;
	}
bad:
	*cause = xstrdup(_("a bucket name has 3-63 lowercase letters, digits, "
	    "'.' or '-', and starts and ends with a letter or digit"));
	return AE_FORMAT;
}

static enum aerr
check_bucket_path(const char *s, char **cause)
{
	if (*s == '/' || (*s != '\0' && s[strlen(s) - 1] == '/')) {
		*cause = xstrdup(_("give the prefix without a leading or "
		    "trailing '/'"));
		return AE_FORMAT;
	}
	if (strstr(s, "//") != NULL || strstr(s, "..") != NULL) {
		*cause = xstrdup(_("the prefix must not hold '//' or '..'"));
		return AE_FORMAT;
	}
	return AE_OK;
}

static enum aerr
check_region(const char *s, char **cause)
{
	if (*s == '\0' || check_match(s, "-", 1, 32) == AE_OK)
		return AE_OK;
	*cause = xstrdup(_("a region is letters, digits and '-', such as "
	    "us-east-1"));
	return AE_FORMAT;
}

static enum aerr
check_version(const char *s, char **cause)
{
	const char *p = s;
	int parts = 0;

	if (*s == '\0')
		return AE_OK;
	if (*p == 'v')
		p++;
	while (parts < 3) {
		if (!isdigit((unsigned char)*p))
			break;
		while (isdigit((unsigned char)*p))
			p++;
		parts++;
		if (*p != '.')
			break;
		p++;
	}
	if (parts == 3 && (*p == '\0' || ((*p == '-' || *p == '+') &&
	    check_match(p + 1, ".-+", 1, 64) == AE_OK)))
		return AE_OK;
	*cause = xstrdup(_("a version is MAJOR.MINOR.PATCH, such as 0.59.2"));
	return AE_FORMAT;
}

static enum aerr
check_minor_version(const char *s, char **cause)
{
	const char *dot = strchr(s, '.');

	if (dot != NULL && dot != s && dot[1] != '\0' &&
	    check_match(s, ".", 3, 8) == AE_OK && strchr(dot + 1, '.') == NULL)
		return AE_OK;
	*cause = xstrdup(_("a Kubernetes version is MAJOR.MINOR, such as "
	    "\"1.29\""));
	return AE_FORMAT;
}

static enum aerr
check_path(const char *s, char **cause)
{
	if (strchr(s, '\n') == NULL)
		return AE_OK;
	*cause = xstrdup(_("a path cannot hold a newline"));
	return AE_FORMAT;
}

static enum aerr
check_abs_path(const char *s, char **cause)
{
	if (*s == '/' && check_match(s + 1, "._-/", 0, 4095) == AE_OK)
		return AE_OK;
	*cause = xstrdup(_("an absolute path of letters, digits, '.', '_', "
	    "'-' and '/'"));
	return AE_FORMAT;
}

static enum aerr
check_queue(const char *s, char **cause)
{
	if (strcmp(s, "internal://") == 0 || strncmp(s, "sqs://", 6) == 0 ||
	    strncmp(s, "pubsub:/", 8) == 0 || strncmp(s, "az://", 5) == 0)
		return AE_OK;
	*cause = xstrdup(_("a queue is internal://, sqs://..., pubsub:/... "
	    "or az://..."));
	return AE_FORMAT;
}

static enum aerr
check_chart_repo(const char *s, char **cause)
{
	if (*s == '\0' || strncmp(s, "https://", 8) == 0 ||
	    strncmp(s, "http://", 7) == 0 || strncmp(s, "oci://", 6) == 0)
		return AE_OK;
	*cause = xstrdup(_("a chart repository is an https://, http:// or "
	    "oci:// URL"));
	return AE_FORMAT;
}

static enum aerr
check_cidr(const char *s, int family, char **cause)
{
	const char *slash = strchr(s, '/');
	unsigned char buf[sizeof(struct in6_addr)];
	char *addr, *end;
	long bits;
	int ok;

	if (slash == NULL)
		goto bad;
	addr = xstrndup(s, (size_t)(slash - s));
	ok = inet_pton(family, addr, buf) == 1;
	free(addr);
	bits = strtol(slash + 1, &end, 10);
	if (ok && slash[1] != '\0' && *end == '\0' && bits >= 0 &&
	    bits <= (family == AF_INET ? 32 : 128))
		return AE_OK;
bad:
	*cause = xprintf(_("'%s' is not an %s CIDR block"), s,
	    family == AF_INET ? "IPv4" : "IPv6");
	return AE_FORMAT;
}

static enum aerr
check_cidr4(const char *s, char **cause)
{
	return check_cidr(s, AF_INET, cause);
}

static enum aerr
check_cidr6(const char *s, char **cause)
{
	return check_cidr(s, AF_INET6, cause);
}

static enum aerr
check_zone_id(const char *s, char **cause)
{
	if (*s == '\0' || check_match(s, "", 1, 32) == AE_OK)
		return AE_OK;
	*cause = xstrdup(_("a Route53 zone id is letters and digits"));
	return AE_FORMAT;
}

#define INT(k, d, lo, hi, fl, h) \
	{ k, AT_INT, d, NULL, lo, hi, NULL, NULL, fl, h }
#define BOOL(k, d, fl, h) \
	{ k, AT_BOOL, d, NULL, 0, 0, NULL, NULL, fl, h }
#define STR(k, d, chk, pat, fl, h) \
	{ k, AT_STRING, d, NULL, 0, 0, chk, pat, fl, h }
#define ENUM(k, d, ch, fl, h) \
	{ k, AT_ENUM, d, ch, 0, 0, NULL, NULL, fl, h }
#define LIST(k, d, ch, chk, pat, fl, h) \
	{ k, AT_LIST, d, ch, 0, 0, chk, pat, fl, h }
#define SECRET(k, fl, h) \
	{ k, AT_SECRET, NULL, NULL, 0, 0, NULL, NULL, (fl) | AK_SECRET, h }
/* A secret whose value has a form: checked when it is written inline and
 * once it is resolved. */
#define SECRETCHK(k, chk, fl, h) \
	{ k, AT_SECRET, NULL, NULL, 0, 0, chk, NULL, (fl) | AK_SECRET, h }

const struct answers_key answers_table[] = {
	INT("version", NULL, 1, 1, AK_REQUIRED,
	    N_("Schema version of the answers file; always 1.")),

	ENUM("deployment.products", "models", products, 0,
	    N_("Products to size for: models, weave or models+weave.")),
	ENUM("deployment.environment", "production", environments, 0,
	    N_("test or production; chooses the sizing profile.")),
	ENUM("deployment.platform", "kubernetes", platforms, 0,
	    N_("Where W&B runs: kubernetes, baremetal or aws-terraform.")),
	STR("deployment.wandb_version", "", check_version, "MAJOR.MINOR.PATCH",
	    0, N_("W&B release; empty: the bundle's or the chart default.")),
	STR("deployment.data_path", "/var/lib", check_abs_path,
	    "absolute path", AK_ADVANCED, N_("Where W&B's data lives on the "
	    "targets; hw.disk_size checks its filesystem.")),

	STR("domain.fqdn", NULL, check_fqdn, "RFC 1123 FQDN", AK_REQUIRED,
	    N_("W&B is served at https://FQDN; TLS ends at the load "
	    "balancer.")),

	SECRET("license.value", AK_REQUIRED,
	    N_("The W&B license, as a secret reference.")),

	STR("ssh.user", "root", check_user, "user name", 0,
	    N_("Default SSH user for every target.")),
	INT("ssh.port", "22", 1, 65535, 0,
	    N_("Default SSH port for every target.")),
	STR("ssh.identity", "", check_path, "path", 0,
	    N_("Private key file; empty: use ssh-agent.")),
	SECRET("ssh.passphrase", AK_ADVANCED,
	    N_("Passphrase of the identity file, if it has one; not set: "
	    "asked on the terminal, once a run.")),
	SECRET("ssh.password", AK_ADVANCED,
	    N_("SSH password, when keys cannot be used.")),
	STR("ssh.known_hosts", "~/.config/wbinstall/known_hosts", check_path,
	    "path", 0, N_("OpenSSH known_hosts file used for host keys.")),
	ENUM("ssh.host_key_policy", "strict", policies, 0,
	    N_("strict: unknown hosts fail; accept-new: record on first "
	    "contact.")),
	INT("ssh.timeout_s", "20", 1, 3600, 0,
	    N_("Per-host SSH timeout in seconds.")),

	{ "targets", AT_TARGETS, NULL, NULL, 0, 0, NULL, NULL, 0,
	    N_("Hosts checked over SSH before anything is installed.") },
	STR("targets[].host", NULL, check_host, "host name or IP",
	    AK_REQUIRED, N_("Host name or IP address of the target.")),
	INT("targets[].port", NULL, 1, 65535, 0,
	    N_("SSH port; default ssh.port.")),
	STR("targets[].user", NULL, check_user, "user name", 0,
	    N_("SSH user; default ssh.user.")),
	LIST("targets[].roles", NULL, roles, NULL, NULL, AK_REQUIRED,
	    N_("app (worker / W&B server), db (MySQL host), control "
	    "(runs helm/kubectl).")),

	STR("kubernetes.namespace", "wandb", check_dns_label, "DNS label", 0,
	    N_("Namespace W&B is installed into.")),
	STR("kubernetes.ingress_class", "nginx", check_dns_label, "DNS label",
	    0, N_("IngressClass that serves W&B.")),
	BOOL("kubernetes.openshift", "false", 0,
	    N_("OpenShift: pods run as UID 100000, GID 0.")),
	STR("kubernetes.tls_secret", "wandb-ingress-tls", check_dns_label,
	    "DNS label", 0, N_("Secret holding the ingress TLS certificate.")),

	STR("mysql.host", NULL, check_host, "host name or IP", 0,
	    N_("MySQL 8 server host.")),
	INT("mysql.port", "3306", 1, 65535, 0, N_("MySQL port.")),
	STR("mysql.database", "wandb_local", check_sql_name, "SQL name", 0,
	    N_("Database W&B uses.")),
	STR("mysql.user", "wandb_local", check_sql_user, "SQL user", 0,
	    N_("User W&B connects as.")),
	SECRET("mysql.password", 0, N_("Password of mysql.user.")),
	STR("mysql.admin.user", "", check_sql_user_opt, "SQL user", 0,
	    N_("Optional admin user that may create the database and user.")),
	SECRET("mysql.admin.password", 0,
	    N_("Password of mysql.admin.user.")),

	ENUM("storage.provider", "s3", providers, 0,
	    N_("s3 (also any S3-compatible store), gcs or azure.")),
	STR("storage.endpoint", "", check_optional_hostport, "host[:port]", 0,
	    N_("host[:port] of an S3-compatible store; empty for Amazon S3.")),
	STR("storage.bucket", "", check_bucket, "bucket name", 0,
	    N_("Bucket that holds W&B's files.")),
	STR("storage.path", "", check_bucket_path, "prefix", 0,
	    N_("Optional prefix inside the bucket.")),
	STR("storage.region", "us-east-1", check_region, "region", 0,
	    N_("Region of the bucket.")),
	BOOL("storage.tls", "true", 0, N_("Use https to the object store.")),
	SECRET("storage.access_key", 0, N_("S3 access key.")),
	SECRET("storage.secret_key", 0, N_("S3 secret key.")),
	STR("storage.queue", "internal://", check_queue, "queue URL", 0,
	    N_("Queue W&B uses; internal:// keeps it in MySQL.")),
	SECRETCHK("storage.url", storage_url_check, 0,
	    N_("Instead of the keys: s3://KEY:SECRET@HOST/BUCKET?tls=true&"
	    "region=R.")),

	BOOL("airgap.enabled", "false", 0,
	    N_("Install from an offline bundle, with no internet access.")),
	STR("airgap.bundle", "", check_path, "path", 0,
	    N_("Path of the offline bundle (.tar.zst).")),
	STR("airgap.bundle_pubkey", "", check_path, "path", 0,
	    N_("Public key (PEM, from bundle keygen) the bundle must be "
	    "signed with; empty: its checksums are checked, not who made "
	    "it.")),
	STR("airgap.registry", "", check_optional_hostport, "host[:port]", 0,
	    N_("Internal registry that receives the images.")),
	STR("airgap.registry_ca", "", check_path, "path", 0,
	    N_("PEM file of the registry's private CA, if any.")),
	BOOL("airgap.plain_http", "false", 0,
	    N_("Plain HTTP to the registry; only on a trusted local "
	    "network.")),
	STR("airgap.chart_repo", "", check_chart_repo, "URL", 0,
	    N_("Where the bundle's charts go: empty, the registry's charts/; "
	    "oci://HOST/PATH, there; http(s)://, a Helm repository that "
	    "holds them.")),
	STR("airgap.registry_user", "", check_user_opt, "user name",
	    AK_ADVANCED, N_("User for the internal registry, if it needs "
	    "one; on Kubernetes, pods pull with a Secret of it.")),
	SECRET("airgap.registry_password", AK_ADVANCED,
	    N_("Password for the internal registry.")),

	STR("aws.namespace", "wandb", check_dns_label, "DNS label", 0,
	    N_("Prefix for every resource Terraform creates.")),
	STR("aws.subdomain", "", check_optional_label, "DNS label", 0,
	    N_("Subdomain; with domain_name it forms the FQDN.")),
	STR("aws.domain_name", "", check_optional_domain, "domain", 0,
	    N_("Domain the instance is reached under.")),
	STR("aws.zone_id", "", check_zone_id, "zone id", 0,
	    N_("Route53 zone the record is created in.")),
	STR("aws.region", "", check_region, "region", 0,
	    N_("AWS region.")),
	LIST("aws.allowed_inbound_cidr", "0.0.0.0/0", NULL, check_cidr4,
	    "IPv4 CIDR", 0, N_("IPv4 CIDRs allowed to reach W&B.")),
	LIST("aws.allowed_inbound_ipv6_cidr", "::/0", NULL, check_cidr6,
	    "IPv6 CIDR", 0, N_("IPv6 CIDRs allowed to reach W&B.")),
	STR("aws.eks_cluster_version", AWS_EKS_VERSION, check_minor_version,
	    "MAJOR.MINOR", 0, N_("EKS Kubernetes version.")),
	BOOL("aws.redis", "false", 0,
	    N_("Create ElastiCache Redis (create_elasticache).")),
	BOOL("aws.external_queue", "false", 0,
	    N_("Use SQS instead of the internal queue.")),
};

const size_t answers_table_size = sizeof answers_table /
    sizeof answers_table[0];
