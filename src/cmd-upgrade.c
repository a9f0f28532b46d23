/*
 * wbinstall upgrade --answers FILE --bundle NEW [--dry-run] [--yes]
 *     [--allow-downgrade] [--backup-confirmed] [--backup-dir DIR]
 *     [--migrate] [--force] [--wait-timeout SECONDS] [--ca-file PEM]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int
run_upgrade(const struct upgrade_opts *o, int yes, struct plan_ctx *ctx,
    struct answers *a, const struct bundle_manifest *m)
{
	struct upgrade_run u;
	char *cause = NULL;
	int rc;

	rc = upgrade_prepare(&u, o, ctx, a, m, stdout, &cause);
	if (cause != NULL) {
		rc = cmd_fail(rc, "%s", cause);
		free(cause);
	}
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

static int
cmd_upgrade_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "bundle", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "allow-downgrade", no_argument, NULL, 'D' },
		{ "backup-confirmed", no_argument, NULL, 'B' },
		{ "backup-dir", required_argument, NULL, 'd' },
		{ "migrate", no_argument, NULL, 'M' },
		{ "force", no_argument, NULL, 'f' },
		{ "wait-timeout", required_argument, NULL, 'w' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_upgrade_entry;
	const struct cmd_entry *self = &cmd_upgrade_entry;
	struct upgrade_opts ua;
	struct plan_ctx ctx;
	struct bundle_manifest *m;
	struct answers *a;
	char *cause = NULL;
	int c, rc, sig, yes = 0;

	memset(&ua, 0, sizeof ua);
	memset(&ctx, 0, sizeof ctx);
	ua.backup_dir = UPGRADE_BACKUP_DIR_DEFAULT;
	ua.color = cmd_color();
	ctx.wait_timeout_s = PLAN_WAIT_TIMEOUT_DEFAULT;
	while ((c = getopt_long(argc, argv, "a:b:nyfh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			ua.file = optarg;
			break;
		case 'b':
			ua.bundle = optarg;
			break;
		case 'n':
			ctx.dry_run = 1;
			break;
		case 'y':
			yes = 1;
			break;
		case 'D':
			ua.downgrade = 1;
			break;
		case 'B':
			ua.confirmed = 1;
			break;
		case 'd':
			if (*optarg != '/')
				return cmd_usage_error(self, _("--backup-dir "
				    "must be an absolute path on the host "
				    "where the dump runs"));
			ua.backup_dir = optarg;
			break;
		case 'M':
			ua.migrate = 1;
			break;
		case 'f':
			ua.force = ctx.force = 1;
			break;
		case 'w':
			if (cmd_wait_timeout(self, optarg,
			    &ctx.wait_timeout_s) != 0)
				return EXIT_USAGE;
			break;
		case 'C':
			ctx.ca_file = optarg;
			break;
		case 'h':
			cmd_print_help(self);
			return EXIT_OK;
		default:
			return cmd_usage_error(self, _("unknown option"));
		}
	}
	if (optind < argc)
		return cmd_usage_error(self, _("unexpected argument '%s'"),
		    argv[optind]);
	if (ua.file == NULL || ua.bundle == NULL)
		return cmd_usage_error(self, _("--answers FILE and --bundle NEW "
		    "are required"));
	if (cmd_need_yes(self, ctx.dry_run, yes) != 0 ||
	    cmd_ca_file(self, ctx.ca_file) != 0)
		return EXIT_USAGE;
	if ((m = bundle_inspect(ua.bundle, &sig, NULL, &cause)) == NULL) {
		rc = cmd_fail(EXIT_USAGE, _("--bundle %s: %s"), ua.bundle,
		    cause);
		free(cause);
		return rc;
	}
	if ((a = cmd_load_answers(ua.file, 0)) == NULL) {
		bundle_manifest_free(m);
		return EXIT_USAGE;
	}
	/* An encrypted ssh.identity without ssh.passphrase: ask. */
	ssh_allow_prompt(isatty(STDIN_FILENO));
	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0) {
		rc = cmd_fail(EXIT_USAGE, _("%s: upgrade supports "
		    "deployment.platform kubernetes only"), ua.file);
		goto out;
	}
	ctx.out = stdout;
	ctx.render_dir = plan_render_dir(ua.file);
	rc = run_upgrade(&ua, yes, &ctx, a, m);
	plan_ctx_free(&ctx);
out:
	answers_free(a);
	bundle_manifest_free(m);
	return rc;
}

const struct cmd_entry cmd_upgrade_entry = {
	"upgrade",
	N_("--answers FILE --bundle NEW [--dry-run] [--yes] "
	   "[--allow-downgrade] [--backup-confirmed] [--backup-dir DIR] "
	   "[--migrate] [--force] [--wait-timeout SECONDS] [--ca-file PEM]"),
	N_("Upgrade W&B to the release of a bundle, with a backup and a "
	   "rollback."),
	N_("  -a, --answers FILE        the answers file\n"
	   "  -b, --bundle NEW          the bundle of the release to upgrade "
	   "to\n"
	   "  -n, --dry-run             show what is installed, the "
	   "requirements, the diff\n"
	   "                            of the rendered files, the images and "
	   "every step;\n"
	   "                            change nothing\n"
	   "  -y, --yes                 do not ask before upgrading\n"
	   "      --allow-downgrade     go to an older release\n"
	   "      --backup-confirmed    a recent database backup exists: take "
	   "none\n"
	   "      --backup-dir DIR      where the dump goes, on the db target "
	   "(else the\n"
	   "                            control host) (/var/backups/wbinstall)"
	   "\n"
	   "      --migrate             move a pre-operator install (helm "
	   "chart wandb) to\n"
	   "                            the operator\n"
	   "  -f, --force               go on when requirement checks fail\n"
	   "      --wait-timeout SECS   how long to wait for W&B to be ready "
	   "(1200)\n"
	   "      --ca-file PEM         verify: also trust this CA\n"
	   "\nWhat is installed comes from the journal, `helm list` and the "
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
	NULL,
	NULL,
};
