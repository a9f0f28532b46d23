/*
 * Offline bundles: one .tar.zst holding manifest.yaml (first), an optional
 * manifest.yaml.sig, an OCI image layout under oci/ and the charts under
 * charts/.  See docs/bundle.md.
 */
#ifndef WB_BUNDLE_H
#define WB_BUNDLE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct answers;
struct render_chart;
struct render_set;

#define BUNDLE_FORMAT		1
#define BUNDLE_MANIFEST		"manifest.yaml"
#define BUNDLE_SIG		"manifest.yaml.sig"
/* manifest.yaml larger than this is refused before it is read. */
#define BUNDLE_MANIFEST_MAX	(8 * 1024 * 1024)
/*
 * In an unpacked bundle: the stamp that says it verified, with the
 * manifest's sha256 and each file's size, times and inode then.
 */
#define BUNDLE_STAMP		".verified"
/* Helm OCI artifacts (the bundle's charts, pushed). */
#define HELM_MT_CONFIG	"application/vnd.cncf.helm.config.v1+json"
#define HELM_MT_CHART	"application/vnd.cncf.helm.chart.content.v1.tar+gzip"
/* A chart .tgz larger than this is refused. */
#define BUNDLE_CHART_MAX	(64 * 1024 * 1024)

struct bundle_kv {
	char *key;
	char *value;
};

struct bundle_image {
	char *ref;
	char *digest;		/* of the image manifest */
	char *platform;		/* "linux/amd64" */
	int64_t size;		/* manifest + config + layers */
};

struct bundle_chart {
	char *name;
	char *version;
	char *path;		/* "charts/NAME-VERSION.tgz" */
	char *sha256;
};

struct bundle_file {
	char *path;
	int64_t size;
	char *sha256;
};

/* The most a bundle may hold, and so any one size in its manifest: 1 PiB. */
#define BUNDLE_SIZE_MAX	(INT64_C(1) << 50)

/* A release spec (a YAML file in bundles/) or a bundle's manifest.yaml. */
struct bundle_manifest {
	int format;
	char *name;
	char *version;
	char *server_version;	/* the W&B release of its images, or NULL */
	/* The values its operator-wandb chart was rendered with when create
	 * checked that it carries every image, or NULL (not checked). */
	char *checked;
	char *created;
	struct bundle_kv *req;
	size_t nreq;
	struct bundle_image *images;
	size_t nimages;
	struct bundle_chart *charts;
	size_t ncharts;
	struct bundle_file *files;	/* sorted by path */
	size_t nfiles;
};

/* Load a release spec: name, version, requirements, images, charts. */
struct bundle_manifest *bundle_spec_load(const char *path, char **cause);
/* Parse manifest.yaml (what = name for errors). */
struct bundle_manifest *bundle_manifest_parse(const char *data, size_t len,
    const char *what, char **cause);
/* Emit manifest.yaml with libyaml's emitter. */
char *bundle_manifest_emit(const struct bundle_manifest *, size_t *lenp);
void bundle_manifest_free(struct bundle_manifest *);
const struct bundle_file *bundle_manifest_file(const struct bundle_manifest *,
    const char *path);
void bundle_manifest_sort_files(struct bundle_manifest *);
int64_t bundle_manifest_total(const struct bundle_manifest *);

/*
 * Progress: done of total bytes; what is a short label.  When cancel is
 * set and *cancel becomes 1 (from another thread, a signal), verify,
 * unpack and push stop at the next block, clean up and fail.
 */
struct bundle_progress {
	void (*update)(void *arg, const char *what, int64_t done,
	    int64_t total);
	void *arg;
	atomic_int *cancel;	/* may be NULL */
};
void bundle_progress(const struct bundle_progress *, const char *what,
    int64_t done, int64_t total);
int bundle_cancelled(const struct bundle_progress *);
/* "1.5 MiB" */
void bundle_size_text(char *buf, size_t len, int64_t n);
/* What `bundle inspect` prints: name, version, requirements, images,
 * charts and sizes. */
void bundle_manifest_print(FILE *, const struct bundle_manifest *,
    int signed_);

/* ed25519 keys and signatures (PEM, libcrypto). */
int bundle_keygen(const char *out, char **cause);
/* Base64 signature of data, with a newline. */
char *bundle_sign(const char *keyfile, const void *data, size_t len,
    char **cause);
int bundle_sig_check(const char *pubfile, const void *data, size_t len,
    const char *sig, size_t siglen, char **cause);

struct bundle_create_opts {
	const char *spec;
	const char *source;	/* "oci:DIR" or "registry:HOST[:PORT]" */
	int plain_http;
	const char *ca_file;
	const char *user, *password;
	const char *charts;	/* directory of NAME-VERSION.tgz, or NULL */
	const char *platform;	/* default linux/amd64 */
	const char *out;
	const char *sign_key;	/* or NULL */
	const struct bundle_progress *progress;
	/* Images carried beyond the spec's (--add-missing), and what the
	 * images were checked against (the manifest's checked:), or NULL. */
	char *const *add_images;
	size_t nadd;
	const char *checked;
};
int bundle_create(const struct bundle_create_opts *, char **cause);

/* verify and unpack share one streaming reader. */
struct bundle_read_opts {
	const char *pubkey;	/* or NULL */
	int require_sig;
	const char *dir;	/* unpack into this directory, or NULL */
	const struct bundle_progress *progress;
	/* If not NULL: the image manifests (checked), parallel to the
	 * manifest's images[], handed over with mp. */
	char ***image_manifests;
	size_t **image_manifest_lens;
};
/* 0 when the bundle verified (and was unpacked), -1 with *cause. */
int bundle_read(const char *file, const struct bundle_read_opts *,
    struct bundle_manifest **mp, char **cause);
/*
 * Read only the head: the manifest, whether a signature follows and (if
 * mhex is not NULL) the manifest's sha256.
 */
struct bundle_manifest *bundle_inspect(const char *file, int *signedp,
    char mhex[65], char **cause);
/*
 * Check an unpacked bundle's files against its manifest.  The signature,
 * the manifest and index.json and image manifests are always checked;
 * the other files are hashed unless DIR/.verified records this manifest
 * and each file's size, times and inode as they are now.  A full check
 * that passes writes that stamp.
 */
int bundle_dir_verify(const char *dir, const char *pubkey, int require_sig,
    const struct bundle_progress *, struct bundle_manifest **mp,
    char **cause);
/* 1 when DIR/.verified is for the manifest with sha256 mhex. */
int bundle_stamp_is(const char *dir, const char *mhex);

struct bundle_push_opts {
	const char *registry;	/* HOST[:PORT] */
	/* Charts go to oci://HOST[/PATH] (PATH/NAME:VERSION on HOST), or
	 * with NULL to REGISTRY/charts/NAME:VERSION. */
	const char *chart_repo;
	int no_charts;		/* push the images only */
	int plain_http;
	const char *ca_file;
	const char *user, *password;
	const char *pubkey;
	int require_sig;
	int jobs;		/* images in flight */
	int64_t chunk;		/* PATCH size */
	int64_t limit_rate;	/* bytes per second, 0: no limit */
	const struct bundle_progress *progress;
};
struct bundle_push_stats {
	unsigned images, charts, uploaded, mounted, present, resumed;
	int64_t bytes;
};
int bundle_push(const char *file_or_dir, const struct bundle_push_opts *,
    struct bundle_push_stats *, char **cause);
/* What a push did, one line for people ("pushed 2 images and 1 chart to
 * REGISTRY: ..."), and logged; new. */
char *bundle_push_summary(const struct bundle_push_stats *,
    const char *registry);

/* Where push unpacks FILE when given a file: beside it, FILE without
 * .tar.zst and with .unpacked. */
char *bundle_unpack_dir(const char *file);

/*
 * What a push would send, asked of the registry with HEAD only: per image
 * its blobs (config and layers) and those the registry lacks.  A blob that
 * two images share, or that the registry holds in another of the bundle's
 * repositories (it would be mounted), is counted once, on the first image.
 */
struct bundle_push_need {
	char *ref;
	unsigned blobs, missing;
	int64_t bytes, missing_bytes;
};
int bundle_push_need(const char *file_or_dir, const struct bundle_push_opts *,
    struct bundle_push_need **, size_t *, char **cause);
void bundle_push_need_free(struct bundle_push_need *, size_t);

/*
 * Charts as Helm OCI artifacts (bundle-chart.c).  Where they go: 1 with
 * HOST and repository PREFIX ("" or a path) for "" (REGISTRY, "charts") and
 * oci://HOST[/PREFIX]; 0 for an http(s):// Helm repository (nothing is
 * pushed there); -1 with *cause.
 */
int bundle_chart_target(const char *registry, const char *chart_repo,
    char **host, char **prefix, char **cause);
/* The first image of bundle FILE (its manifest only) in REPOSITORY
 * ("alpine/k8s" is Docker Hub's), as the manifest names it; NULL when the
 * file is no bundle or holds none; new. */
char *bundle_image_ref(const char *file, const char *repository);
/* The version of chart NAME in bundle FILE (its manifest only), or NULL
 * when the file is no bundle or holds no such chart; new. */
char *bundle_chart_version(const char *file, const char *name);
/* PREFIX/NAME, or NAME. */
char *bundle_chart_repo(const char *prefix, const char *name);
/* "oci://HOST/PREFIX/NAME", what helm is given; NULL (and *cause, unless
 * the repository is http(s)) when charts are not pushed as OCI. */
char *bundle_chart_ref(const char *registry, const char *chart_repo,
    const char *name, char **cause);
/* The same for the install and the resource, which never fail on it: an
 * unusable registry or chart_repo (validate names it) gives
 * "oci://REGISTRY/charts/NAME"; NULL for an http(s) Helm repository. */
char *bundle_chart_oci(const char *registry, const char *chart_repo,
    const char *name);
/*
 * The chart that render's resource names (render.h's struct render_chart),
 * resolved before rendering: none unless the answers install Kubernetes
 * in an air gap; else where push puts the chart (bundle_chart_oci) and
 * the version of it that airgap.bundle's manifest lists.  A bundle that
 * is not there (yet) or lists no such chart leaves the version to the
 * renderer, as a render may come before the bundle is copied; one that is
 * there and cannot be read is an error naming the file (-1 with *cause).
 */
int bundle_render_chart(const struct answers *, struct render_chart *,
    char **cause);
/*
 * What every entry point renders with (the render command, the install
 * and upgrade plan, the support bundle, the chart's values, the wizard):
 * the chart resolved, then render_build() or, when SHOWN,
 * render_build_shown().  Returns as those do.
 */
int bundle_render(const struct answers *, int shown, struct render_set *,
    char **cause);
/* The tag of a chart version ('+' written '_', as Helm does), or NULL
 * when the version cannot be a tag. */
char *bundle_chart_tag(const char *version);
/* A chart name that can be a repository path component. */
int bundle_chart_name_ok(const char *name);
/* Chart.yaml of the .tgz in memory as Helm's config JSON; its name and
 * version must be the chart's. */
char *bundle_chart_config(const void *tgz, size_t len,
    const struct bundle_chart *, size_t *lenp, char **cause);
/* The OCI manifest of a chart: that config, the .tgz as its layer. */
char *bundle_chart_manifest(const char *config, size_t config_len,
    const char *tgz_hex, int64_t tgz_size, const struct bundle_chart *,
    size_t *lenp);

/* Shared helpers. */
int bundle_path_safe(const char *path);
int bundle_rm_rf(const char *path, char **cause);

#endif
