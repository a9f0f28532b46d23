/* wbinstall answers --print-schema */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"

static const struct cmd_opt answers_opts[] = {
	{ "print-schema", 's', NULL, N_("print the key table: key, type, "
	    "default, allowed values, secret, description"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_answers_exec(int argc, char **argv)
{
	struct cmd_parse cp;
	extern const struct cmd_entry cmd_answers_entry;
	int c, schema = 0;
	char *md;

	cmd_parse_init(&cp, &cmd_answers_entry, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 's':
			schema = 1;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
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
	NULL,
	N_("Print the answers-file schema (every key) as Markdown."),
	NULL,
	cmd_answers_exec,
	answers_opts,
	NULL,
};
