/* Reading a libyaml document: see yaml-doc.h. */
#include "config.h"

#include <string.h>

#include "yaml-doc.h"

yaml_node_t *
yd_get(yaml_document_t *d, yaml_node_t *n, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (n == NULL || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(d, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

const char *
yd_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

yaml_node_t *
yd_pod_spec(yaml_document_t *d, yaml_node_t *root, const char *kind)
{
	static const char *const templated[] = { "Deployment", "StatefulSet",
	    "DaemonSet", "ReplicaSet", "Job" };
	yaml_node_t *spec = yd_get(d, root, "spec");
	size_t i;

	if (strcmp(kind, "Pod") == 0)
		return spec;
	if (strcmp(kind, "CronJob") == 0)
		return yd_get(d, yd_get(d, yd_get(d, yd_get(d, spec,
		    "jobTemplate"), "spec"), "template"), "spec");
	for (i = 0; i < sizeof templated / sizeof templated[0]; i++)
		if (strcmp(kind, templated[i]) == 0)
			return yd_get(d, yd_get(d, spec, "template"), "spec");
	return NULL;
}
