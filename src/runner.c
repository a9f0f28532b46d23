/* Run commands here (fork/exec) or on the control target (SSH). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "answers.h"
#include "i18n.h"
#include "log.h"
#include "probe.h"
#include "runner.h"
#include "ssh.h"
#include "xmalloc.h"

/* Output kept a command; the rest is dropped (and said so). */
#define RUN_OUT_MAX	(16 * 1024 * 1024)

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
runner_local(struct runner *r, atomic_int *cancel)
{
	memset(r, 0, sizeof *r);
	r->where = xstrdup(_("this machine"));
	r->cancel = cancel;
}

int
runner_open_target(struct runner *r, const struct answers *a, size_t n,
    int dry_run, atomic_int *cancel, char **cause)
{
	struct ssh_conf conf;
	struct ssh_report rep;
	const char *host = answers_target_get(a, n, "host");
	const char *user = answers_target_get(a, n, "user");
	int port = atoi(answers_target_get(a, n, "port"));

	runner_local(r, cancel);
	r->dry_run = dry_run;
	free(r->where);
	r->where = xprintf("%s@%s:%d", user, host, port);
	if (dry_run)
		return 0;
	ssh_global_init();
	if (ssh_conf_init(&conf, a, host, port, user, cancel, cause) != 0)
		goto fail;
	memset(&rep, 0, sizeof rep);
	r->ssh = ssh_open(&conf, &rep, cause);
	ssh_report_free(&rep);
	ssh_conf_free(&conf);
	if (r->ssh == NULL)
		goto fail;
	log_info("runner: commands run on %s", r->where);
	return 0;
fail:
	runner_close(r);
	return -1;
}

int
runner_open(struct runner *r, const struct answers *a, int dry_run,
    atomic_int *cancel, char **cause)
{
	size_t i;

	for (i = 0; i < a->ntargets; i++)
		if (answers_target_has_role(a, i, "control"))
			return runner_open_target(r, a, i, dry_run, cancel,
			    cause);
	runner_local(r, cancel);
	r->dry_run = dry_run;
	return 0;
}

void
runner_close(struct runner *r)
{
	if (r->ssh != NULL)
		ssh_close(r->ssh);
	free(r->where);
	memset(r, 0, sizeof *r);
}

void
run_result_free(struct run_result *res)
{
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof *res);
}

/* Does WORD need quoting for sh? */
static int
needs_quote(const char *w)
{
	if (*w == '\0')
		return 1;
	for (; *w != '\0'; w++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_./=:,@%+", *w) == NULL)
			return 1;
	return 0;
}

char *
runner_format(const char *const *argv)
{
	char *line = xstrdup(""), *q, *next;
	size_t i;

	for (i = 0; argv[i] != NULL; i++) {
		q = needs_quote(argv[i]) ? probe_shell_quote(argv[i]) :
		    xstrdup(argv[i]);
		next = xprintf("%s%s%s", line, i == 0 ? "" : " ", q);
		free(q);
		free(line);
		line = next;
	}
	return line;
}

char *
runner_tail(const char *text, int n)
{
	const char *p, *end;

	if (text == NULL)
		return xstrdup("");
	end = text + strlen(text);
	while (end > text && end[-1] == '\n')
		end--;
	for (p = end; p > text; p--)
		if (p[-1] == '\n' && --n == 0)
			break;
	return xstrndup(p, (size_t)(end - p));
}

/* Log each line of TEXT, prefixed; secrets are redacted by the log. */
static void
log_lines(const char *prefix, const char *text)
{
	const char *p, *nl;

	for (p = text; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			log_info("%s%s", prefix, p);
			break;
		}
		log_info("%s%.*s", prefix, (int)(nl - p), p);
	}
}

struct sink {
	int fd;
	char *buf;
	size_t len, size;
};

static void
sink_read(struct sink *s)
{
	char tmp[65536];
	ssize_t n;

	n = read(s->fd, tmp, sizeof tmp);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return;
	}
	if (s->len + (size_t)n >= RUN_OUT_MAX)
		return;
	if (s->len + (size_t)n + 1 > s->size) {
		s->size = (s->len + (size_t)n + 1) * 2;
		s->buf = xreallocarray(s->buf, 1, s->size);
	}
	memcpy(s->buf + s->len, tmp, (size_t)n);
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
}

static int
run_local(struct runner *r, const char *const *argv, const char *in,
    size_t inlen, int timeout_ms, struct run_result *res, char **cause)
{
	int pin[2], pout[2], perr[2], st, n, saved;
	struct sink so = { -1, NULL, 0, 0 }, se = { -1, NULL, 0, 0 };
	struct pollfd pf[3];
	int64_t deadline = now_ms() + timeout_ms;
	size_t off = 0;
	pid_t pid;
	void (*old)(int);

	if (pipe(pin) == -1 || pipe(pout) == -1 || pipe(perr) == -1) {
		*cause = xprintf(_("cannot make a pipe: %s"), strerror(errno));
		return -1;
	}
	old = signal(SIGPIPE, SIG_IGN);
	pid = fork();
	if (pid == -1) {
		saved = errno;
		close(pin[0]); close(pin[1]); close(pout[0]); close(pout[1]);
		close(perr[0]); close(perr[1]);
		signal(SIGPIPE, old);
		*cause = xprintf(_("cannot fork: %s"), strerror(saved));
		return -1;
	}
	if (pid == 0) {
		/* Own process group: a terminal's Ctrl-C is for wbinstall. */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		close(pin[0]); close(pin[1]); close(pout[0]); close(pout[1]);
		close(perr[0]); close(perr[1]);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	so.fd = pout[0];
	se.fd = perr[0];
	so.buf = xstrdup("");
	se.buf = xstrdup("");
	so.size = se.size = 1;
	if (in == NULL || inlen == 0) {
		close(pin[1]);
		pin[1] = -1;
	} else
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	while (so.fd != -1 || se.fd != -1) {
		pf[0].fd = pin[1];
		pf[0].events = POLLOUT;
		pf[1].fd = so.fd;
		pf[1].events = POLLIN;
		pf[2].fd = se.fd;
		pf[2].events = POLLIN;
		n = (int)(deadline - now_ms());
		if (n <= 0)
			goto timeout;
		if (poll(pf, 3, n > 200 ? 200 : n) == -1 && errno != EINTR)
			goto timeout;
		if (pin[1] != -1 && (pf[0].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			ssize_t w = write(pin[1], in + off, inlen - off);

			if (w > 0)
				off += (size_t)w;
			if ((w == -1 && errno != EAGAIN && errno != EINTR) ||
			    off == inlen) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
		if (so.fd != -1 && (pf[1].revents & (POLLIN | POLLHUP |
		    POLLERR)))
			sink_read(&so);
		if (se.fd != -1 && (pf[2].revents & (POLLIN | POLLHUP |
		    POLLERR)))
			sink_read(&se);
	}
	if (pin[1] != -1)
		close(pin[1]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	signal(SIGPIPE, old);
	res->out = so.buf;
	res->outlen = so.len;
	res->err = se.buf;
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	(void)r;
	return 0;
timeout:
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (pin[1] != -1)
		close(pin[1]);
	if (so.fd != -1)
		close(so.fd);
	if (se.fd != -1)
		close(se.fd);
	signal(SIGPIPE, old);
	res->out = so.buf;
	res->outlen = so.len;
	res->err = se.buf;
	*cause = xprintf(_("%s did not finish within %d s and was stopped"),
	    argv[0], timeout_ms / 1000);
	return -1;
}

int
runner_run(struct runner *r, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, struct run_result *res,
    char **cause)
{
	char *line = runner_format(argv), *cmd;
	int rc;

	memset(res, 0, sizeof *res);
	*cause = NULL;
	log_info("run on %s: %s%s%s", r->where, line, in_what != NULL ?
	    " < " : "", in_what != NULL ? in_what : "");
	if (r->dry_run) {
		res->out = xstrdup("");
		res->err = xstrdup("");
		free(line);
		return 0;
	}
	if (r->ssh == NULL)
		rc = run_local(r, argv, in, inlen, timeout_ms, res, cause);
	else {
		/* Always a stdin, so that the remote end sees its EOF. */
		cmd = xprintf("exec %s", line);
		rc = ssh_exec(r->ssh, cmd, in != NULL ? in : "", inlen,
		    timeout_ms, &res->out,
		    &res->outlen, &res->err, &res->status, cause);
		free(cmd);
		if (res->out == NULL)
			res->out = xstrdup("");
		if (res->err == NULL)
			res->err = xstrdup("");
	}
	log_lines("  out: ", res->out);
	log_lines("  err: ", res->err);
	if (rc == 0)
		log_info("  exit %d: %s", res->status, argv[0]);
	else
		log_info("  failed: %s", *cause);
	free(line);
	return rc;
}

int
runner_have(struct runner *r, const char *prog, char **cause)
{
	const char *argv[] = { "sh", "-c", "command -v \"$0\"", prog, NULL };
	struct run_result res;
	int rc;

	if (runner_run(r, argv, NULL, 0, NULL, 30000, &res, cause) != 0)
		return -1;
	rc = res.status == 0 && *res.out != '\0';
	run_result_free(&res);
	return rc;
}

int
runner_put(struct runner *r, const char *path, const void *data, size_t len,
    char **cause)
{
	const char *argv[] = { "sh", "-c", "umask 077 && mkdir -p \"$(dirname "
	    "\"$0\")\" && cat > \"$0\".tmp && mv -f \"$0\".tmp \"$0\"", path,
	    NULL };
	struct run_result res;
	char *what = xprintf("%zu bytes", len), *t;

	if (runner_run(r, argv, data, len, what, 60000, &res, cause) != 0) {
		free(what);
		return -1;
	}
	free(what);
	if (res.status != 0) {
		t = runner_tail(res.err, 3);
		*cause = xprintf(_("cannot write %s on %s: %s"), path,
		    r->where, t);
		free(t);
		run_result_free(&res);
		return -1;
	}
	run_result_free(&res);
	return 0;
}
