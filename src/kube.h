/*
 * The cluster: checks from `kubectl ... -o json` and `helm version`, run
 * through the runner (this machine or the control target), and parsers of
 * what kubectl prints (pure functions, table-tested on captured output).
 */
#ifndef WB_KUBE_H
#define WB_KUBE_H

#include "answers.h"
#include "check.h"
#include "runner.h"

/* The reference architecture's minimum Kubernetes version. */
#define KUBE_MIN_MAJOR	1
#define KUBE_MIN_MINOR	29

/* kube.version, kube.ingress, kube.storage, kube.nodes, kube.helm. */
void kube_checks(struct runner *, const struct answers *,
    struct check_list *);

/* `kubectl version -o json`: the server's version. */
int kube_parse_version(const char *json, int *major, int *minor,
    char **git, char **cause);
/* `kubectl get ingressclass|storageclass -o json`: the names (a new
 * NULL-terminated list) and the default one (*def, or NULL). */
int kube_parse_classes(const char *json, char ***names, char **def,
    char **cause);
void kube_names_free(char **);

struct kube_node {
	char *name;
	int ready;
	char *arch;
	long long cpu_m;	/* allocatable millicores */
	long long mem;		/* allocatable bytes */
	long long cap_cpu_m;	/* capacity */
	long long cap_mem;
};
int kube_parse_nodes(const char *json, struct kube_node **, size_t *,
    char **cause);
void kube_nodes_free(struct kube_node *, size_t);
/* Kubernetes quantities: "7910m", "8", "65843580Ki", "64Gi", "1e3". */
long long kube_cpu_milli(const char *);
long long kube_bytes(const char *);

/* `kubectl get pods -o json`: pods counted (finished ones left out),
 * how many are Ready, and the names of the others (comma-separated). */
int kube_parse_pods(const char *json, int *total, int *ready,
    char **not_ready, char **cause);
/* `kubectl get weightsandbiases NAME -o json`: status.phase ("" when
 * it has none yet). */
int kube_parse_phase(const char *json, char **phase, char **cause);

#endif
