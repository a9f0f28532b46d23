/*
 * wbinstall preflight --answers FILE [--checks hosts,mysql,storage,cluster,license,registry] [--json]
 *     [--parallel N] [--no-disk-bench] [--create-bucket]
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
#include "check.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"
#include "run-flags.h"
#include "ssh.h"
#include "xmalloc.h"

static atomic_int preflight_cancel;

static void
on_sigint(int sig)
{
	(void)sig;
	preflight_cancel = 1;
}

enum { O_NODISK = CMD_LONG, O_CREATE };

static const struct cmd_opt preflight_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "checks", 'c', "LIST", N_("the families to run, comma-separated: "
	    "hosts, mysql, storage, cluster, license, registry (default: "
	    "all)"), NULL },
	{ "json", 'j', NULL, N_("print the results as JSON"), NULL },
	{ "parallel", 'p', "N", N_("check at most N hosts at once"), NULL },
	{ "no-disk-bench", O_NODISK, NULL, N_("skip the disk write "
	    "benchmark"), NULL },
	{ "create-bucket", O_CREATE, NULL, N_("create the bucket when it is "
	    "missing"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_preflight_exec(int argc, char **argv)
{
	extern const struct cmd_entry cmd_preflight_entry;
	const struct cmd_entry *self = &cmd_preflight_entry;
	struct run_flags rf;
	struct preflight_opts po;
	const struct preflight_family *fam[8];
	struct check_list checks = { NULL, 0 };
	const char *file = NULL, *which = NULL;
	char *dup, *tok, *save = NULL, *end, *json;
	size_t nfam = 0, i;
	int c, as_json = 0, rc;
	struct answers *a;
	struct sigaction sa;
	struct cmd_parse cp;

	memset(&rf, 0, sizeof rf);
	rf.cancel = &preflight_cancel;
	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'c':
			which = optarg;
			break;
		case 'j':
			as_json = 1;
			break;
		case 'p':
			rf.parallel = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || rf.parallel < 1 ||
			    rf.parallel > 1024) {
				cmd_parse_free(&cp);
				return cmd_usage_error(self, _("--parallel "
				    "takes a number in 1-1024"));
			}
			break;
		case O_NODISK:
			rf.no_disk_bench = 1;
			break;
		case O_CREATE:
			rf.create_bucket = 1;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (which == NULL) {
		for (i = 0; preflight_families[i] != NULL && nfam < 8; i++)
			fam[nfam++] = preflight_families[i];
	} else {
		dup = xstrdup(which);
		for (tok = strtok_r(dup, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			const struct preflight_family *f;

			f = preflight_family_find(tok);
			if (f == NULL) {
				rc = cmd_usage_error(self, _("unknown check "
				    "family '%s'"), tok);
				free(dup);
				return rc;
			}
			if (nfam < 8)
				fam[nfam++] = f;
		}
		free(dup);
	}
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));

	preflight_opts_from_flags(NULL, &rf, &po);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < nfam && !preflight_cancel; i++) {
		log_info("preflight: %s", fam[i]->name);
		fam[i]->run(a, &po, &checks);
	}
	if (as_json) {
		json = checks_json(&checks);
		printf("%s\n", json);
		free(json);
	} else
		checks_print(stdout, &checks, cmd_color());
	rc = checks_exit_code(&checks);
	if (preflight_cancel) {
		fprintf(stderr, _("wbinstall: preflight cancelled\n"));
		rc = EXIT_FAIL;
	}
	checks_free(&checks);
	answers_free(a);
	return rc;
}

const struct cmd_entry cmd_preflight_entry = {
	"preflight",
	NULL,
	N_("Check the target hosts and the datastores before installing."),
	N_("Exit status: 0 nothing failed, 1 a check failed, 2 bad usage or "
	   "invalid answers.\n"),
	cmd_preflight_exec,
	preflight_opts,
	NULL,
};
