/*
 * OCI image references, digests and image layouts (the oci/ directory of a
 * bundle, and the oci:DIR source of bundle create).
 */
#ifndef WB_OCI_H
#define WB_OCI_H

#include <stddef.h>
#include <stdint.h>

#define OCI_MT_MANIFEST	"application/vnd.oci.image.manifest.v1+json"
#define OCI_MT_INDEX	"application/vnd.oci.image.index.v1+json"
#define DOCKER_MT_MANIFEST \
	"application/vnd.docker.distribution.manifest.v2+json"
#define DOCKER_MT_LIST \
	"application/vnd.docker.distribution.manifest.list.v2+json"
#define OCI_REF_NAME	"org.opencontainers.image.ref.name"

/* Largest manifest or index we read into memory. */
#define OCI_MANIFEST_MAX	(4 * 1024 * 1024)

/* An incremental sha256. */
struct sha256 {
	void *ctx;
};
void oci_sha256_init(struct sha256 *);
void oci_sha256_update(struct sha256 *, const void *, size_t);
/* Writes 64 hex digits and a NUL into hex; frees the context. */
void oci_sha256_final(struct sha256 *, char hex[65]);

/* "sha256:" followed by 64 lower-case hex digits. */
int oci_digest_valid(const char *);

/*
 * An image reference, such as "wandb/local:0.1", "ghcr.io/a/b@sha256:..".
 * domain defaults to docker.io and a one-part Docker Hub name gets
 * "library/".  path is the repository path under the domain.
 */
struct oci_ref {
	char *domain;
	char *path;
	char *tag;	/* NULL when only a digest is given */
	char *digest;	/* NULL unless "@sha256:..." */
};
int oci_ref_parse(const char *, struct oci_ref *, char **cause);
void oci_ref_free(struct oci_ref *);
/*
 * Where an image lives under an internal registry, the one rule that
 * bundle push, the upgrade's look at the registry and render share: the
 * path as a chart names it, with the registry's host as its first part
 * unless that is Docker Hub ("wandb/local" and "docker.io/library/x" stay
 * "wandb/local" and "x"; "quay.io/prometheus/prometheus" keeps
 * "quay.io/").  A port's colon becomes '-' (a repository has no colons).
 */
char *oci_mirror_path(const struct oci_ref *);

/* A content descriptor. */
struct oci_desc {
	char *media_type;
	char *digest;
	int64_t size;
};
void oci_desc_free(struct oci_desc *);

/*
 * The blobs an image manifest refers to: config first, then the layers.
 * Returns the count or -1 with *cause.
 */
int oci_manifest_blobs(const char *json, size_t len, struct oci_desc **out,
    char **cause);
void oci_descs_free(struct oci_desc *, int n);
/* "mediaType" of a manifest or index, or NULL (new string). */
char *oci_media_type(const char *json, size_t len);
int oci_is_index(const char *media_type);
/*
 * From an image index, the manifest for platform ("os/arch[/variant]").
 * Fills *out; -1 with *cause when there is none.
 */
int oci_index_select(const char *json, size_t len, const char *platform,
    struct oci_desc *out, char **cause);

/* Path of a blob in a layout: DIR/blobs/sha256/HEX (new string). */
char *oci_blob_path(const char *dir, const char *digest);
/*
 * In the layout at dir, the manifest whose ref.name annotation is one of
 * names (NULL-terminated).  -1 with *cause when none matches.
 */
int oci_layout_find(const char *dir, const char *const *names,
    struct oci_desc *out, char **cause);
/* Read a blob of a layout, checking its digest (at most max bytes). */
char *oci_layout_read_blob(const char *dir, const char *digest, size_t max,
    size_t *lenp, char **cause);

/* Builds index.json for a layout. */
struct oci_index;
struct oci_index *oci_index_new(void);
void oci_index_add(struct oci_index *, const struct oci_desc *,
    const char *ref_name, const char *platform);
char *oci_index_dump(struct oci_index *, size_t *lenp);
void oci_index_free(struct oci_index *);
/* The contents of oci-layout. */
#define OCI_LAYOUT_FILE	"{\"imageLayoutVersion\":\"1.0.0\"}"

/*
 * Check that index.json lists ref_name with digest.  0 or -1 with *cause.
 */
int oci_index_has(const char *json, size_t len, const char *ref_name,
    const char *digest, char **cause);

#endif
