/*
 * The one reader of YAML from outside: the answers file, a bundle's
 * manifest and a release spec, a chart's Chart.yaml, the manifests helm
 * renders and those the manifest diff compares.  A text is walked once by
 * a guard (nesting deeper than YAML_DEPTH_MAX and a NUL in a key or a
 * value are refused: libyaml's scanner takes time that grows with the
 * square of the flow level, and the readers' C strings would cut a NUL
 * short), then loaded with libyaml as documents of nodes, each with the
 * line and column where it starts.  What stops it is a struct yd_error
 * with that place, which each reader words its own way.
 */
#ifndef WB_YAML_READ_H
#define WB_YAML_READ_H

#include <stddef.h>

#include <yaml.h>

/* How deep collections may nest in a file wbinstall reads. */
#define YAML_DEPTH_MAX	64

struct yd_error {
	unsigned line, col;	/* 1-based */
	char *key;		/* the guard's "a.b[2].c", or NULL at the top
				 * or on a syntax error */
	char *message;		/* the guard's refusal, or libyaml's problem */
	char *context;		/* libyaml's context, or NULL */
	int syntax;		/* libyaml refused it, not the guard */
};
void yd_error_free(struct yd_error *);
/* "WHAT:LINE:COL: [KEY: ]MESSAGE" (new), and *e freed. */
char *yd_error_text(struct yd_error *e, const char *what);

/* A stream of documents, loaded one at a time. */
struct yd_stream {
	yaml_parser_t parser;
};
/* Guard BUF (kept: it is not copied); 0, or -1 with *e. */
int yd_open(struct yd_stream *, const char *buf, size_t len,
    struct yd_error *e);
/* The next document: 1, or 0 at the end of the stream (nothing to
 * delete), or -1 with *e.  Delete it with yaml_document_delete(). */
int yd_next(struct yd_stream *, yaml_document_t *, struct yd_error *e);
void yd_close(struct yd_stream *);
/* The first document of BUF (its root is NULL when BUF holds none): 0,
 * or -1 with *e. */
int yd_load(const char *buf, size_t len, yaml_document_t *,
    struct yd_error *e);
/* yd_load(), *cause being yd_error_text(WHAT). */
int yd_load_text(const char *buf, size_t len, const char *what,
    yaml_document_t *, char **cause);

/* Node N of a document, or NULL. */
yaml_node_t *yd_node(yaml_document_t *, int n);
/* Where N starts, 1-based. */
unsigned long yd_line(const yaml_node_t *n);
unsigned long yd_col(const yaml_node_t *n);
/* The value of KEY in mapping N, or NULL (N NULL or no mapping). */
yaml_node_t *yd_get(yaml_document_t *, yaml_node_t *n, const char *key);
/* N's text when it is a scalar, else NULL. */
const char *yd_scalar(yaml_node_t *n);
/*
 * The pod spec of ROOT, an object of KIND, as the Kubernetes API places
 * it: spec (Pod), spec.template.spec (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job) or spec.jobTemplate.spec.template.spec (CronJob); NULL
 * for any other kind.
 */
yaml_node_t *yd_pod_spec(yaml_document_t *, yaml_node_t *root,
    const char *kind);

#endif
