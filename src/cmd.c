/* What every command shares. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

/*
 * The cancel flags that cross threads are atomic_int, and the commands'
 * SIGINT and SIGTERM handlers store to them: C11 lets a signal handler
 * store to a lock-free atomic object (7.14.1.1), and to nothing else
 * shared but a volatile sig_atomic_t.
 */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free");

/* The usage line after "wbinstall NAME " (a new string). */
static char *
usage_of(const struct cmd_entry *c)
{
	if (c->opts != NULL)
		return cmd_usage_line(c, NULL);
	return xstrdup(_(c->usage));
}

void
cmd_print_help(const struct cmd_entry *c)
{
	char *u = usage_of(c);

	printf(_("Usage: wbinstall %s %s\n"), c->name, u);
	free(u);
	printf("\n%s\n", _(c->summary));
	if (c->opts != NULL) {
		printf("\n");
		cmd_print_options(stdout, c);
	}
	if (c->help != NULL && *c->help != '\0')
		printf("\n%s", _(c->help));
}

int
cmd_dispatch(const struct cmd_entry *c, const struct cmd_sub *subs, int argc,
    char **argv)
{
	size_t i;

	if (argc < 2)
		return cmd_usage_error(c, _("a subcommand is required"));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_print_help(c);
		return EXIT_OK;
	}
	for (i = 0; subs[i].name != NULL; i++) {
		if (strcmp(argv[1], subs[i].name) == 0) {
			optind = 0;
			return subs[i].exec(argc - 1, argv + 1);
		}
	}
	return cmd_usage_error(c, _("unknown subcommand '%s'"), argv[1]);
}

int
cmd_usage_error(const struct cmd_entry *c, const char *fmt, ...)
{
	va_list ap;
	char *msg, *u;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "wbinstall %s: %s\n", c->name, msg);
	u = usage_of(c);
	fprintf(stderr, _("Usage: wbinstall %s %s\n"), c->name, u);
	free(u);
	fprintf(stderr, _("Try 'wbinstall %s --help'.\n"), c->name);
	log_error("%s: %s", c->name, msg);
	free(msg);
	return EXIT_USAGE;
}

int
cmd_answers_args(const struct cmd_entry *c, int argc, char **argv,
    const char *file)
{
	if (optind < argc) {
		cmd_usage_error(c, _("unexpected argument '%s'"), argv[optind]);
		return -1;
	}
	if (file == NULL) {
		cmd_usage_error(c, _("--answers FILE is required"));
		return -1;
	}
	return 0;
}

int
cmd_wait_timeout(const struct cmd_entry *c, const char *arg, int *out)
{
	char *end;
	long v;

	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 1 || v > 86400) {
		cmd_usage_error(c, _("--wait-timeout takes seconds, 1-86400"));
		return -1;
	}
	*out = (int)v;
	return 0;
}

int
cmd_ca_file(const struct cmd_entry *c, const char *path)
{
	if (path != NULL && access(path, R_OK) != 0) {
		cmd_usage_error(c, _("--ca-file %s cannot be read"), path);
		return -1;
	}
	return 0;
}

int
cmd_connect_to(const struct cmd_entry *c, const char *arg)
{
	const char *p, *e;
	int colons;

	if (arg == NULL)
		return 0;
	for (p = arg; ; p = e + 1) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		colons = 0;
		for (const char *q = p; q < e; q++) {
			if (*q == ':')
				colons++;
			if (*q == ' ' || *q == '\t')
				colons = -100;
		}
		if (colons < 3) {
			cmd_usage_error(c, _("--connect-to takes "
			    "HOST:PORT:ADDR:PORT[,...], not '%s'"), arg);
			return -1;
		}
		if (*e == '\0')
			return 0;
	}
}

int
cmd_need_yes(const struct cmd_entry *c, int dry_run, int yes)
{
	if (!dry_run && !yes && !isatty(STDIN_FILENO)) {
		cmd_usage_error(c, _("--yes is required when stdin is not a "
		    "terminal"));
		return -1;
	}
	return 0;
}

int
cmd_color(void)
{
	return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
}

int
cmd_fail(int code, const char *fmt, ...)
{
	va_list ap;
	char *msg, *clean;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	clean = log_redact(msg);
	free(msg);
	msg = text_printable(clean);	/* causes quote files and servers */
	fprintf(stderr, "wbinstall: %s\n", msg);
	log_error("%s", msg);
	free(clean);
	free(msg);
	return code;
}

struct answers *
cmd_load_answers(const char *path, int resolve)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	size_t i;
	char *line, *raw;

	a = answers_load(path, &errs);
	if (a != NULL) {
		answers_check(a, &errs);
		if (errs.n == 0 && resolve)
			answers_resolve_all(a, &errs);
	}
	for (i = 0; i < errs.n; i++) {
		/* Keys and values quoted from the file: escaped. */
		raw = answers_error_format(&errs.v[i]);
		line = text_printable(raw);
		free(raw);
		fprintf(stderr, "%s\n", line);
		log_error("%s", line);
		free(line);
	}
	if (errs.n != 0) {
		fprintf(stderr, ngettext("%s: %zu error\n", "%s: %zu errors\n",
		    errs.n), path, errs.n);
		answers_free(a);
		a = NULL;
	}
	answers_errors_clear(&errs);
	return a;
}
