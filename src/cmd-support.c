/*
 * wbinstall support-bundle --answers FILE --out FILE.tar.gz [--no-checks]
 *     [--no-cluster]
 */
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
#include "runner.h"
#include "ssh.h"
#include "support.h"
#include "xmalloc.h"

static const struct cmd_opt support_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "out", 'o', "FILE.tar.gz", N_("the archive to write (mode 0600)"),
	    "!" },
	{ "no-checks", 'C' + CMD_LONG, NULL, N_("do not run preflight and "
	    "verify"), NULL },
	{ "no-cluster", 'K' + CMD_LONG, NULL, N_("do not run kubectl and "
	    "helm"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_support_exec(int argc, char **argv)
{
	struct cmd_parse cp;
	extern const struct cmd_entry cmd_support_entry;
	const struct cmd_entry *self = &cmd_support_entry;
	struct support_opts o;
	struct support_stats st;
	struct runner r;
	struct answers *a;
	char *cause = NULL;
	int c, cluster = 1, rc;
	size_t len;

	memset(&o, 0, sizeof o);
	o.checks = 1;
	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			o.answers_path = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'C' + CMD_LONG:
			o.checks = 0;
			break;
		case 'K' + CMD_LONG:
			cluster = 0;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_answers_args(self, argc, argv, o.answers_path) != 0)
		return EXIT_USAGE;
	if (o.out == NULL)
		return cmd_usage_error(self, _("--out FILE.tar.gz is required"));
	len = strlen(o.out);
	if (len < 7 || strcmp(o.out + len - 7, ".tar.gz") != 0)
		return cmd_usage_error(self, _("--out %s: the name must end in "
		    ".tar.gz"), o.out);
	a = cmd_load_answers(o.answers_path, 0);
	if (a == NULL)
		return EXIT_USAGE;
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));
	o.progress = stdout;
	if (cluster && strcmp(answers_get(a, "deployment.platform"),
	    "kubernetes") == 0) {
		if (runner_open(&r, a, 0, NULL, &cause) == 0)
			o.run = &r;
		else {
			fprintf(stderr, _("wbinstall: cannot reach the control "
			    "host, so the bundle has nothing from the cluster: "
			    "%s\n"), cause);
			free(cause);
			cause = NULL;
		}
	}
	printf(_("Collecting into %s:\n"), o.out);
	rc = support_bundle(a, &o, &st, &cause);
	if (o.run != NULL)
		runner_close(&r);
	answers_free(a);
	if (rc != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		return rc;
	}
	printf(_("Wrote %s (mode 0600): %zu files, %zu redactions listed in "
	    "%s.\n"), o.out, st.files, st.redactions, SUPPORT_REPORT);
	if (st.failed > 0)
		printf(_("%zu steps failed; SUMMARY.txt in the bundle says "
		    "which.\n"), st.failed);
	log_info("support-bundle: %s: %zu files, %zu redactions, %zu failed",
	    o.out, st.files, st.redactions, st.failed);
	return EXIT_OK;
}

const struct cmd_entry cmd_support_entry = {
	"support-bundle",
	NULL,
	N_("Collect logs, state and cluster facts for support, secrets "
	   "redacted."),
	N_("The bundle holds the answers file, the log, the install state "
	   "(journal), the\nrendered files, preflight and verify results as "
	   "JSON, versions, and from\nthe control host `helm list`, `kubectl "
	   "get`, `describe` and `logs` of the\nnamespace.\n"
	   "\nEvery secret is redacted: the values of the answers' secret "
	   "references (as\nthey are, URL-encoded and in base64), passwords in "
	   "URLs, AWS access keys and\nsecret keys, the license.  REDACTIONS.txt"
	   " in the archive lists each\nredaction by file, line and rule, "
	   "never the value.\n"
	   "\nExit status: 0 written (steps that failed are listed in "
	   "SUMMARY.txt), 1 the\narchive could not be written, 2 bad usage or "
	   "invalid answers.\n"),
	cmd_support_exec,
	support_opts,
	NULL,
};
