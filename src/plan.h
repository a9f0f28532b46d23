/*
 * The install plan: a list of actions, each in its own action-*.c, run in
 * order under the journal (journal.h).  An action is
 * {name, inputs, apply, check, undo, describe}:
 *
 * - inputs: the canonical text of what the action depends on; its
 *   keyed digest (journal_digest) goes into the journal, and a done action whose inputs are
 *   unchanged is skipped on the next run;
 * - apply: do it (idempotently: after a kill -9 it runs again);
 * - check: is a done action's effect still in place (may be NULL);
 * - undo: take it back (may be NULL; not run by install);
 * - describe: for --dry-run, what it would do and every exact command.
 */
#ifndef WB_PLAN_H
#define WB_PLAN_H

#include <stdatomic.h>
#include <stdio.h>

#include "answers.h"
#include "bundle.h"
#include "check.h"
#include "journal.h"
#include "render.h"
#include "runner.h"

/* The operator chart (wandb/helm-charts "operator") and its release. */
#define PLAN_OPERATOR_REPO	"https://charts.wandb.ai"
#define PLAN_OPERATOR_CHART	"operator"
#define PLAN_OPERATOR_VERSION	"1.4.8"
#define PLAN_OPERATOR_RELEASE	"wandb-operator"
/* Bare metal: the W&B Server container. */
#define PLAN_BM_IMAGE		"wandb/local"
#define PLAN_BM_CONTAINER	"wandb-local"
#define PLAN_BM_ENV_FILE	"/etc/wandb/wandb.env"

struct action;

/* What plan_run() reports of each action to a front end (the wizard). */
enum plan_step { PS_PENDING, PS_RUNNING, PS_DONE, PS_SKIPPED, PS_FAILED };

struct upgrade_info;

struct answers_resolver;

struct plan_ctx {
	const struct answers *a;
	/* How the steps read secrets and paths (secret.h); NULL: the file's
	 * way. */
	const struct answers_resolver *resolve;
	struct runner *run;	/* where helm and kubectl run */
	struct journal *journal; /* NULL in a dry run without a journal */
	char *render_dir;	/* <state dir>/rendered */
	int dry_run;
	int force;		/* go on past failed preflight checks */
	int wait_timeout_s;	/* the wait action's limit */
	const char *ca_file;	/* verify: trust this CA too */
	const char *connect_to;	/* verify: curl's --connect-to, or NULL */
	/* An upgrade's: what its own actions read (upgrade.h); or NULL. */
	const struct upgrade_info *upgrade;
	atomic_int *cancel;
	FILE *out;		/* progress for the user */

	/*
	 * Optional, for a front end that draws the run itself: told of
	 * every wanted action as pending first, then of each change (CAUSE:
	 * why it failed, redacted); ON_CHECKS gets each table of checks
	 * (preflight, verify) before it is freed.  Both are called from the
	 * thread that runs the plan.
	 */
	void (*on_step)(struct plan_ctx *, size_t k, size_t n,
	    const struct action *, enum plan_step, const char *cause);
	void (*on_checks)(struct plan_ctx *, const struct check_list *);
	void *front;		/* for on_step and on_checks */

	struct render_set files; /* rendered on first use */
	int have_files;
	struct render_set shown; /* the same, secrets masked, for printing */
	int have_shown;
	char *output;		/* tail of the failed command's output */
};

struct action {
	const char *name;
	const char *summary;	/* N_() */
	const char *hint;	/* what to do when it fails, N_() */
	/* 0: not part of this install (e.g. no admin credentials). */
	int (*wanted)(struct plan_ctx *);
	char *(*inputs)(struct plan_ctx *);
	int (*apply)(struct plan_ctx *, char **cause);
	int (*check)(struct plan_ctx *);
	int (*undo)(struct plan_ctx *, char **cause);
	void (*describe)(struct plan_ctx *, FILE *);
};

struct plan {
	const char *name;	/* "kubernetes", "baremetal" */
	const struct action *const *v;	/* NULL-terminated */
	int installs;		/* plan_run ends with "Installed: URL" */
};

/* The plan for the answers' platform, or NULL (aws-terraform). */
const struct plan *plan_for(const struct answers *);

/* Run the plan; returns EXIT_OK, EXIT_FAIL or EXIT_USAGE. */
int plan_run(struct plan_ctx *, const struct plan *);
/* Print the plan and every command (--dry-run). */
void plan_describe(struct plan_ctx *, const struct plan *);
void plan_ctx_free(struct plan_ctx *);

/* What actions share. */

/* A growing argv. */
struct plan_argv {
	char **v;
	size_t n;
};
void argv_add(struct plan_argv *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void argv_free(struct plan_argv *);
#define ARGV(av) ((const char *const *)(av)->v)

/* The rendered files (built on first use); NULL with *cause. */
const struct render_set *plan_files(struct plan_ctx *, char **cause);
/* A rendered file as it may be printed (render_build_shown(): every
 * secret masked where it is written); NULL with *cause. */
const struct render_file *plan_shown_file(struct plan_ctx *,
    const char *path, char **cause);
/* A rendered file's data, or NULL with *cause. */
const struct render_file *plan_file(struct plan_ctx *, const char *path,
    char **cause);
/* Inputs of the steps that follow a deployment (wait, verify): every
 * rendered file, so that any change runs them again. */
char *plan_deployed_inputs(struct plan_ctx *);
/* journal_digest() of the strings, each with its NUL (list ends in NULL). */
char *plan_hash(const struct plan_ctx *, const char *first, ...)
    __attribute__((sentinel));

/*
 * Run a command through the runner; a non-zero exit is a failure whose
 * output tail is kept for the report.  RES may be NULL.
 */
int plan_exec(struct plan_ctx *, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, struct run_result *res,
    char **cause);
/* Call FN with c->run on each app target in turn (bare metal). */
int plan_on_apps(struct plan_ctx *, int (*fn)(struct plan_ctx *, char **),
    char **cause);
/* Print the checks as a table, free them; returns how many failed. */
size_t plan_print_checks(struct plan_ctx *, struct check_list *);
/* Print "      $ COMMAND [< WHAT]" for describe(). */
void plan_print_cmd(FILE *, const char *const *argv, const char *in_what);
/* Print a manifest that goes on stdin, secrets masked. */
void plan_print_stdin(FILE *, const char *data, size_t len);
/* The effective namespace. */
const char *plan_namespace(struct plan_ctx *);

/* The air gap's push, from the answers (airgap.*): the bundle and the
 * options of bundle_push.  0, or -1 with *cause (the password). */
struct plan_push {
	char *file;
	struct bundle_push_opts o;
	char *ca, *pw, *pubkey;
};
/* How the answers push the bundle (file, registry, chart repository, TLS,
 * credentials, signature key): the one place that says it, for the
 * install, the upgrade, bundle push's callers, the wizard and the
 * registry preflight. */
int plan_push_from_answers(const struct answers *,
    const struct answers_resolver *, struct plan_push *, char **cause);
int plan_push_init(struct plan_ctx *, struct plan_push *, char **cause);
void plan_push_free(struct plan_push *);
/* The version of chart NAME in the air gap's bundle, or NULL. */
char *plan_bundle_chart_version(struct plan_ctx *, const char *name);
/* In an air gap whose charts bundle push puts in an OCI registry, chart
 * NAME is taken from there, so the bundle must hold it: 0 when it does
 * (or nothing is taken from there), else -1 with *cause. */
int plan_bundle_chart_check(struct plan_ctx *, const char *name,
    char **cause);

/* Actions. */
extern const struct action action_bundle;
extern const struct action action_preflight;
extern const struct action action_mysql;
extern const struct action action_cors;
extern const struct action action_render;
extern const struct action action_secrets;
extern const struct action action_operator;
extern const struct action action_resource;
extern const struct action action_wait;
extern const struct action action_verify;
extern const struct action action_bm_env;
extern const struct action action_bm_run;

#endif
