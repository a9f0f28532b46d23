/* wbinstall [--lang L] [--log FILE] [-v] COMMAND [OPTIONS]: the global
 * options before or after the command. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "xmalloc.h"

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, _("Usage: wbinstall [--lang L] [--log FILE] [-v] COMMAND "
	    "[OPTIONS]\n\n"
	    "Installs and checks a self-managed W&B Server.\n\n"
	    "Commands:\n"));
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(f, "  %-16s %s\n", cmd_table[i]->name,
		    _(cmd_table[i]->summary));
	fprintf(f, _("\nOptions:\n"
	    "  --lang L     language of messages: en, ko or ja\n"
	    "  --log FILE   log file (default "
	    "$XDG_STATE_HOME/wbinstall/wbinstall.log)\n"
	    "  -v           verbose log\n"
	    "  --help       this help; 'wbinstall COMMAND --help' for a "
	    "command\n"
	    "  --version    print the version\n\n"
	    "Exit status: 0 success, 1 a check or an operation failed, "
	    "2 bad usage or invalid input.\n"));
}

/*
 * The global options may come after the command too ("wbinstall wizard
 * --lang ko" is what a user types first): they are moved in front of it,
 * in their order, up to a "--".  No command has an option of these names.
 */
static char **ordered_argv;	/* kept to the end, as argv is */

static void
ordered_argv_free(void)
{
	free(ordered_argv);
}

static char **
globals_first(int argc, char **argv)
{
	char **out = xcalloc((size_t)argc + 1, sizeof *out);
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
	int i, n = 0, r = 0;

	out[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				rest[r++] = argv[i++];
			break;
		}
		if ((strcmp(argv[i], "--lang") == 0 ||
		    strcmp(argv[i], "--log") == 0) && i + 1 < argc) {
			out[n++] = argv[i++];
			out[n++] = argv[i];
		} else if (strncmp(argv[i], "--lang=", 7) == 0 ||
		    strncmp(argv[i], "--log=", 6) == 0 ||
		    strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0)
			out[n++] = argv[i];
		else
			rest[r++] = argv[i];
	}
	memcpy(out + n, rest, (size_t)r * sizeof *rest);
	out[n + r] = NULL;
	free(rest);
	ordered_argv = out;
	atexit(ordered_argv_free);
	return out;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'L' },
		{ "log", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *lang = NULL, *logfile = NULL;
	const struct cmd_entry *cmd;
	char *cause = NULL;
	int c, rc, i;

	argv = globals_first(argc, argv);
	/* --lang must take effect before any message is printed. */
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--") == 0 || argv[i][0] != '-')
			break;
		if (strcmp(argv[i], "--lang") == 0)
			lang = argv[i + 1];
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	i18n_init(lang);

	while ((c = getopt_long(argc, argv, "+vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
			if (strcmp(optarg, "en") != 0 &&
			    strcmp(optarg, "ko") != 0 &&
			    strcmp(optarg, "ja") != 0) {
				fprintf(stderr, _("wbinstall: --lang takes en, "
				    "ko or ja, not '%s'\n"), optarg);
				return EXIT_USAGE;
			}
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'v':
			log_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
#ifdef WB_TEST_HOOKS
			/* The tests that drive the hooks look for this. */
			printf("wbinstall %s (test hooks)\n", PACKAGE_VERSION);
#else
			printf("wbinstall %s\n", PACKAGE_VERSION);
#endif
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		/* No command: the wizard. */
		static char *wizard_argv[] = { (char *)"wizard", NULL };

		argc = 1;
		argv = wizard_argv;
		optind = 0;
	}
	cmd = cmd_find(argv[optind]);
	if (cmd == NULL) {
		fprintf(stderr, _("wbinstall: unknown command '%s'\n"),
		    argv[optind]);
		fprintf(stderr, _("Try 'wbinstall --help'.\n"));
		return EXIT_USAGE;
	}
	if (log_open(logfile, &cause) != 0) {
		fprintf(stderr, "wbinstall: %s\n", cause);
		free(cause);
		if (logfile != NULL)
			return EXIT_USAGE;
		/* The default log is a convenience; go on without it. */
	}
	log_info("start: wbinstall %s %s", PACKAGE_VERSION, cmd->name);
	argc -= optind;
	argv += optind;
	optind = 0;
	rc = cmd->exec(argc, argv);
	log_info("exit: %s -> %d", cmd->name, rc);
	log_close();
	return rc;
}
