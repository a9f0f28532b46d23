/*
 * What a front end adds to the answers when it turns them into an
 * operation: a command's flags, or the wizard's options and its live view.
 * The core's *_from_answers() functions (plan-session.h, preflight.h,
 * verify.h, upgrade-run.h) take it, so that every front end gets the same
 * operation from the same answers.  Zero is each field's default.
 */
#ifndef WB_RUN_FLAGS_H
#define WB_RUN_FLAGS_H

#include <stdatomic.h>
#include <stdio.h>

struct run_flags {
	int dry_run;		/* --dry-run: change nothing */
	int force;		/* --force: go on past failed checks */
	int wait_timeout_s;	/* --wait-timeout; 0: the default */
	const char *ca_file;	/* --ca-file: verify also trusts this CA */
	const char *connect_to;	/* --connect-to (curl's), or NULL */
	int no_wandb;		/* verify --no-wandb */
	int parallel;		/* preflight --parallel; 0: every host */
	int no_disk_bench;	/* preflight --no-disk-bench */
	int create_bucket;	/* preflight --create-bucket */
	int no_probe;		/* preflight: no probe Pod (change nothing) */
	const char *backup_dir;	/* upgrade --backup-dir; NULL: default */
	int backup_confirmed;	/* upgrade --backup-confirmed: no dump */
	int allow_downgrade;	/* upgrade --allow-downgrade */
	int migrate;		/* upgrade --migrate */
	int json;		/* upgrade --json: the manifests' diff as data */
	int color;		/* colour the tables printed */
	atomic_int *cancel;	/* set to 1 to stop early; NULL: never */
	FILE *out;		/* progress for the user; NULL: stdout */
	/* Progress for live displays; may be NULL; from any thread. */
	void (*progress)(void *arg, const char *target, const char *what);
	void *progress_arg;
};

#endif
