/*
 * Is a bundle complete: does its operator-wandb chart pull only images it
 * carries?  Apart from bundle.h because it renders the chart
 * (chart-render.h), which itself reads charts from bundles.
 */
#ifndef WB_BUNDLE_COMPLETE_H
#define WB_BUNDLE_COMPLETE_H

#include <stddef.h>

struct answers;
struct bundle_manifest;

/*
 * The images that SPEC's operator-wandb chart (in CHARTS_DIR) renders and
 * SPEC does not carry, with the defaults of every products set and with
 * SITE's answers (if not NULL; SITE_NAME names it), helm running here.  0
 * with *l (each image as published, and its workloads) and *checked (what
 * it was rendered with, for the manifest); 1 when the spec has no such
 * chart (nothing checked); -1 with *cause.
 */
struct bundle_missing {
	char *image;
	char *workloads;	/* "Deployment/x, Job/y" */
};
struct bundle_missing_list {
	struct bundle_missing *v;
	size_t n;
};
int bundle_complete_check(const struct bundle_manifest *spec,
    const char *charts_dir, const struct answers *site, const char *site_name,
    int progress, struct bundle_missing_list *, char **checked, char **cause);
void bundle_missing_free(struct bundle_missing_list *);

#endif
