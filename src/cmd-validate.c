/* wbinstall validate --answers FILE [--resolve] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"

static const struct cmd_opt validate_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file to check"), "!" },
	{ "resolve", 'r', NULL, N_("also check that every secret reference "
	    "resolves"), NULL },
	{ "quiet", 'q', NULL, N_("print nothing when the file is valid"),
	    NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_validate_exec(int argc, char **argv)
{
	extern const struct cmd_entry cmd_validate_entry;
	struct cmd_parse p;
	const char *file = NULL;
	int c, resolve = 0, quiet = 0;
	struct answers *a;

	cmd_parse_init(&p, &cmd_validate_entry, NULL);
	while ((c = cmd_parse_next(&p, argc, argv)) > 0) {
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
		}
	}
	cmd_parse_free(&p);
	if (c < 0)
		return p.rc;
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
	NULL,
	N_("Check an answers file and list every error in it."),
	N_("Exit status: 0 valid, 2 invalid (each error is printed as\n"
	   "FILE:LINE:COL: key: message).\n"),
	cmd_validate_exec,
	validate_opts,
	NULL,
};
