/*
 * Render: answers -> the files an operator would otherwise write by hand
 * (Helm values, the WeightsAndBiases resource, Secrets, my.cnf, the seed
 * SQL, the CORS policy, nginx, the bare-metal env file, Terraform).
 *
 * render_build() makes every file in memory, so that the wizard can show
 * them; render_write() writes them (and MANIFEST) atomically, and
 * render_diff() shows what writing would change.  YAML is made with
 * libyaml's emitter from a small tree (struct ynode); the other files come
 * from templates in $(pkgdatadir)/templates.
 */
#ifndef WB_RENDER_H
#define WB_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "answers.h"
#include "storage-url.h"

/* The operator-wandb chart version whose keys the renderer writes; in an
 * air gap the resource names the bundle's own operator-wandb version. */
#define RENDER_CHART_NAME	"operator-wandb"
#define RENDER_CHART_VERSION	"0.43.8"

/* Names the rendered Secrets and CR use. */
#define RENDER_CR_NAME		"wandb"
#define RENDER_LICENSE_SECRET	"wandb-license"
#define RENDER_MYSQL_SECRET	"wandb-mysql"
#define RENDER_BUCKET_SECRET	"wandb-bucket"
/* The kubernetes.io/dockerconfigjson Secret for an internal registry
 * that wants credentials (airgap.registry_user). */
#define RENDER_REGISTRY_SECRET	"wandb-registry"
/* The operator's credentials for the chart at the internal registry. */
#define RENDER_CHART_SECRET	"wandb-chart-registry"
/* At most this many Secrets in k8s/secrets.yaml. */
#define RENDER_K8S_SECRETS_MAX	5

/* The pod security context OpenShift needs (seed: UID >= 100000, GID 0). */
#define RENDER_OPENSHIFT_UID	100000
#define RENDER_OPENSHIFT_GID	0

struct render_file {
	char *path;		/* relative to the output directory */
	char *data;
	size_t len;
	int secret;		/* holds a secret: mode 0600, never shown */
};

struct render_set {
	struct render_file *v;
	size_t n;
};

/*
 * The operator-wandb chart that the resource names in an air gap
 * (spec.chart): where bundle push put it and the version the bundle
 * holds.  The caller resolves it from the bundle before rendering
 * (bundle_render_chart() in bundle.h), so that the render never opens a
 * bundle; all NULL outside an air gap.
 */
struct render_chart {
	char *oci;		/* "oci://HOST/PATH/NAME", or NULL: an
				 * http(s) Helm repository */
	char *version;		/* the bundle's, or NULL: the renderer's
				 * RENDER_CHART_VERSION */
};
void render_chart_free(struct render_chart *);

/*
 * Render every file the answers' platform needs, the resource naming
 * CHART.  Every secret the files need must resolve: otherwise nothing is
 * rendered, -1 is returned and *cause lists each secret that does not
 * resolve (never a value).  An answer that a file's format cannot carry
 * returns RENDER_BAD_INPUT.
 */
int render_build(const struct answers *, const struct render_chart *,
    struct render_set *, char **cause);
/*
 * The same files as they are shown (a dry run's stdin, the support
 * bundle, the wizard): each secret is RENDER_MASK where it is written, as
 * is every value of a Secret's data and stringData.  Never applied.
 */
int render_build_shown(const struct answers *, const struct render_chart *,
    struct render_set *, char **cause);
#define RENDER_MASK		"***"
/* render_build()'s return when an answer cannot be written in a file's
 * format (bad input: exit 2); *cause names the answers key. */
#define RENDER_BAD_INPUT	(-2)
void render_set_free(struct render_set *);
const struct render_file *render_find(const struct render_set *,
    const char *path);
/* "SHA256  PATH" lines, sorted by path (sha256sum -c reads it). */
char *render_manifest(const struct render_set *);
/*
 * Write the files and MANIFEST under DIR (created if needed); files that
 * are already identical (content and mode) are left alone.  Returns the
 * number of files written or -1 with *cause.
 */
int render_write(const struct render_set *, const char *dir, char **cause);
/*
 * Print to OUT what render_write() would change in DIR, as unified diffs
 * (secret files only by name).  Returns the number of changed files or -1
 * with *cause.  Changes nothing.
 */
int render_diff(const struct render_set *, const char *dir, FILE *out,
    char **cause);

/* Where templates/ is: paths_datadir() (paths.h). */
const char *render_datadir(void);

/*
 * Templates: "{{NAME}}" is replaced by the value of NAME (values are
 * already escaped for the file's syntax); lines "{{if NAME}}" ...
 * "{{end}}" are kept only when NAME is not empty; a line holding only a
 * placeholder that expands to "" is dropped.  An unknown NAME is an error.
 */
struct render_var {
	const char *name;
	const char *value;
};
char *render_template(const char *text, const struct render_var *,
    size_t nvars, char **cause);
/* Load templates/NAME from render_datadir() and expand it. */
char *render_template_file(const char *name, const struct render_var *,
    size_t nvars, char **cause);

/* A growing buffer, always NUL-terminated. */
struct render_buf {
	char *data;
	size_t len, size;
};
void render_buf_add(struct render_buf *, const void *, size_t);

/* Escapes for the text files. */
/* Why VALUE cannot be written as KEY=VALUE in docker's env-file format
 * (untranslated; pass it through _()), or NULL when it can. */
const char *render_env_value_problem(const char *key, const char *value);
char *render_hcl_quote(const char *);	/* "..." for Terraform */

/*
 * The internal registry that pods pull from: airgap.registry in an air
 * gap, else NULL.  render_mirror() is where an image (a chart's
 * repository, with or without a registry host) lives under it: the rule
 * bundle push follows (oci_mirror_path).
 */
const char *render_registry(const struct answers *);
/* W&B's public origin, "https://FQDN" (domain.fqdn has no port: TLS ends
 * at the load balancer on 443): the CR's global.host, wandb.env's HOST
 * and the bucket's CORS origin. */
char *render_origin(const struct answers *);

/*
 * What the render gives the app to reach MySQL.  Kubernetes: the CR's
 * global.mysql (user, host, port, database) and the wandb-mysql Secret's
 * MYSQL_PASSWORD, which the chart's "wandb.mysql" template joins into
 * mysql://$(MYSQL_USER):$(MYSQL_PASSWORD)@$(MYSQL_HOST):$(MYSQL_PORT)/
 * $(MYSQL_DATABASE)?tls=preferred (wandb/helm-charts,
 * charts/operator-wandb/templates/_mysql.tpl), by the kubelet's $(VAR)
 * expansion, which inserts each value as it is.  Bare metal: MYSQL= of
 * wandb.env.  aws-terraform: the module makes it (-1 with *cause).
 */
struct render_mysql {
	char *user;		/* as the URL holds it */
	char *password;		/* percent-encoded: a secret */
	char *host;		/* as the URL holds it */
	long port;
	char *database;
	char *url;		/* the URL the app reads: a secret */
};
int render_mysql_app(const struct answers *, const char *platform,
    const char *password, struct render_mysql *, char **cause);
void render_mysql_free(struct render_mysql *);

char *render_mirror(const struct answers *, const char *repository);

/* Kubernetes with an internal registry that wants credentials
 * (airgap.registry_user): pods pull with a Secret of them. */
int render_needs_pull_secret(const struct answers *);

/* A YAML tree, emitted in insertion order with libyaml. */
enum ytype { Y_MAP, Y_SEQ, Y_STR, Y_PLAIN, Y_NULL };

struct ynode {
	enum ytype type;
	char *key;		/* when the node is in a map */
	char *value;		/* Y_STR, Y_PLAIN (an int or a bool) */
	struct ynode **kids;
	size_t n;
};

struct ynode *ynode_new(enum ytype, const char *key, const char *value);
void ynode_free(struct ynode *);
/* Add to a map (key) or a sequence (key NULL); returns the new node. */
struct ynode *y_map(struct ynode *, const char *key);
struct ynode *y_seq(struct ynode *, const char *key);
struct ynode *y_str(struct ynode *, const char *key, const char *);
struct ynode *y_int(struct ynode *, const char *key, long);
struct ynode *y_bool(struct ynode *, const char *key, int);
struct ynode *y_null(struct ynode *, const char *key);
/* Child of a map by key, or NULL. */
struct ynode *y_get(const struct ynode *, const char *key);
/* The map at the dotted PATH below a map, made where missing. */
struct ynode *y_map_path(struct ynode *, const char *path);
/* Emit NDOCS documents (a multi-document stream when more than one). */
char *ynode_emit(struct ynode *const *docs, size_t ndocs, size_t *lenp);
/*
 * Parse a stream back into documents (yaml-read.h reads it; an alias reads
 * as a null: render never writes one); -1 with *cause on a syntax error.
 */
int ynode_parse(const char *buf, size_t len, struct ynode ***docsp,
    size_t *ndocsp, char **cause);
/* Same shape, keys, types and values. */
int ynode_equal(const struct ynode *, const struct ynode *);
/* Would a plain scalar S read back as something other than a string? */
int yaml_plain_is_typed(const char *s);

/* What the builders read: the answers and the resolved secrets. */
struct render_ctx {
	const struct answers *a;
	const char *platform;
	char *license;
	char *mysql_password;
	char *registry_password;	/* when airgap.registry_user is set */
	struct storage_conf storage;
	char **ca_certs;	/* PEM blocks of airgap.registry_ca */
	size_t nca;
	const struct render_chart *chart;	/* resolved by the caller */
	int masked;		/* render_build_shown(): secrets are masked */
};

/* The pull Secret of k8s/secrets.yaml alone (the cluster preflight's probe
 * Pod pulls with it), its data masked when SHOWN; NULL when the answers
 * need none, or with *cause when the password does not resolve. */
struct ynode *render_pull_secret(const struct answers *, int shown,
    char **cause);

/* The YAML files (render-yaml.c); each returns a tree to emit. */
struct ynode *render_operator_values(const struct render_ctx *);
struct ynode *render_wandb_cr(const struct render_ctx *);
size_t render_k8s_secrets(const struct render_ctx *, struct ynode **docs,
    size_t max);

#endif
