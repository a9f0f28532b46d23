/*
 * wbinstall upgrade --answers FILE --bundle NEW [--dry-run] [--yes]
 *     [--allow-downgrade] [--backup-confirmed] [--backup-dir DIR]
 *     [--migrate] [--force] [--wait-timeout SECONDS] [--ca-file PEM]
 *     [--connect-to HOST:PORT:ADDR:PORT[,...]] [--json]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "answers.h"
#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "journal.h"
#include "plan-session.h"
#include "ssh.h"
#include "upgrade-run.h"
#include "xmalloc.h"

static int
confirm(const char *from, const char *to)
{
	char line[32];

	printf(_("Upgrade W&B from %s to %s? [y/N] "), from, to);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/* --json: the manifests' diff on stdout (the rest went to stderr), or,
 * when the run stopped before the compare, that it did. */
static void
print_json(const struct upgrade_run *u, const struct bundle_manifest *m)
{
	json_t *root;
	char *s;

	if (u->manifests_json != NULL) {
		printf("%s\n", u->manifests_json);
		return;
	}
	root = json_pack("{s:[], s:b, s:s, s:s, s:i}", "changes",
	    "compared", 0, "target", m->version, "reason",
	    _("the upgrade stopped before the manifests were compared"),
	    "left_out", 0);
	if (root != NULL && (s = json_dumps(root, JSON_INDENT(2) |
	    JSON_SORT_KEYS)) != NULL) {
		printf("%s\n", s);
		free(s);
	}
	json_decref(root);
}

static int
run_upgrade(const struct upgrade_opts *o, int yes, struct plan_ctx *ctx,
    struct answers *a, const struct bundle_manifest *m)
{
	struct upgrade_run u;
	char *cause = NULL;
	int rc;

	rc = upgrade_prepare(&u, o, ctx, a, m, ctx->out, &cause);
	if (cause != NULL) {
		rc = cmd_fail(rc, "%s", cause);
		free(cause);
	}
	if (o->json)
		print_json(&u, m);
	if (rc != EXIT_OK || u.stop != US_NONE)
		goto out;
	if (ctx->dry_run) {
		plan_describe(ctx, u.p);
		goto out;
	}
	if (!yes && !confirm(upgrade_from(&u), m->version)) {
		fprintf(stderr, _("wbinstall: nothing was changed\n"));
		rc = EXIT_FAIL;
		goto out;
	}
	rc = upgrade_apply(&u, stdout);
out:
	upgrade_run_free(&u);
	return rc;
}

enum { O_DOWNGRADE = CMD_LONG, O_CONFIRMED, O_BACKUP_DIR, O_MIGRATE,
	O_WAIT, O_CA, O_CONNECT, O_JSON };

static const struct cmd_opt upgrade_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "bundle", 'b', "NEW", N_("the bundle of the release to upgrade to"),
	    "!" },
	{ "dry-run", 'n', NULL, N_("show what is installed, the "
	    "requirements, the diff of the rendered files, the images and "
	    "every step; change nothing"), NULL },
	{ "yes", 'y', NULL, N_("do not ask before upgrading"), NULL },
	{ "allow-downgrade", O_DOWNGRADE, NULL, N_("go to an older release"),
	    NULL },
	{ "backup-confirmed", O_CONFIRMED, NULL, N_("a recent database backup "
	    "exists: take none"), NULL },
	{ "backup-dir", O_BACKUP_DIR, "DIR", N_("where the dump goes, on the "
	    "db target (else the control host) (/var/backups/wbinstall)"),
	    NULL },
	{ "migrate", O_MIGRATE, NULL, N_("move a pre-operator install (helm "
	    "chart wandb) to the operator"), NULL },
	{ "force", 'f', NULL, N_("go on when requirement checks fail"), NULL },
	{ "wait-timeout", O_WAIT, "SECONDS", N_("how long to wait for W&B to "
	    "be ready (1200)"), NULL },
	{ "ca-file", O_CA, "PEM", N_("verify: also trust this CA"), NULL },
	{ "connect-to", O_CONNECT, "HOST:PORT:ADDR:PORT[,...]",
	    N_("verify: send the requests for HOST:PORT to ADDR:PORT"), NULL },
	{ "json", O_JSON, NULL, N_("with --dry-run: print what the release "
	    "changes in the manifests as JSON on stdout; the rest goes to "
	    "stderr"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_upgrade_exec(int argc, char **argv)
{
	extern const struct cmd_entry cmd_upgrade_entry;
	const struct cmd_entry *self = &cmd_upgrade_entry;
	struct upgrade_opts ua;
	struct run_flags f;
	struct plan_ctx ctx;
	struct bundle_manifest *m;
	struct answers *a;
	struct cmd_parse cp;
	const char *file = NULL, *bundle = NULL;
	char *cause = NULL;
	int c, rc, sig, yes = 0;

	memset(&f, 0, sizeof f);
	f.color = cmd_color();
	f.out = stdout;
	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'b':
			bundle = optarg;
			break;
		case 'n':
			f.dry_run = 1;
			break;
		case 'y':
			yes = 1;
			break;
		case O_DOWNGRADE:
			f.allow_downgrade = 1;
			break;
		case O_CONFIRMED:
			f.backup_confirmed = 1;
			break;
		case O_BACKUP_DIR:
			f.backup_dir = optarg;
			break;
		case O_MIGRATE:
			f.migrate = 1;
			break;
		case 'f':
			f.force = 1;
			break;
		case O_WAIT:
			if (cmd_wait_timeout(self, optarg,
			    &f.wait_timeout_s) != 0) {
				cmd_parse_free(&cp);
				return EXIT_USAGE;
			}
			break;
		case O_CA:
			f.ca_file = optarg;
			break;
		case O_CONNECT:
			f.connect_to = optarg;
			break;
		case O_JSON:
			f.json = 1;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (optind < argc)
		return cmd_usage_error(self, _("unexpected argument '%s'"),
		    argv[optind]);
	if (f.json && !f.dry_run)
		return cmd_usage_error(self, _("--json goes with --dry-run"));
	if (f.backup_dir != NULL && *f.backup_dir != '/')
		return cmd_usage_error(self, _("--backup-dir must be an "
		    "absolute path on the host where the dump runs"));
	if (cmd_need_yes(self, f.dry_run, yes) != 0 ||
	    cmd_ca_file(self, f.ca_file) != 0 ||
	    cmd_connect_to(self, f.connect_to) != 0)
		return EXIT_USAGE;
	if ((m = bundle_inspect(bundle, &sig, NULL, &cause)) == NULL) {
		rc = cmd_fail(EXIT_USAGE, _("--bundle %s: %s"), bundle,
		    cause);
		free(cause);
		return rc;
	}
	if ((a = cmd_load_answers(file, 0)) == NULL) {
		bundle_manifest_free(m);
		return EXIT_USAGE;
	}
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));
	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0) {
		rc = cmd_fail(EXIT_USAGE, _("%s: upgrade supports "
		    "deployment.platform kubernetes only"), file);
		goto out;
	}
	if (f.json)
		f.out = stderr;
	upgrade_opts_from_answers(a, &f, bundle, &ua);
	if (plan_ctx_from_answers(a, NULL, &f, &ctx, &cause) == 0)
		rc = run_upgrade(&ua, yes, &ctx, a, m);
	else {
		rc = cmd_fail(EXIT_USAGE, "%s: %s", file, cause);
		free(cause);
	}
	plan_ctx_free(&ctx);
out:
	answers_free(a);
	bundle_manifest_free(m);
	return rc;
}

const struct cmd_entry cmd_upgrade_entry = {
	"upgrade",
	NULL,
	N_("Upgrade W&B to the release of a bundle, with a backup and a "
	   "rollback."),
	N_("What is installed comes from the journal, `helm list` and the "
	   "WeightsAndBiases\nresource's status.  Before any change the "
	   "database is dumped with mysqldump\n--single-transaction and the "
	   "dump must exist, be non-empty and pass gzip -t.\nThen the "
	   "install's steps run with the new release, each journaled.  When "
	   "the\nrelease does not come up or verify, helm rollback and the "
	   "previous resource\nput the old release back.\n"
	   "\nExit status: 0 upgraded (or nothing to do, or a dry run), 1 a "
	   "step failed, a\nrequirement is not met or a downgrade was refused, "
	   "2 bad usage or invalid\ninput.\n"),
	cmd_upgrade_exec,
	upgrade_opts,
	NULL,
};
