/*
 * The guided upgrade: what is installed (the journal, `helm list`, the
 * WeightsAndBiases resource), the target release's requirements against
 * the site, a database backup that is checked, then the install's actions
 * with the new release, and a rollback when it does not verify.
 */
#ifndef WB_UPGRADE_H
#define WB_UPGRADE_H

#include "answers.h"
#include "bundle.h"
#include "check.h"
#include "plan.h"
#include "runner.h"

/* The chart of a pre-operator install (helm release of chart wandb). */
#define UPGRADE_PRE_OPERATOR_CHART	"wandb"
/* The previous resource, kept in the state directory for a rollback. */
#define UPGRADE_PREVIOUS_CR		"upgrade-previous-cr.json"
/* The journal entry of a rollback. */
#define UPGRADE_ROLLBACK		"upgrade-rollback"

/* One release of `helm list -o json`. */
struct helm_release {
	char *name;
	char *chart;		/* the chart's name, without its version */
	char *chart_version;
	char *app_version;
	char *status;
	int revision;
};

struct upgrade_site {
	struct helm_release *releases;
	size_t nreleases;
	const struct helm_release *operator;	/* or NULL */
	const struct helm_release *pre_operator; /* a chart wandb, or NULL */
	int have_cr;		/* the WeightsAndBiases resource exists */
	char *cr_json;		/* as kubectl printed it */
	char *cr_phase;
	char *current;		/* installed W&B version, or NULL */
	const char *current_from; /* where it was read, N_() */
	int journal_done;	/* the journal has a done install */
};

/* Pure parsers, table-tested. */
int upgrade_parse_helm_list(const char *json, struct helm_release **,
    size_t *, char **cause);
void upgrade_releases_free(struct helm_release *, size_t);
/* status.version of the resource ("" when it has none). */
int upgrade_parse_cr_version(const char *json, char **version,
    char **cause);
/* The resource without what the server set (status, resourceVersion,
 * uid, ...), to apply again as it was.  NULL with *cause. */
char *upgrade_cr_for_apply(const char *json, char **cause);
/* Compare dotted versions numerically ("v1.29.6-eks", "0.43.10"). */
int upgrade_version_cmp(const char *, const char *);

/* Find what is installed; 0, or -1 with *cause (kubectl or helm could
 * not run). */
int upgrade_detect(struct runner *, const struct answers *,
    const char *answers_path, struct upgrade_site *, char **cause);
void upgrade_site_free(struct upgrade_site *);

/* The target's requirements: upgrade.kubernetes, upgrade.helm and the
 * MySQL checks (version and parameters) against the bundle's minimums. */
void upgrade_requirements(struct runner *, const struct answers *,
    const struct bundle_manifest *, struct check_list *);

/*
 * The images of the target release (bundle, m) for the plan.  In an air
 * gap, asked of the internal registry with HEAD only: per image, the blobs
 * it lacks and their bytes, which are all bundle-push sends.
 */
void upgrade_show_images(struct plan_ctx *, const char *bundle,
    const struct bundle_manifest *m, FILE *out);

/*
 * The database backup: mysqldump --single-transaction, on the db target
 * when there is one (else where RUN runs), to PATH on that host, gzip'd;
 * then the dump must exist, be non-empty, pass `gzip -t` and end as a
 * complete dump.  The password goes in a 0600 option file, never on a
 * command line.
 */
int upgrade_backup(struct plan_ctx *, const char *path, char **cause);
/* Check the dump at PATH where RUN runs: its size, or -1 with *cause. */
long long upgrade_backup_check(struct runner *, const char *path,
    char **cause);

/* The upgrade's plan (install's actions after a backup) and the
 * pre-operator migration's. */
extern const struct plan upgrade_plan;
extern const struct plan upgrade_migrate_plan;

/* The context the upgrade's own actions read, in the plan context's
 * upgrade slot (plan.h). */
struct upgrade_info {
	const char *backup_path;	/* NULL: the operator confirmed one */
	const char *pre_release;	/* migration: the helm release */
	const char *target;
};

extern const struct action action_upgrade_backup;
extern const struct action action_upgrade_retire;

#endif
