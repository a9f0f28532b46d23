/*
 * Reading a libyaml document (yaml_parser_load): a mapping's value by key,
 * a scalar's text, and where a Kubernetes object keeps its pod spec.
 * chart-render.c (the images of a render) and manifest-diff.c (two
 * releases compared) read manifests with these.
 */
#ifndef WB_YAML_DOC_H
#define WB_YAML_DOC_H

#include <yaml.h>

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
