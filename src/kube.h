/*
 * The cluster: checks from `kubectl ... -o json` and `helm version`, run
 * through the runner (this machine or the control target), and parsers of
 * what kubectl prints (pure functions, table-tested on captured output).
 */
#ifndef WB_KUBE_H
#define WB_KUBE_H

#include <stdatomic.h>
#include <time.h>

#include "answers.h"
#include "check.h"
#include "runner.h"

/* The reference architecture's minimum Kubernetes version. */
#define KUBE_MIN_MAJOR	1
#define KUBE_MIN_MINOR	29

/* kube.version, kube.ingress, kube.storage, kube.nodes, kube.helm.
 * Returns 0 when the cluster answered (kube.version), else -1. */
int kube_checks(struct runner *, const struct answers *,
    struct check_list *);

/*
 * Run ARGV through R (IN on stdin, named IN_WHAT in the log); its stdout
 * when it exits 0.  Else NULL with *cause (the tail of its stderr) and
 * *status its exit status, or -1 when it did not run.
 */
char *kube_run(struct runner *r, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, int *status,
    char **cause);

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

/*
 * One pod of `kubectl get pod[s] -o json`, as far as a stuck one needs:
 * STATUS is what kubectl's STATUS column shows (kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go, printPod): "Init:N/M" while
 * init container N runs, "Init:REASON" when it waits or failed,
 * else the waiting or terminated reason of a container, else the phase.
 */
struct kube_pod {
	char *name;
	char *phase;		/* status.phase */
	char *status;		/* kubectl's STATUS column */
	char *container;	/* whose log tells why: the init container
				 * that has not finished, or the main one
				 * that waits or crashes; NULL: none */
	int init;		/* container is an init container */
	char *reason;		/* its waiting reason, or "" */
	char *message;		/* its waiting message, or why the pod is
				 * not scheduled, or "" */
	int restarts;		/* of that container */
	int ready;		/* condition Ready */
	time_t started;		/* status.startTime; 0: not yet */
};
/* A List of pods or one Pod. */
int kube_parse_pod_states(const char *json, struct kube_pod **, size_t *,
    char **cause);
void kube_pods_free(struct kube_pod *, size_t);
/* An RFC 3339 UTC time ("2024-11-23T04:12:10Z"), or 0. */
time_t kube_time(const char *);
/* Stuck: in Init or CrashLoopBackOff (its STATUS), started LIMIT_S or more
 * before NOW. */
int kube_pod_stuck(const struct kube_pod *, time_t now, int limit_s);

/* A pod stays in Init or CrashLoopBackOff this long before it is called
 * stuck (the wait step and verify). */
#define KUBE_STUCK_S		300
/* Lines of the log shown for a stuck pod. */
#define KUBE_STUCK_LOG_LINES	15

/*
 * A stuck pod, told: its name, STATUS, phase and for how long, the last
 * lines of its container's log (`kubectl logs POD -c CONTAINER --tail N`,
 * run through R), each line on a line of its own prefixed with INDENT (no
 * newline at the end), and in *hint the check that looks at what it
 * waits for (e.g. `wbinstall preflight --checks mysql` for W&B's init-db).
 * New strings.
 */
char *kube_stuck_report(struct runner *r, const struct answers *,
    const struct kube_pod *, time_t now, const char *indent, char **hint);
/* What a pod's log and container suggest to check next (a table); HINT
 * may name mysql.port (helm-charts PR #146).  New string. */
char *kube_stuck_hint(const struct answers *, const struct kube_pod *,
    const char *log);
/*
 * verify.pods: every pod of the namespace; one stuck in Init or
 * CrashLoopBackOff fails, with its log; not ready ones warn.  kubectl
 * absent where R runs: skipped.
 */
void kube_pods_check(struct runner *, const struct answers *, time_t now,
    struct check_list *);

/*
 * The cluster family's probe Pod (kube-probe.c): a short-lived Pod in the
 * target namespace that tests, from the pod network, the egress to W&B's
 * deployer and charts (connected installs), MySQL and the bucket endpoint
 * (TCP), and who issued their TLS certificates.  It prints one JSON object
 * a line; the parser and the judge are pure (table-tested).
 */
#define KUBE_PROBE_POD		"wbinstall-probe"

/* One line of the Pod's report. */
struct kube_probe_line {
	char *test;		/* "tcp", "tls", "end" */
	char *host;
	int port;
	int ok;			/* connected; tls: handshake done */
	int offered;		/* tls: 0 the server offers none (MySQL) */
	int verified;		/* tls: chain and name verify against the
				 * image's public CAs */
	char *issuer;		/* "CN=R11, O=Let's Encrypt, C=US", or "" */
	char *issuer_cn;	/* or "" */
	char *error;		/* or "" */
};
/* Lines that are not JSON objects are ignored; *complete: the "end"
 * line came. */
int kube_parse_probe_report(const char *text, struct kube_probe_line **,
    size_t *, int *complete, char **cause);
void kube_probe_lines_free(struct kube_probe_line *, size_t);

/* What the Pod is asked to test, and the check each answer becomes. */
enum kube_probe_kind { KP_EGRESS, KP_MYSQL, KP_MYSQL_TLS, KP_BUCKET,
	KP_BUCKET_TLS };
struct kube_probe_target {
	enum kube_probe_kind kind;
	char *host;
	int port;
	/* KP_BUCKET_TLS: the issuer's CN as this machine sees it, or NULL
	 * (not reached from here). */
	char *host_issuer_cn;
};
/* The checks of the targets from the report (pure). */
void kube_probe_judge(const struct kube_probe_target *, size_t,
    const struct kube_probe_line *, size_t, int complete,
    struct check_list *);
/* The targets of the answers (egress only when connected); new. */
struct kube_probe_target *kube_probe_targets(const struct answers *,
    size_t *, char **cause);
void kube_probe_targets_free(struct kube_probe_target *, size_t);
/* The Pod's image: the bundle's alpine/k8s under airgap.registry in an
 * air gap, else Docker Hub's; new. */
char *kube_probe_image(const struct answers *);
/* The manifest kubectl applies: the Namespace, (air gap with registry
 * credentials) the pull Secret, the Pod running IMAGE.  SHOWN: the
 * Secret's data masked, for printing.  NULL with *cause. */
char *kube_probe_manifest(const struct answers *, const char *image,
    const struct kube_probe_target *, size_t, int shown, size_t *lenp,
    char **cause);
/*
 * Run the probe through R: remove a leftover Pod, apply, wait for it
 * (CANCEL may stop the wait), read its report, delete it (always, once
 * applied), and add cluster.probe and the targets' checks to L.
 */
void kube_probe(struct runner *, const struct answers *, atomic_int *cancel,
    struct check_list *);
/* The commands kube_probe() runs, for --dry-run, each given to PRINT_CMD
 * (plan_print_cmd), and the manifest, the Secret's data masked, to
 * PRINT_STDIN (plan_print_stdin). */
void kube_probe_describe(const struct answers *, FILE *,
    void (*print_cmd)(FILE *, const char *const *argv, const char *in_what),
    void (*print_stdin)(FILE *, const char *data, size_t len));

#endif
