/*
 * Render: which files each platform gets, the secrets they need, the
 * template expander, MANIFEST, and writing or diffing an output directory.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "answers-resolve.h"
#include "cors.h"
#include "i18n.h"
#include "log.h"
#include "mysql-params.h"
#include "paths.h"
#include "render.h"
#include "storage-url.h"
#include "util.h"
#include "xmalloc.h"

#define TEMPLATE_MAX	(1024 * 1024)

const char *
render_datadir(void)
{
	return paths_datadir();
}

static const char *
var_find(const struct render_var *vars, size_t nvars, const char *name,
    size_t len)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (strlen(vars[i].name) == len &&
		    strncmp(vars[i].name, name, len) == 0)
			return vars[i].value;
	return NULL;
}

void
render_buf_add(struct render_buf *b, const void *s, size_t len)
{
	if (b->len + len + 1 > b->size) {
		while (b->len + len + 1 > b->size)
			b->size = b->size != 0 ? b->size * 2 : 1024;
		b->data = xreallocarray(b->data, b->size, 1);
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static int
expand_line(struct render_buf *out, const char *line, size_t len,
    const struct render_var *vars, size_t nvars, unsigned lineno,
    char **cause)
{
	const char *p = line, *end = line + len, *open, *close, *v;
	size_t start = out->len, nph = 0;
	int only = 1;

	while (p < end) {
		open = strstr(p, "{{");
		if (open == NULL || open >= end) {
			render_buf_add(out, p, (size_t)(end - p));
			if (strspn(p, " \t") != (size_t)(end - p))
				only = 0;
			break;
		}
		if (strspn(p, " \t") < (size_t)(open - p))
			only = 0;
		render_buf_add(out, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (close == NULL || close >= end) {
			*cause = xprintf(_("line %u: '{{' without '}}'"),
			    lineno);
			return -1;
		}
		v = var_find(vars, nvars, open + 2, (size_t)(close - open - 2));
		if (v == NULL) {
			*cause = xprintf(_("line %u: unknown placeholder "
			    "'%.*s'"), lineno, (int)(close - open - 2),
			    open + 2);
			return -1;
		}
		render_buf_add(out, v, strlen(v));
		if (*v != '\0')
			only = 0;
		nph++;
		p = close + 2;
	}
	if (nph > 0 && only) {
		/* Only placeholders that expanded to nothing: drop it. */
		out->len = start;
		out->data[start] = '\0';
		return 0;
	}
	render_buf_add(out, "\n", 1);
	return 0;
}

char *
render_template(const char *text, const struct render_var *vars,
    size_t nvars, char **cause)
{
	struct render_buf out = { NULL, 0, 0 };
	const char *p = text, *nl, *v;
	size_t len, depth = 0, skip = 0;
	unsigned lineno = 0;
	char name[64];

	render_buf_add(&out, "", 0);
	while (*p != '\0') {
		lineno++;
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 7 && strncmp(p, "{{if ", 5) == 0 &&
		    strncmp(p + len - 2, "}}", 2) == 0) {
			if (len - 7 >= sizeof name) {
				*cause = xprintf(_("line %u: name too long"),
				    lineno);
				goto fail;
			}
			memcpy(name, p + 5, len - 7);
			name[len - 7] = '\0';
			v = var_find(vars, nvars, name, strlen(name));
			if (v == NULL) {
				*cause = xprintf(_("line %u: unknown "
				    "placeholder '%s'"), lineno, name);
				goto fail;
			}
			depth++;
			if (skip == 0 && *v == '\0')
				skip = depth;
		} else if (len == 7 && strncmp(p, "{{end}}", 7) == 0) {
			if (depth == 0) {
				*cause = xprintf(_("line %u: {{end}} without "
				    "{{if}}"), lineno);
				goto fail;
			}
			if (skip == depth)
				skip = 0;
			depth--;
		} else if (skip == 0 && expand_line(&out, p, len, vars, nvars,
		    lineno, cause) != 0)
			goto fail;
		p += len;
		if (*p == '\n')
			p++;
	}
	if (depth != 0) {
		*cause = xstrdup(_("{{if}} without {{end}}"));
		goto fail;
	}
	return out.data;
fail:
	xfree_secret(out.data);
	return NULL;
}

char *
render_template_file(const char *name, const struct render_var *vars,
    size_t nvars, char **cause)
{
	char *path, *text, *out, *why = NULL;

	path = xprintf("%s/templates/%s", render_datadir(), name);
	text = read_file(path, TEMPLATE_MAX, NULL, cause);
	if (text == NULL) {
		why = *cause;
		*cause = xprintf(_("%s (set WBINSTALL_DATADIR to the "
		    "directory that holds templates/)"), why);
		free(why);
		free(path);
		return NULL;
	}
	out = render_template(text, vars, nvars, &why);
	if (out == NULL) {
		*cause = xprintf("%s: %s", path, why);
		free(why);
	}
	free(text);
	free(path);
	return out;
}

/* Double-quote S, escaping the characters in SPECIAL with a backslash;
 * control characters other than newline become \n-style escapes when
 * C_ESCAPES is set. */
static char *
quote(const char *s, const char *special, int c_escapes)
{
	struct render_buf b = { NULL, 0, 0 };
	char esc[8];

	render_buf_add(&b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (c_escapes && (*s == '\n' || *s == '\r' || *s == '\t')) {
			snprintf(esc, sizeof esc, "\\%c", *s == '\n' ? 'n' :
			    *s == '\r' ? 'r' : 't');
			render_buf_add(&b, esc, 2);
			continue;
		}
		if (strchr(special, *s) != NULL)
			render_buf_add(&b, "\\", 1);
		render_buf_add(&b, s, 1);
	}
	render_buf_add(&b, "\"", 1);
	return b.data;
}

/*
 * docker's env-file format (what `docker run --env-file` reads): one
 * KEY=VALUE a line, the value taken as is up to the end of the line, with
 * no quoting and no escapes.  A line is read as UTF-8, ends at a newline
 * (a CR before it is dropped) and is at most 64 KiB.  Leading and trailing
 * blanks of a value are kept.  So a value with a newline, a CR or bytes
 * that are not UTF-8 cannot be written.
 */
#define ENV_LINE_MAX	(64 * 1024 - 1)

const char *
render_env_value_problem(const char *key, const char *value)
{
	if (strchr(value, '\n') != NULL)
		return N_("holds a newline");
	if (strchr(value, '\r') != NULL)
		return N_("holds a carriage return");
	if (!utf8_valid(value, strlen(value)))
		return N_("is not UTF-8 text");
	if (strlen(key) + 1 + strlen(value) > ENV_LINE_MAX)
		return N_("is longer than a line of 64 KiB");
	return NULL;
}

char *
render_hcl_quote(const char *s)
{
	struct render_buf b = { NULL, 0, 0 };
	char *q = quote(s, "\\\"", 1), *p;

	/* "${" and "%{" start template sequences: double the sign. */
	for (p = q; *p != '\0'; p++) {
		if ((*p == '$' || *p == '%') && p[1] == '{')
			render_buf_add(&b, p, 1);
		render_buf_add(&b, p, 1);
	}
	xfree_secret(q);
	return b.data;
}

/* The context: resolve every secret the platform's files need. */

/* One line, as errors are printed (a newline would show escaped): the
 * causes after a space, then "; ". */
static void
add_cause(struct render_buf *errs, char *cause)
{
	render_buf_add(errs, errs->len == 0 ? " " : "; ", errs->len == 0 ?
	    1 : 2);
	render_buf_add(errs, cause, strlen(cause));
	free(cause);
}

static void
need_secret(const struct answers *a, const char *key, char **out,
    struct render_buf *errs)
{
	char *cause = NULL;

	*out = answers_resolve(a, key, &cause);
	if (*out == NULL)
		add_cause(errs, cause);
}

static int
load_ca(struct render_ctx *c, char **cause)
{
	const char *file = answers_get(c->a, "airgap.registry_ca");
	const char *end_marker = "-----END CERTIFICATE-----";
	char *path, *text, *p, *begin, *end;

	if (*file == '\0' || !answers_get_bool(c->a, "airgap.enabled"))
		return 0;
	/* Relative to the answers file, like {file: PATH} secrets. */
	path = answers_get_path(c->a, "airgap.registry_ca");
	text = read_file(path, TEMPLATE_MAX, NULL, cause);
	free(path);
	if (text == NULL) {
		p = *cause;
		*cause = xprintf("airgap.registry_ca: %s", p);
		free(p);
		return -1;
	}
	for (p = text; (begin = strstr(p, "-----BEGIN CERTIFICATE-----")) !=
	    NULL; p = end) {
		end = strstr(begin, end_marker);
		if (end == NULL)
			break;
		end += strlen(end_marker);
		c->ca_certs = xreallocarray(c->ca_certs, c->nca + 1,
		    sizeof *c->ca_certs);
		c->ca_certs[c->nca] = xmalloc((size_t)(end - begin) + 2);
		memcpy(c->ca_certs[c->nca], begin, (size_t)(end - begin));
		memcpy(c->ca_certs[c->nca] + (end - begin), "\n", 2);
		c->nca++;
	}
	free(text);
	if (c->nca == 0) {
		*cause = xprintf(_("airgap.registry_ca: %s holds no PEM "
		    "certificate"), file);
		return -1;
	}
	return 0;
}

static void
ctx_free(struct render_ctx *c)
{
	size_t i;

	xfree_secret(c->license);
	xfree_secret(c->mysql_password);
	xfree_secret(c->registry_password);
	storage_conf_free(&c->storage);
	for (i = 0; i < c->nca; i++)
		free(c->ca_certs[i]);
	free(c->ca_certs);
	memset(c, 0, sizeof *c);
}

/* Shown, not applied: each resolved secret becomes the mask. */
static void
mask_one(char **s)
{
	if (*s == NULL)
		return;
	xfree_secret(*s);
	*s = xstrdup(RENDER_MASK);
}

static void
ctx_mask(struct render_ctx *c)
{
	mask_one(&c->license);
	mask_one(&c->mysql_password);
	mask_one(&c->storage.access_key);
	mask_one(&c->storage.secret_key);
}

/* Every value under data and stringData of each Secret: masked, whatever
 * the builders put there. */
static void
mask_secret_docs(struct ynode **docs, size_t n)
{
	static const char *const maps[] = { "data", "stringData" };
	struct ynode *kind, *m;
	size_t i, k, j;

	for (i = 0; i < n; i++) {
		kind = y_get(docs[i], "kind");
		if (kind == NULL || kind->value == NULL ||
		    strcmp(kind->value, "Secret") != 0)
			continue;
		for (k = 0; k < 2; k++) {
			if ((m = y_get(docs[i], maps[k])) == NULL)
				continue;
			for (j = 0; j < m->n; j++) {
				xfree_secret(m->kids[j]->value);
				m->kids[j]->value = xstrdup(RENDER_MASK);
				m->kids[j]->type = Y_STR;
			}
		}
	}
}

static int
ctx_init(struct render_ctx *c, const struct answers *a, char **cause)
{
	struct render_buf errs = { NULL, 0, 0 };
	char *why = NULL;
	int aws;

	memset(c, 0, sizeof *c);
	c->a = a;
	c->platform = answers_get(a, "deployment.platform");
	aws = strcmp(c->platform, "aws-terraform") == 0;
	render_buf_add(&errs, "", 0);
	need_secret(a, "license.value", &c->license, &errs);
	if (!aws) {
		need_secret(a, "mysql.password", &c->mysql_password, &errs);
		/* Pods pull with them: a pull Secret (Kubernetes only). */
		if (render_needs_pull_secret(a))
			need_secret(a, "airgap.registry_password",
			    &c->registry_password, &errs);
		if (storage_conf_resolve(a, &c->storage, &why) != 0) {
			add_cause(&errs, why);
			why = NULL;
		}
	}
	if (errs.len != 0) {
		*cause = xprintf(_("these secrets do not resolve, so nothing "
		    "was rendered:%s"), errs.data);
		free(errs.data);
		ctx_free(c);
		return -1;
	}
	free(errs.data);
	if (load_ca(c, cause) != 0) {
		ctx_free(c);
		return -1;
	}
	return 0;
}

/* Building the set. */

static void
add_file(struct render_set *set, const char *path, char *data, size_t len,
    int secret)
{
	struct render_file *f;

	set->v = xreallocarray(set->v, set->n + 1, sizeof *set->v);
	f = &set->v[set->n++];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->secret = secret;
}

static void
add_yaml(struct render_set *set, const char *path, struct ynode **docs,
    size_t ndocs, int secret)
{
	size_t len, i;
	char *data = ynode_emit(docs, ndocs, &len);

	for (i = 0; i < ndocs; i++)
		ynode_free(docs[i]);
	add_file(set, path, data, len, secret);
}

static int
add_template(struct render_set *set, const char *name,
    const struct render_var *vars, size_t nvars, int secret, char **cause)
{
	char *data = render_template_file(name, vars, nvars, cause);

	if (data == NULL)
		return -1;
	add_file(set, name, data, strlen(data), secret);
	return 0;
}

static int
build_mysql(const struct render_ctx *c, struct render_set *set,
    char **cause)
{
	struct render_buf params = { NULL, 0, 0 };
	struct render_var v[1];
	char *line, *sql;
	size_t i;
	int rc;

	for (i = 0; mysql_params[i].name != NULL; i++) {
		const struct mysql_param *m = &mysql_params[i];

		line = xprintf("%s%s = %s%s%s", i == 0 ? "" : "\n", m->name,
		    m->quoted ? "'" : "", m->value, m->quoted ? "'" : "");
		render_buf_add(&params, line, strlen(line));
		free(line);
	}
	v[0].name = "params";
	v[0].value = params.data;
	rc = add_template(set, "mysql/wandb.cnf", v, 1, 0, cause);
	free(params.data);
	if (rc != 0)
		return -1;

	sql = mysql_bootstrap_sql(answers_get(c->a, "mysql.database"),
	    answers_get(c->a, "mysql.user"), c->mysql_password, 0);
	if (*sql != '\0' && sql[strlen(sql) - 1] == '\n')
		sql[strlen(sql) - 1] = '\0';
	v[0].name = "sql";
	v[0].value = sql;
	rc = add_template(set, "mysql/bootstrap.sql", v, 1, 1, cause);
	xfree_secret(sql);
	return rc;
}

static void
build_cors(const struct render_ctx *c, struct render_set *set)
{
	char *origin = render_origin(c->a);
	char *xml = cors_xml(origin);

	add_file(set, "storage/cors.xml", xml, strlen(xml), 0);
	free(origin);
}

static void
build_kubernetes(const struct render_ctx *c, struct render_set *set)
{
	struct ynode *docs[RENDER_K8S_SECRETS_MAX];
	size_t n;

	docs[0] = render_operator_values(c);
	add_yaml(set, "helm/operator-values.yaml", docs, 1, 0);
	docs[0] = render_wandb_cr(c);
	add_yaml(set, "helm/wandb-cr.yaml", docs, 1, 0);
	n = render_k8s_secrets(c, docs, RENDER_K8S_SECRETS_MAX);
	if (c->masked)
		mask_secret_docs(docs, n);
	add_yaml(set, "k8s/secrets.yaml", docs, n, 1);
}

char *
render_origin(const struct answers *a)
{
	return xprintf("https://%s", answers_get(a, "domain.fqdn"));
}

/* An IPv6 address in brackets, as a URL's host. */
static char *
url_host(const char *host)
{
	return strchr(host, ':') != NULL ? xprintf("[%s]", host) :
	    xstrdup(host);
}

int
render_mysql_app(const struct answers *a, const char *platform,
    const char *password, struct render_mysql *m, char **cause)
{
	const char *user = answers_get(a, "mysql.user");
	const char *host = answers_get(a, "mysql.host");

	memset(m, 0, sizeof *m);
	m->port = answers_get_int(a, "mysql.port");
	m->database = xstrdup(answers_get(a, "mysql.database"));
	/* Every consumer takes the password encoded: the app's URL parser
	 * and the chart's init-db check decode it. */
	m->password = url_encode(password);
	if (strcmp(platform, "kubernetes") == 0) {
		/* The CR holds user and host as they are, and the chart
		 * pastes them in (an IPv6 host gets no brackets there). */
		m->user = xstrdup(user);
		m->host = xstrdup(host);
		m->url = xprintf("mysql://%s:%s@%s:%ld/%s?tls=preferred",
		    m->user, m->password, m->host, m->port, m->database);
	} else if (strcmp(platform, "baremetal") == 0) {
		m->user = url_encode(user);
		m->host = url_host(host);
		m->url = xprintf("mysql://%s:%s@%s:%ld/%s", m->user,
		    m->password, m->host, m->port, m->database);
	} else {
		render_mysql_free(m);
		*cause = xprintf(_("on %s the Terraform module gives the app "
		    "its database"), platform);
		return -1;
	}
	return 0;
}

void
render_mysql_free(struct render_mysql *m)
{
	free(m->user);
	xfree_secret(m->password);
	free(m->host);
	free(m->database);
	xfree_secret(m->url);
	memset(m, 0, sizeof *m);
}

/* The BUCKET= connection string for the bare-metal container. */
static char *
bucket_url(const struct storage_conf *s)
{
	const char *scheme;

	if (strcmp(s->provider, "s3") == 0)
		return storage_url_format(s);
	scheme = strcmp(s->provider, "gcs") == 0 ? "gs" : "az";
	return xprintf("%s://%s%s%s", scheme, s->bucket, *s->path != '\0' ?
	    "/" : "", s->path);
}

/* The variables of baremetal/wandb.env, in raw[] order, and the answers
 * each comes from. */
static const struct {
	const char *placeholder, *name, *key;
} env_vars[] = {
	{ "host", "HOST", "domain.fqdn" },
	{ "license", "LICENSE", "license.value" },
	{ "mysql", "MYSQL", "mysql.password" },
	{ "bucket", "BUCKET", "storage" },
	{ "bucket_queue", "BUCKET_QUEUE", "storage.queue" },
};

static int
build_baremetal(const struct render_ctx *c, struct render_set *set,
    char **cause)
{
	const struct answers *a = c->a;
	const char *fqdn = answers_get(a, "domain.fqdn");
	struct render_var v[5];
	struct render_buf up = { NULL, 0, 0 };
	struct render_mysql my;
	char *raw[5], *line, *crt, *key;
	const char *host, *why;
	size_t i;
	int rc;

	if (render_mysql_app(a, c->platform, c->mysql_password, &my,
	    cause) != 0)
		return -1;
	raw[0] = render_origin(a);
	raw[1] = xstrdup(c->license);
	raw[2] = my.url;
	my.url = NULL;
	render_mysql_free(&my);
	raw[3] = bucket_url(&c->storage);
	raw[4] = xstrdup(answers_get(a, "storage.queue"));
	rc = 0;
	for (i = 0; i < 5; i++) {
		v[i].name = env_vars[i].placeholder;
		v[i].value = raw[i];
		why = render_env_value_problem(env_vars[i].name, raw[i]);
		if (why != NULL && rc == 0) {
			*cause = xprintf(_("%s: the value of %s %s, which "
			    "docker's env file (KEY=VALUE, one a line) cannot "
			    "carry"), env_vars[i].key, env_vars[i].name,
			    _(why));
			rc = RENDER_BAD_INPUT;
		}
	}
	if (rc == 0)
		rc = add_template(set, "baremetal/wandb.env", v, 5, 1, cause);
	for (i = 0; i < 5; i++)
		xfree_secret(raw[i]);
	if (rc != 0)
		return rc;

	render_buf_add(&up, "", 0);
	for (i = 0; i < a->ntargets; i++) {
		if (!answers_target_has_role(a, i, "app"))
			continue;
		host = answers_target_get(a, i, "host");
		line = xprintf("%s        server %s%s%s:8080;", up.len != 0 ?
		    "\n" : "", strchr(host, ':') != NULL ? "[" : "", host,
		    strchr(host, ':') != NULL ? "]" : "");
		render_buf_add(&up, line, strlen(line));
		free(line);
	}
	crt = xprintf("ssl/%s.crt", fqdn);
	key = xprintf("ssl/%s.key", fqdn);
	v[0].name = "fqdn";
	v[0].value = fqdn;
	v[1].name = "upstream_servers";
	v[1].value = up.data;
	v[2].name = "ssl_certificate";
	v[2].value = crt;
	v[3].name = "ssl_certificate_key";
	v[3].value = key;
	rc = add_template(set, "nginx/wandb.conf", v, 4, 0, cause);
	free(up.data);
	free(crt);
	free(key);
	return rc;
}

static char *
hcl_list(char *const *items)
{
	struct render_buf b = { NULL, 0, 0 };
	char *q;
	size_t i;

	render_buf_add(&b, "[", 1);
	for (i = 0; items[i] != NULL; i++) {
		if (i > 0)
			render_buf_add(&b, ", ", 2);
		q = render_hcl_quote(items[i]);
		render_buf_add(&b, q, strlen(q));
		free(q);
	}
	render_buf_add(&b, "]", 1);
	return b.data;
}

static int
build_terraform(const struct render_ctx *c, struct render_set *set,
    char **cause)
{
	static const char *const keys[] = { "namespace", "aws.namespace",
		"subdomain", "aws.subdomain", "domain_name", "aws.domain_name",
		"zone_id", "aws.zone_id", "eks_cluster_version",
		"aws.eks_cluster_version", "region", "aws.region" };
	static const char *const files[] = { "terraform.tfvars",
		"versions.tf", "variables.tf", "main.tf" };
	struct render_var v[11];
	char *path;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i += 2) {
		v[n].name = keys[i];
		v[n++].value = render_hcl_quote(answers_get(c->a,
		    keys[i + 1]));
	}
	v[n].name = "license";
	v[n++].value = render_hcl_quote(c->license);
	v[n].name = "allowed_inbound_cidr";
	v[n++].value = hcl_list(answers_get_list(c->a,
	    "aws.allowed_inbound_cidr"));
	v[n].name = "allowed_inbound_ipv6_cidr";
	v[n++].value = hcl_list(answers_get_list(c->a,
	    "aws.allowed_inbound_ipv6_cidr"));
	/* Both explicit: the module creates ElastiCache and uses SQS
	 * unless told otherwise (create_elasticache and use_internal_queue
	 * in wandb/wandb/aws 7.18.2's variables.tf). */
	v[n].name = "redis";
	v[n++].value = xstrdup(answers_get_bool(c->a, "aws.redis") ? "true" :
	    "false");
	v[n].name = "internal_queue";
	v[n++].value = xstrdup(answers_get_bool(c->a, "aws.external_queue") ?
	    "false" : "true");
	for (i = 0; i < sizeof files / sizeof files[0] && rc == 0; i++) {
		path = xprintf("terraform/aws/%s", files[i]);
		rc = add_template(set, path, v, n, i == 0, cause);
		free(path);
	}
	for (i = 0; i < n; i++)
		xfree_secret((char *)v[i].value);
	return rc;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct render_file *)a)->path,
	    ((const struct render_file *)b)->path);
}

static int
build(const struct answers *a, const struct render_chart *chart, int masked,
    struct render_set *set, char **cause)
{
	struct render_ctx c;
	int rc = 0;

	memset(set, 0, sizeof *set);
	if (ctx_init(&c, a, cause) != 0)
		return -1;
	c.chart = chart;
	if (masked) {
		ctx_mask(&c);
		c.masked = 1;
	}
	if (strcmp(c.platform, "aws-terraform") == 0)
		rc = build_terraform(&c, set, cause);
	else {
		if (strcmp(c.platform, "kubernetes") == 0)
			build_kubernetes(&c, set);
		else
			rc = build_baremetal(&c, set, cause);
		if (rc == 0)
			rc = build_mysql(&c, set, cause);
		if (rc == 0)
			build_cors(&c, set);
	}
	ctx_free(&c);
	if (rc != 0) {
		render_set_free(set);
		return rc == RENDER_BAD_INPUT ? rc : -1;
	}
	qsort(set->v, set->n, sizeof *set->v, file_cmp);
	return 0;
}

int
render_build(const struct answers *a, const struct render_chart *chart,
    struct render_set *set, char **cause)
{
	return build(a, chart, 0, set, cause);
}

int
render_build_shown(const struct answers *a, const struct render_chart *chart,
    struct render_set *set, char **cause)
{
	return build(a, chart, 1, set, cause);
}

void
render_chart_free(struct render_chart *rc)
{
	free(rc->oci);
	free(rc->version);
	memset(rc, 0, sizeof *rc);
}

void
render_set_free(struct render_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].path);
		if (set->v[i].secret)
			OPENSSL_cleanse(set->v[i].data, set->v[i].len);
		free(set->v[i].data);
	}
	free(set->v);
	memset(set, 0, sizeof *set);
}

const struct render_file *
render_find(const struct render_set *set, const char *path)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].path, path) == 0)
			return &set->v[i];
	return NULL;
}

char *
render_manifest(const struct render_set *set)
{
	struct render_buf b = { NULL, 0, 0 };
	char hex[65], *line;
	size_t i;

	render_buf_add(&b, "", 0);
	for (i = 0; i < set->n; i++) {
		sha256_hex(set->v[i].data, set->v[i].len, hex);
		line = xprintf("%s  %s\n", hex, set->v[i].path);
		render_buf_add(&b, line, strlen(line));
		free(line);
	}
	return b.data;
}

/*
 * MANIFEST holds hashes of the secret files, which would let anyone who
 * reads it test guesses of a password offline: it is private too.
 */
static int
manifest_secret(const struct render_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].secret)
			return 1;
	return 0;
}

/* 1 when PATH already holds DATA with MODE, 0 when not, -1 on error. */
static int
same_file(const char *path, const char *data, size_t len, mode_t mode,
    char **cause)
{
	struct stat st;
	char *old;
	size_t oldlen;
	int same;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		*cause = xprintf(_("%s: %s"), path, strerror(errno));
		return -1;
	}
	if ((size_t)st.st_size != len)
		return 0;
	old = read_file(path, len + 1, &oldlen, cause);
	if (old == NULL)
		return -1;
	same = oldlen == len && memcmp(old, data, len) == 0 &&
	    (st.st_mode & 07777) == mode;
	OPENSSL_cleanse(old, oldlen);
	free(old);
	return same;
}

static int
write_one(const char *dir, const char *rel, const char *data, size_t len,
    mode_t mode, char **cause)
{
	char *path = xprintf("%s/%s", dir, rel), *slash, *parent;
	int rc;

	slash = strrchr(path, '/');
	parent = xstrndup(path, (size_t)(slash - path));
	rc = mkdir_p(parent, 0755, cause);
	free(parent);
	if (rc == 0)
		rc = same_file(path, data, len, mode, cause);
	if (rc == 1)
		rc = 0;		/* already there: leave it alone */
	else if (rc == 0) {
		rc = write_file_atomic(path, data, len, mode, cause);
		if (rc == 0) {
			log_info("render: wrote %s (mode %04o)", path,
			    (unsigned)mode);
			rc = 1;
		}
	}
	free(path);
	return rc;
}

int
render_write(const struct render_set *set, const char *dir, char **cause)
{
	char *manifest;
	size_t i;
	int rc, written = 0;

	if (mkdir_p(dir, 0755, cause) != 0)
		return -1;
	for (i = 0; i < set->n; i++) {
		const struct render_file *f = &set->v[i];

		rc = write_one(dir, f->path, f->data, f->len, f->secret ?
		    0600 : 0644, cause);
		if (rc < 0)
			return -1;
		written += rc;
	}
	manifest = render_manifest(set);
	rc = write_one(dir, "MANIFEST", manifest, strlen(manifest),
	    manifest_secret(set) ? 0600 : 0644, cause);
	free(manifest);
	if (rc < 0)
		return -1;
	return written + rc;
}

/* Run diff -u on OLD and the new text in TMP, labelled with REL. */
static int
run_diff(const char *old, const char *tmp, const char *rel, FILE *out,
    char **cause)
{
	char *la = xprintf("a/%s", rel), *lb = xprintf("b/%s", rel);
	char buf[8192];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	fflush(out);
	if (pipe(fds) != 0) {
		*cause = xprintf("pipe: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("diff", "diff", "-u", "--label", la, "--label", lb, old,
		    tmp, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, out);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	free(la);
	free(lb);
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		*cause = xstrdup(_("diff failed (is diffutils installed?)"));
		return -1;
	}
	return 0;
fail:
	free(la);
	free(lb);
	return -1;
}

static int
diff_one(const char *dir, const char *tmpdir, const char *rel,
    const char *data, size_t len, mode_t mode, int secret, FILE *out,
    char **cause)
{
	char *path = xprintf("%s/%s", dir, rel), *tmp = NULL, *flat, *p;
	struct stat st;
	int same, rc = -1, exists;

	same = same_file(path, data, len, mode, cause);
	if (same != 0) {
		free(path);
		return same < 0 ? -1 : 0;
	}
	exists = stat(path, &st) == 0;
	if (secret) {
		fprintf(out, exists ? _("Changed: %s (it holds secrets; the "
		    "contents are not shown)\n") : _("New: %s (it holds "
		    "secrets; the contents are not shown)\n"), rel);
		free(path);
		return 1;
	}
	if (exists && (st.st_mode & 07777) != mode)
		fprintf(out, _("Mode of %s: %04o -> %04o\n"), rel,
		    (unsigned)(st.st_mode & 07777), (unsigned)mode);
	flat = xstrdup(rel);
	for (p = flat; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	tmp = xprintf("%s/%s", tmpdir, flat);
	free(flat);
	if (write_file_atomic(tmp, data, len, 0600, cause) == 0) {
		rc = run_diff(exists ? path : "/dev/null", tmp, rel, out,
		    cause);
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return rc < 0 ? -1 : 1;
}

int
render_diff(const struct render_set *set, const char *dir, FILE *out,
    char **cause)
{
	const char *t = getenv("TMPDIR");
	char *tmpdir, *manifest;
	size_t i;
	int rc = 0, n = 0;

	tmpdir = xprintf("%s/wbinstall-render.XXXXXX", t != NULL && *t != '\0'
	    ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		*cause = xprintf(_("%s: cannot create: %s"), tmpdir,
		    strerror(errno));
		free(tmpdir);
		return -1;
	}
	manifest = render_manifest(set);
	for (i = 0; i <= set->n && rc >= 0; i++) {
		if (i < set->n)
			rc = diff_one(dir, tmpdir, set->v[i].path,
			    set->v[i].data, set->v[i].len, set->v[i].secret ?
			    0600 : 0644, set->v[i].secret, out, cause);
		else
			rc = diff_one(dir, tmpdir, "MANIFEST", manifest,
			    strlen(manifest), manifest_secret(set) ? 0600 :
			    0644, manifest_secret(set), out, cause);
		if (rc > 0)
			n++;
	}
	free(manifest);
	rmdir(tmpdir);
	free(tmpdir);
	return rc < 0 ? -1 : n;
}
