/* Remote facts: the scripts a target runs, and parsers of their output. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "probe.h"
#include "xmalloc.h"

/* Every section of a script's output starts with a line "@@wb NAME".
 * The scripts fork little (builtins where they do as well): a host runs
 * them once per preflight, but a fleet's worth of them adds up. */
#define MARK "@@wb "

static const char facts_head[] =
    "LC_ALL=C; export LC_ALL\n"
    "t=$(date +%s.%N); echo '" MARK "time'; echo \"$t\"\n"
    "echo '" MARK "arch'; uname -m\n"
    "echo '" MARK "cpuinfo'; cat /proc/cpuinfo\n"
    "echo '" MARK "meminfo'; cat /proc/meminfo\n"
    "echo '" MARK "df'; df -P -k / ";
static const char facts_tail[] =
    " 2>/dev/null\n"
    "echo '" MARK "route'; cat /proc/net/route\n"
    "echo '" MARK "speed'\n"
    "for i in /sys/class/net/*; do\n"
    "\ts=; { read -r s <\"$i/speed\"; } 2>/dev/null\n"
    "\tprintf '%s %s\\n' \"${i##*/}\" \"$s\"\n"
    "done\n"
    "echo '" MARK "end'\n";

char *
probe_facts_script(const char *data_dir)
{
	char *q = probe_shell_quote(data_dir), *s;

	xasprintf(&s, "%s%s%s", facts_head, q, facts_tail);
	free(q);
	return s;
}

/* The text of section NAME (a new string), or NULL. */
static char *
section(const char *out, const char *name)
{
	const char *p = out, *start, *end;
	size_t nlen = strlen(name);

	for (;;) {
		if (strncmp(p, MARK, strlen(MARK)) == 0 &&
		    strncmp(p + strlen(MARK), name, nlen) == 0 &&
		    (p[strlen(MARK) + nlen] == '\n' ||
		    p[strlen(MARK) + nlen] == '\0'))
			break;
		p = strchr(p, '\n');
		if (p == NULL)
			return NULL;
		p++;
	}
	start = strchr(p, '\n');
	if (start == NULL)
		return xstrdup("");
	start++;
	for (end = start; *end != '\0'; ) {
		if (strncmp(end, MARK, strlen(MARK)) == 0)
			break;
		end = strchr(end, '\n');
		if (end == NULL) {
			end = start + strlen(start);
			break;
		}
		end++;
	}
	return xstrndup(start, (size_t)(end - start));
}

static void
trim_right(char *s)
{
	char *e = s + strlen(s);

	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
}

/* Split "key : value" (cpuinfo, meminfo); NUL-terminates both in LINE. */
static int
split_kv(char *line, char **key, char **value)
{
	char *colon = strchr(line, ':');

	if (colon == NULL)
		return -1;
	*colon = '\0';
	trim_right(line);
	*key = line;
	*value = colon + 1 + strspn(colon + 1, " \t");
	trim_right(*value);
	return 0;
}

int
probe_parse_cpuinfo(const char *text, int *cpus, char **model, char **cause)
{
	char *dup = xstrdup(text), *line, *save = NULL, *k, *v, *end;
	int n = 0;

	*model = NULL;
	for (line = strtok_r(dup, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (split_kv(line, &k, &v) != 0)
			continue;
		/* "processor : 3" on x86 and arm64; 32-bit ARM also has
		 * "Processor : ARMv7 ..." (capital P, not a count). */
		if (strcmp(k, "processor") == 0) {
			strtol(v, &end, 10);
			if (end != v && *end == '\0')
				n++;
		} else if (*model == NULL && (strcmp(k, "model name") == 0 ||
		    strcmp(k, "Processor") == 0 || strcmp(k, "cpu model") ==
		    0 || strcmp(k, "cpu") == 0) && *v != '\0')
			*model = xstrdup(v);
	}
	free(dup);
	if (n == 0) {
		free(*model);
		*model = NULL;
		*cause = xstrdup(_("/proc/cpuinfo lists no processor"));
		return -1;
	}
	*cpus = n;
	return 0;
}

int
probe_parse_meminfo(const char *text, long long *total_kb, char **cause)
{
	char *dup = xstrdup(text), *line, *save = NULL, *k, *v, *end;
	int found = 0;

	for (line = strtok_r(dup, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (split_kv(line, &k, &v) != 0 || strcmp(k, "MemTotal") != 0)
			continue;
		errno = 0;
		*total_kb = strtoll(v, &end, 10);
		if (errno == 0 && end != v && *total_kb > 0 &&
		    (*end == '\0' || strcmp(end, " kB") == 0))
			found = 1;
		break;
	}
	free(dup);
	if (!found) {
		*cause = xstrdup(_("/proc/meminfo has no valid MemTotal"));
		return -1;
	}
	return 0;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * One `df -P` line: FS BLOCKS USED AVAIL CAP% MOUNT.  The filesystem and
 * the mount point may hold spaces, so find "N N N P%" and split there.
 */
static int
parse_df_line(const char *line, struct probe_df *d)
{
	const char *tok[64], *p = line;
	size_t len[64], n = 0, i;

	while (*p != '\0' && n < 64) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		tok[n] = p;
		len[n] = strcspn(p, " \t");
		p += len[n];
		n++;
	}
	for (i = 4; i + 1 < n; i++) {
		char num[3][32], cap[32];
		size_t j, cl = len[i];

		if (cl == 0 || cl >= sizeof cap)
			continue;
		memcpy(cap, tok[i], cl);
		cap[cl] = '\0';
		if (cap[cl - 1] == '%')
			cap[cl - 1] = '\0';
		if (strcmp(cap, "-") != 0 && !all_digits(cap))
			continue;
		for (j = 0; j < 3; j++) {
			if (len[i - 3 + j] >= sizeof num[j])
				break;
			memcpy(num[j], tok[i - 3 + j], len[i - 3 + j]);
			num[j][len[i - 3 + j]] = '\0';
			if (!all_digits(num[j]))
				break;
		}
		if (j != 3)
			continue;
		d->fs = xstrndup(tok[0], (size_t)(tok[i - 3] - tok[0]));
		trim_right(d->fs);
		d->mount = xstrdup(tok[i + 1]);
		trim_right(d->mount);
		d->size_kb = strtoll(num[0], NULL, 10);
		d->avail_kb = strtoll(num[2], NULL, 10);
		return 0;
	}
	return -1;
}

int
probe_parse_df(const char *text, struct probe_df **v, size_t *n,
    char **cause)
{
	char *dup = xstrdup(text), *line, *save = NULL;
	struct probe_df d;
	int header = 0;

	*v = NULL;
	*n = 0;
	for (line = strtok_r(dup, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (!header && strncmp(line, "Filesystem", 10) == 0) {
			header = 1;
			continue;
		}
		if (parse_df_line(line, &d) != 0)
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = d;
	}
	free(dup);
	if (*n == 0) {
		*cause = xstrdup(_("df printed no filesystem"));
		return -1;
	}
	return 0;
}

char *
probe_parse_route(const char *text)
{
	char *dup = xstrdup(text), *line, *save = NULL, *best = NULL;
	char iface[64];
	unsigned long dest, gw, mask;
	unsigned flags, refcnt, use, metric, best_metric = 0;

	for (line = strtok_r(dup, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %lx %lx %x %u %u %u %lx", iface, &dest,
		    &gw, &flags, &refcnt, &use, &metric, &mask) != 8)
			continue;	/* the header, or junk */
		/* RTF_UP; 0.0.0.0/0 */
		if (!(flags & 0x1) || dest != 0 || mask != 0)
			continue;
		if (best == NULL || metric < best_metric) {
			free(best);
			best = xstrdup(iface);
			best_metric = metric;
		}
	}
	free(dup);
	return best;
}

int
probe_parse_speed(const char *text, const char *iface)
{
	char *dup = xstrdup(text), *line, *save = NULL, *sp, *end;
	long v;
	int speed = -1;

	for (line = strtok_r(dup, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		if (sp == NULL)
			continue;
		*sp++ = '\0';
		if (strcmp(line, iface) != 0)
			continue;
		v = strtol(sp, &end, 10);
		/* Virtual NICs say -1 or refuse to answer (EINVAL). */
		if (end != sp && (*end == '\0' || isspace((unsigned char)*end))
		    && v > 0 && v < 100000000)
			speed = (int)v;
		break;
	}
	free(dup);
	return speed;
}

const struct probe_df *
probe_df_for(const struct probe_facts *f, const char *path)
{
	const struct probe_df *best = NULL;
	size_t i, ml, bl = 0;

	for (i = 0; i < f->ndf; i++) {
		ml = strlen(f->df[i].mount);
		if (strncmp(path, f->df[i].mount, ml) != 0)
			continue;
		if (strcmp(f->df[i].mount, "/") != 0 && path[ml] != '\0' &&
		    path[ml] != '/')
			continue;
		if (best == NULL || ml > bl) {
			best = &f->df[i];
			bl = ml;
		}
	}
	return best;
}

void
probe_facts_free(struct probe_facts *f)
{
	size_t i;

	free(f->arch);
	free(f->cpu_model);
	for (i = 0; i < f->ndf; i++) {
		free(f->df[i].fs);
		free(f->df[i].mount);
	}
	free(f->df);
	free(f->route_if);
	memset(f, 0, sizeof *f);
}

int
probe_parse_facts(const char *out, struct probe_facts *f, char **cause)
{
	static const char *const need[] = { "time", "arch", "cpuinfo",
		"meminfo", "df", "route", "speed", "end" };
	char *s[8], *why = NULL;
	size_t i;
	int rc = -1;

	memset(f, 0, sizeof *f);
	f->mem_kb = -1;
	f->nic_mbit = -1;
	for (i = 0; i < 8; i++)
		s[i] = section(out, need[i]);
	for (i = 0; i < 8; i++) {
		if (s[i] == NULL) {
			*cause = xprintf(_("the facts script stopped early "
			    "(no '%s' section)"), need[i]);
			goto out;
		}
	}
	f->remote_time = strtod(s[0], NULL);
	s[1][strcspn(s[1], "\r\n")] = '\0';
	f->arch = xstrdup(s[1]);
	/* A broken section leaves its fact unknown; the check says so. */
	if (probe_parse_cpuinfo(s[2], &f->cpus, &f->cpu_model, &why) != 0)
		f->cpus = 0;
	free(why);
	why = NULL;
	if (probe_parse_meminfo(s[3], &f->mem_kb, &why) != 0)
		f->mem_kb = -1;
	free(why);
	why = NULL;
	if (probe_parse_df(s[4], &f->df, &f->ndf, &why) != 0)
		f->ndf = 0;
	free(why);
	f->route_if = probe_parse_route(s[5]);
	if (f->route_if != NULL)
		f->nic_mbit = probe_parse_speed(s[6], f->route_if);
	rc = 0;
out:
	for (i = 0; i < 8; i++)
		free(s[i]);
	return rc;
}

char *
probe_shell_quote(const char *s)
{
	size_t n = 2, i = 0;
	const char *p;
	char *out;

	for (p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	out = xmalloc(n + 1);
	out[i++] = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(out + i, "'\\''", 4);
			i += 4;
		} else
			out[i++] = *p;
	}
	out[i++] = '\'';
	out[i] = '\0';
	return out;
}

/*
 * Sequential write with O_DIRECT in 1 MiB blocks of random data, with
 * fdatasync inside the timed window: a short warm-up sizes the measured
 * run to about SECONDS (and at most a quarter of the free space).  The
 * random data is 64 MiB from /dev/urandom, written over and over straight
 * from the page cache by dd, 64 MiB a time at increasing offsets (no pipe:
 * a reader feeding dd through a pipe costs a context switch every 64 KiB
 * and shows up as a slower disk on a busy machine); the last write
 * fdatasyncs the file.  As fio does by default, the file is allocated
 * (fallocate) before each timed write, so the writes measure the disk and
 * not the filesystem's block allocation on every extending O_DIRECT write
 * (about a third slower on ext4 here); without fallocate it goes on
 * without.  A line after each chunk finds out when nobody reads any more
 * (cancelled, timed out, or the connection lost): sshd closes the
 * channel's pipes, the write raises SIGPIPE and the trap removes the
 * files at once, where the benchmark would otherwise go on and die at its
 * last line with gigabytes left in DIR.
 */
char *
probe_disk_script(double seconds, const char *dir)
{
	char *q = probe_shell_quote(dir), *s;
	long ms = (long)(seconds * 1000);

	if (ms < 100)
		ms = 100;
	xasprintf(&s,
	    "LC_ALL=C; export LC_ALL\n"
	    "d=$(mktemp -d %s/wbinstall-disk.XXXXXX) || "
	    "{ echo '" MARK "disk-error cannot create a directory in '%s; "
	    "exit 0; }\n"
	    "trap 'rm -rf \"$d\"' EXIT\n"
	    "trap 'exit 1' INT TERM HUP PIPE\n"
	    "fail() { echo \"" MARK "disk-error $1: $(tail -n 1 \"$d/e\" "
	    "2>/dev/null)\"; exit 0; }\n"
	    "head -c 67108864 /dev/urandom >\"$d/r\" 2>\"$d/e\" || "
	    "fail urandom\n"
	    "fallocate -l 67108864 \"$d/w\" 2>/dev/null || :\n"
	    "t0=$(date +%%s%%N)\n"
	    "dd if=\"$d/r\" of=\"$d/w\" bs=1M count=64 oflag=direct "
	    "conv=notrunc,fdatasync 2>\"$d/e\" || fail dd\n"
	    "t1=$(date +%%s%%N)\n"
	    "w=$((t1 - t0)); [ \"$w\" -gt 0 ] || w=1\n"
	    "n=$((64 * %ld * 1000000 / w))\n"
	    "a=$(df -P -k \"$d\" | awk 'NR==2 {print int($4 / 4096)}')\n"
	    "[ \"$n\" -le \"${a:-0}\" ] || n=${a:-0}\n"
	    "[ \"$n\" -le 65536 ] || n=65536\n"
	    "[ \"$n\" -ge 64 ] || n=64\n"
	    "fallocate -l \"$((n * 1048576))\" \"$d/w\" 2>/dev/null || :\n"
	    "t2=$(date +%%s%%N)\n"
	    "i=0; while [ \"$i\" -lt \"$n\" ]; do\n"
	    "c=$((n - i)); f=notrunc,fdatasync\n"
	    "[ \"$c\" -le 64 ] || { c=64; f=notrunc; }\n"
	    "dd if=\"$d/r\" of=\"$d/w\" bs=1M count=\"$c\" "
	    "seek=\"$i\" oflag=direct conv=$f 2>\"$d/e\" || fail dd\n"
	    "i=$((i + c)); echo \"" MARK "disk-tick $i\"; done\n"
	    "t3=$(date +%%s%%N)\n"
	    "echo \"" MARK "disk $((n * 1048576)) $((t3 - t2)) $w\"\n",
	    q, q, ms);
	free(q);
	return s;
}

int
probe_parse_disk(const char *out, struct probe_disk *d, char **cause)
{
	const char *p;
	long long warm;

	memset(d, 0, sizeof *d);
	p = strstr(out, MARK "disk-error ");
	if (p != NULL) {
		p += strlen(MARK "disk-error ");
		*cause = xprintf(_("the disk benchmark failed: %.*s"),
		    (int)strcspn(p, "\n"), p);
		return -1;
	}
	p = strstr(out, MARK "disk ");
	if (p == NULL || sscanf(p + strlen(MARK "disk "), "%lld %lld %lld",
	    &d->bytes, &d->ns, &warm) != 3 || d->bytes <= 0 || d->ns <= 0) {
		*cause = xstrdup(_("the disk benchmark printed no result "
		    "(GNU date and dd are needed)"));
		return -1;
	}
	d->mb_s = (double)d->bytes / ((double)d->ns / 1e9) / 1e6;
	d->mbit_s = d->mb_s * 8;
	return 0;
}

/*
 * For each endpoint, in the background: curl (TCP and TLS), else openssl
 * s_client, else a bare TCP connect with bash or nc.  Each prints
 * "@@wb reach I RC TOOL last line of its messages".
 */
char *
probe_reach_script(const struct probe_endpoint *e, size_t n, int timeout_s)
{
	char *s, *t, *h;
	size_t i;

	xasprintf(&s,
	    "LC_ALL=C; export LC_ALL\n"
	    "t=%d\n"
	    "have() { command -v \"$1\" >/dev/null 2>&1; }\n"
	    /* the last line that is not empty, in the shell: no forks */
	    "nl='\n'; cr=$(printf '\\r')\n"
	    "say() {\n"
	    "\tm=$4\n"
	    "\twhile :; do case $m in *\"$nl\" | *\"$cr\") m=${m%%?} ;; "
	    "*) break ;; esac; done\n"
	    "\tm=${m##*\"$nl\"}; m=${m##*\"$cr\"}\n"
	    "\techo \"" MARK "reach $1 $2 $3 $m\"\n"
	    "}\n"
	    "tcp() {\n"
	    "\tif have bash && have timeout; then\n"
	    "\t\tm=$(timeout \"$t\" bash --norc --noprofile -c "
	    "'exec 3<>\"/dev/tcp/$0/$1\"' \"$2\" \"$3\" </dev/null 2>&1); "
	    "r=$?\n"
	    "\t\t[ $r -ne 124 ] || m=\"timed out after $t s\"\n"
	    "\t\tsay \"$1\" $r bash \"$m\"\n"
	    "\telif have nc; then\n"
	    "\t\tm=$(nc -z -w \"$t\" \"$2\" \"$3\" 2>&1); say \"$1\" $? nc "
	    "\"$m\"\n"
	    "\telse say \"$1\" 127 none 'neither bash nor nc is installed'\n"
	    "\tfi\n"
	    "}\n"
	    "tls() {\n"
	    "\tif have curl; then\n"
	    "\t\tm=$(curl -sS -o /dev/null --connect-timeout \"$t\" "
	    "--max-time $((t + 2)) \"https://$2:$3/\" 2>&1); "
	    "say \"$1\" $? curl \"$m\"\n"
	    "\telif have openssl && have timeout; then\n"
	    "\t\tm=$(echo | timeout \"$t\" openssl s_client -connect "
	    "\"$2:$3\" -servername \"$2\" 2>&1 >/dev/null); r=$?\n"
	    "\t\t[ $r -ne 124 ] || m=\"timed out after $t s\"\n"
	    "\t\tsay \"$1\" $r openssl \"$m\"\n"
	    "\telse tcp \"$@\"\n"
	    "\tfi\n"
	    "}\n", timeout_s);
	for (i = 0; i < n; i++) {
		h = probe_shell_quote(e[i].host);
		xasprintf(&t, "%s%s %zu %s %d &\n", s, e[i].tls ? "tls" : "tcp",
		    i, h, e[i].port);
		free(h);
		free(s);
		s = t;
	}
	xasprintf(&t, "%swait\necho '" MARK "reach-end'\n", s);
	free(s);
	return t;
}

int
probe_parse_reach(const char *out, size_t n, struct probe_reach *res,
    char **cause)
{
	const char *p = out;
	char tool[32], *colon;
	size_t i, idx;
	int rc, used;

	memset(res, 0, n * sizeof *res);
	while ((p = strstr(p, MARK "reach ")) != NULL) {
		p += strlen(MARK "reach ");
		if (sscanf(p, "%zu %d %31s%n", &idx, &rc, tool, &used) < 3 ||
		    idx >= n || res[idx].tool != NULL)
			continue;
		used += (int)strspn(p + used, " \t");
		res[idx].rc = rc;
		res[idx].ok = rc == 0;
		res[idx].tool = xstrdup(tool);
		res[idx].message = xstrndup(p + used, strcspn(p + used, "\n"));
		/* bash: "HOST: line 1: /dev/tcp/HOST/PORT: Connection refused" */
		if (strcmp(tool, "bash") == 0 &&
		    (colon = strrchr(res[idx].message, ':')) != NULL &&
		    colon[1] == ' ')
			memmove(res[idx].message, colon + 2, strlen(colon + 2) + 1);
	}
	for (i = 0; i < n; i++) {
		if (res[i].tool == NULL) {
			res[i].tool = xstrdup("none");
			res[i].rc = -1;
			res[i].message = xstrdup(_("no result (the probe was "
			    "cut short)"));
		}
	}
	if (strstr(out, MARK "reach-end") == NULL) {
		*cause = xstrdup(_("the reachability probe did not finish"));
		return -1;
	}
	return 0;
}

void
probe_reach_free(struct probe_reach *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].tool);
		free(r[i].message);
	}
}
