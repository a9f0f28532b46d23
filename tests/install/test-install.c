/* Table tests: kubectl parsers, wandb verify lines, the runner's quoting
 * and local runs, the journal, and the options each front end gets from
 * the answers and its flags. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "answers.h"
#include "journal.h"
#include "kube.h"
#include "plan-session.h"
#include "preflight.h"
#include "presign.h"
#include "run-flags.h"
#include "runner.h"
#include "secret.h"
#include "tap.h"
#include "upgrade-run.h"
#include "util.h"
#include "verify.h"
#include "xmalloc.h"

static char *
fixture(const char *name)
{
	const char *src = getenv("WB_SRCDIR");
	char *path, *text, *cause = NULL;

	path = xprintf("%s/tests/standins/fixtures/%s", src != NULL ? src :
	    ".", name);
	text = read_file(path, 1 << 20, NULL, &cause);
	if (text == NULL) {
		tap_diag("%s", cause);
		free(cause);
		text = xstrdup("");
	}
	free(path);
	return text;
}

static void
test_quantities(void)
{
	static const struct { const char *in; long long cpu, bytes; } t[] = {
		{ "7910m", 7910, -1 },
		{ "8", 8000, 8 },
		{ "0.5", 500, -1 },
		{ "65023604Ki", -1, 65023604LL * 1024 },
		{ "64Gi", -1, 64LL << 30 },
		{ "1G", -1, 1000000000LL },
		{ "x", -1, -1 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (t[i].cpu != -1)
			tap_ok(kube_cpu_milli(t[i].in) == t[i].cpu,
			    "cpu %s = %lld m", t[i].in, t[i].cpu);
		if (t[i].bytes != -1 || t[i].cpu == -1)
			tap_ok(kube_bytes(t[i].in) == t[i].bytes,
			    "bytes %s = %lld", t[i].in, t[i].bytes);
	}
}

static void
test_parsers(void)
{
	char *text, *git = NULL, *cause = NULL, **names = NULL, *def = NULL;
	char *nr = NULL, *phase = NULL;
	struct kube_node *v = NULL;
	size_t n = 0;
	int major, minor, total, ready;

	text = fixture("kubectl-version.json");
	tap_ok(kube_parse_version(text, &major, &minor, &git, &cause) == 0 &&
	    major == 1 && minor == 29 && strcmp(git, "v1.29.6-eks-db838b0") ==
	    0, "server version 1.29+ (EKS)");
	free(git);
	free(text);
	tap_ok(kube_parse_version("{\"clientVersion\":{}}", &major, &minor,
	    &git, &cause) == -1 && strstr(cause, "serverVersion") != NULL,
	    "no serverVersion: the cluster did not answer");
	free(cause);
	cause = NULL;
	tap_ok(kube_parse_version("Unable to connect", &major, &minor, &git,
	    &cause) == -1, "not JSON");
	free(cause);
	cause = NULL;

	text = fixture("kubectl-storageclass.json");
	tap_ok(kube_parse_classes(text, &names, &def, &cause) == 0 &&
	    names[0] != NULL && names[1] != NULL && names[2] == NULL &&
	    def != NULL && strcmp(def, "gp3") == 0,
	    "storage classes gp3 (default) and gp2");
	kube_names_free(names);
	free(def);
	free(text);
	text = fixture("kubectl-ingressclass.json");
	tap_ok(kube_parse_classes(text, &names, &def, &cause) == 0 &&
	    strcmp(names[0], "nginx") == 0 && def == NULL,
	    "ingress class nginx, no default");
	kube_names_free(names);
	free(text);

	text = fixture("kubectl-nodes.json");
	tap_ok(kube_parse_nodes(text, &v, &n, &cause) == 0 && n == 2 &&
	    v[0].ready && strcmp(v[0].arch, "amd64") == 0 &&
	    v[0].cpu_m == 7910 && v[0].cap_cpu_m == 8000 &&
	    v[0].mem == 63801972LL * 1024, "two Ready amd64 nodes");
	kube_nodes_free(v, n);
	free(text);
	text = fixture("kubectl-nodes-bad.json");
	tap_ok(kube_parse_nodes(text, &v, &n, &cause) == 0 && n == 2 &&
	    !v[1].ready && strcmp(v[1].arch, "arm64") == 0,
	    "a NotReady arm64 node");
	kube_nodes_free(v, n);
	free(text);

	text = fixture("kubectl-pods.json");
	tap_ok(kube_parse_pods(text, &total, &ready, &nr, &cause) == 0 &&
	    total == 4 && ready == 4 && *nr == '\0',
	    "4 of 4 pods ready, the finished job left out");
	free(nr);
	free(text);
	text = fixture("kubectl-pods-pending.json");
	tap_ok(kube_parse_pods(text, &total, &ready, &nr, &cause) == 0 &&
	    total == 4 && ready == 3 &&
	    strcmp(nr, "wandb-console-5b7f9c8d4-7mh2k (Pending)") == 0,
	    "3 of 4 ready, the pending one named");
	free(nr);
	free(text);

	text = fixture("kubectl-wandb.json");
	tap_ok(kube_parse_phase(text, &phase, &cause) == 0 &&
	    strcmp(phase, "Completed") == 0, "phase Completed");
	free(phase);
	free(text);
	text = fixture("kubectl-wandb-pending.json");
	tap_ok(kube_parse_phase(text, &phase, &cause) == 0 && *phase == '\0',
	    "no status yet");
	free(phase);
	free(text);
}


/* The pod JSON of a stuck or starting pod: kubectl's STATUS column
 * (kubernetes/kubernetes pkg/printers/internalversion/printers.go,
 * printPod) and the container behind it. */
#define POD(inits, conts, st, extra) \
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":" \
	"{\"initContainers\":[{\"name\":\"init-db\"},{\"name\":\"two\"}]}," \
	"\"status\":{\"phase\":\"" st "\",\"startTime\":" \
	"\"2026-03-02T09:20:11Z\"" extra ",\"initContainerStatuses\":[" \
	inits "],\"containerStatuses\":[" conts "]}}"
#define CS(name, state, restarts) \
	"{\"name\":\"" name "\",\"restartCount\":" #restarts ",\"state\":{" \
	state "}}"
#define DONE	"\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}"
#define RUNNING	"\"running\":{\"startedAt\":\"2026-03-02T09:20:14Z\"}"
#define WAITING(r) "\"waiting\":{\"reason\":\"" r "\",\"message\":\"m\"}"

static void
test_pod_states(void)
{
	static const struct {
		const char *json, *status, *container, *reason;
		int init, restarts, stuck;
	} t[] = {
		{ POD(CS("init-db", RUNNING, 0) "," CS("two", WAITING(
		    "PodInitializing"), 0), CS("app", WAITING(
		    "PodInitializing"), 0), "Pending", ""), "Init:0/2",
		  "init-db", "", 1, 0, 1 },
		{ POD(CS("init-db", DONE, 0) "," CS("two", WAITING(
		    "CrashLoopBackOff"), 4), CS("app", WAITING(
		    "PodInitializing"), 0), "Pending", ""),
		  "Init:CrashLoopBackOff", "two", "CrashLoopBackOff", 1, 4,
		  1 },
		{ POD(CS("init-db", "\"terminated\":{\"exitCode\":2,"
		    "\"reason\":\"Error\"}", 1), CS("app", WAITING(
		    "PodInitializing"), 0), "Pending", ""), "Init:Error",
		  "init-db", "", 1, 1, 1 },
		{ POD(CS("init-db", "\"terminated\":{\"exitCode\":137}", 0),
		    "", "Pending", ""), "Init:ExitCode:137", "init-db", "", 1,
		  0, 1 },
		{ POD(CS("init-db", DONE, 0) "," CS("two", DONE, 0),
		    CS("app", WAITING("CrashLoopBackOff"), 7), "Running", ""),
		  "CrashLoopBackOff", "app", "CrashLoopBackOff", 0, 7, 1 },
		{ POD(CS("init-db", DONE, 0) "," CS("two", DONE, 0),
		    CS("app", WAITING("ImagePullBackOff"), 0), "Pending", ""),
		  "ImagePullBackOff", "app", "ImagePullBackOff", 0, 0, 0 },
		{ POD(CS("init-db", DONE, 0) "," CS("two", DONE, 0),
		    CS("app", RUNNING, 0), "Running", ""), "Running", NULL,
		  NULL, 0, 0, 0 },
		{ POD("", "", "Pending", ",\"conditions\":[{\"type\":"
		    "\"PodScheduled\",\"status\":\"False\",\"message\":"
		    "\"0/3 nodes are available\"}]"), "Pending", NULL, NULL,
		  0, 0, 0 },
	};
	struct kube_pod *v = NULL;
	char *cause = NULL, *text;
	time_t now = kube_time("2026-03-02T09:40:11Z");
	size_t i, n = 0;

	tap_ok(kube_time("2026-03-02T09:20:11Z") == 1772443211 &&
	    kube_time("2026-03-02T09:20:11.532Z") == 1772443211 &&
	    kube_time("") == 0, "RFC 3339 times");
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (kube_parse_pod_states(t[i].json, &v, &n, &cause) != 0) {
			tap_ok(0, "pod %zu: %s", i, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		tap_ok(n == 1 && strcmp(v->status, t[i].status) == 0 &&
		    (t[i].container == NULL ? v->container == NULL :
		    v->container != NULL && strcmp(v->container,
		    t[i].container) == 0 && v->init == t[i].init &&
		    v->restarts == t[i].restarts && strcmp(v->reason,
		    t[i].reason) == 0) && kube_pod_stuck(v, now, 300) ==
		    t[i].stuck && !kube_pod_stuck(v, now, 3600),
		    "pod %zu: %s (%s)%s", i, v->status, v->container != NULL ?
		    v->container : "-", t[i].stuck ? ", stuck" : "");
		if (i == sizeof t / sizeof t[0] - 1)
			tap_ok(strcmp(v->message, "0/3 nodes are available") ==
			    0, "not scheduled: the scheduler's message");
		kube_pods_free(v, n);
	}

	text = fixture("kubectl-pods-init.json");
	tap_ok(kube_parse_pod_states(text, &v, &n, &cause) == 0 && n == 5 &&
	    strcmp(v[0].status, "Init:0/1") == 0 &&
	    strcmp(v[0].container, "init-db") == 0 && v[0].init &&
	    kube_pod_stuck(&v[0], now, KUBE_STUCK_S) &&
	    strcmp(v[1].status, "Running") == 0 &&
	    !kube_pod_stuck(&v[1], now, 0),
	    "a list: the app stuck in Init:0/1 on init-db, the rest running");
	kube_pods_free(v, n);
	free(text);
	text = fixture("kubectl-probe-pod.json");
	tap_ok(kube_parse_pod_states(text, &v, &n, &cause) == 0 && n == 1 &&
	    strcmp(v->phase, "Succeeded") == 0 &&
	    strcmp(v->status, "Completed") == 0, "one Pod: the probe ran");
	kube_pods_free(v, n);
	free(text);
	text = fixture("kubectl-probe-pod-pull.json");
	tap_ok(kube_parse_pod_states(text, &v, &n, &cause) == 0 && n == 1 &&
	    strcmp(v->reason, "ImagePullBackOff") == 0 &&
	    strstr(v->message, "Back-off pulling image") != NULL,
	    "one Pod: its image cannot be pulled");
	kube_pods_free(v, n);
	free(text);
	tap_ok(kube_parse_pod_states("{\"kind\":\"Service\"}", &v, &n,
	    &cause) == -1, "neither a list nor a pod");
	free(cause);
}

static void
test_stuck_hint(void)
{
	static const struct {
		const char *container, *log, *port, *want, *not;
	} t[] = {
		{ "init-db", "", "3306", "--checks mysql,cluster", "#146" },
		{ "init-db", "", "3307", "helm-charts PR #146", NULL },
		{ "app", "waiting for db\n", "3306", "--checks mysql", NULL },
		{ "migrate-db", "", "3306", "schema_migrations", NULL },
		{ "app", "x509: certificate signed by unknown authority",
		  "3306", "--checks cluster", NULL },
		{ "app", "NoSuchBucket: the bucket does not exist", "3306",
		  "--checks storage", NULL },
		{ "app", "panic: nil map", "3306", "kubectl describe pod p "
		  "--namespace wandb", NULL },
	};
	struct answers *a = answers_new();
	struct kube_pod p;
	char *hint;
	size_t i;

	memset(&p, 0, sizeof p);
	p.name = (char *)"p";
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		answers_set(a, "mysql.port", t[i].port, NULL);
		p.container = (char *)t[i].container;
		hint = kube_stuck_hint(a, &p, t[i].log);
		tap_ok(strstr(hint, t[i].want) != NULL && (t[i].not == NULL ||
		    strstr(hint, t[i].not) == NULL), "stuck %s: %s",
		    t[i].container, hint);
		free(hint);
	}
	answers_free(a);
}

static void
test_probe_report(void)
{
	struct kube_probe_line *v = NULL;
	char *text, *cause = NULL;
	size_t n = 0;
	int complete;

	text = fixture("kubectl-probe-report.txt");
	tap_ok(kube_parse_probe_report(text, &v, &n, &complete, &cause) ==
	    0 && n == 6 && complete && strcmp(v[0].test, "tls") == 0 &&
	    v[0].ok && v[0].verified && strcmp(v[0].issuer_cn, "WR3") == 0 &&
	    !v[1].ok && strcmp(v[1].error, "timed out") == 0 &&
	    strcmp(v[2].test, "tcp") == 0 && v[2].port == 3307 &&
	    v[3].ok && !v[3].verified && v[3].offered &&
	    strcmp(v[5].issuer, "CN=Corp SSL Inspection CA, O=Example Corp") ==
	    0, "the replayed report: 6 lines and the end");
	kube_probe_lines_free(v, n);
	free(text);
	tap_ok(kube_parse_probe_report("Defaulted container \"probe\"\n"
	    "{\"test\": \"tls\", \"host\": \"db\", \"port\": 3306, \"ok\": "
	    "false, \"offered\": false}\nTraceback (most recent call last):\n",
	    &v, &n, &complete, &cause) == 0 && n == 1 && !complete &&
	    !v[0].offered, "noise skipped; no end line: incomplete");
	kube_probe_lines_free(v, n);
	tap_ok(kube_parse_probe_report("error: container not found\n", &v,
	    &n, &complete, &cause) == -1 && cause != NULL,
	    "no report at all");
	free(cause);
}

/* Each answer of the Pod, and this machine's view, to a check. */
static void
test_probe_judge(void)
{
	static const struct {
		enum kube_probe_kind kind;
		const char *line, *here;
		enum check_status want;
		const char *id, *in_message;
	} t[] = {
		{ KP_EGRESS, "{\"test\":\"tls\",\"ok\":true,\"verified\":true,"
		  "\"issuer_cn\":\"WR3\"}", NULL, CHECK_PASS, "cluster.egress",
		  "reach" },
		{ KP_EGRESS, "{\"test\":\"tls\",\"ok\":false,\"error\":"
		  "\"[Errno 101] Network is unreachable\"}", NULL, CHECK_FAIL,
		  "cluster.egress", "unreachable" },
		{ KP_EGRESS, "{\"test\":\"tls\",\"ok\":true,\"verified\":false,"
		  "\"issuer\":\"CN=Zscaler Root CA\",\"issuer_cn\":"
		  "\"Zscaler Root CA\"}", NULL, CHECK_FAIL, "cluster.egress",
		  "re-signs" },
		{ KP_MYSQL, "{\"test\":\"tcp\",\"ok\":true}", NULL, CHECK_PASS,
		  "cluster.mysql", "reach" },
		{ KP_MYSQL, "{\"test\":\"tcp\",\"ok\":false,\"error\":"
		  "\"timed out\"}", NULL, CHECK_FAIL, "cluster.mysql",
		  "timed out" },
		{ KP_MYSQL_TLS, "{\"test\":\"tls\",\"ok\":false,\"offered\":"
		  "false}", NULL, CHECK_PASS, "cluster.mysql.tls", "no TLS" },
		{ KP_MYSQL_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "false,\"issuer_cn\":\"db CA\"}", NULL, CHECK_WARN,
		  "cluster.mysql.tls", "tls=preferred" },
		{ KP_BUCKET_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "true,\"issuer_cn\":\"R11\"}", "R11", CHECK_PASS,
		  "cluster.bucket.tls", "public CA" },
		{ KP_BUCKET_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "true,\"issuer_cn\":\"R11\"}", "E6", CHECK_WARN,
		  "cluster.bucket.tls", "this machine one from E6" },
		{ KP_BUCKET_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "false,\"issuer_cn\":\"Corp CA\"}", "Corp CA", CHECK_FAIL,
		  "cluster.bucket.tls", "from a private CA, which this "
		  "machine is shown too" },
		{ KP_BUCKET_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "false,\"issuer_cn\":\"Proxy CA\"}", "R11", CHECK_FAIL,
		  "cluster.bucket.tls", "intercepts TLS" },
		{ KP_BUCKET_TLS, "{\"test\":\"tls\",\"ok\":true,\"verified\":"
		  "false,\"issuer_cn\":\"Proxy CA\",\"error\":\"unable to "
		  "get local issuer certificate\"}", NULL, CHECK_FAIL,
		  "cluster.bucket.tls", "(issuer Proxy CA) is not from a CA "
		  "that the pods trust (unable to get local issuer "
		  "certificate)" },
		{ KP_BUCKET, NULL, NULL, CHECK_FAIL, "cluster.bucket",
		  "stopped before" },
	};
	struct kube_probe_target tg;
	struct kube_probe_line *v = NULL;
	struct check_list l = { NULL, 0 };
	char *text, *cause = NULL, *obj;
	size_t i, n = 0;
	int complete;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		memset(&tg, 0, sizeof tg);
		tg.kind = t[i].kind;
		tg.host = (char *)"h";
		tg.port = 443;
		tg.host_issuer_cn = (char *)t[i].here;
		n = 0;
		v = NULL;
		complete = 0;
		if (t[i].line != NULL) {
			/* The line as the Pod prints it, for host h:443. */
			obj = xstrndup(t[i].line, strlen(t[i].line) - 1);
			text = xprintf("%s,\"host\":\"h\",\"port\":443}\n"
			    "{\"test\":\"end\"}\n", obj);
			free(obj);
			if (kube_parse_probe_report(text, &v, &n, &complete,
			    &cause) != 0) {
				free(cause);
				cause = NULL;
			}
			free(text);
		}
		kube_probe_judge(&tg, 1, v, n, complete, &l);
		tap_ok(l.n == 1 && l.v[0].status == t[i].want &&
		    strcmp(l.v[0].id, t[i].id) == 0 && strcmp(l.v[0].target,
		    "h:443") == 0 && strstr(l.v[0].message,
		    t[i].in_message) != NULL, "judge %zu: %s %s: %s", i,
		    l.n == 1 ? l.v[0].id : "?", l.n == 1 ?
		    check_status_name(l.v[0].status) : "?", l.n == 1 ?
		    l.v[0].message : "");
		if (t[i].want == CHECK_FAIL && t[i].kind != KP_MYSQL &&
		    t[i].kind != KP_BUCKET && t[i].kind != KP_EGRESS)
			tap_ok(l.n == 1 && strstr(l.v[0].hint, "customCACerts") !=
			    NULL && strstr(l.v[0].hint, ".crt") != NULL,
			    "judge %zu: the hint names customCACerts and .crt",
			    i);
		checks_free(&l);
		kube_probe_lines_free(v, n);
	}
}

static void
test_wandb_lines(void)
{
	static const struct {
		const char *line;
		int ok;
		enum check_status st;
		const char *id, *text;
	} t[] = {
		{ "Checking if logged in.........................✅", 1,
		  CHECK_PASS, "wandb.if_logged_in", "Checking if logged in" },
		{ "Checking signed URL upload....................❌", 1,
		  CHECK_FAIL, "wandb.signed_url_upload",
		  "Checking signed URL upload" },
		{ "Checking CORs configuration of the bucket.....⚠", 1,
		  CHECK_WARN, "wandb.cors_configuration_of_the_bucket",
		  "Checking CORs configuration of the bucket" },
		{ "Default host selected:  https://wandb.test", 0, CHECK_PASS,
		  NULL, NULL },
		{ "✅", 0, CHECK_PASS, NULL, NULL },
	};
	enum check_status st;
	char *id, *text;
	size_t i;
	int ok;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		id = text = NULL;
		ok = verify_wandb_line(t[i].line, &st, &id, &text);
		tap_ok(ok == t[i].ok && (!ok || (st == t[i].st &&
		    strcmp(id, t[i].id) == 0 && strcmp(text, t[i].text) ==
		    0)), "wandb verify line %zu: %s", i, ok ? id : "none");
		free(id);
		free(text);
	}
}

/* verify.host: global.host against the origin users type. */
static void
test_origin(void)
{
	static const struct {
		const char *host;
		const char *part;	/* NULL: the same origin */
	} t[] = {
		{ "https://wandb.test", NULL },
		{ "https://wandb.test/", NULL },
		{ "https://WANDB.test:443", NULL },
		{ "HTTPS://wandb.test", NULL },
		{ "http://wandb.test", "scheme" },
		{ "http://wandb.test:443", "scheme" },
		{ "https://wandb.test:8443", "port" },
		{ "https://other.test", "host" },
		{ "https://wandb.test/wandb", "path" },
		{ "wandb.test", "not a URL" },
	};
	char *why;
	size_t i;
	int rc;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		rc = verify_origin_cmp("https://wandb.test", t[i].host, &why);
		tap_ok(t[i].part == NULL ? rc == 0 && why == NULL : rc == -1 &&
		    why != NULL && strstr(why, t[i].part) != NULL,
		    "origin https://wandb.test, global.host %s: %s", t[i].host,
		    why != NULL ? why : "same");
		free(why);
	}
}

static void
test_runner(void)
{
	const char *a1[] = { "kubectl", "apply", "-f", "-", NULL };
	const char *a2[] = { "sh", "-c", "echo $0; echo it's", "x y", "",
		NULL };
	const char *cat[] = { "cat", NULL };
	const char *err[] = { "sh", "-c", "echo out; echo oops >&2; exit 3",
		NULL };
	const char *slow[] = { "sleep", "5", NULL };
	const char *none[] = { "wbinstall-no-such-program", NULL };
	struct run_result res;
	struct runner r;
	char *s, *cause = NULL, *big;
	size_t n = 300000;

	s = runner_format(a1);
	tap_ok(strcmp(s, "kubectl apply -f -") == 0, "format plain: %s", s);
	free(s);
	s = runner_format(a2);
	tap_ok(strcmp(s, "sh -c 'echo $0; echo it'\\''s' 'x y' ''") == 0,
	    "format quoted: %s", s);
	free(s);
	s = runner_tail("a\nb\nc\nd\n\n", 2);
	tap_ok(strcmp(s, "c\nd") == 0, "tail 2");
	free(s);
	s = runner_tail("only", 5);
	tap_ok(strcmp(s, "only") == 0, "tail of one line");
	free(s);

	runner_local(&r, NULL);
	big = xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	tap_ok(runner_run(&r, cat, big, n, "300 kB", 10000, &res, &cause) ==
	    0 && res.status == 0 && res.outlen == n && memcmp(res.out, big,
	    n) == 0, "stdin in, stdout out (300 kB each way)");
	run_result_free(&res);
	free(big);
	tap_ok(runner_run(&r, err, NULL, 0, NULL, 10000, &res, &cause) == 0 &&
	    res.status == 3 && strcmp(res.out, "out\n") == 0 &&
	    strcmp(res.err, "oops\n") == 0, "exit status and stderr apart");
	run_result_free(&res);
	tap_ok(runner_run(&r, slow, NULL, 0, NULL, 300, &res, &cause) == -1 &&
	    strstr(cause, "did not finish") != NULL, "a timeout kills it");
	free(cause);
	cause = NULL;
	run_result_free(&res);
	tap_ok(runner_run(&r, none, NULL, 0, NULL, 10000, &res, &cause) == 0 &&
	    res.status == 127, "a missing program exits 127");
	run_result_free(&res);
	tap_ok(runner_have(&r, "sh", &cause) == 1 &&
	    runner_have(&r, "wbinstall-no-such-program", &cause) == 0,
	    "runner_have");
	runner_close(&r);
}

static void
test_journal(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *answers, *cause = NULL, *p, d1[65], d2[65], d3[65];
	struct journal j, j2;
	const struct jentry *e;
	struct stat sb;

	dir = xprintf("%s/wb-journal.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		free(dir);
		tap_ok(0, "mkdtemp");
		return;
	}
	answers = xprintf("%s/answers.yaml", dir);
	p = journal_dir_for(answers);
	tap_ok(journal_open(&j, answers, 1, &cause) == 0 && j.n == 0 &&
	    stat(p, &sb) == -1, "read only: empty, nothing created");
	journal_close(&j);
	tap_ok(journal_open(&j, answers, 0, &cause) == 0 &&
	    stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "the state dir is made 0700");
	tap_ok(journal_open(&j2, answers, 0, &cause) == -1 &&
	    strstr(cause, "another wbinstall") != NULL,
	    "a second open is refused while the first holds the lock");
	free(cause);
	cause = NULL;
	tap_ok(journal_set(&j, "render", JS_DONE, "abc", NULL, &cause) == 0 &&
	    journal_set(&j, "operator", JS_FAILED, "def", "helm exited 1",
	    &cause) == 0, "set two actions");
	journal_close(&j);
	free(p);
	p = xprintf("%s/" JOURNAL_DIR "/" JOURNAL_FILE, dir);
	tap_ok(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "journal.json is 0600");
	tap_ok(journal_open(&j, answers, 1, &cause) == 0 && j.n == 2 &&
	    (e = journal_get(&j, "operator")) != NULL &&
	    e->state == JS_FAILED && strcmp(e->inputs, "def") == 0 &&
	    strcmp(e->message, "helm exited 1") == 0 &&
	    journal_get(&j, "render")->state == JS_DONE, "read back");
	tap_ok(journal_set(&j, "x", JS_DONE, NULL, NULL, &cause) == -1,
	    "a read-only journal refuses changes");
	free(cause);
	cause = NULL;
	journal_digest(&j, "pw", 2, d1);
	journal_close(&j);
	tap_ok(journal_open(&j, answers, 1, &cause) == 0, "open again");
	journal_digest(&j, "pw", 2, d2);
	journal_digest(NULL, "pw", 2, d3);
	tap_ok(strlen(d1) == 64 && strcmp(d1, d2) == 0 &&
	    strcmp(d1, d3) != 0, "the digest is keyed: the same under one "
	    "journal, another without its key");
	journal_close(&j);
	sha256_hex("pw", 2, d3);
	tap_ok(strcmp(d1, d3) != 0, "the digest is not a bare SHA-256");
	free(p);
	p = xprintf("%s/" JOURNAL_DIR "/" JOURNAL_KEY, dir);
	tap_ok(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600 &&
	    sb.st_size == JOURNAL_KEY_LEN, "the journal key is 0600");
	free(p);
	p = xprintf("%s/" JOURNAL_DIR "/" JOURNAL_FILE, dir);
	write_file_atomic(p, "{\"x\":", 5, 0600, &cause);
	tap_ok(journal_open(&j, answers, 1, &cause) == -1 &&
	    strstr(cause, "not a wbinstall journal") != NULL,
	    "a broken journal is named");
	free(cause);
	free(p);
	p = xprintf("rm -rf '%s'", dir);
	if (system(p) != 0)
		tap_diag("cannot remove %s", dir);
	free(p);
	free(answers);
	free(dir);
}

static char *
fake_path(void *arg, const char *key)
{
	return xprintf("%s:%s", (const char *)arg, key);
}

/* plan_ctx_from_answers() and the others: what `install`, `upgrade` and
 * the wizard hand the plan is the answers plus the flags, nothing else. */
static void
test_from_answers(void)
{
	static const char yaml[] = "version: 1\ndeployment:\n  platform: "
	    "kubernetes\ndomain:\n  fqdn: wandb.example.com\nairgap:\n"
	    "  enabled: true\n  bundle: b.tar\n  registry: r:5000\n";
	struct answers_resolver res = { NULL, fake_path, (void *)"wiz" };
	struct answers_errors errs = { NULL, 0 };
	struct run_flags f;
	struct plan_ctx c;
	struct plan_push pp;
	struct preflight_opts po;
	struct verify_opts vo;
	struct upgrade_opts uo;
	struct answers *a, *nofile;
	struct runner r;
	atomic_int cancel = 0;
	char *cause = NULL;

	a = answers_load_buffer("site/answers.yaml", yaml, sizeof yaml - 1,
	    &errs);
	if (a == NULL) {
		tap_ok(0, "answers load");
		answers_errors_clear(&errs);
		return;
	}
	memset(&f, 0, sizeof f);
	tap_ok(plan_ctx_from_answers(a, NULL, &f, &c, &cause) == 0 &&
	    c.a == a && c.wait_timeout_s == PLAN_WAIT_TIMEOUT_DEFAULT &&
	    c.out == stdout && !c.dry_run && !c.force && c.ca_file == NULL &&
	    c.connect_to == NULL && c.cancel == NULL && c.journal == NULL &&
	    strcmp(c.render_dir, "site/" JOURNAL_DIR "/rendered") == 0,
	    "no flags: the defaults, the state beside the answers file");
	plan_ctx_free(&c);
	f.dry_run = f.force = 1;
	f.wait_timeout_s = 5;
	f.ca_file = "ca.pem";
	f.connect_to = "h:443:127.0.0.1:8443";
	f.cancel = &cancel;
	f.out = stderr;
	tap_ok(plan_ctx_from_answers(a, &res, &f, &c, &cause) == 0 &&
	    c.dry_run && c.force && c.wait_timeout_s == 5 &&
	    strcmp(c.ca_file, "ca.pem") == 0 &&
	    strcmp(c.connect_to, "h:443:127.0.0.1:8443") == 0 &&
	    c.cancel == &cancel && c.out == stderr && c.resolve == &res,
	    "every flag reaches the plan's context");
	tap_ok(plan_push_init(&c, &pp, &cause) == 0 &&
	    strcmp(pp.file, "wiz:airgap.bundle") == 0 &&
	    strcmp(pp.o.registry, "r:5000") == 0,
	    "the plan's push reads the answers through the resolver");
	plan_push_free(&pp);
	plan_ctx_free(&c);
	nofile = answers_new();
	tap_ok(plan_ctx_from_answers(nofile, NULL, &f, &c, &cause) == -1 &&
	    cause != NULL, "answers with no file have no plan");
	free(cause);
	cause = NULL;
	plan_ctx_free(&c);
	answers_free(nofile);

	f.parallel = 4;
	f.no_disk_bench = 1;
	f.create_bucket = 1;
	f.no_probe = 1;
	preflight_opts_from_flags(&res, &f, &po);
	tap_ok(po.parallel == 4 && !po.disk_bench && po.create_bucket &&
	    po.no_probe && po.cancel == &cancel && po.resolve == &res &&
	    po.progress == NULL, "the preflight's options from the flags");
	memset(&f, 0, sizeof f);
	preflight_opts_from_flags(NULL, &f, &po);
	tap_ok(po.disk_bench && !po.create_bucket && !po.no_probe &&
	    po.parallel == 0 && po.cancel == NULL && po.resolve == NULL,
	    "no flags: `wbinstall preflight`'s defaults");
	verify_opts_from_flags(&f, NULL, &vo);
	tap_ok(vo.wandb && vo.ca_file == NULL && vo.connect_to == NULL &&
	    vo.run == NULL, "verify: wandb verify runs, here, by default");
	f.no_wandb = 1;
	f.ca_file = "ca.pem";
	f.connect_to = "h:443:127.0.0.1:8443";
	verify_opts_from_flags(&f, &r, &vo);
	tap_ok(!vo.wandb && strcmp(vo.ca_file, "ca.pem") == 0 &&
	    strcmp(vo.connect_to, "h:443:127.0.0.1:8443") == 0 &&
	    vo.run == &r, "verify: the flags and the runner");

	memset(&f, 0, sizeof f);
	upgrade_opts_from_answers(a, &f, "new.tar", &uo);
	tap_ok(strcmp(uo.file, "site/answers.yaml") == 0 &&
	    strcmp(uo.bundle, "new.tar") == 0 &&
	    strcmp(uo.backup_dir, UPGRADE_BACKUP_DIR_DEFAULT) == 0 &&
	    !uo.force && !uo.confirmed && !uo.downgrade && !uo.migrate,
	    "upgrade: the answers file, the bundle, a dump where it goes by "
	    "default");
	f.force = f.backup_confirmed = f.allow_downgrade = f.migrate = 1;
	f.backup_dir = "/srv/dumps";
	upgrade_opts_from_answers(a, &f, "new.tar", &uo);
	tap_ok(uo.force && uo.confirmed && uo.downgrade && uo.migrate &&
	    strcmp(uo.backup_dir, "/srv/dumps") == 0,
	    "upgrade: every flag reaches its options");
	answers_free(a);
}

int
main(void)
{
	test_quantities();
	test_parsers();
	test_pod_states();
	test_stuck_hint();
	test_probe_report();
	test_probe_judge();
	test_wandb_lines();
	test_origin();
	test_runner();
	test_journal();
	test_from_answers();
	return tap_done();
}
