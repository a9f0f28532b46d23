#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "paths.h"
#include "secret-forms.h"
#include "util.h"
#include "xmalloc.h"

int log_verbose;

static FILE *log_file;
static char *log_file_path;
/* Forms shorter than this are not searched for. */
#define LOG_SECRET_MIN	4

static char **secrets;
static size_t nsecrets;

int
log_open(const char *path, char **cause)
{
	char *p = path != NULL ? xstrdup(path) :
	    paths_state("wbinstall.log");
	char *dir = xstrdup(p), *slash;
	int fd;

	log_close();
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700, cause) != 0) {
			free(dir);
			free(p);
			return -1;
		}
	}
	free(dir);
	/* The log may hold host names and commands: keep it private. */
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1 || (log_file = fdopen(fd, "a")) == NULL) {
		*cause = xprintf(_("%s: cannot open the log: %s"), p,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(p);
		return -1;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	log_file_path = p;
	return 0;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	free(log_file_path);
	log_file_path = NULL;
}

const char *
log_path(void)
{
	return log_file_path;
}

/* Keep FORM, longest first, so that a form holding another goes first. */
static void
add_form(const char *form, void *arg)
{
	size_t i, len = strlen(form);

	(void)arg;
	/* Very short strings would redact ordinary words; skip them. */
	if (len < LOG_SECRET_MIN)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], form) == 0)
			return;
	secrets = xreallocarray(secrets, nsecrets + 1, sizeof *secrets);
	for (i = nsecrets; i > 0 && strlen(secrets[i - 1]) < len; i--)
		secrets[i] = secrets[i - 1];
	secrets[i] = xstrdup(form);
	nsecrets++;
}

void
log_add_secret(const char *s)
{
	if (s == NULL || strlen(s) < LOG_SECRET_MIN)
		return;
	secret_forms(s, add_form, NULL);
}

char *
log_redact(const char *s)
{
	char *out = xstrdup(s), *hit, *next;
	size_t i, len, at;

	for (i = 0; i < nsecrets; i++) {
		len = strlen(secrets[i]);
		at = 0;
		while ((hit = strstr(out + at, secrets[i])) != NULL) {
			at = (size_t)(hit - out) + 3;
			*hit = '\0';
			xasprintf(&next, "%s***%s", out, hit + len);
			xfree_secret(out);
			out = next;
		}
	}
	return out;
}

static void
log_vwrite(const char *level, const char *fmt, va_list ap)
{
	char *msg, *clean, stamp[64];
	struct timespec ts;
	struct tm tm;

	if (log_file == NULL)
		return;
	xvasprintf(&msg, fmt, ap);
	clean = log_redact(msg);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_file, "%s.%03ldZ [%ld] %s %s\n", stamp,
	    ts.tv_nsec / 1000000L, (long)getpid(), level, clean);
	free(clean);
	free(msg);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite("info", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite("debug", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite("error", fmt, ap);
	va_end(ap);
}
