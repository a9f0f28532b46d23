/*
 * The "hosts" preflight family: every target over SSH, at the same time,
 * against the seed sizing tables (sizing.c).
 *
 * A bounded pool of threads takes the targets one by one; each host has
 * one connection and its own deadlines (ssh.timeout_s), so a dead or
 * silent host fails on time while the others finish.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers-resolve.h"
#include "answers.h"
#include "check.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"
#include "probe.h"
#include "sizing.h"
#include "ssh.h"
#include "storage-url.h"
#include "xmalloc.h"

/* Threads when --parallel is not given. */
#define HOSTS_MAX_THREADS	128
/*
 * Seconds the disk benchmark measures, and where it writes.  A build with
 * the test hooks (./configure --enable-test-hooks) lets the tests set them
 * with WB_DISK_BENCH_SECONDS and WB_DISK_BENCH_DIR; a release has none,
 * and no option for them either: they are part of what hw.disk_bandwidth
 * means (a shorter run measures the page cache's flush, another directory
 * another disk, and the requirement would no longer be the sizing
 * table's), and a host that must not be written to has --no-disk-bench.
 */
#define DISK_BENCH_SECONDS	3.0
/* Where the disk benchmark writes (not /tmp: often a tmpfs). */
#define DISK_BENCH_DIR		"/var/tmp"
/* Longest a reachability test waits for one endpoint. */
#define REACH_TIMEOUT_S		10
/*
 * Commands get ssh.timeout_s plus this much: ssh.timeout_s bounds the
 * connection, and a busy host may take a while to start a shell.
 */
#define EXEC_SLACK_MS		30000
/* Filesystems and memory: the kernel and mkfs keep a little. */
#define SIZE_SLACK		0.95
/* os.time_skew: warn above, fail above (SigV4 allows 15 minutes). */
#define SKEW_WARN_S		5.0
#define SKEW_FAIL_S		900.0

/* Endpoints a connected install needs (reference architecture). */
static const char *const egress_hosts[] = {
	"deploy.wandb.ai", "charts.wandb.ai", "docker.io", "quay.io", "gcr.io",
};
#define NEGRESS (sizeof egress_hosts / sizeof egress_hosts[0])

/* The ids every target gets, in this order. */
static const char *const host_ids[] = {
	"ssh.connect", "ssh.hostkey", "ssh.auth", "hw.arch", "hw.cpu",
	"hw.memory", "hw.disk_size", "hw.disk_bandwidth", "hw.nic_speed",
	"os.time_skew", "net.egress", "net.reach",
};
#define NHOST_IDS (sizeof host_ids / sizeof host_ids[0])

/* What a host must have: the sum of its roles' rows. */
struct need {
	int cores, mem_gb, disk_gb, disk_mbit, nic_mbit;
	char *what;		/* "Kubernetes worker node + MySQL node" */
	const char *source;
};

struct hosts_run {
	const struct answers *a;
	const struct preflight_opts *po;
	struct check_list *out;
	pthread_mutex_t lock;
	size_t next;		/* next target to take */
	char **labels;		/* "host" or "host:port", per target */
	double disk_seconds;
	const char *disk_dir;	/* where the benchmark writes */
	const char *data_dir;	/* deployment.data_path */
};

/* One target being checked. */
struct host {
	struct hosts_run *run;
	size_t idx;
	const char *label;
	const char *host;
	int port;
	struct ssh_conf conf;
	struct need need;
	int done[NHOST_IDS];	/* ids reported so far */
};

static void
progress(struct host *h, const char *what)
{
	const struct preflight_opts *po = h->run->po;

	if (po->progress != NULL)
		po->progress(po->progress_arg, h->label, what);
}

static void
mark(struct host *h, const char *id)
{
	size_t i;

	for (i = 0; i < NHOST_IDS; i++)
		if (strcmp(host_ids[i], id) == 0)
			h->done[i] = 1;
}

#define ADD(h, id, st, obs, req, hint, ...) do {			\
	mark((h), (id));						\
	checks_add((h)->run->out, (h)->label, (id), (st), (obs), (req),	\
	    (hint), __VA_ARGS__);					\
} while (0)

/* Report every id not reported yet as skipped, with WHY. */
static void
skip_rest(struct host *h, const char *why)
{
	size_t i;

	for (i = 0; i < NHOST_IDS; i++)
		if (!h->done[i])
			ADD(h, host_ids[i], CHECK_SKIP, NULL, NULL, NULL, "%s",
			    why);
}

static void
need_init(struct need *n, const struct answers *a, size_t idx)
{
	static const char *const roles[] = { "app", "db" };
	const struct sizing *s;
	char *w;
	size_t i;

	memset(n, 0, sizeof *n);
	for (i = 0; i < 2; i++) {
		if (!answers_target_has_role(a, idx, roles[i]))
			continue;
		s = sizing_for(answers_get(a, "deployment.platform"),
		    answers_get(a, "deployment.products"),
		    answers_get(a, "deployment.environment"), roles[i]);
		if (s == NULL)
			continue;
		n->cores += s->cores;
		n->mem_gb += s->mem_gb;
		n->disk_gb += s->disk_gb;
		if (s->disk_mbit > n->disk_mbit)
			n->disk_mbit = s->disk_mbit;
		if (s->nic_mbit > n->nic_mbit)
			n->nic_mbit = s->nic_mbit;
		n->source = s->source;
		if (n->what == NULL)
			n->what = xstrdup(_(s->what));
		else {
			xasprintf(&w, "%s + %s", n->what, _(s->what));
			free(n->what);
			n->what = w;
		}
	}
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run SCRIPT on the host with sh, within TIMEOUT_MS. */
static char *
run_script(struct ssh_conn *c, const char *script, int timeout_ms,
    char **cause)
{
	char *out, *err = NULL;
	int status = -1;

	if (ssh_exec(c, "sh -s", script, strlen(script), timeout_ms, &out,
	    NULL, &err, &status, cause) != 0)
		return NULL;
	if (status != 0 && *out == '\0') {
		err[strcspn(err, "\n")] = '\0';
		*cause = xprintf(_("sh exited with status %d: %s"), status,
		    err);
		free(out);
		out = NULL;
	}
	free(err);
	return out;
}

static void
check_ssh(struct host *h, const struct ssh_report *rep, const char *cause)
{
	const char *file = h->run->a->path != NULL ? h->run->a->path :
	    "FILE";
	char *hint, *obs;

	if (rep->failed == SSH_STAGE_CONNECT) {
		xasprintf(&hint, _("Check that %s is up, that sshd listens on "
		    "port %d and that no firewall drops it; on a slow link "
		    "raise ssh.timeout_s."), h->host, h->port);
		ADD(h, "ssh.connect", CHECK_FAIL, _("unreachable"), NULL, hint,
		    "%s", cause);
		free(hint);
		return;
	}
	xasprintf(&obs, "%.0f ms", rep->connect_ms);
	ADD(h, "ssh.connect", CHECK_PASS, obs, NULL, NULL, "%s",
	    rep->banner);
	free(obs);

	switch (rep->key_state) {
	case SSH_KEY_MATCH:
		ADD(h, "ssh.hostkey", CHECK_PASS, rep->fingerprint, NULL, NULL,
		    _("%s key as in %s"), rep->key_type, h->conf.known_hosts);
		break;
	case SSH_KEY_RECORDED:
		ADD(h, "ssh.hostkey", CHECK_PASS, rep->fingerprint, NULL, NULL,
		    _("new host: its %s key was recorded in %s "
		    "(accept-new)"), rep->key_type, h->conf.known_hosts);
		break;
	case SSH_KEY_UNKNOWN:
		xasprintf(&hint, _("Check the fingerprint with the host's "
		    "administrator, then run: wbinstall hosts trust %s "
		    "--answers %s"), h->label, file);
		ADD(h, "ssh.hostkey", CHECK_FAIL, rep->fingerprint,
		    _("a known host key"), hint, "%s", cause);
		free(hint);
		return;
	case SSH_KEY_CHANGED:
		obs = ssh_hostspec(h->host, h->port);
		xasprintf(&hint, _("Do not go on until you know why. If the "
		    "host was reinstalled, remove its old key (ssh-keygen -R "
		    "'%s' -f %s) and run: wbinstall hosts trust %s --answers "
		    "%s"), obs, h->conf.known_hosts, h->label, file);
		ADD(h, "ssh.hostkey", CHECK_FAIL, rep->fingerprint,
		    _("the known host key"), hint, "%s", cause);
		free(hint);
		free(obs);
		return;
	default:
		ADD(h, "ssh.hostkey", CHECK_FAIL, NULL, NULL, NULL, "%s",
		    cause);
		return;
	}
	if (rep->failed == SSH_STAGE_AUTH) {
		ADD(h, "ssh.auth", CHECK_FAIL, _("refused"), NULL,
		    _("Set ssh.identity (and ssh.passphrase), load the key "
		    "into an ssh-agent, or set ssh.password; check that the "
		    "public key is in the user's authorized_keys."), "%s",
		    cause);
		return;
	}
	ADD(h, "ssh.auth", CHECK_PASS, rep->auth_method, NULL, NULL,
	    _("logged in as %s"), h->conf.user);
}

static int
has_need(const struct host *h)
{
	return h->need.what != NULL;
}

static void
check_hw(struct host *h, const struct probe_facts *f)
{
	const struct probe_df *root, *data;
	char req[64], obs[128], *hint;
	enum check_status st;
	double gb;

	if (strcmp(f->arch, "x86_64") == 0 || strcmp(f->arch, "amd64") == 0)
		ADD(h, "hw.arch", CHECK_PASS, f->arch, "x86_64", NULL,
		    "%s", f->cpu_model != NULL ? f->cpu_model : f->arch);
	else
		ADD(h, "hw.arch", has_need(h) ? CHECK_FAIL : CHECK_WARN,
		    f->arch, "x86_64", _("Use x86_64 (Intel or AMD) hosts."),
		    _("W&B runs on x86_64 only; ARM and other "
		    "architectures are not supported"));

	if (!has_need(h)) {
		skip_rest(h, _("no sizing for this host's roles "
		    "(control)"));
		return;
	}
	snprintf(req, sizeof req, ">= %d", h->need.cores);
	snprintf(obs, sizeof obs, "%d", f->cpus);
	if (f->cpus == 0)
		ADD(h, "hw.cpu", CHECK_WARN, "?", req, NULL, "%s",
		    _("cannot count the processors in /proc/cpuinfo"));
	else
		ADD(h, "hw.cpu", f->cpus >= h->need.cores ? CHECK_PASS :
		    CHECK_FAIL, obs, req, _("Give the host more CPU cores."),
		    _("%d logical cores; a %s needs %d (%s)"), f->cpus,
		    h->need.what, h->need.cores, h->need.source);

	snprintf(req, sizeof req, ">= %d GB", h->need.mem_gb);
	gb = (double)f->mem_kb * 1024 / 1e9;
	snprintf(obs, sizeof obs, "%.1f GB", gb);
	if (f->mem_kb < 0)
		ADD(h, "hw.memory", CHECK_WARN, "?", req, NULL, "%s",
		    _("cannot read MemTotal in /proc/meminfo"));
	else
		ADD(h, "hw.memory", gb >= h->need.mem_gb * SIZE_SLACK ?
		    CHECK_PASS : CHECK_FAIL, obs, req,
		    _("Give the host more memory."),
		    _("%.1f GB of memory; a %s needs %d GB (%s)"), gb,
		    h->need.what, h->need.mem_gb, h->need.source);

	snprintf(req, sizeof req, ">= %d GB", h->need.disk_gb);
	root = probe_df_for(f, "/");
	data = probe_df_for(f, h->run->data_dir);
	if (data == NULL)
		data = root;
	if (data == NULL) {
		ADD(h, "hw.disk_size", CHECK_WARN, "?", req, NULL,
		    _("df printed nothing for / and %s"), h->run->data_dir);
		return;
	}
	gb = (double)data->size_kb * 1024 / 1e9;
	st = gb >= h->need.disk_gb * SIZE_SLACK ? CHECK_PASS : CHECK_FAIL;
	hint = xprintf(_("Grow the filesystem that holds %s to %d GB."),
	    h->run->data_dir, h->need.disk_gb);
	if (root != NULL && root != data) {
		snprintf(obs, sizeof obs, "/ %.0f GB, %s %.0f GB",
		    (double)root->size_kb * 1024 / 1e9, data->mount, gb);
		if (st == CHECK_PASS && (double)root->size_kb * 1024 / 1e9 <
		    h->need.disk_gb * SIZE_SLACK)
			st = CHECK_WARN;
	} else
		snprintf(obs, sizeof obs, "%.0f GB", gb);
	ADD(h, "hw.disk_size", st, obs, req, hint,
	    _("%s is on %s (%.0f GB, %.0f GB free); a %s needs %d GB (%s)"),
	    h->run->data_dir, data->mount, gb,
	    (double)data->avail_kb * 1024 / 1e9, h->need.what,
	    h->need.disk_gb, h->need.source);
	free(hint);
}

static void
check_nic(struct host *h, const struct probe_facts *f)
{
	char req[64] = "", obs[64];
	enum check_status unknown;

	if (h->need.nic_mbit > 0)
		snprintf(req, sizeof req, _(">= %d Mbit/s (recommended)"),
		    h->need.nic_mbit);
	unknown = h->need.nic_mbit > 0 ? CHECK_WARN : CHECK_SKIP;
	if (f->route_if == NULL) {
		ADD(h, "hw.nic_speed", unknown, _("no default route"), req,
		    NULL, "%s", _("the host has no default route, so its "
		    "main network interface is unknown"));
		return;
	}
	if (f->nic_mbit < 0) {
		ADD(h, "hw.nic_speed", unknown, f->route_if, req, NULL,
		    _("%s does not report a link speed in /sys (a virtual "
		    "NIC?)"), f->route_if);
		return;
	}
	snprintf(obs, sizeof obs, "%s %d Mbit/s", f->route_if, f->nic_mbit);
	ADD(h, "hw.nic_speed", f->nic_mbit >= h->need.nic_mbit ? CHECK_PASS :
	    CHECK_WARN, obs, req, _("10 GbE is recommended for bare-metal "
	    "W&B servers."), _("%s links at %d Mbit/s"), f->route_if,
	    f->nic_mbit);
}

static void
check_skew(struct host *h, const struct probe_facts *f, double t0, double t1)
{
	char obs[64], req[64];
	double skew, abs;

	snprintf(req, sizeof req, "<= %.0f s", SKEW_WARN_S);
	if (f->remote_time <= 0) {
		ADD(h, "os.time_skew", CHECK_WARN, "?", req, NULL, "%s",
		    _("cannot read the host's clock"));
		return;
	}
	/*
	 * The remote clock was read somewhere between t0 and t1: report
	 * the smallest skew that is certain, so a slow link is no skew.
	 */
	if (f->remote_time < t0)
		skew = f->remote_time - t0;
	else if (f->remote_time > t1)
		skew = f->remote_time - t1;
	else
		skew = 0;
	abs = skew < 0 ? -skew : skew;
	snprintf(obs, sizeof obs, "%+.1f s", skew);
	ADD(h, "os.time_skew", abs > SKEW_FAIL_S ? CHECK_FAIL : abs >
	    SKEW_WARN_S ? CHECK_WARN : CHECK_PASS, obs, req,
	    _("Run NTP (chrony or systemd-timesyncd) on every host; S3 "
	    "signatures (SigV4) fail beyond 15 minutes of skew."),
	    _("the host's clock is %+.1f s off this machine's"), skew);
}

static void
check_disk(struct host *h, const char *out, const char *why)
{
	struct probe_disk d;
	char *cause = NULL, obs[64], req[64] = "";

	if (h->need.disk_mbit > 0)
		snprintf(req, sizeof req, ">= %d Mbit/s", h->need.disk_mbit);
	if (!h->run->po->disk_bench) {
		ADD(h, "hw.disk_bandwidth", CHECK_SKIP, NULL, req, NULL, "%s",
		    _("skipped (--no-disk-bench)"));
		return;
	}
	if (out == NULL || probe_parse_disk(out, &d, &cause) != 0) {
		ADD(h, "hw.disk_bandwidth", CHECK_WARN, "?", req, NULL, "%s",
		    out == NULL ? why : cause);
		free(cause);
		return;
	}
	snprintf(obs, sizeof obs, "%.0f MB/s (%.0f Mbit/s)", d.mb_s,
	    d.mbit_s);
	ADD(h, "hw.disk_bandwidth", d.mbit_s >= h->need.disk_mbit ?
	    CHECK_PASS : CHECK_FAIL, obs, req, _("Put the data on a faster "
	    "disk (NVMe SSD)."), _("sequential write, O_DIRECT, 1 MiB "
	    "blocks, fdatasync: %lld MiB in %.2f s in %s"),
	    d.bytes / 1048576, (double)d.ns / 1e9, h->run->disk_dir);
}

/* The object store's host and port, from storage.*. */
static char *
storage_endpoint(const struct answers *a, int *port, char **cause)
{
	struct storage_conf sc;
	char *host = NULL;

	if (storage_conf_resolve(a, &sc, cause) != 0)
		return NULL;
	*port = sc.port != 0 ? sc.port : sc.tls ? 443 : 80;
	if (sc.host != NULL)
		host = xstrdup(sc.host);
	else if (strcmp(sc.provider, "s3") == 0)
		host = xprintf("s3.%s.amazonaws.com", sc.region != NULL &&
		    *sc.region != '\0' ? sc.region : "us-east-1");
	else if (strcmp(sc.provider, "gcs") == 0)
		host = xstrdup("storage.googleapis.com");
	else
		*cause = xstrdup(_("set storage.endpoint to the storage "
		    "account's host"));
	storage_conf_free(&sc);
	return host;
}

static const char *
reach_state(const struct probe_reach *r)
{
	if (r->ok)
		return strcmp(r->tool, "curl") == 0 ||
		    strcmp(r->tool, "openssl") == 0 ? _("TLS ok") : _("ok");
	if (strcmp(r->tool, "curl") == 0) {
		switch (r->rc) {
		case 6:
			return _("no DNS");
		case 7:
			return _("no connection");
		case 28:
			return _("timeout");
		case 35:
			return _("TLS failed");
		case 60:
			return _("untrusted TLS");
		}
	}
	if (r->rc == 124)
		return _("timeout");
	return _("unreachable");
}

/* What net.egress and net.reach test from a host. */
struct net_plan {
	struct probe_endpoint ep[NEGRESS + 2];
	size_t n, negress;
	char *shost;		/* the object store's host */
	char *scause;		/* why it is unknown */
	int timeout_s;
};

static void
net_plan(struct host *h, struct net_plan *np)
{
	const struct answers *a = h->run->a;
	size_t i;
	int sport = 0;

	memset(np, 0, sizeof *np);
	if (!answers_get_bool(a, "airgap.enabled")) {
		for (i = 0; i < NEGRESS; i++) {
			np->ep[np->n].host = egress_hosts[i];
			np->ep[np->n].port = 443;
			np->ep[np->n++].tls = 1;
		}
	}
	np->negress = np->n;
	np->shost = storage_endpoint(a, &sport, &np->scause);
	if (np->shost != NULL) {
		np->ep[np->n].host = np->shost;
		np->ep[np->n++].port = sport;
	}
	if (*answers_get(a, "mysql.host") != '\0') {
		np->ep[np->n].host = answers_get(a, "mysql.host");
		np->ep[np->n++].port = (int)answers_get_int(a, "mysql.port");
	}
	np->timeout_s = h->conf.timeout_ms / 1000;
	if (np->timeout_s > REACH_TIMEOUT_S)
		np->timeout_s = REACH_TIMEOUT_S;
}

static void
check_net(struct host *h, struct net_plan *np, const char *out,
    const char *why)
{
	struct probe_reach res[NEGRESS + 2];
	const struct probe_endpoint *ep = np->ep;
	char req[256], *cause = NULL;
	size_t i;

	if (np->negress == 0)
		ADD(h, "net.egress", CHECK_SKIP, _("air-gapped"), NULL, NULL,
		    "%s", _("skipped: an air-gapped install "
		    "(airgap.enabled) needs no internet access"));
	if (out != NULL && probe_parse_reach(out, np->n, res, &cause) != 0)
		log_info("%s: %s", h->label, cause);
	free(cause);
	for (i = 0; i < np->n; i++) {
		const char *id = i < np->negress ? "net.egress" : "net.reach";

		if (i < np->negress)
			snprintf(req, sizeof req, "HTTPS %s", ep[i].host);
		else
			snprintf(req, sizeof req, "TCP %s:%d (%s)",
			    ep[i].host, ep[i].port, ep[i].host == np->shost ?
			    _("object store") : "MySQL");
		if (out == NULL) {
			ADD(h, id, CHECK_FAIL, "?", req, NULL, "%s", why);
			continue;
		}
		if (res[i].ok) {
			ADD(h, id, CHECK_PASS, reach_state(&res[i]), req,
			    NULL, _("%s reaches %s:%d"), h->label,
			    ep[i].host, ep[i].port);
			continue;
		}
		ADD(h, id, CHECK_FAIL, reach_state(&res[i]), req,
		    i < np->negress ? _("Open outbound HTTPS (443) from the "
		    "host to this endpoint (through the proxy, if there is "
		    "one), or install offline with airgap.enabled: true.") :
		    _("W&B hosts need the object store and MySQL; training "
		    "machines and users' browsers need to reach the object "
		    "store the same way (presigned URLs): open the firewall "
		    "for all of them."), _("%s cannot reach %s:%d: %s (%s)"),
		    h->label, ep[i].host, ep[i].port,
		    *res[i].message != '\0' ? res[i].message :
		    _("no message"), res[i].tool);
	}
	if (out != NULL)
		probe_reach_free(res, np->n);
	if (np->shost == NULL)
		ADD(h, "net.reach", CHECK_WARN, "?", NULL, NULL,
		    _("cannot tell the object store's endpoint: %s"),
		    np->scause);
	if (*answers_get(h->run->a, "mysql.host") == '\0')
		ADD(h, "net.reach", CHECK_SKIP, NULL, NULL, NULL, "%s",
		    _("mysql.host is not set"));
	free(np->shost);
	free(np->scause);
}

/*
 * One command a host: the facts first (the clock is read before the
 * first byte comes back), then the disk benchmark and the network
 * tests, each in a subshell.  Returns the script and its time budget.
 */
static char *
host_script(struct host *h, const struct net_plan *np, int *ms)
{
	char *disk = NULL, *reach = NULL, *facts, *s;
	int bench = has_need(h) && h->run->po->disk_bench;

	*ms = h->conf.timeout_ms + EXEC_SLACK_MS;
	if (bench) {
		disk = probe_disk_script(h->run->disk_seconds,
		    h->run->disk_dir);
		*ms += (int)(h->run->disk_seconds * 1000) * 4 + EXEC_SLACK_MS;
	}
	if (np->n > 0) {
		reach = probe_reach_script(np->ep, np->n, np->timeout_s);
		*ms += np->timeout_s * 1000 + 5000;
	}
	facts = probe_facts_script(h->run->data_dir);
	xasprintf(&s, "%s(\n%s)\n(\n%s)\n", facts,
	    disk != NULL ? disk : ":\n", reach != NULL ? reach : ":\n");
	free(facts);
	free(disk);
	free(reach);
	return s;
}

static void
host_run(struct host *h)
{
	struct ssh_report rep;
	struct probe_facts f;
	struct net_plan np;
	struct ssh_conn *c;
	char *cause = NULL, *out, *script;
	double t0, t1;
	int ms;

	progress(h, _("connecting"));
	c = ssh_open(&h->conf, &rep, &cause);
	if (rep.failed == SSH_STAGE_CANCEL) {
		skip_rest(h, _("cancelled"));
		goto out;
	}
	check_ssh(h, &rep, cause);
	if (c == NULL) {
		skip_rest(h, rep.failed == SSH_STAGE_CONNECT ?
		    _("not checked: no SSH connection") :
		    rep.failed == SSH_STAGE_HOSTKEY ?
		    _("not checked: the host key is not trusted, so nothing "
		    "was run") : _("not checked: not logged in"));
		goto out;
	}
	progress(h, _("probing"));
	net_plan(h, &np);
	script = host_script(h, &np, &ms);
	t0 = wall_now();
	out = run_script(c, script, ms, &cause);
	t1 = ssh_first_output(c);
	free(script);
	ssh_close(c);
	if (out == NULL || probe_parse_facts(out, &f, &cause) != 0) {
		ADD(h, "hw.arch", CHECK_FAIL, "?", NULL, NULL,
		    _("cannot read the host's facts: %s"), cause);
		check_net(h, &np, NULL, cause);
		skip_rest(h, _("not checked: the host's facts are unknown"));
		free(out);
		goto out;
	}
	check_skew(h, &f, t0, t1 > 0 ? t1 : wall_now());
	check_nic(h, &f);
	check_hw(h, &f);
	probe_facts_free(&f);
	if (has_need(h))
		check_disk(h, out, cause);
	check_net(h, &np, out, cause);
	free(out);
out:
	progress(h, _("done"));
	ssh_report_free(&rep);
	free(cause);
}

static void *
worker(void *arg)
{
	struct hosts_run *run = arg;
	const struct answers *a = run->a;
	struct host h;
	char *cause = NULL;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&run->lock);
		i = run->next++;
		pthread_mutex_unlock(&run->lock);
		if (i >= a->ntargets)
			break;
		memset(&h, 0, sizeof h);
		h.run = run;
		h.idx = i;
		h.label = run->labels[i];
		h.host = answers_target_get(a, i, "host");
		h.port = atoi(answers_target_get(a, i, "port"));
		need_init(&h.need, a, i);
		if (run->po->cancel != NULL && *run->po->cancel)
			skip_rest(&h, _("cancelled"));
		else if (ssh_conf_init(&h.conf, a, h.host, h.port,
		    answers_target_get(a, i, "user"), run->po->cancel,
		    &cause) != 0) {
			/* Ctrl-C at the passphrase prompt is no failure. */
			if (run->po->cancel == NULL || !*run->po->cancel)
				ADD(&h, "ssh.auth", CHECK_FAIL, NULL, NULL,
				    NULL, "%s", cause);
			free(cause);
			cause = NULL;
			skip_rest(&h, run->po->cancel != NULL &&
			    *run->po->cancel ? _("cancelled") : _("not "
			    "checked: the SSH settings are incomplete"));
		} else {
			host_run(&h);
			ssh_conf_free(&h.conf);
		}
		free(h.need.what);
	}
	return NULL;
}

/* Rows were added as hosts finished; put them back in target order. */
static void
sort_rows(struct check_list *out, size_t from, char **labels, size_t n)
{
	struct check *v;
	size_t i, j, k = 0, m = out->n - from;
	char *used;

	if (m == 0)
		return;
	v = xreallocarray(NULL, m, sizeof *v);
	used = xcalloc(m, 1);
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			if (!used[j] && strcmp(out->v[from + j].target,
			    labels[i]) == 0) {
				v[k++] = out->v[from + j];
				used[j] = 1;
			}
		}
	}
	for (j = 0; j < m; j++)
		if (!used[j])
			v[k++] = out->v[from + j];
	memcpy(out->v + from, v, m * sizeof *v);
	free(used);
	free(v);
}

static void
preflight_hosts_run(const struct answers *a, const struct preflight_opts *po,
    struct check_list *out)
{
	struct hosts_run run;
	pthread_t *th;
	size_t i, nth, from = out->n, started = 0;
#ifdef WB_TEST_HOOKS
	const char *env;
	char *end;
#endif
	int port;

	if (a->ntargets == 0) {
		checks_add(out, "targets", "ssh.connect", CHECK_SKIP, NULL, NULL,
		    NULL, "%s", _("no targets in the answers file"));
		return;
	}
	memset(&run, 0, sizeof run);
	run.a = a;
	run.po = po;
	run.out = out;
	pthread_mutex_init(&run.lock, NULL);
	run.disk_seconds = DISK_BENCH_SECONDS;
	run.disk_dir = DISK_BENCH_DIR;
#ifdef WB_TEST_HOOKS
	env = getenv("WB_DISK_BENCH_SECONDS");
	if (env != NULL && strtod(env, &end) > 0 && *end == '\0')
		run.disk_seconds = strtod(env, NULL);
	env = getenv("WB_DISK_BENCH_DIR");
	if (env != NULL && *env == '/')
		run.disk_dir = env;
#endif
	run.data_dir = answers_get(a, "deployment.data_path");
	run.labels = xcalloc(a->ntargets, sizeof *run.labels);
	for (i = 0; i < a->ntargets; i++) {
		const char *host = answers_target_get(a, i, "host");

		port = atoi(answers_target_get(a, i, "port"));
		if (port == 22)
			run.labels[i] = xstrdup(host);
		else if (strchr(host, ':') != NULL)
			run.labels[i] = xprintf("[%s]:%d", host, port);
		else
			run.labels[i] = xprintf("%s:%d", host, port);
	}

	ssh_global_init();
	nth = po->parallel > 0 ? (size_t)po->parallel : HOSTS_MAX_THREADS;
	if (nth > a->ntargets)
		nth = a->ntargets;
	th = xcalloc(nth, sizeof *th);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&th[i], NULL, worker, &run) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker(&run);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	sort_rows(out, from, run.labels, a->ntargets);
	for (i = 0; i < a->ntargets; i++)
		free(run.labels[i]);
	free(run.labels);
	pthread_mutex_destroy(&run.lock);
}

const struct preflight_family preflight_hosts = {
	"hosts", preflight_hosts_run
};
