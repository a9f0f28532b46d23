/*
 * Table tests of the remote-fact parsers on captured samples
 * (tests/fixtures/probe/), and the probe scripts run locally with sh.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "ssh.h"
#include "tap.h"
#include "util.h"
#include "xmalloc.h"

static char *
fixture(const char *name)
{
	const char *src = getenv("WB_SRCDIR");
	char *path, *text, *cause = NULL;

	xasprintf(&path, "%s/tests/fixtures/probe/%s", src != NULL ? src : ".",
	    name);
	text = read_file(path, 1 << 20, NULL, &cause);
	if (text == NULL) {
		tap_diag("%s", cause);
		free(cause);
		text = xstrdup("");
	}
	free(path);
	return text;
}

static const struct {
	const char *file;
	int cpus;		/* -1: error expected */
	const char *model;	/* NULL: none */
} cpu_cases[] = {
	{ "x86_64-cpuinfo", 2, "AMD EPYC" },
	{ "aarch64-cpuinfo", 4, NULL },
	{ "x86_64-meminfo", -1, NULL },
};

static void
test_cpuinfo(void)
{
	char *text, *model, *cause = NULL;
	size_t i;
	int cpus, rc;

	for (i = 0; i < sizeof cpu_cases / sizeof cpu_cases[0]; i++) {
		text = fixture(cpu_cases[i].file);
		cpus = 0;
		rc = probe_parse_cpuinfo(text, &cpus, &model, &cause);
		if (cpu_cases[i].cpus < 0) {
			tap_ok(rc == -1 && cause != NULL, "cpuinfo %s: error "
			    "(%s)", cpu_cases[i].file, cause);
			free(cause);
			cause = NULL;
		} else {
			tap_ok(rc == 0 && cpus == cpu_cases[i].cpus,
			    "cpuinfo %s: %d cpus (got %d)", cpu_cases[i].file,
			    cpu_cases[i].cpus, cpus);
			tap_ok(cpu_cases[i].model == NULL ? model == NULL :
			    model != NULL && strcmp(model, cpu_cases[i].model)
			    == 0, "cpuinfo %s: model %s", cpu_cases[i].file,
			    model != NULL ? model : "(none)");
			free(model);
		}
		free(text);
	}
	/* 32-bit ARM: "Processor" is the model, not a count. */
	rc = probe_parse_cpuinfo("Processor\t: ARMv7 Processor rev 4 (v7l)\n"
	    "processor\t: 0\nprocessor\t: 1\nHardware\t: BCM2835\n", &cpus,
	    &model, &cause);
	tap_ok(rc == 0 && cpus == 2 && model != NULL &&
	    strncmp(model, "ARMv7", 5) == 0, "cpuinfo armv7: 2 cpus, model");
	free(model);
}

static void
test_meminfo(void)
{
	static const struct {
		const char *text;
		long long kb;	/* -1: error */
	} cases[] = {
		{ "MemTotal:       16384000 kB\nMemFree: 1 kB\n", 16384000 },
		{ "MemFree: 1 kB\n", -1 },
		{ "MemTotal: lots\n", -1 },
		{ "MemTotal: -5 kB\n", -1 },
	};
	char *text, *cause = NULL;
	long long kb;
	size_t i;
	int rc;

	text = fixture("x86_64-meminfo");
	rc = probe_parse_meminfo(text, &kb, &cause);
	tap_ok(rc == 0 && kb == 24683620, "meminfo x86_64: %lld kB", kb);
	free(text);
	text = fixture("aarch64-meminfo");
	rc = probe_parse_meminfo(text, &kb, &cause);
	tap_ok(rc == 0 && kb == 7989140, "meminfo aarch64: %lld kB", kb);
	free(text);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kb = 0;
		rc = probe_parse_meminfo(cases[i].text, &kb, &cause);
		if (cases[i].kb < 0) {
			tap_ok(rc == -1, "meminfo case %zu: error", i);
			free(cause);
			cause = NULL;
		} else
			tap_ok(rc == 0 && kb == cases[i].kb,
			    "meminfo case %zu: %lld", i, kb);
	}
}

static void
test_df(void)
{
	struct probe_facts f;
	const struct probe_df *d;
	char *text, *cause = NULL;
	int rc;

	memset(&f, 0, sizeof f);
	text = fixture("df-basic");
	rc = probe_parse_df(text, &f.df, &f.ndf, &cause);
	free(text);
	tap_ok(rc == 0 && f.ndf == 3, "df-basic: 3 filesystems");
	tap_ok(f.ndf > 0 && strcmp(f.df[0].mount, "/") == 0 &&
	    strcmp(f.df[0].fs, "/dev/vda") == 0 &&
	    f.df[0].size_kb == 264212084, "df-basic: / on /dev/vda");
	d = probe_df_for(&f, "/var/lib");
	tap_ok(d != NULL && strcmp(d->mount, "/") == 0,
	    "df-basic: /var/lib is on /");
	d = probe_df_for(&f, "/dev/shm/x");
	tap_ok(d != NULL && strcmp(d->mount, "/dev/shm") == 0,
	    "df-basic: /dev/shm/x is on /dev/shm");
	probe_facts_free(&f);

	text = fixture("df-spaces");
	rc = probe_parse_df(text, &f.df, &f.ndf, &cause);
	free(text);
	tap_ok(rc == 0 && f.ndf == 3, "df-spaces: 3 filesystems");
	tap_ok(f.ndf == 3 && strcmp(f.df[2].mount, "/mnt/my share") == 0 &&
	    strcmp(f.df[2].fs, "//nas/share with space") == 0 &&
	    f.df[2].avail_kb == 1073741824LL,
	    "df-spaces: spaces in the filesystem and the mount point");
	d = probe_df_for(&f, "/var/lib/mysql");
	tap_ok(d != NULL && d->size_kb == 976284600,
	    "df-spaces: /var/lib/mysql is on the /var/lib disk");
	d = probe_df_for(&f, "/var/library");
	tap_ok(d != NULL && strcmp(d->mount, "/") == 0,
	    "df-spaces: /var/library is not under /var/lib");
	probe_facts_free(&f);

	rc = probe_parse_df("Filesystem 1024-blocks Used Available Capacity "
	    "Mounted on\n", &f.df, &f.ndf, &cause);
	tap_ok(rc == -1 && cause != NULL, "df: no filesystem is an error");
	free(cause);
}

static void
test_route_speed(void)
{
	static const struct {
		const char *file, *iface;
	} routes[] = {
		{ "route-default", "eth0" },
		{ "route-none", NULL },
		{ "route-two-defaults", "eno1" },
	};
	static const struct {
		const char *file, *iface;
		int mbit;
	} speeds[] = {
		{ "speed-10g", "eno1", 10000 },
		{ "speed-10g", "eno2", -1 },
		{ "speed-10g", "docker0", -1 },
		{ "speed-10g", "wlan0", -1 },
		{ "speed-virtual", "eth0", -1 },
	};
	char *text, *got;
	size_t i;
	int mbit;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		text = fixture(routes[i].file);
		got = probe_parse_route(text);
		tap_ok(routes[i].iface == NULL ? got == NULL : got != NULL &&
		    strcmp(got, routes[i].iface) == 0, "%s: %s",
		    routes[i].file, got != NULL ? got : "(none)");
		free(got);
		free(text);
	}
	for (i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
		text = fixture(speeds[i].file);
		mbit = probe_parse_speed(text, speeds[i].iface);
		tap_ok(mbit == speeds[i].mbit, "%s %s: %d Mbit/s",
		    speeds[i].file, speeds[i].iface, mbit);
		free(text);
	}
}

/* A whole facts output, assembled from the fixtures. */
static char *
facts_output(const char *arch, const char *cpu, const char *mem,
    const char *df, const char *route, const char *speed, int end)
{
	char *c = fixture(cpu), *m = fixture(mem), *d = fixture(df);
	char *r = fixture(route), *s = fixture(speed), *out;

	xasprintf(&out, "@@wb time\n1700000000.250000000\n@@wb arch\n%s\n"
	    "@@wb cpuinfo\n%s@@wb meminfo\n%s@@wb df\n%s@@wb route\n%s"
	    "@@wb speed\n%s%s", arch, c, m, d, r, s, end ? "@@wb end\n" : "");
	free(c);
	free(m);
	free(d);
	free(r);
	free(s);
	return out;
}

static void
test_facts(void)
{
	struct probe_facts f;
	char *out, *cause = NULL;
	int rc;

	out = facts_output("aarch64", "aarch64-cpuinfo", "aarch64-meminfo",
	    "df-spaces", "route-two-defaults", "speed-10g", 1);
	rc = probe_parse_facts(out, &f, &cause);
	tap_ok(rc == 0, "facts: parsed");
	tap_ok(rc == 0 && strcmp(f.arch, "aarch64") == 0 && f.cpus == 4 &&
	    f.mem_kb == 7989140 && f.ndf == 3, "facts: arch, cpus, memory, "
	    "df");
	tap_ok(rc == 0 && f.route_if != NULL && strcmp(f.route_if, "eno1") ==
	    0 && f.nic_mbit == 10000, "facts: eno1 at 10000 Mbit/s");
	tap_ok(rc == 0 && f.remote_time > 1700000000.2 &&
	    f.remote_time < 1700000000.3, "facts: remote clock");
	probe_facts_free(&f);
	free(out);

	out = facts_output("x86_64", "x86_64-cpuinfo", "x86_64-meminfo",
	    "df-basic", "route-none", "speed-virtual", 0);
	rc = probe_parse_facts(out, &f, &cause);
	tap_ok(rc == -1 && cause != NULL && strstr(cause, "end") != NULL,
	    "facts: a cut-short output is an error (%s)", cause);
	free(cause);
	free(out);
}

static void
test_disk_parse(void)
{
	struct probe_disk d;
	char *cause = NULL;
	int rc;

	rc = probe_parse_disk("noise\n@@wb disk 3000000000 2000000000 100\n",
	    &d, &cause);
	tap_ok(rc == 0 && d.mb_s > 1499.9 && d.mb_s < 1500.1 &&
	    d.mbit_s > 11999 && d.mbit_s < 12001, "disk: 1500 MB/s, "
	    "12000 Mbit/s");
	rc = probe_parse_disk("@@wb disk-error dd: dd: failed to open 'w': "
	    "Invalid argument\n", &d, &cause);
	tap_ok(rc == -1 && strstr(cause, "Invalid argument") != NULL,
	    "disk: the tool's error is kept (%s)", cause);
	free(cause);
	rc = probe_parse_disk("@@wb disk x y z\n", &d, &cause);
	tap_ok(rc == -1, "disk: garbage is an error");
	free(cause);
}

static void
test_quote(void)
{
	char *q = probe_shell_quote("it's a \"dir\"");

	tap_ok(strcmp(q, "'it'\\''s a \"dir\"'") == 0, "shell quote: %s", q);
	free(q);
}

/* Run SCRIPT with sh here; returns its stdout. */
static char *
run_sh(const char *script)
{
	const char *tmp = getenv("TMPDIR");
	char *path, *cmd, *out, *cause = NULL;
	FILE *p;
	size_t n = 0, size = 65536;
	int fd;

	xasprintf(&path, "%s/wb-probe-test.XXXXXX", tmp != NULL ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd == -1 || write(fd, script, strlen(script)) == -1) {
		free(path);
		return xstrdup("");
	}
	close(fd);
	xasprintf(&cmd, "sh -s <%s", path);
	p = popen(cmd, "r");
	out = xmalloc(size);
	while (p != NULL && (n += fread(out + n, 1, size - n - 1, p)) ==
	    size - 1) {
		size *= 2;
		out = xreallocarray(out, size, 1);
	}
	out[n] = '\0';
	if (p != NULL)
		pclose(p);
	unlink(path);
	free(path);
	free(cmd);
	free(cause);
	return out;
}

static void
test_scripts_here(void)
{
	struct probe_facts f;
	struct probe_disk d;
	struct probe_reach r[2];
	struct probe_endpoint ep[2];
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	const char *tmp = getenv("TMPDIR");
	char *dir, *out, *script, *cause = NULL;
	DIR *dp;
	struct dirent *de;
	int rc, fd, left = 0;

	script = probe_facts_script("/var/lib/it's here");
	tap_ok(strstr(script, "df -P -k / '/var/lib/it'\\''s here' ") != NULL,
	    "the data path is quoted for the shell in the facts script");
	free(script);
	script = probe_facts_script("/var/lib");
	out = run_sh(script);
	free(script);
	rc = probe_parse_facts(out, &f, &cause);
	tap_ok(rc == 0 && f.cpus > 0 && f.mem_kb > 0 && f.ndf > 0 &&
	    *f.arch != '\0' && probe_df_for(&f, "/var/lib") != NULL,
	    "facts script here: %s, %d cpus, df of the data path", rc == 0 ?
	    f.arch : cause, f.cpus);
	if (rc == 0)
		probe_facts_free(&f);
	free(out);

	xasprintf(&dir, "%s/wb-probe-disk.XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return;
	}
	script = probe_disk_script(0.2, dir);
	out = run_sh(script);
	rc = probe_parse_disk(out, &d, &cause);
	/* tmpfs has no O_DIRECT: then the error must say so. */
	tap_ok(rc == 0 ? d.mb_s > 0 : strstr(cause, "dd") != NULL,
	    "disk script here: %s", rc == 0 ? "measured" : cause);
	if (rc == 0)
		tap_diag("%.0f MB/s", d.mb_s);
	else
		free(cause);
	dp = opendir(dir);
	while (dp != NULL && (de = readdir(dp)) != NULL)
		left += de->d_name[0] != '.';
	if (dp != NULL)
		closedir(dp);
	tap_ok(left == 0, "disk script here: its files are removed");
	rmdir(dir);
	free(dir);
	free(script);
	free(out);

	/* One listening port and one closed port on loopback. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof sin);
	listen(fd, 4);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	ep[0].host = "127.0.0.1";
	ep[0].port = ntohs(sin.sin_port);
	ep[0].tls = 0;
	ep[1].host = "127.0.0.1";
	ep[1].port = 1;		/* tcpmux: nothing listens there */
	ep[1].tls = 0;
	script = probe_reach_script(ep, 2, 2);
	out = run_sh(script);
	rc = probe_parse_reach(out, 2, r, &cause);
	tap_ok(rc == 0 && r[0].ok, "reach script here: open port (%s: %s)",
	    r[0].tool, r[0].message);
	tap_ok(rc == 0 && !r[1].ok && *r[1].message != '\0',
	    "reach script here: closed port (%s)", r[1].message);
	probe_reach_free(r, 2);
	close(fd);
	free(script);
	free(out);
}

static void
test_ssh_helpers(void)
{
	static const unsigned char key[] = "abc";
	char *s;

	s = ssh_hostspec("10.0.0.1", 22);
	tap_ok(strcmp(s, "10.0.0.1") == 0, "hostspec: port 22 is bare");
	free(s);
	s = ssh_hostspec("10.0.0.1", 2222);
	tap_ok(strcmp(s, "[10.0.0.1]:2222") == 0, "hostspec: [host]:port");
	free(s);
	/* sha256("abc"), base64 without padding. */
	s = ssh_fingerprint(key, 3);
	tap_ok(strcmp(s, "SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0")
	    == 0, "fingerprint: %s", s);
	free(s);
}

int
main(void)
{
	test_cpuinfo();
	test_meminfo();
	test_df();
	test_route_speed();
	test_facts();
	test_disk_parse();
	test_quote();
	test_ssh_helpers();
	test_scripts_here();
	return tap_done();
}
