/*
 * The chart decides the images: `helm template` of operator-wandb with
 * exactly the values that render writes into the WeightsAndBiases
 * resource's spec.values (what the operator hands to helm), and the
 * container images of what it renders, with the workloads that use them.
 */
#ifndef WB_CHART_RENDER_H
#define WB_CHART_RENDER_H

#include <stddef.h>

struct answers;
struct runner;

/* The resource's spec.values as render writes them (YAML, new). */
char *chart_values(const struct answers *, size_t *lenp, char **cause);

/* A chart .tgz held in memory (from a file, a directory or a bundle). */
struct chart_src {
	char *what;		/* how to name it in messages */
	char *dir;		/* a chart directory (here), or NULL */
	void *tgz;		/* or its .tgz */
	size_t len;
	char digest[65];	/* sha256 of the .tgz, or of the directory */
};
/* PATH is a chart directory or a .tgz; BUNDLE (if PATH is NULL) is a
 * bundle whose charts/operator-wandb-*.tgz is taken.  -1 with *cause:
 * not a chart, unreadable, or a bundle without the chart. */
int chart_src_open(struct chart_src *, const char *path, const char *bundle,
    char **cause);
void chart_src_close(struct chart_src *);

/*
 * helm template of SRC with VALUES, through the runner (this machine or
 * the control target: a .tgz is put there first).  The output is kept in
 * the state directory under the chart's and the values' digests, and a
 * second call with the same two reuses it (*cached set to 1).  FLAGS:
 * CHART_PROGRESS, a line on stderr while helm runs; CHART_FRESH, a render
 * of its own, neither from nor into the cache.  -1 with *cause naming the
 * chart and quoting helm.
 */
#define CHART_PROGRESS	1
#define CHART_FRESH	2
int chart_template(struct runner *, const struct chart_src *,
    const char *values, size_t vlen, int flags, char **out,
    size_t *outlen, int *cached, char **cause);

/*
 * A front end that draws its own progress (the wizard) hears of each run
 * of helm that chart_template makes in the thread that listens: STARTED 1
 * as it starts, 0 once it has ended.  The callers in between (the
 * upgrade, the registry preflight) pass nothing down for it, so the
 * listener is the thread's own: a worker sets it around its work, and
 * NULL stops it.
 */
struct chart_listener {
	void (*rendering)(void *arg, const char *what, const char *where,
	    int started);
	void *arg;
};
void chart_listen(const struct chart_listener *);

/* An image and the workloads ("Deployment/wandb-app") that run it. */
struct chart_image {
	char *ref;
	char **workloads;
	size_t nworkloads;
};
struct chart_images {
	struct chart_image *v;	/* sorted by ref */
	size_t n;
};
/* Every container image (containers, initContainers, ephemeral) of the
 * Pods and pod templates in a multi-document manifest. */
int chart_images(const char *manifests, size_t len, struct chart_images *,
    char **cause);
void chart_images_free(struct chart_images *);

/* The image as published: REF without REGISTRY (may be NULL) in front,
 * since REGISTRY/PATH is where push puts PATH (oci_mirror_path); REF
 * itself when it is not under REGISTRY. */
const char *chart_published(const char *ref, const char *registry);

/* The directory of cached renders (new string). */
char *chart_cache_dir(void);

#endif
