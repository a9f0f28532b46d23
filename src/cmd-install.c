/*
 * wbinstall install --answers FILE [--dry-run] [--yes] [--force]
 *     [--wait-timeout SECONDS] [--ca-file PEM]
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers.h"
#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "journal.h"
#include "log.h"
#include "plan-session.h"
#include "runner.h"
#include "ssh.h"
#include "xmalloc.h"

static atomic_int install_cancel;

static void
on_sigint(int sig)
{
	static const char msg[] = "\nwbinstall: stopping after the current "
	    "action (Ctrl-C again stops now)\n";

	(void)sig;
	install_cancel = 1;
	(void)write(STDERR_FILENO, msg, sizeof msg - 1);
	signal(SIGINT, SIG_DFL);
}

/* Ask on the terminal; 1 yes. */
static int
confirm(const struct plan *p, const struct answers *a)
{
	char line[32];

	printf(_("Install W&B (%s) at https://%s? [y/N] "), p->name,
	    answers_get(a, "domain.fqdn"));
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

static const struct cmd_opt install_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "dry-run", 'n', NULL, N_("print the plan and every command "
	    "(secrets masked); change nothing"), NULL },
	{ "yes", 'y', NULL, N_("do not ask before installing"), NULL },
	{ "force", 'f', NULL, N_("go on when preflight checks fail"), NULL },
	{ "wait-timeout", 'w' + CMD_LONG, "SECONDS", N_("how long to wait "
	    "for W&B to be ready (1200)"), NULL },
	{ "ca-file", 'C' + CMD_LONG, "PEM", N_("verify: also trust this CA"),
	    NULL },
	{ "connect-to", 'T' + CMD_LONG, "HOST:PORT:ADDR:PORT[,...]",
	    N_("verify: send the requests for HOST:PORT to ADDR:PORT"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_install_exec(int argc, char **argv)
{
	extern const struct cmd_entry cmd_install_entry;
	const struct cmd_entry *self = &cmd_install_entry;
	const char *file = NULL;
	const struct plan *p;
	struct plan_ctx ctx;
	struct journal j;
	struct runner r;
	struct answers *a;
	struct sigaction sa;
	struct run_flags f;
	char *cause = NULL;
	int c, yes = 0, rc;
	struct cmd_parse cp;

	memset(&f, 0, sizeof f);
	f.cancel = &install_cancel;
	f.out = stdout;
	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'n':
			f.dry_run = 1;
			break;
		case 'y':
			yes = 1;
			break;
		case 'f':
			f.force = 1;
			break;
		case 'w' + CMD_LONG:
			if (cmd_wait_timeout(self, optarg,
			    &f.wait_timeout_s) != 0) {
				cmd_parse_free(&cp);
				return EXIT_USAGE;
			}
			break;
		case 'C' + CMD_LONG:
			f.ca_file = optarg;
			break;
		case 'T' + CMD_LONG:
			f.connect_to = optarg;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_connect_to(self, f.connect_to) != 0)
		return EXIT_USAGE;
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (cmd_ca_file(self, f.ca_file) != 0)
		return EXIT_USAGE;
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));
	if ((p = plan_for(a)) == NULL) {
		answers_free(a);
		return cmd_fail(EXIT_USAGE, _("%s: deployment.platform %s is "
		    "installed with Terraform: run `wbinstall render` and "
		    "`terraform apply` in the rendered directory"), file,
		    "aws-terraform");
	}
	if (cmd_need_yes(self, f.dry_run, yes) != 0) {
		answers_free(a);
		return EXIT_USAGE;
	}
	if (plan_ctx_from_answers(a, NULL, &f, &ctx, &cause) != 0 ||
	    plan_check_input(&ctx, &cause) != 0) {
		rc = cmd_fail(EXIT_USAGE, "%s: %s", file, cause);
		free(cause);
		goto out_ctx;
	}
	/* A dry run reads the journal if there is one and touches nothing. */
	if (plan_open(&ctx, file, &j, &r, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out_ctx;
	}
	if (ctx.dry_run) {
		plan_describe(&ctx, p);
		rc = EXIT_OK;
		goto out_runner;
	}
	if (!yes && !confirm(p, a)) {
		fprintf(stderr, _("wbinstall: nothing was changed\n"));
		rc = EXIT_FAIL;
		goto out_runner;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	log_info("install: %s plan for %s, on %s", p->name, file, r.where);
	rc = plan_run(&ctx, p);
	signal(SIGINT, SIG_DFL);

out_runner:
	plan_close(&ctx);
out_ctx:
	plan_ctx_free(&ctx);
	answers_free(a);
	return rc;
}

const struct cmd_entry cmd_install_entry = {
	"install",
	NULL,
	N_("Install W&B: preflight, render, apply, wait and verify."),
	N_("The install is a list of actions.  Each one's state is kept in "
	   ".wbinstall-state/\nbeside the answers file: run the same command "
	   "again after a failure or an\ninterruption and it goes on from "
	   "where it stopped, skipping the actions that\nare done and whose "
	   "inputs did not change.  Ctrl-C stops after the current "
	   "action.\n"
	   "\nWith a target of role control, helm and kubectl run there over "
	   "SSH; else\nhere.  Secrets go on their standard input, never on a "
	   "command line.\n"
	   "\nExit status: 0 installed, 1 an action failed or was "
	   "interrupted, 2 bad usage\nor invalid answers.\n"),
	cmd_install_exec,
	install_opts,
	NULL,
};
