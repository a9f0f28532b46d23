/* wbinstall wizard [--answers FILE] [--write-answers OUT] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

enum { O_CA = CMD_LONG, O_WAIT, O_CONNECT };

static const struct cmd_opt wizard_opts[] = {
	{ "answers", 'a', "FILE", N_("pre-fill the wizard from FILE"), NULL },
	{ "write-answers", 'w', "OUT", N_("where Save writes the answers "
	    "(mode 0600; default ./wbinstall-answers.yaml)"), NULL },
	{ "ca-file", O_CA, "PEM", N_("install and upgrade: verify also "
	    "trusts this CA"), NULL },
	{ "wait-timeout", O_WAIT, "SECONDS", N_("install and upgrade: how "
	    "long to wait for W&B to be ready (1200)"), NULL },
	{ "force", 'f', NULL, N_("install and upgrade: go on when checks "
	    "fail (else the wizard asks)"), NULL },
	{ "connect-to", O_CONNECT, "HOST:PORT:ADDR:PORT[,...]",
	    N_("install and upgrade: verify sends the requests for HOST:PORT "
	    "to ADDR:PORT"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_wizard_exec(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_wizard_entry;
	const char *in = NULL, *out = DEFAULT_OUT;
	struct wiz_run_opts ro;
	struct cmd_parse cp;
	struct answers *a;
	int c, rc;

	memset(&ro, 0, sizeof ro);
	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			in = optarg;
			break;
		case 'w':
			out = optarg;
			break;
		case O_CA:
			ro.ca_file = optarg;
			break;
		case 'f':
			ro.force = 1;
			break;
		case O_CONNECT:
			ro.connect_to = optarg;
			break;
		case O_WAIT:
			if (cmd_wait_timeout(self, optarg,
			    &ro.wait_timeout_s) != 0) {
				cmd_parse_free(&cp);
				return EXIT_USAGE;
			}
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_ca_file(self, ro.ca_file) != 0 ||
	    cmd_connect_to(self, ro.connect_to) != 0)
		return EXIT_USAGE;
	if (optind < argc)
		return cmd_usage_error(&cmd_wizard_entry,
		    _("unexpected argument '%s'"), argv[optind]);
	if (in != NULL) {
		if ((a = prefill(in)) == NULL)
			return EXIT_USAGE;
	} else
		a = answers_new();
	rc = wizard_run(a, out, &ro);
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
	NULL,
	N_("Walk through every answer in a full-screen wizard."),
	N_("Keys: Tab/Shift-Tab/Up/Down move, Enter goes on, Esc goes back,"
	   "\nF1 help, F2 log, F10 save (from Review), Ctrl-C quit.\n"
	   "\nF5 on Review saves, then shows the install plan (as install "
	   "--dry-run) and,\nonce confirmed, runs it live; in the Upgrade "
	   "mode it upgrades to a new\nbundle's release instead (as "
	   "upgrade).  Esc stops after the current action.\n"
	   "\nExit status: 0 saved, 1 quit without saving, 2 bad usage or no "
	   "terminal.\n"),
	cmd_wizard_exec,
	wizard_opts,
	NULL,
};
