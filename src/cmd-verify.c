/* wbinstall verify --answers FILE [--json] [--ca-file PEM] [--no-wandb] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answers.h"
#include "check.h"
#include "cmd.h"
#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "run-flags.h"
#include "runner.h"
#include "ssh.h"
#include "verify.h"

static const struct cmd_opt verify_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "json", 'j', NULL, N_("print the results as JSON (the preflight "
	    "schema)"), NULL },
	{ "ca-file", 'C', "PEM", N_("also trust this CA for the TLS chain"),
	    NULL },
	{ "no-wandb", 'W' + CMD_LONG, NULL, N_("do not run `wandb verify`"),
	    NULL },
	{ "connect-to", 'T' + CMD_LONG, "HOST:PORT:ADDR:PORT[,...]",
	    N_("send the requests for HOST:PORT to ADDR:PORT (curl's "
	    "--connect-to)"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_verify_exec(int argc, char **argv)
{
	extern const struct cmd_entry cmd_verify_entry;
	const struct cmd_entry *self = &cmd_verify_entry;
	struct run_flags f;
	struct verify_opts o;
	struct check_list l = { NULL, 0 };
	struct cmd_parse p;
	const char *file = NULL;
	struct runner r;
	struct answers *a;
	char *cause = NULL, *json;
	int c, as_json = 0, rc, wst, opened = 0, kube;

	memset(&f, 0, sizeof f);
	cmd_parse_init(&p, self, NULL);
	while ((c = cmd_parse_next(&p, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'j':
			as_json = 1;
			break;
		case 'C':
			f.ca_file = optarg;
			break;
		case 'W' + CMD_LONG:
			f.no_wandb = 1;
			break;
		case 'T' + CMD_LONG:
			f.connect_to = optarg;
			break;
		}
	}
	cmd_parse_free(&p);
	if (c < 0)
		return p.rc;
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
	/* wandb verify and kubectl run on the control host when there is
	 * one. */
	kube = strcmp(answers_get(a, "deployment.platform"), "kubernetes") ==
	    0;
	if (!f.no_wandb || kube) {
		if (runner_open(&r, a, 0, NULL, &cause) == 0)
			opened = 1;
		else {
			checks_add(&l, "control", !f.no_wandb ? "wandb.verify" :
			    "verify.pods", CHECK_FAIL, NULL, NULL, NULL,
			    _("cannot reach the control host to run %s: %s"),
			    !f.no_wandb ? "wandb verify" : "kubectl", cause);
			free(cause);
			f.no_wandb = 1;
			kube = 0;
		}
	}
	verify_opts_from_flags(&f, opened ? &r : NULL, &o);
	verify_run(a, &o, &l, &wst);
	/* A pod stuck in Init or CrashLoopBackOff, named with its log. */
	if (kube)
		kube_pods_check(&r, a, time(NULL), &l);
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
	NULL,
	N_("Check a running W&B: DNS, TLS, health, proxy, bucket, wandb "
	   "verify."),
	N_("Checks: verify.dns (an A record), verify.host (the rendered "
	   "global.host is\nthe origin users type, https://FQDN), "
	   "verify.tls.name, verify.tls.chain\n(a self-signed certificate "
	   "warns), verify.tls.expiry (days left),\nverify.healthz and "
	   "verify.ready (200), verify.body_size (a 10 MB POST\nmust not get "
	   "413), verify.cors (the bucket's CORS preflight for a PUT with\n"
	   "content-md5 and content-type from that origin), verify.presign (a "
	   "presigned\nround trip), verify.upload (a presigned PUT with "
	   "Content-MD5 to the URL W&B\npresigns, read back; a wrong digest "
	   "must get BadDigest), then each line of\n"
	   "`wandb verify --host https://FQDN` (on the control host when there "
	   "is one)\nas wandb.* checks, and wandb.verify for its exit "
	   "status.  On Kubernetes, verify.pods:\nevery pod of the namespace "
	   "Ready; one stuck in Init or CrashLoopBackOff for\n5 minutes fails, "
	   "named with its STATUS, phase and the last lines of its\n"
	   "container's log, and the check that looks at what it waits "
	   "for.\n"
	   "\n--connect-to checks a site before its DNS is in place: the "
	   "HTTPS requests\nfor HOST:PORT go to ADDR:PORT, with the name kept "
	   "for SNI, the certificate\nand the Host header.\n"
	   "\nExit status: 0 nothing failed, 1 a check failed (or wandb verify "
	   "did), 2 bad\nusage or invalid answers.\n"),
	cmd_verify_exec,
	verify_opts,
	NULL,
};
