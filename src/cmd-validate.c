/* wbinstall validate --answers FILE [--resolve] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"

static int
cmd_validate_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "resolve", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_validate_entry;
	const char *file = NULL;
	int c, resolve = 0, quiet = 0;
	struct answers *a;

	while ((c = getopt_long(argc, argv, "a:rqh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'r':
			resolve = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			cmd_print_help(&cmd_validate_entry);
			return EXIT_OK;
		default:
			return cmd_usage_error(&cmd_validate_entry,
			    _("unknown option"));
		}
	}
	if (cmd_answers_args(&cmd_validate_entry, argc, argv, file) != 0)
		return EXIT_USAGE;
	a = cmd_load_answers(file, resolve);
	if (a == NULL)
		return EXIT_USAGE;
	log_info("validate: %s is valid%s", file,
	    resolve ? " (secrets resolved)" : "");
	if (!quiet)
		printf(resolve ? _("%s: valid; every secret resolves\n") :
		    _("%s: valid\n"), file);
	answers_free(a);
	return EXIT_OK;
}

const struct cmd_entry cmd_validate_entry = {
	"validate",
	N_("--answers FILE [--resolve] [--quiet]"),
	N_("Check an answers file and list every error in it."),
	N_("  -a, --answers FILE  the answers file to check\n"
	   "  -r, --resolve       also check that every secret reference "
	   "resolves\n"
	   "  -q, --quiet         print nothing when the file is valid\n"
	   "\nExit status: 0 valid, 2 invalid (each error is printed as\n"
	   "FILE:LINE:COL: key: message).\n"),
	cmd_validate_exec,
};
