/*
 * wbinstall upgrade --answers FILE --bundle NEW [--dry-run] [--yes]
 *     [--allow-downgrade] [--backup-confirmed] [--backup-dir DIR]
 *     [--migrate] [--force] [--wait-timeout SECONDS] [--ca-file PEM]
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answers.h"
#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "journal.h"
#include "log.h"
#include "plan.h"
#include "upgrade.h"
#include "util.h"
#include "xmalloc.h"

#define WAIT_TIMEOUT_DEFAULT	1200
#define BACKUP_DIR_DEFAULT	"/var/backups/wbinstall"

struct upgrade_args {
	const char *file, *bundle, *backup_dir;
	int dry_run, yes, downgrade, confirmed, migrate, force;
};

static void
show_site(const struct upgrade_site *s, const char *target)
{
	size_t i;

	printf(_("Installed: %s"), s->current != NULL ? s->current :
	    _("unknown version"));
	if (s->current_from != NULL)
		printf(_(" (from %s)"), _(s->current_from));
	printf("\n");
	for (i = 0; i < s->nreleases; i++)
		printf(_("  helm release %s: chart %s %s, revision %d, %s\n"),
		    s->releases[i].name, s->releases[i].chart,
		    s->releases[i].chart_version, s->releases[i].revision,
		    s->releases[i].status);
	if (s->have_cr)
		printf(_("  WeightsAndBiases resource: phase %s\n"),
		    *s->cr_phase != '\0' ? s->cr_phase : "-");
	printf(_("Upgrade: %s → %s\n\n"), s->current != NULL ? s->current :
	    "?", target);
}

/* Keep the resource as it is, for a rollback. */
static int
save_previous(const struct upgrade_site *s, const char *file, char **cause)
{
	char *dir, *path, *cr;
	int rc;

	if (!s->have_cr)
		return 0;
	if ((cr = upgrade_cr_for_apply(s->cr_json, cause)) == NULL)
		return -1;
	dir = journal_dir_for(file);
	path = xprintf("%s/%s", dir, UPGRADE_PREVIOUS_CR);
	rc = write_file_atomic(path, cr, strlen(cr), 0600, cause);
	free(path);
	free(dir);
	free(cr);
	return rc;
}

/* helm rollback to the operator's revision before, and the previous
 * resource applied again; journaled. */
static int
rollback(struct plan_ctx *c, const struct upgrade_site *s,
    const char *file)
{
	struct plan_argv av = { NULL, 0 };
	const char *apply[] = { "kubectl", "apply", "-f", "-", NULL };
	char *dir, *path, *cr, *cause = NULL, *jcause = NULL, *what;
	size_t len;
	int rc = 0;

	fprintf(c->out, _("\nRolling back:\n"));
	journal_set(c->journal, UPGRADE_ROLLBACK, JS_RUNNING, NULL, NULL,
	    &jcause);
	free(jcause);
	jcause = NULL;
	if (s->operator != NULL && s->operator->revision > 0) {
		argv_add(&av, "helm");
		argv_add(&av, "rollback");
		argv_add(&av, "%s", s->operator->name);
		argv_add(&av, "%d", s->operator->revision);
		argv_add(&av, "--namespace");
		argv_add(&av, "%s", plan_namespace(c));
		argv_add(&av, "--wait");
		plan_print_cmd(c->out, ARGV(&av), NULL);
		if (plan_exec(c, ARGV(&av), NULL, 0, NULL, 15 * 60000, NULL,
		    &cause) != 0) {
			fprintf(c->out, "      ✘ %s\n", cause);
			free(cause);
			cause = NULL;
			rc = -1;
		}
		argv_free(&av);
	}
	dir = journal_dir_for(file);
	path = xprintf("%s/%s", dir, UPGRADE_PREVIOUS_CR);
	free(dir);
	if (s->have_cr) {
		plan_print_cmd(c->out, apply, UPGRADE_PREVIOUS_CR);
		if ((cr = read_file(path, 4 * 1024 * 1024, &len,
		    &cause)) == NULL ||
		    plan_exec(c, apply, cr, len, UPGRADE_PREVIOUS_CR, 120000,
		    NULL, &cause) != 0) {
			fprintf(c->out, "      ✘ %s\n", cause);
			free(cause);
			rc = -1;
		}
		free(cr);
	}
	free(path);
	what = rc == 0 ? xstrdup("") : xstrdup(_("the rollback failed"));
	journal_set(c->journal, UPGRADE_ROLLBACK, rc == 0 ? JS_DONE : JS_FAILED,
	    NULL, what, &jcause);
	free(jcause);
	free(what);
	if (rc == 0)
		fprintf(c->out, _("Rolled back to %s: the operator's previous "
		    "revision and the previous WeightsAndBiases resource.\n"),
		    s->current != NULL ? s->current : _("the previous release"));
	else
		fprintf(c->out, _("The rollback did not complete: see above; "
		    "the database backup is the way back.\n"));
	log_info("upgrade: rollback %s", rc == 0 ? "done" : "failed");
	return rc;
}

/* Did the run fail at or after the operator's step (something changed)? */
static int
changed_cluster(const struct journal *j)
{
	static const char *const steps[] = { "operator", "wandb-resource",
		"wait", "verify", "upgrade-retire", NULL };
	const struct jentry *e;
	size_t i;

	for (i = 0; steps[i] != NULL; i++)
		if ((e = journal_get(j, steps[i])) != NULL &&
		    e->state == JS_FAILED)
			return 1;
	return 0;
}

/* After success: the answers file says which release runs. */
static void
record_version(const char *file, const char *version)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a = answers_load(file, &errs);
	char *cause = NULL;

	if (a != NULL && answers_set(a, "deployment.wandb_version", version,
	    &cause) == AE_OK && answers_save(a, file, &cause) == 0)
		printf(_("%s: deployment.wandb_version is now %s\n"), file,
		    version);
	else if (cause != NULL) {
		fprintf(stderr, "wbinstall: %s: %s\n", file, cause);
		free(cause);
	}
	answers_errors_clear(&errs);
	answers_free(a);
}

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
run_upgrade(const struct upgrade_args *ua, struct plan_ctx *ctx,
    struct answers *a, const struct bundle_manifest *m)
{
	const struct plan *p = &upgrade_plan;
	struct upgrade_site s;
	struct check_list l = { NULL, 0 };
	struct journal j;
	struct runner r;
	char *cause = NULL, *backup = NULL, stamp[32], abs[PATH_MAX];
	time_t now = time(NULL);
	struct tm tm;
	int rc = EXIT_FAIL, cmp;

	if (runner_open(&r, a, ctx->dry_run, NULL, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, _("cannot reach the control host: %s"),
		    cause);
		free(cause);
		return rc;
	}
	/* Detection runs even in a dry run: it only reads. */
	{
		struct runner probe;

		if (ctx->dry_run && runner_open(&probe, a, 0, NULL,
		    &cause) != 0) {
			rc = cmd_fail(EXIT_FAIL, _("cannot reach the control "
			    "host: %s"), cause);
			free(cause);
			runner_close(&r);
			return rc;
		}
		rc = upgrade_detect(ctx->dry_run ? &probe : &r, a, ua->file,
		    &s, &cause);
		if (rc == 0)
			upgrade_requirements(ctx->dry_run ? &probe : &r, a, m,
			    &l);
		if (ctx->dry_run)
			runner_close(&probe);
		if (rc != 0) {
			rc = cmd_fail(EXIT_FAIL, _("cannot tell what is "
			    "installed: %s"), cause);
			free(cause);
			upgrade_site_free(&s);
			checks_free(&l);
			runner_close(&r);
			return rc;
		}
	}
	rc = EXIT_FAIL;
	show_site(&s, m->version);
	if (s.pre_operator != NULL && s.operator == NULL) {
		if (!ua->migrate) {
			printf(_("A pre-operator install: helm release %s of "
			    "chart %s.  W&B now runs under the operator; the "
			    "move is its own plan (back up, install the "
			    "operator, apply the WeightsAndBiases resource, "
			    "wait, verify, then remove %s).  Look at it with "
			    "--migrate --dry-run, run it with --migrate.\n"),
			    s.pre_operator->name, s.pre_operator->chart,
			    s.pre_operator->name);
			log_info("upgrade: pre-operator release %s found",
			    s.pre_operator->name);
			goto out;
		}
		p = &upgrade_migrate_plan;
		upgrade_info.pre_release = s.pre_operator->name;
	} else if (ua->migrate) {
		rc = cmd_fail(EXIT_USAGE, _("--migrate: there is no "
		    "pre-operator release (a helm release of chart %s) in "
		    "namespace %s"), UPGRADE_PRE_OPERATOR_CHART,
		    answers_get(a, "kubernetes.namespace"));
		goto out;
	}
	if (s.current == NULL && !s.have_cr && s.pre_operator == NULL) {
		rc = cmd_fail(EXIT_FAIL, _("nothing is installed in namespace "
		    "%s: use `wbinstall install`"), answers_get(a,
		    "kubernetes.namespace"));
		goto out;
	}
	if (s.current != NULL) {
		cmp = upgrade_version_cmp(m->version, s.current);
		if (cmp < 0 && !ua->downgrade) {
			rc = cmd_fail(EXIT_FAIL, _("%s is older than the "
			    "installed %s: refusing a downgrade (the database "
			    "may have been migrated; --allow-downgrade if you "
			    "are sure)"), m->version, s.current);
			goto out;
		}
		if (cmp == 0 && p == &upgrade_plan) {
			printf(_("%s is already installed: nothing to do.\n"),
			    s.current);
			rc = EXIT_OK;
			goto out;
		}
	}
	printf(_("Requirements of %s %s:\n"), m->name, m->version);
	checks_print(stdout, &l, cmd_color());
	if (checks_count(&l, CHECK_FAIL) > 0 && !ua->force) {
		rc = cmd_fail(EXIT_FAIL, _("the site does not meet the "
		    "release's requirements (above); fix them, or --force"));
		goto out;
	}

	/* The new release, in memory: its version and bundle. */
	if (answers_set(a, "deployment.wandb_version", m->version,
	    &cause) != AE_OK || (answers_get_bool(a, "airgap.enabled") &&
	    answers_set(a, "airgap.bundle", realpath(ua->bundle, abs) != NULL ?
	    abs : ua->bundle, &cause) != AE_OK)) {
		rc = cmd_fail(EXIT_USAGE, "%s", cause);
		free(cause);
		goto out;
	}
	upgrade_info.target = m->version;
	if (!ua->confirmed) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		backup = xprintf("%s/%s-%s.sql.gz", ua->backup_dir,
		    answers_get(a, "mysql.database"), stamp);
		upgrade_info.backup_path = backup;
	}
	ctx->a = a;
	ctx->run = &r;
	upgrade_show_images(ctx, ua->bundle, m, stdout);
	printf(_("Rendered files, installed → %s:\n"), m->version);
	if (plan_files(ctx, &cause) == NULL ||
	    render_diff(&ctx->files, ctx->render_dir, stdout, &cause) < 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out;
	}
	printf("\n");

	if (journal_open(&j, ua->file, ctx->dry_run, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out;
	}
	ctx->journal = &j;
	if (ctx->dry_run) {
		plan_describe(ctx, p);
		rc = EXIT_OK;
		goto out_journal;
	}
	if (!ua->yes && !confirm(s.current != NULL ? s.current : "?",
	    m->version)) {
		fprintf(stderr, _("wbinstall: nothing was changed\n"));
		goto out_journal;
	}
	if (save_previous(&s, ua->file, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out_journal;
	}
	log_info("upgrade: %s -> %s (%s plan) on %s", s.current != NULL ?
	    s.current : "?", m->version, p->name, r.where);
	rc = plan_run(ctx, p);
	if (rc != EXIT_OK) {
		if (changed_cluster(&j)) {
			rollback(ctx, &s, ua->file);
			fprintf(stdout, _("\nThe upgrade to %s failed and was "
			    "rolled back; the journal (.wbinstall-state) "
			    "records each step.\n"), m->version);
		} else
			fprintf(stdout, _("\nThe upgrade to %s stopped before "
			    "it changed the cluster.\n"), m->version);
		goto out_journal;
	}
	printf(_("Upgraded: %s → %s\n"), s.current != NULL ? s.current : "?",
	    m->version);
	record_version(ua->file, m->version);

out_journal:
	journal_close(&j);
out:
	checks_free(&l);
	upgrade_site_free(&s);
	runner_close(&r);
	free(backup);
	memset(&upgrade_info, 0, sizeof upgrade_info);
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
	struct upgrade_args ua;
	struct plan_ctx ctx;
	struct bundle_manifest *m;
	struct answers *a;
	char *cause = NULL, *dir;
	int c, rc, sig;

	memset(&ua, 0, sizeof ua);
	memset(&ctx, 0, sizeof ctx);
	ua.backup_dir = BACKUP_DIR_DEFAULT;
	ctx.wait_timeout_s = WAIT_TIMEOUT_DEFAULT;
	while ((c = getopt_long(argc, argv, "a:b:nyfh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			ua.file = optarg;
			break;
		case 'b':
			ua.bundle = optarg;
			break;
		case 'n':
			ua.dry_run = ctx.dry_run = 1;
			break;
		case 'y':
			ua.yes = 1;
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
	if (!ua.dry_run && !ua.yes && !isatty(STDIN_FILENO))
		return cmd_usage_error(self, _("--yes is required when stdin "
		    "is not a terminal"));
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
	if (strcmp(answers_get(a, "deployment.platform"), "kubernetes") != 0) {
		rc = cmd_fail(EXIT_USAGE, _("%s: upgrade supports "
		    "deployment.platform kubernetes only"), ua.file);
		goto out;
	}
	ctx.out = stdout;
	dir = journal_dir_for(ua.file);
	ctx.render_dir = xprintf("%s/rendered", dir);
	free(dir);
	rc = run_upgrade(&ua, &ctx, a, m);
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
};
