/* wbinstall answers --print-schema */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"

static int
cmd_answers_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "print-schema", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_answers_entry;
	int c, schema = 0;
	char *md;

	while ((c = getopt_long(argc, argv, "sh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			schema = 1;
			break;
		case 'h':
			cmd_print_help(&cmd_answers_entry);
			return EXIT_OK;
		default:
			return cmd_usage_error(&cmd_answers_entry,
			    _("unknown option"));
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_answers_entry,
		    _("unexpected argument '%s'"), argv[optind]);
	if (!schema)
		return cmd_usage_error(&cmd_answers_entry,
		    _("say what to print: --print-schema"));
	md = answers_schema_markdown();
	fputs(md, stdout);
	free(md);
	return EXIT_OK;
}

const struct cmd_entry cmd_answers_entry = {
	"answers",
	N_("--print-schema"),
	N_("Print the answers-file schema (every key) as Markdown."),
	N_("  -s, --print-schema  the key table: key, type, default, allowed\n"
	   "                      values, secret, description\n"),
	cmd_answers_exec,
	NULL,
	NULL,
};
