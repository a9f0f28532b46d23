/*
 * Remote facts: small sh scripts run on a target over SSH, and parsers
 * (in C) of what they print: /proc/cpuinfo, /proc/meminfo, `df -P`,
 * /proc/net/route, /sys/class/net/IF/speed, uname -m, a disk write
 * benchmark and TCP/TLS reachability.  The parsers are pure functions,
 * table-tested on captured samples (tests/fixtures/probe/).
 */
#ifndef WB_PROBE_H
#define WB_PROBE_H

#include <stddef.h>

struct probe_df {
	char *fs;		/* "/dev/sda1" */
	char *mount;		/* "/" */
	long long size_kb;	/* 1024-byte blocks */
	long long avail_kb;
};

struct probe_facts {
	double remote_time;	/* remote clock, seconds since the epoch; 0: unknown */
	char *arch;		/* uname -m */
	int cpus;		/* logical processors; 0: unknown */
	char *cpu_model;	/* may be NULL (ARM kernels often omit it) */
	long long mem_kb;	/* MemTotal; -1: unknown */
	struct probe_df *df;
	size_t ndf;
	char *route_if;		/* default-route interface; NULL: none */
	int nic_mbit;		/* its link speed; -1: not reported */
};

/* One TCP (and optionally TLS) reachability test run from a target. */
struct probe_endpoint {
	const char *host;
	int port;
	int tls;		/* TCP connect plus a TLS handshake */
};

struct probe_reach {
	int ok;
	int rc;			/* the tool's exit status */
	char *tool;		/* curl, openssl, bash, nc, none */
	char *message;		/* one line, from the tool */
};

struct probe_disk {
	long long bytes;	/* written in the measured window */
	long long ns;		/* length of the window */
	double mb_s;		/* 10^6 bytes per second */
	double mbit_s;
};

/* The data directories whose filesystems hw.disk_size looks at. */

/* The facts script (fixed text) and the parser of its whole output. */
/* The facts script; df also reports DATA_DIR's filesystem.  A new string. */
char *probe_facts_script(const char *data_dir);
int probe_parse_facts(const char *out, struct probe_facts *, char **cause);
void probe_facts_free(struct probe_facts *);

/* Section parsers.  Each returns 0, or -1 with *cause. */
int probe_parse_cpuinfo(const char *, int *cpus, char **model,
    char **cause);
int probe_parse_meminfo(const char *, long long *total_kb, char **cause);
int probe_parse_df(const char *, struct probe_df **, size_t *,
    char **cause);
/* The default-route interface, or NULL when there is none. */
char *probe_parse_route(const char *);
/* "IF SPEED" lines: the speed of IFACE in Mbit/s, -1 if not reported. */
int probe_parse_speed(const char *, const char *iface);
/* The filesystem entry holding PATH (longest mount prefix), or NULL. */
const struct probe_df *probe_df_for(const struct probe_facts *,
    const char *path);

/* Disk write benchmark script: about SECONDS measured, in DIR. */
char *probe_disk_script(double seconds, const char *dir);
int probe_parse_disk(const char *out, struct probe_disk *, char **cause);

/* Reachability script: every endpoint at once, each within TIMEOUT_S. */
char *probe_reach_script(const struct probe_endpoint *, size_t n,
    int timeout_s);
/* Fills res[0..n-1] (free with probe_reach_free). */
int probe_parse_reach(const char *out, size_t n, struct probe_reach *res,
    char **cause);
void probe_reach_free(struct probe_reach *, size_t n);

/* 'single-quoted' for sh. */
char *probe_shell_quote(const char *);

#endif
