/* The preflight families, each in its own file (preflight-*.c, kube.c). */
#include "config.h"

#include <string.h>

#include "answers-resolve.h"
#include "preflight.h"
#include "run-flags.h"

extern const struct preflight_family preflight_hosts;
extern const struct preflight_family preflight_mysql;
extern const struct preflight_family preflight_storage;
extern const struct preflight_family preflight_cluster;
extern const struct preflight_family preflight_license;
extern const struct preflight_family preflight_registry;

/* Add a family here once it works. */
const struct preflight_family *const preflight_families[] = {
	&preflight_hosts,
	&preflight_mysql,
	&preflight_storage,
	&preflight_cluster,
	&preflight_license,
	&preflight_registry,
	NULL
};

const struct preflight_family *
preflight_family_find(const char *name)
{
	size_t i;

	for (i = 0; preflight_families[i] != NULL; i++)
		if (strcmp(preflight_families[i]->name, name) == 0)
			return preflight_families[i];
	return NULL;
}

void
preflight_opts_from_flags(const struct answers_resolver *resolve,
    const struct run_flags *f, struct preflight_opts *o)
{
	memset(o, 0, sizeof *o);
	o->parallel = f->parallel;
	o->disk_bench = !f->no_disk_bench;
	o->create_bucket = f->create_bucket;
	o->no_probe = f->no_probe;
	o->cancel = f->cancel;
	o->progress = f->progress;
	o->progress_arg = f->progress_arg;
	o->resolve = resolve;
}
