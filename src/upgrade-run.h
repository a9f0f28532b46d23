/*
 * The upgrade's flow, shared by `wbinstall upgrade` and the wizard's
 * Upgrade mode: find what is installed and check the target's
 * requirements (upgrade_prepare), show the plan (plan_describe on
 * u->ctx), then apply it with a rollback when it fails after the cluster
 * changed (upgrade_apply).
 */
#ifndef WB_UPGRADE_RUN_H
#define WB_UPGRADE_RUN_H

#include <stdio.h>

#include "answers.h"
#include "bundle.h"
#include "check.h"
#include "journal.h"
#include "plan.h"
#include "runner.h"
#include "upgrade.h"

#define UPGRADE_BACKUP_DIR_DEFAULT	"/var/backups/wbinstall"

struct upgrade_opts {
	const char *file;	/* the answers file */
	const char *bundle;	/* the new release's bundle */
	const char *backup_dir;	/* on the db target (else control) */
	int downgrade;		/* --allow-downgrade */
	int confirmed;		/* --backup-confirmed: take no dump */
	int migrate;		/* --migrate */
	int force;		/* go on when requirements fail */
	int color;		/* colour the requirements table */
	int json;		/* keep the manifests' diff as JSON */
};

/*
 * The options of an upgrade of the answers A (the file they were loaded
 * from keeps the journal and gets the new version) to the release of
 * BUNDLE, with the front end's flags F (--force, --backup-dir,
 * --backup-confirmed, --allow-downgrade, --migrate, colour): the one place
 * that says it, for `upgrade` and the wizard.  O points into A and F.
 */
struct run_flags;
void upgrade_opts_from_answers(const struct answers *a,
    const struct run_flags *f, const char *bundle, struct upgrade_opts *o);

/* Why upgrade_prepare() stopped short of a plan. */
enum upgrade_stop {
	US_NONE,
	US_NOTHING,		/* the target is installed already */
	US_PRE_OPERATOR,	/* found; --migrate moves it */
	US_DOWNGRADE,		/* refused; --allow-downgrade */
	US_REQUIREMENTS,	/* not met; --force */
	US_ERROR		/* see the cause */
};

struct upgrade_run {
	struct upgrade_opts o;
	struct plan_ctx *ctx;	/* dry_run, force, ... set by the caller */
	struct answers *a;	/* gets the new version (in memory) */
	const struct bundle_manifest *m;
	const struct plan *p;	/* upgrade_plan or upgrade_migrate_plan */
	struct upgrade_site s;
	struct check_list l;	/* the requirements */
	struct runner r;
	struct journal j;
	int have_site, have_runner, have_journal;
	char *backup;		/* the dump's path, or NULL */
	struct upgrade_info info;	/* what the plan's actions read */
	enum upgrade_stop stop;
	/* With o.json: what the release changes in the manifests, as
	 * upgrade --dry-run --json prints it; NULL before the compare. */
	char *manifests_json;
};

/*
 * Detect, check the requirements and decide, writing what was found to
 * OUT.  Returns EXIT_OK with u->stop US_NONE when the plan is ready (the
 * journal is open, read-only in a dry run), EXIT_OK with US_NOTHING, or
 * EXIT_FAIL/EXIT_USAGE with u->stop saying why and *cause (NULL when OUT
 * told it all).  Call upgrade_run_free() in every case.
 */
int upgrade_prepare(struct upgrade_run *, const struct upgrade_opts *,
    struct plan_ctx *, struct answers *, const struct bundle_manifest *,
    FILE *out, char **cause);
/* Keep the resource, run the plan, roll back if the cluster changed and
 * it failed, record the version in the answers file. */
int upgrade_apply(struct upgrade_run *, FILE *out);
/* The installed version as shown ("?" when unknown). */
const char *upgrade_from(const struct upgrade_run *);
/* The deployment.wandb_version an upgrade to M sets ("": none). */
const char *upgrade_pinned_version(const struct bundle_manifest *m);
void upgrade_run_free(struct upgrade_run *);

#endif
