/* wbinstall verify --answers FILE [--json] [--ca-file PEM] [--no-wandb] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "answers.h"
#include "check.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "runner.h"
#include "ssh.h"
#include "verify.h"

static int
cmd_verify_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "no-wandb", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_verify_entry;
	const struct cmd_entry *self = &cmd_verify_entry;
	struct verify_opts o = { NULL, 1, NULL };
	struct check_list l = { NULL, 0 };
	const char *file = NULL;
	struct runner r;
	struct answers *a;
	char *cause = NULL, *json;
	int c, as_json = 0, rc, wst, opened = 0;

	while ((c = getopt_long(argc, argv, "a:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'j':
			as_json = 1;
			break;
		case 'C':
			o.ca_file = optarg;
			break;
		case 'W':
			o.wandb = 0;
			break;
		case 'h':
			cmd_print_help(self);
			return EXIT_OK;
		default:
			return cmd_usage_error(self, _("unknown option"));
		}
	}
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (cmd_ca_file(self, o.ca_file) != 0)
		return EXIT_USAGE;
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));
	/* wandb verify runs on the control host when there is one. */
	if (o.wandb) {
		if (runner_open(&r, a, 0, NULL, &cause) == 0) {
			opened = 1;
			o.run = &r;
		} else {
			checks_add(&l, "control", "wandb.verify", CHECK_FAIL,
			    NULL, NULL, NULL, _("cannot reach the control "
			    "host to run wandb verify: %s"), cause);
			free(cause);
			o.wandb = 0;
		}
	}
	verify_run(a, &o, &l, &wst);
	if (as_json) {
		json = checks_json(&l);
		printf("%s\n", json);
		free(json);
	} else
		checks_print(stdout, &l, cmd_color());
	rc = checks_exit_code(&l);
	if (wst > 0)
		rc = EXIT_FAIL;
	log_info("verify: %s -> %d (wandb verify: %d)", file, rc, wst);
	checks_free(&l);
	if (opened)
		runner_close(&r);
	answers_free(a);
	return rc;
}

const struct cmd_entry cmd_verify_entry = {
	"verify",
	N_("--answers FILE [--json] [--ca-file PEM] [--no-wandb]"),
	N_("Check a running W&B: DNS, TLS, health, proxy, bucket, wandb "
	   "verify."),
	N_("  -a, --answers FILE   the answers file\n"
	   "  -j, --json           print the results as JSON (the preflight "
	   "schema)\n"
	   "      --ca-file PEM    also trust this CA for the TLS chain\n"
	   "      --no-wandb       do not run `wandb verify`\n"
	   "\nChecks: verify.dns (an A record), verify.tls.name, "
	   "verify.tls.chain\n(a self-signed certificate warns), "
	   "verify.tls.expiry (days left),\nverify.healthz and verify.ready "
	   "(200), verify.body_size (a 10 MB POST\nmust not get 413), "
	   "verify.cors (the bucket's CORS preflight from the\nW&B origin), "
	   "verify.presign (a presigned round trip), then each line of\n"
	   "`wandb verify --host https://FQDN` (on the control host when there "
	   "is one)\nas wandb.* checks, and wandb.verify for its exit "
	   "status.\n"
	   "\nWBINSTALL_CONNECT_TO=HOST:PORT:ADDR:PORT[,...] sends the HTTPS "
	   "requests for\nHOST:PORT to ADDR:PORT (curl's --connect-to), for "
	   "tests and for checking a\nsite before its DNS is in place.\n"
	   "\nExit status: 0 nothing failed, 1 a check failed (or wandb verify "
	   "did), 2 bad\nusage or invalid answers.\n"),
	cmd_verify_exec,
	NULL,
	NULL,
};
