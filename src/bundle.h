/*
 * Offline bundles: one .tar.zst holding manifest.yaml (first), an optional
 * manifest.yaml.sig, an OCI image layout under oci/ and the charts under
 * charts/.  See docs/bundle.md.
 */
#ifndef WB_BUNDLE_H
#define WB_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BUNDLE_FORMAT		1
#define BUNDLE_MANIFEST		"manifest.yaml"
#define BUNDLE_SIG		"manifest.yaml.sig"
/* manifest.yaml larger than this is refused before it is read. */
#define BUNDLE_MANIFEST_MAX	(8 * 1024 * 1024)
/* In an unpacked bundle: the stamp that says it verified. */
#define BUNDLE_STAMP		".verified"

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

/* A release spec (a YAML file in bundles/) or a bundle's manifest.yaml. */
struct bundle_manifest {
	int format;
	char *name;
	char *version;
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
	volatile int *cancel;	/* may be NULL */
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
};
int bundle_create(const struct bundle_create_opts *, char **cause);

/* verify and unpack share one streaming reader. */
struct bundle_read_opts {
	const char *pubkey;	/* or NULL */
	int require_sig;
	const char *dir;	/* unpack into this directory, or NULL */
	const struct bundle_progress *progress;
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
/* Check an unpacked bundle's files against its manifest. */
int bundle_dir_verify(const char *dir, const char *pubkey, int require_sig,
    const struct bundle_progress *, struct bundle_manifest **mp,
    char **cause);

struct bundle_push_opts {
	const char *registry;	/* HOST[:PORT] */
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
	unsigned images, uploaded, mounted, present, resumed;
	int64_t bytes;
};
int bundle_push(const char *file_or_dir, const struct bundle_push_opts *,
    struct bundle_push_stats *, char **cause);

/* Where push unpacks FILE when given a file: beside it, FILE without
 * .tar.zst and with .unpacked. */
char *bundle_unpack_dir(const char *file);

/* Shared helpers. */
int bundle_path_safe(const char *path);
int bundle_rm_rf(const char *path, char **cause);

#endif
