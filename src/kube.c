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

/* Run ARGV; its stdout in *out, or a failed check ID and NULL. */
static char *
kube_get(struct runner *r, const char *const *argv, const char *id,
    struct check_list *l)
{
	struct run_result res;
	char *cause = NULL, *tail, *out;

	if (runner_run(r, argv, NULL, 0, NULL, KUBE_TIMEOUT_MS, &res,
	    &cause) != 0) {
		checks_add(l, KUBE_TARGET, id, CHECK_FAIL, NULL, NULL, NULL,
		    "%s", cause);
		free(cause);
		run_result_free(&res);
		return NULL;
	}
	if (res.status != 0) {
		tail = runner_tail(res.err, 2);
		checks_add(l, KUBE_TARGET, id, CHECK_FAIL, NULL, NULL,
		    res.status == 127 ? _("install it on the control host, "
		    "or run wbinstall where it is") : _("check that the "
		    "kubeconfig on the control host reaches the cluster"),
		    _("%s exited with status %d on %s: %s"), argv[0],
		    res.status, r->where, tail);
		free(tail);
		run_result_free(&res);
		return NULL;
	}
	out = res.out;
	res.out = NULL;
	run_result_free(&res);
	return out;
}

static void
check_version(struct runner *r, struct check_list *l)
{
	const char *argv[] = { "kubectl", "version", "-o", "json", NULL };
	char *out, *git = NULL, *cause = NULL, *req;
	int major, minor;

	if ((out = kube_get(r, argv, "kube.version", l)) == NULL)
		return;
	req = xprintf(">= %d.%d", KUBE_MIN_MAJOR, KUBE_MIN_MINOR);
	if (kube_parse_version(out, &major, &minor, &git, &cause) != 0) {
		checks_add(l, KUBE_TARGET, "kube.version", CHECK_FAIL, NULL,
		    req, NULL, "%s", cause);
		free(cause);
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

void
kube_checks(struct runner *r, const struct answers *a, struct check_list *l)
{
	check_version(r, l);
	check_class(r, a, 0, l);
	check_class(r, a, 1, l);
	check_nodes(r, a, l);
	check_helm(r, l);
}

/* The preflight family "cluster". */
static void
preflight_cluster_run(const struct answers *a, const struct preflight_opts *o,
    struct check_list *l)
{
	static const char *const ids[] = { "kube.version", "kube.ingress",
		"kube.storage", "kube.nodes", "kube.helm", NULL };
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
	kube_checks(&r, a, l);
	runner_close(&r);
}

const struct preflight_family preflight_cluster = {
	"cluster",
	preflight_cluster_run,
};
