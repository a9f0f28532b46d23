/* Cluster checks and kubectl output parsers (jansson). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "preflight.h"
#include "sizing.h"
#include "xmalloc.h"

#define KUBE_TARGET	"cluster"
#define KUBE_TIMEOUT_MS	60000

static json_t *
load(const char *text, const char *what, char **cause)
{
	json_error_t jerr;
	json_t *root;

	root = json_loads(text, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		*cause = xprintf(_("%s did not print JSON: %s"), what,
		    root == NULL ? jerr.text : _("not an object"));
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *
jstr(json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path);

	return json_is_string(v) ? json_string_value(v) : "";
}

int
kube_parse_version(const char *text, int *major, int *minor, char **git,
    char **cause)
{
	json_t *root, *sv;

	if ((root = load(text, "kubectl version", cause)) == NULL)
		return -1;
	sv = json_object_get(root, "serverVersion");
	if (!json_is_object(sv)) {
		*cause = xstrdup(_("kubectl version printed no serverVersion: "
		    "the cluster did not answer"));
		json_decref(root);
		return -1;
	}
	/* minor can be "29+" on managed clusters. */
	*major = atoi(jstr(sv, "major"));
	*minor = atoi(jstr(sv, "minor"));
	*git = xstrdup(jstr(sv, "gitVersion"));
	json_decref(root);
	return 0;
}

void
kube_names_free(char **names)
{
	size_t i;

	for (i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

static json_t *
items(const char *text, const char *what, json_t **root, char **cause)
{
	json_t *arr;

	if ((*root = load(text, what, cause)) == NULL)
		return NULL;
	arr = json_object_get(*root, "items");
	if (!json_is_array(arr)) {
		*cause = xprintf(_("%s printed no items"), what);
		json_decref(*root);
		return NULL;
	}
	return arr;
}

int
kube_parse_classes(const char *text, char ***names, char **def,
    char **cause)
{
	static const char *const marks[] = {
		"storageclass.kubernetes.io/is-default-class",
		"storageclass.beta.kubernetes.io/is-default-class",
		"ingressclass.kubernetes.io/is-default-class",
	};
	json_t *root, *arr, *it, *md, *ann;
	size_t i, k;

	if ((arr = items(text, "kubectl get", &root, cause)) == NULL)
		return -1;
	*names = xcalloc(json_array_size(arr) + 1, sizeof **names);
	*def = NULL;
	json_array_foreach(arr, i, it) {
		md = json_object_get(it, "metadata");
		(*names)[i] = xstrdup(jstr(md, "name"));
		ann = json_object_get(md, "annotations");
		for (k = 0; k < sizeof marks / sizeof marks[0]; k++)
			if (*def == NULL && strcmp(jstr(ann, marks[k]),
			    "true") == 0)
				*def = xstrdup((*names)[i]);
	}
	json_decref(root);
	return 0;
}

long long
kube_cpu_milli(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == 'm')
		return (long long)v;
	if (*end == 'n')
		return (long long)(v / 1e6);
	if (*end == 'u')
		return (long long)(v / 1e3);
	return (long long)(v * 1000);
}

long long
kube_bytes(const char *s)
{
	static const struct { const char *sfx; double mul; } units[] = {
		{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 }, { "k", 1e3 }, { "M", 1e6 },
		{ "G", 1e9 }, { "T", 1e12 }, { "", 1.0 },
	};
	char *end;
	double v = strtod(s, &end);
	size_t i;

	if (end == s)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].sfx) == 0)
			return (long long)(v * units[i].mul);
	return -1;
}

void
kube_nodes_free(struct kube_node *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].arch);
	}
	free(v);
}

/* Is condition TYPE "True" in the object's status.conditions? */
static int
condition_true(json_t *obj, const char *type)
{
	json_t *conds, *c;
	size_t i;

	conds = json_object_get(json_object_get(obj, "status"), "conditions");
	json_array_foreach(conds, i, c)
		if (strcmp(jstr(c, "type"), type) == 0)
			return strcmp(jstr(c, "status"), "True") == 0;
	return 0;
}

int
kube_parse_nodes(const char *text, struct kube_node **vp, size_t *np,
    char **cause)
{
	json_t *root, *arr, *it, *st, *alloc, *cap;
	struct kube_node *v;
	size_t i;

	if ((arr = items(text, "kubectl get nodes", &root, cause)) == NULL)
		return -1;
	v = xcalloc(json_array_size(arr) + 1, sizeof *v);
	json_array_foreach(arr, i, it) {
		st = json_object_get(it, "status");
		alloc = json_object_get(st, "allocatable");
		cap = json_object_get(st, "capacity");
		v[i].name = xstrdup(jstr(json_object_get(it, "metadata"),
		    "name"));
		v[i].ready = condition_true(it, "Ready");
		v[i].arch = xstrdup(jstr(json_object_get(st, "nodeInfo"),
		    "architecture"));
		v[i].cpu_m = kube_cpu_milli(jstr(alloc, "cpu"));
		v[i].mem = kube_bytes(jstr(alloc, "memory"));
		v[i].cap_cpu_m = kube_cpu_milli(jstr(cap, "cpu"));
		v[i].cap_mem = kube_bytes(jstr(cap, "memory"));
	}
	*vp = v;
	*np = json_array_size(arr);
	json_decref(root);
	return 0;
}

int
kube_parse_pods(const char *text, int *total, int *ready, char **not_ready,
    char **cause)
{
	json_t *root, *arr, *it;
	const char *phase, *name;
	char *list = xstrdup(""), *next;
	size_t i;

	if ((arr = items(text, "kubectl get pods", &root, cause)) == NULL) {
		free(list);
		return -1;
	}
	*total = *ready = 0;
	json_array_foreach(arr, i, it) {
		phase = jstr(json_object_get(it, "status"), "phase");
		if (strcmp(phase, "Succeeded") == 0)
			continue;	/* a finished job */
		(*total)++;
		if (condition_true(it, "Ready")) {
			(*ready)++;
			continue;
		}
		name = jstr(json_object_get(it, "metadata"), "name");
		next = xprintf("%s%s%s (%s)", list, *list != '\0' ? ", " : "",
		    name, *phase != '\0' ? phase : "?");
		free(list);
		list = next;
	}
	*not_ready = list;
	json_decref(root);
	return 0;
}

int
kube_parse_phase(const char *text, char **phase, char **cause)
{
	json_t *root;

	if ((root = load(text, "kubectl get weightsandbiases", cause)) ==
	    NULL)
		return -1;
	*phase = xstrdup(jstr(json_object_get(root, "status"), "phase"));
	json_decref(root);
	return 0;
}

time_t
kube_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) ==
	    NULL)
		return 0;
	/* A fraction of a second may follow; the zone is UTC ("Z"). */
	return timegm(&tm);
}

void
kube_pods_free(struct kube_pod *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].phase);
		free(v[i].status);
		free(v[i].container);
		free(v[i].reason);
		free(v[i].message);
	}
	free(v);
}

/* A container status's state.waiting/terminated. */
static json_t *
state_of(json_t *cs, const char *which)
{
	json_t *v = json_object_get(json_object_get(cs, "state"), which);

	return json_is_object(v) ? v : NULL;
}

/* "REASON", "Signal:N" or "ExitCode:N" of a terminated state, PREFIXed. */
static char *
terminated_text(json_t *t, const char *prefix)
{
	json_int_t sig = json_integer_value(json_object_get(t, "signal"));

	if (*jstr(t, "reason") != '\0')
		return xprintf("%s%s", prefix, jstr(t, "reason"));
	if (sig != 0)
		return xprintf("%sSignal:%" JSON_INTEGER_FORMAT, prefix, sig);
	return xprintf("%sExitCode:%" JSON_INTEGER_FORMAT, prefix,
	    json_integer_value(json_object_get(t, "exitCode")));
}

static void
pod_container(struct kube_pod *p, json_t *cs, int init)
{
	json_t *w = state_of(cs, "waiting");

	free(p->container);
	free(p->reason);
	free(p->message);
	p->container = xstrdup(jstr(cs, "name"));
	p->init = init;
	p->reason = xstrdup(w != NULL ? jstr(w, "reason") : "");
	p->message = xstrdup(w != NULL ? jstr(w, "message") : "");
	p->restarts = (int)json_integer_value(json_object_get(cs,
	    "restartCount"));
}

/*
 * The STATUS column as kubectl prints it (kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go, printPod), and the container
 * behind it.
 */
static void
pod_status(struct kube_pod *p, json_t *pod)
{
	json_t *st = json_object_get(pod, "status"), *inits, *conts, *cs, *w;
	json_t *t, *c;
	size_t i, n, ninit;
	char *s = NULL;

	inits = json_object_get(st, "initContainerStatuses");
	ninit = json_array_size(json_object_get(json_object_get(pod, "spec"),
	    "initContainers"));
	json_array_foreach(inits, i, cs) {
		t = state_of(cs, "terminated");
		w = state_of(cs, "waiting");
		if (t != NULL && json_integer_value(json_object_get(t,
		    "exitCode")) == 0)
			continue;
		if (t != NULL)
			s = terminated_text(t, "Init:");
		else if (w != NULL && *jstr(w, "reason") != '\0' &&
		    strcmp(jstr(w, "reason"), "PodInitializing") != 0)
			s = xprintf("Init:%s", jstr(w, "reason"));
		else
			s = xprintf("Init:%zu/%zu", i, ninit > i ? ninit :
			    json_array_size(inits));
		pod_container(p, cs, 1);
		break;
	}
	if (s == NULL) {
		/* As kubectl: the first container in order that waits or
		 * ended gives the reason. */
		conts = json_object_get(st, "containerStatuses");
		n = json_array_size(conts);
		for (i = n; i > 0; i--) {
			cs = json_array_get(conts, i - 1);
			w = state_of(cs, "waiting");
			t = state_of(cs, "terminated");
			if (w != NULL && *jstr(w, "reason") != '\0') {
				free(s);
				s = xstrdup(jstr(w, "reason"));
			} else if (t != NULL) {
				free(s);
				s = terminated_text(t, "");
			} else
				continue;
			pod_container(p, cs, 0);
		}
	}
	if (s == NULL)
		s = xstrdup(*jstr(st, "reason") != '\0' ? jstr(st, "reason") :
		    p->phase);
	p->status = s;
	/* Not scheduled: the scheduler says why. */
	json_array_foreach(json_object_get(st, "conditions"), i, c)
		if (strcmp(jstr(c, "type"), "PodScheduled") == 0 &&
		    strcmp(jstr(c, "status"), "False") == 0 &&
		    (p->message == NULL || *p->message == '\0')) {
			free(p->message);
			p->message = xstrdup(jstr(c, "message"));
		}
}

int
kube_parse_pod_states(const char *text, struct kube_pod **vp, size_t *np,
    char **cause)
{
	json_t *root, *arr, *one = NULL, *it;
	struct kube_pod *v;
	size_t i, n;

	if ((root = load(text, "kubectl get pods", cause)) == NULL)
		return -1;
	arr = json_object_get(root, "items");
	if (!json_is_array(arr)) {
		if (strcmp(jstr(root, "kind"), "Pod") != 0) {
			*cause = xstrdup(_("kubectl get pods printed neither a "
			    "list nor a pod"));
			json_decref(root);
			return -1;
		}
		one = root;
	}
	n = one != NULL ? 1 : json_array_size(arr);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		it = one != NULL ? one : json_array_get(arr, i);
		v[i].name = xstrdup(jstr(json_object_get(it, "metadata"),
		    "name"));
		v[i].phase = xstrdup(jstr(json_object_get(it, "status"),
		    "phase"));
		v[i].started = kube_time(jstr(json_object_get(it, "status"),
		    "startTime"));
		v[i].ready = condition_true(it, "Ready");
		pod_status(&v[i], it);
		if (v[i].reason == NULL)
			v[i].reason = xstrdup("");
		if (v[i].message == NULL)
			v[i].message = xstrdup("");
	}
	*vp = v;
	*np = n;
	json_decref(root);
	return 0;
}

int
kube_pod_stuck(const struct kube_pod *p, time_t now, int limit_s)
{
	if (strncmp(p->status, "Init:", 5) != 0 &&
	    strcmp(p->status, "CrashLoopBackOff") != 0)
		return 0;
	return p->started != 0 && now - p->started >= limit_s;
}

void
kube_probe_lines_free(struct kube_probe_line *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].test);
		free(v[i].host);
		free(v[i].issuer);
		free(v[i].issuer_cn);
		free(v[i].error);
	}
	free(v);
}

int
kube_parse_probe_report(const char *text, struct kube_probe_line **vp,
    size_t *np, int *complete, char **cause)
{
	struct kube_probe_line *v = NULL, *l;
	const char *p, *nl;
	json_t *o, *b;
	char *line;
	size_t n = 0;

	*complete = 0;
	for (p = text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		o = json_loads(line, 0, NULL);
		free(line);
		if (!json_is_object(o) || !json_is_string(json_object_get(o,
		    "test"))) {
			json_decref(o);	/* kubectl's or python's noise */
			continue;
		}
		if (strcmp(jstr(o, "test"), "end") == 0)
			*complete = 1;
		else {
			v = xreallocarray(v, n + 1, sizeof *v);
			l = &v[n++];
			l->test = xstrdup(jstr(o, "test"));
			l->host = xstrdup(jstr(o, "host"));
			l->port = (int)json_integer_value(json_object_get(o,
			    "port"));
			l->ok = json_is_true(json_object_get(o, "ok"));
			b = json_object_get(o, "offered");
			l->offered = b == NULL || json_is_true(b);
			l->verified = json_is_true(json_object_get(o,
			    "verified"));
			l->issuer = xstrdup(jstr(o, "issuer"));
			l->issuer_cn = xstrdup(jstr(o, "issuer_cn"));
			l->error = xstrdup(jstr(o, "error"));
		}
		json_decref(o);
	}
	if (n == 0 && !*complete) {
		*cause = xstrdup(_("the probe Pod printed no report"));
		return -1;
	}
	*vp = v;
	*np = n;
	return 0;
}

char *
kube_run(struct runner *r, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, int *status,
    char **cause)
{
	struct run_result res;
	char *tail, *out;

	*status = -1;
	if (runner_run(r, argv, in, inlen, in_what, timeout_ms, &res,
	    cause) != 0) {
		run_result_free(&res);
		return NULL;
	}
	*status = res.status;
	if (res.status != 0) {
		tail = runner_tail(res.err, 2);
		*cause = xprintf(_("%s exited with status %d on %s: %s"),
		    argv[0], res.status, r->where, tail);
		free(tail);
		run_result_free(&res);
		return NULL;
	}
	out = res.out;
	res.out = NULL;
	run_result_free(&res);
	return out;
}

/* Run ARGV; its stdout, or a failed check ID and NULL. */
static char *
kube_get(struct runner *r, const char *const *argv, const char *id,
    struct check_list *l)
{
	char *cause = NULL, *out;
	int st;

	if ((out = kube_run(r, argv, NULL, 0, NULL, KUBE_TIMEOUT_MS, &st,
	    &cause)) != NULL)
		return out;
	checks_add(l, KUBE_TARGET, id, CHECK_FAIL, NULL, NULL, st == -1 ?
	    NULL : st == 127 ? _("install it on the control host, or run "
	    "wbinstall where it is") : _("check that the kubeconfig on the "
	    "control host reaches the cluster"), "%s", cause);
	free(cause);
	return NULL;
}

/* 0 when the cluster answered with its version. */
static int
check_version(struct runner *r, struct check_list *l)
{
	const char *argv[] = { "kubectl", "version", "-o", "json", NULL };
	char *out, *git = NULL, *cause = NULL, *req;
	int major, minor, rc = 0;

	if ((out = kube_get(r, argv, "kube.version", l)) == NULL)
		return -1;
	req = xprintf(">= %d.%d", KUBE_MIN_MAJOR, KUBE_MIN_MINOR);
	if (kube_parse_version(out, &major, &minor, &git, &cause) != 0) {
		checks_add(l, KUBE_TARGET, "kube.version", CHECK_FAIL, NULL,
		    req, NULL, "%s", cause);
		free(cause);
		rc = -1;
	} else if (major > KUBE_MIN_MAJOR || (major == KUBE_MIN_MAJOR &&
	    minor >= KUBE_MIN_MINOR))
		checks_add(l, KUBE_TARGET, "kube.version", CHECK_PASS, git,
		    req, NULL, _("Kubernetes %s"), git);
	else
		checks_add(l, KUBE_TARGET, "kube.version", CHECK_FAIL, git,
		    req, _("upgrade the cluster: the reference architecture "
		    "needs Kubernetes 1.29 or later"), _("Kubernetes %s is "
		    "older than %d.%d"), git, KUBE_MIN_MAJOR, KUBE_MIN_MINOR);
	free(git);
	free(req);
	free(out);
	return rc;
}

static void
check_class(struct runner *r, const struct answers *a, int storage,
    struct check_list *l)
{
	const char *argv[] = { "kubectl", "get", storage ? "storageclass" :
		"ingressclass", "-o", "json", NULL };
	const char *id = storage ? "kube.storage" : "kube.ingress";
	const char *want = answers_get(a, "kubernetes.ingress_class");
	char *out, **names = NULL, *def = NULL, *cause = NULL, *all, *next;
	size_t i;
	int found = 0;

	if ((out = kube_get(r, argv, id, l)) == NULL)
		return;
	if (kube_parse_classes(out, &names, &def, &cause) != 0) {
		checks_add(l, KUBE_TARGET, id, CHECK_FAIL, NULL, NULL, NULL,
		    "%s", cause);
		free(cause);
		free(out);
		return;
	}
	all = xstrdup("");
	for (i = 0; names[i] != NULL; i++) {
		found |= strcmp(names[i], want) == 0;
		next = xprintf("%s%s%s", all, i > 0 ? "," : "", names[i]);
		free(all);
		all = next;
	}
	if (storage && def != NULL)
		checks_add(l, KUBE_TARGET, id, CHECK_PASS, def, _("a default "
		    "StorageClass"), NULL, _("the default StorageClass is %s"),
		    def);
	else if (storage)
		checks_add(l, KUBE_TARGET, id, CHECK_FAIL, *all != '\0' ? all :
		    _("none"), _("a default StorageClass"), _("mark one "
		    "StorageClass default (annotation storageclass.kubernetes."
		    "io/is-default-class=true) so that Persistent Volumes can "
		    "be provisioned"), _("no default StorageClass"));
	else if (found)
		checks_add(l, KUBE_TARGET, id, CHECK_PASS, want, want, NULL,
		    _("IngressClass %s exists"), want);
	else
		checks_add(l, KUBE_TARGET, id, CHECK_FAIL, *all != '\0' ? all :
		    _("none"), want, _("install an ingress controller, or set "
		    "kubernetes.ingress_class to one of the classes found"),
		    _("no IngressClass named %s"), want);
	free(all);
	free(def);
	kube_names_free(names);
	free(out);
}

static void
check_nodes(struct runner *r, const struct answers *a, struct check_list *l)
{
	const char *argv[] = { "kubectl", "get", "nodes", "-o", "json", NULL };
	const struct sizing *sz;
	struct kube_node *v = NULL;
	size_t n = 0, i;
	char *out, *cause = NULL, *obs, *req;
	long long want_m, want_b;

	if ((out = kube_get(r, argv, "kube.nodes", l)) == NULL)
		return;
	if (kube_parse_nodes(out, &v, &n, &cause) != 0 || n == 0) {
		checks_add(l, KUBE_TARGET, "kube.nodes", CHECK_FAIL, NULL,
		    NULL, NULL, "%s", cause != NULL ? cause : _("the cluster "
		    "has no nodes"));
		free(cause);
		free(out);
		return;
	}
	sz = sizing_for("kubernetes", answers_get(a, "deployment.products"),
	    answers_get(a, "deployment.environment"), "app");
	want_m = sz != NULL ? sz->cores * 1000LL : 0;
	want_b = sz != NULL ? sz->mem_gb * 1000000000LL : 0;
	req = sz != NULL ? xprintf(_("Ready, amd64, %d cores, %d GB"),
	    sz->cores, sz->mem_gb) : xstrdup(_("Ready, amd64"));
	for (i = 0; i < n; i++) {
		const struct kube_node *k = &v[i];
		char *target = xprintf("node/%s", k->name);

		obs = xprintf(_("%s, %s, %.1f cores, %.1f GB"), k->ready ?
		    "Ready" : "NotReady", k->arch, k->cpu_m / 1000.0,
		    k->mem / 1e9);
		if (!k->ready)
			checks_add(l, target, "kube.nodes", CHECK_FAIL, obs,
			    req, _("kubectl describe node shows why"),
			    _("node %s is not Ready"), k->name);
		else if (strcmp(k->arch, "amd64") != 0)
			checks_add(l, target, "kube.nodes", CHECK_FAIL, obs,
			    req, _("W&B runs on Intel (x86) CPUs; ARM is not "
			    "supported"), _("node %s is %s"), k->name,
			    k->arch);
		else if (k->cap_cpu_m < want_m || k->cap_mem < want_b)
			checks_add(l, target, "kube.nodes", CHECK_FAIL, obs,
			    req, _("use larger nodes (see the sizing tables of "
			    "the reference architecture)"), _("node %s is "
			    "smaller than the sizing profile"), k->name);
		else if (k->cpu_m * 10 < want_m * 9 || k->mem * 10 <
		    want_b * 9)
			checks_add(l, target, "kube.nodes", CHECK_WARN, obs,
			    req, _("other workloads reserve much of it; "
			    "consider larger nodes"), _("node %s has less "
			    "than 90%% of the profile allocatable"), k->name);
		else
			checks_add(l, target, "kube.nodes", CHECK_PASS, obs,
			    req, NULL, _("node %s is Ready and large "
			    "enough"), k->name);
		free(obs);
		free(target);
	}
	free(req);
	kube_nodes_free(v, n);
	free(out);
}

static void
check_helm(struct runner *r, struct check_list *l)
{
	const char *argv[] = { "helm", "version", "--short", NULL };
	char *out, *nl;

	if ((out = kube_get(r, argv, "kube.helm", l)) == NULL)
		return;
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	if (strncmp(out, "v3.", 3) == 0)
		checks_add(l, KUBE_TARGET, "kube.helm", CHECK_PASS, out, "v3",
		    NULL, _("helm %s"), out);
	else
		checks_add(l, KUBE_TARGET, "kube.helm", CHECK_FAIL, out, "v3",
		    _("install helm 3 on the control host"), _("helm %s is "
		    "not helm 3"), *out != '\0' ? out : "?");
	free(out);
}

int
kube_checks(struct runner *r, const struct answers *a, struct check_list *l)
{
	int up;

	up = check_version(r, l);
	check_class(r, a, 0, l);
	check_class(r, a, 1, l);
	check_nodes(r, a, l);
	check_helm(r, l);
	return up;
}

/* The preflight family "cluster": the cluster's own checks, then, when
 * it answered, the probe Pod (kube-probe.c). */
static void
preflight_cluster_run(const struct answers *a, const struct preflight_opts *o,
    struct check_list *l)
{
	static const char *const ids[] = { "kube.version", "kube.ingress",
		"kube.storage", "kube.nodes", "kube.helm", "cluster.probe",
		NULL };
	struct runner r;
	char *cause = NULL;
	size_t i;

	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0)
		return;
	if (o->progress != NULL)
		o->progress(o->progress_arg, KUBE_TARGET, "kubectl");
	if (runner_open(&r, a, 0, NULL, &cause) != 0) {
		for (i = 0; ids[i] != NULL; i++)
			checks_add(l, KUBE_TARGET, ids[i], i == 0 ? CHECK_FAIL :
			    CHECK_SKIP, NULL, NULL, NULL, "%s", i == 0 ? cause :
			    _("not run: the control host cannot be reached"));
		free(cause);
		return;
	}
	if (kube_checks(&r, a, l) == 0 && !o->no_probe) {
		if (o->progress != NULL)
			o->progress(o->progress_arg, KUBE_TARGET,
			    KUBE_PROBE_POD);
		kube_probe(&r, a, o->cancel, l);
	}
	runner_close(&r);
}

const struct preflight_family preflight_cluster = {
	"cluster",
	preflight_cluster_run,
};
