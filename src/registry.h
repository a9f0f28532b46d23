/*
 * A client of the OCI distribution API on libcurl: blobs (HEAD, GET,
 * cross-repository mount, chunked POST/PATCH/PUT uploads that resume from
 * the offset the registry reports), manifests by tag or digest, and Basic
 * or Bearer-token auth (tokens from the challenge's realm, kept per
 * scope).  One struct registry may be shared by threads; each call uses
 * its own curl handle.
 */
#ifndef WB_REGISTRY_H
#define WB_REGISTRY_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct registry;

struct registry_opts {
	const char *host;	/* HOST[:PORT] */
	int plain_http;
	const char *ca_file;	/* PEM, or NULL */
	const char *user;	/* or NULL */
	const char *password;	/* resolved; never logged */
	/* Credentials are kept for this other host and not sent here: a
	 * 401 names it instead of asking for --user and --password. */
	const char *creds_host;
	int push;		/* will write: ask tokens for pull and push */
	atomic_int *cancel;	/* or NULL; 1 aborts a request in flight */
};

struct registry *registry_new(const struct registry_opts *);
void registry_free(struct registry *);
const char *registry_host(const struct registry *);

/* 1 present, 0 absent, -1 error with *cause. */
int registry_blob_exists(struct registry *, const char *repo,
    const char *digest, char **cause);
/*
 * Mount digest from another repository.  1 mounted; 0 not mounted, and
 * then *location (if not NULL) is an upload session the registry opened
 * instead; -1 error.
 */
int registry_blob_mount(struct registry *, const char *repo,
    const char *digest, const char *from, char **location, char **cause);
/* Open an upload session: its location URL. */
char *registry_upload_start(struct registry *, const char *repo,
    char **cause);
/*
 * The offset the registry holds for a session (bytes received), and the
 * session's current location.  -1 when the session is unknown or broken.
 */
int64_t registry_upload_status(struct registry *, const char *location,
    char **newloc, char **cause);
/*
 * Send len bytes of f from offset as one PATCH.  Returns the new location
 * and sets *received to the registry's offset after it.
 */
char *registry_upload_chunk(struct registry *, const char *location,
    FILE *f, int64_t offset, int64_t len, int64_t *received,
    char **cause);
/* Close a session with PUT ?digest=. */
int registry_upload_finish(struct registry *, const char *location,
    const char *digest, char **cause);

/* PUT a manifest by tag (or digest); checks the digest the registry saw. */
int registry_manifest_put(struct registry *, const char *repo,
    const char *ref, const char *media_type, const char *data, size_t len,
    char **cause);
/* GET a manifest or index; the body, its media type and digest. */
char *registry_manifest_get(struct registry *, const char *repo,
    const char *ref, size_t *lenp, char **media_type, char **digest,
    char **cause);
/* HEAD a manifest by tag or digest: 1 present (its Docker-Content-Digest
 * in *digest, new), 0 absent, -1 error with *cause. */
int registry_manifest_head(struct registry *, const char *repo,
    const char *ref, char **digest, char **cause);
/* GET a blob into f, checking its digest. */
int registry_blob_get(struct registry *, const char *repo,
    const char *digest, FILE *f, char **cause);

/*
 * Auth, exposed for the unit tests.  A WWW-Authenticate challenge:
 * its scheme and the parameters a registry uses (the first challenge of
 * several; quoted strings unescaped).  0, or -1 when malformed.
 */
struct registry_challenge {
	char *scheme, *realm, *service, *scope, *error;
};
int registry_challenge_parse(const char *, struct registry_challenge *);
void registry_challenge_clear(struct registry_challenge *);
/*
 * True if a token granted for the scopes have ("repository:NAME:pull,push
 * ...", space-separated) also serves the scopes need.
 */
int registry_scope_covers(const char *have, const char *need);

/* Cumulative counters (for tests and the summary). */
struct registry_stats {
	int64_t bytes_sent;
	unsigned requests;
};
void registry_get_stats(struct registry *, struct registry_stats *);

#endif
