/*
 * What an upgrade changes in the cluster, at the level of the manifests:
 * two multi-document texts (helm template or helm get manifest) compared
 * object by object (kind and name).  For each workload, its containers'
 * images and env; for ConfigMaps and Secrets, their keys; other objects
 * changed, added or removed.  A Secret's values and any env value that
 * looks secret (PASSWORD, SECRET, TOKEN, KEY, LICENSE in its name) are
 * never shown: "***".  Pure: no I/O.
 */
#ifndef WB_MANIFEST_DIFF_H
#define WB_MANIFEST_DIFF_H

#include <stddef.h>
#include <stdio.h>

enum mdiff_change { MDIFF_CHANGED, MDIFF_ADDED, MDIFF_REMOVED };

struct mdiff_item {
	char *object;		/* "Deployment/wandb-app" */
	enum mdiff_change change;
	char *what;		/* "container app: image", "data key x", or
				 * NULL for the object as a whole */
	char *from, *to;	/* NULL when absent; "***" when masked */
};

struct mdiff {
	struct mdiff_item *v;
	size_t n;
};

/* Compare OLD and NEW; -1 with *cause when either does not parse. */
int mdiff_compute(const char *old, size_t oldlen, const char *new_,
    size_t newlen, struct mdiff *, char **cause);
void mdiff_free(struct mdiff *);
/* Drop from M each item NOISE has too (what two renders of one chart
 * with the same values differ in: values the chart makes at random, such
 * as generated passwords); how many were dropped. */
size_t mdiff_drop(struct mdiff *m, const struct mdiff *noise);
/* For people: one line an item, grouped by object. */
void mdiff_print(FILE *, const struct mdiff *);
/* The same as JSON: {"changes": [{object, change, what, from, to}]}. */
char *mdiff_json(const struct mdiff *);

#endif
