/* wbinstall wizard [--answers FILE] [--write-answers OUT] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "wizard.h"

#define DEFAULT_OUT "./wbinstall-answers.yaml"

extern const struct cmd_entry cmd_wizard_entry;

/* Pre-fill from FILE.  Values in error are left out and logged. */
static struct answers *
prefill(const char *file)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a;
	size_t i;
	char *line;

	a = answers_load(file, &errs);
	for (i = 0; i < errs.n; i++) {
		line = answers_error_format(&errs.v[i]);
		fprintf(stderr, "%s\n", line);
		log_error("%s", line);
		free(line);
	}
	if (a == NULL || errs.n != 0) {
		fprintf(stderr, ngettext("%s: %zu error; fix it or start "
		    "without --answers\n", "%s: %zu errors; fix them or start "
		    "without --answers\n", errs.n ? errs.n : 1), file,
		    errs.n ? errs.n : 1);
		answers_free(a);
		a = NULL;
	}
	answers_errors_clear(&errs);
	return a;
}

static int
cmd_wizard_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "write-answers", required_argument, NULL, 'w' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "wait-timeout", required_argument, NULL, 'W' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *in = NULL, *out = DEFAULT_OUT;
	struct answers *a;
	int c, rc;

	while ((c = getopt_long(argc, argv, "a:w:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			in = optarg;
			break;
		case 'w':
			out = optarg;
			break;
		case 'C':
			if (cmd_ca_file(&cmd_wizard_entry, optarg) != 0)
				return EXIT_USAGE;
			wiz_run_opts.ca_file = optarg;
			break;
		case 'f':
			wiz_run_opts.force = 1;
			break;
		case 'W':
			if (cmd_wait_timeout(&cmd_wizard_entry, optarg,
			    &wiz_run_opts.wait_timeout_s) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			cmd_print_help(&cmd_wizard_entry);
			return EXIT_OK;
		default:
			return cmd_usage_error(&cmd_wizard_entry,
			    _("unknown option"));
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_wizard_entry,
		    _("unexpected argument '%s'"), argv[optind]);
	if (in != NULL) {
		if ((a = prefill(in)) == NULL)
			return EXIT_USAGE;
	} else
		a = answers_new();
	rc = wizard_run(a, out);
	answers_free(a);
	if (rc == 0)
		printf(_("Saved the answers to %s (mode 0600).\n"), out);
	else if (rc == WIZ_QUIT_SAVED)
		printf(_("Quit; the answers were last saved to %s (mode "
		    "0600).\n"), out);
	else if (rc == 1)
		fprintf(stderr, _("wbinstall: quit; the answers were not "
		    "saved\n"));
	return rc == 0 || rc == WIZ_QUIT_SAVED ? EXIT_OK : rc == 1 ?
	    EXIT_FAIL : EXIT_USAGE;
}

const struct cmd_entry cmd_wizard_entry = {
	"wizard",
	N_("[--answers FILE] [--write-answers OUT] [--ca-file PEM] "
	   "[--wait-timeout SECONDS] [--force]"),
	N_("Walk through every answer in a full-screen wizard."),
	N_("  -a, --answers FILE        pre-fill the wizard from FILE\n"
	   "  -w, --write-answers OUT   where Save writes the answers (mode "
	   "0600;\n"
	   "                            default ./wbinstall-answers.yaml)\n"
	   "      --ca-file PEM         install, upgrade: verify also trusts "
	   "this CA\n"
	   "      --wait-timeout SECS   install, upgrade: how long to wait for "
	   "W&B (1200)\n"
	   "  -f, --force               install, upgrade: go on when checks "
	   "fail (else\n"
	   "                            the wizard asks)\n"
	   "\nKeys: Tab/Shift-Tab/Up/Down move, Enter goes on, Esc goes back,"
	   "\nF1 help, F2 log, F10 save (from Review), Ctrl-C quit.\n"
	   "\nF5 on Review saves, then shows the install plan (as install "
	   "--dry-run) and,\nonce confirmed, runs it live; in the Upgrade "
	   "mode it upgrades to a new\nbundle's release instead (as "
	   "upgrade).  Esc stops after the current action.\n"
	   "\nExit status: 0 saved, 1 quit without saving, 2 bad usage or no "
	   "terminal.\n"),
	cmd_wizard_exec,
	NULL,
	NULL,
};
