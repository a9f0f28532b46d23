#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "util.h"
#include "xmalloc.h"

#define SECRET_FILE_MAX (1024 * 1024)

static const struct {
	const char *name;
	enum secret_kind kind;
} kinds[] = {
	{ "env", SECRET_ENV },
	{ "file", SECRET_FILE },
	{ "value", SECRET_VALUE },
};

static int
valid_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

enum aerr
secret_parse(const char *text, struct secret_ref *out, char **cause)
{
	size_t len = strlen(text), i, n;
	const char *body, *end, *arg;
	char *val;

	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	if (len < 2 || text[0] != '{' || text[len - 1] != '}') {
		*cause = xstrdup(_("a secret must be a reference, "
		    "{env: NAME}, {file: PATH} or {value: \"...\"}, "
		    "not a bare string"));
		return AE_SECRET;
	}
	body = text + 1;
	end = text + len - 1;
	while (body < end && isspace((unsigned char)*body))
		body++;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		n = strlen(kinds[i].name);
		if ((size_t)(end - body) > n && strncmp(body, kinds[i].name,
		    n) == 0 && body[n] == ':')
			break;
	}
	if (i == sizeof kinds / sizeof kinds[0]) {
		*cause = xstrdup(_("a secret reference takes one of env, "
		    "file or value"));
		return AE_FORMAT;
	}
	arg = body + n + 1;
	if (arg < end && *arg == ' ')
		arg++;
	if (kinds[i].kind == SECRET_VALUE)
		val = xstrndup(arg, (size_t)(end - arg));
	else {
		while (arg < end && isspace((unsigned char)*arg))
			arg++;
		while (end > arg && isspace((unsigned char)end[-1]))
			end--;
		if (end - arg >= 2 && *arg == '"' && end[-1] == '"') {
			arg++;
			end--;
		}
		val = xstrndup(arg, (size_t)(end - arg));
		if (*val == '\0') {
			free(val);
			*cause = xprintf(_("{%s: } needs a %s"), kinds[i].name,
			    kinds[i].kind == SECRET_ENV ? _("variable name") :
			    _("path"));
			return AE_FORMAT;
		}
		if (kinds[i].kind == SECRET_ENV && !valid_env_name(val)) {
			*cause = xprintf(_("'%s' is not a valid environment "
			    "variable name"), val);
			free(val);
			return AE_FORMAT;
		}
	}
	secret_clear(out);
	out->kind = kinds[i].kind;
	out->arg = val;
	return AE_OK;
}

char *
secret_format(const struct secret_ref *s)
{
	switch (s->kind) {
	case SECRET_ENV:
		return xprintf("{env: %s}", s->arg);
	case SECRET_FILE:
		return xprintf("{file: %s}", s->arg);
	case SECRET_VALUE:
		return xprintf("{value: %s}", s->arg);
	case SECRET_NONE:
		break;
	}
	return xstrdup("");
}

char *
secret_format_masked(const struct secret_ref *s)
{
	if (s->kind == SECRET_VALUE)
		return xstrdup("{value: ********}");
	return secret_format(s);
}

void
secret_clear(struct secret_ref *s)
{
	if (s->kind == SECRET_VALUE)
		xfree_secret(s->arg);
	else
		free(s->arg);
	s->arg = NULL;
	s->kind = SECRET_NONE;
}

void
secret_copy(struct secret_ref *dst, const struct secret_ref *src)
{
	secret_clear(dst);
	dst->kind = src->kind;
	dst->arg = src->arg != NULL ? xstrdup(src->arg) : NULL;
}

char *
secret_resolve_at(const struct secret_ref *s, const char *key,
    const char *base, char **cause)
{
	const char *env;
	char *path, *val, *why = NULL;
	size_t len;
	struct stat sb;

	switch (s->kind) {
	case SECRET_NONE:
		*cause = xprintf(_("%s: not set"), key);
		return NULL;
	case SECRET_VALUE:
		val = xstrdup(s->arg);
		break;
	case SECRET_ENV:
		env = getenv(s->arg);
		if (env == NULL) {
			*cause = xprintf(_("%s: environment variable %s is "
			    "not set"), key, s->arg);
			return NULL;
		}
		if (*env == '\0') {
			*cause = xprintf(_("%s: environment variable %s is "
			    "empty"), key, s->arg);
			return NULL;
		}
		val = xstrdup(env);
		break;
	case SECRET_FILE:
		path = expand_home(s->arg);
		if (path[0] != '/' && base != NULL) {
			char *dup = xstrdup(base), *joined;

			joined = xprintf("%s/%s", dirname(dup), path);
			free(dup);
			free(path);
			path = joined;
		}
		val = read_file(path, SECRET_FILE_MAX, &len, &why);
		if (val == NULL) {
			*cause = xprintf(_("%s: secret file %s cannot be "
			    "read (%s)"), key, s->arg, why);
			free(why);
			free(path);
			return NULL;
		}
		if (stat(path, &sb) == 0 && (sb.st_mode & 077) != 0)
			log_info("%s: secret file %s is readable by others; "
			    "chmod 600 it", key, path);
		free(path);
		/* One trailing newline is the file's, not the secret's. */
		if (len > 0 && val[len - 1] == '\n')
			val[--len] = '\0';
		if (len > 0 && val[len - 1] == '\r')
			val[--len] = '\0';
		if (len != strlen(val)) {
			xfree_secret(val);
			*cause = xprintf(_("%s: secret file %s holds a NUL "
			    "byte"), key, s->arg);
			return NULL;
		}
		break;
	default:
		return NULL;
	}
	log_add_secret(val);
	return val;
}

char *
secret_resolve(const struct secret_ref *s, const char *key, char **cause)
{
	return secret_resolve_at(s, key, NULL, cause);
}

/* Longest secret read from the terminal. */
#define TTY_SECRET_MAX	1024

/*
 * The signal that came while echo was off (-1: the terminal failed).  An
 * atomic_int, not a volatile sig_atomic_t: the handler runs in whichever
 * thread the signal lands, while the prompt may be read in another (an
 * SSH passphrase asked during a parallel preflight).
 */
static atomic_int tty_signal;

static void
tty_on_signal(int sig)
{
	tty_signal = sig;
}

char *
secret_read_tty(const char *prompt, char **cause)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa, old_sa[sizeof sigs / sizeof sigs[0]];
	struct termios old, quiet;
	char buf[TTY_SECRET_MAX], ch, *val = NULL;
	struct pollfd pfd;
	size_t n = 0, i;
	ssize_t r;
	int fd, done = 0;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || tcgetattr(fd, &old) != 0) {
		*cause = xprintf(_("no terminal to ask on: %s"),
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* A signal while echo is off: the terminal is put back first. */
	tty_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old_sa[i]);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		tty_signal = -1;
	while (!tty_signal) {
		/* The signal may land on another thread: look every 100 ms. */
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) <= 0)
			continue;	/* nothing yet, or a signal */
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (ch == '\n' || ch == '\r') {
			done = 1;
			break;
		}
		if (n < sizeof buf - 1)
			buf[n++] = ch;
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		done = 0;
	close(fd);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &old_sa[i], NULL);
	buf[n] = '\0';
	if (done && n > 0) {
		val = xstrdup(buf);
		log_add_secret(val);
	} else
		*cause = xstrdup(tty_signal > 0 ? _("cancelled") :
		    _("nothing was typed"));
	OPENSSL_cleanse(buf, sizeof buf);
	if (tty_signal > 0)
		raise(tty_signal);
	return val;
}
