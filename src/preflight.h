/*
 * Preflight: families of checks (hosts, mysql, storage), each in its own
 * file, all reporting into one check_list with one JSON schema.  The
 * command and the wizard's screens call the same functions.
 */
#ifndef WB_PREFLIGHT_H
#define WB_PREFLIGHT_H

#include <stdatomic.h>
#include <time.h>

#include "answers.h"
#include "check.h"

struct preflight_opts {
	int parallel;		/* hosts at once; 0: all */
	int disk_bench;		/* run the disk write benchmark */
	int create_bucket;	/* storage: create a missing bucket */
	atomic_int *cancel;	/* set to 1 (e.g. by SIGINT) to stop early */
	/* Progress for live displays; may be NULL.  Called from any thread. */
	void (*progress)(void *arg, const char *target, const char *what);
	void *progress_arg;
	int no_probe;		/* cluster: no probe Pod (change nothing) */
	/* How the families read the answers' secrets (secret.h); NULL: the
	 * saved file's way. */
	const struct answers_resolver *resolve;
};

/*
 * The options for the front end's flags F (--parallel, --no-disk-bench,
 * --create-bucket, the probe Pod, the cancel flag, progress) and RESOLVE
 * (the wizard's knows the secrets typed and not yet saved): the one place
 * that says it, for `preflight`, the install's preflight step, the
 * upgrade's requirements, the support bundle and the wizard's tests.
 */
struct answers_resolver;
struct run_flags;
void preflight_opts_from_flags(const struct answers_resolver *resolve,
    const struct run_flags *f, struct preflight_opts *o);

struct preflight_family {
	const char *name;	/* "hosts", "mysql", "storage" */
	void (*run)(const struct answers *, const struct preflight_opts *,
	    struct check_list *);
};

/* NULL-terminated; one entry per family, each implemented in its file. */
extern const struct preflight_family *const preflight_families[];

const struct preflight_family *preflight_family_find(const char *name);

/* Before an upgrade: W&B's schema_migrations must not be dirty. */
void preflight_mysql_migrations(const struct answers *, struct check_list *);

/* The registry family's registry.image checks alone: every image of
 * airgap.bundle is in airgap.registry with its digest (air gap only). */
void preflight_registry_images(const struct answers *, atomic_int *cancel,
    struct check_list *);

/* The license family's checks of LICENSE (a JWT) at time NOW. */
void preflight_license_check(const char *license, time_t now,
    struct check_list *);

#endif
