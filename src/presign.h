/*
 * SigV4 query presigning for S3 (path-style addressing), on libcrypto's
 * HMAC and SHA-256.  For the same credentials, region, time and key the
 * URL is byte-identical to botocore's generate_presigned_url.
 */
#ifndef WB_PRESIGN_H
#define WB_PRESIGN_H

#include <time.h>

#include "storage-url.h"

#define PRESIGN_EXPIRES_MAX	604800	/* 7 days, the SigV4 limit */

struct presign {
	const char *method;	/* GET, PUT, HEAD, DELETE */
	const char *scheme;	/* "http" or "https" */
	const char *host;	/* as sent in Host: "host[:port]" */
	const char *path;	/* canonical path, already encoded */
	const char *region;
	const char *access_key;
	const char *secret_key;
	long expires;		/* seconds */
	time_t at;		/* signing time */
	const char *content_md5;	/* signed too when not NULL */
};

/* The full URL, with X-Amz-Signature last.  Returns a new string. */
char *presign_v4(const struct presign *);

/*
 * Presign METHOD on KEY (the object key, used as is) in the bucket of C.
 * Returns a new URL, or NULL with *cause for bad input.
 */
char *presign_url(const struct storage_conf *c, const char *method,
    const char *key, long expires, time_t at, char **cause);
/* The same, with the Content-MD5 header (base64) among the signed
 * headers, as W&B presigns its uploads: a request that arrives without
 * it does not match the signature. */
char *presign_url_md5(const struct storage_conf *c, const char *method,
    const char *key, const char *content_md5, long expires, time_t at,
    char **cause);

/* "/BUCKET/KEY" with each segment percent-encoded ('/' kept). */
char *s3_path(const char *bucket, const char *key);
/* "host[:port]" of the endpoint (Amazon S3's regional host when none);
 * the port only when it is not the scheme's default. */
char *s3_hostport(const struct storage_conf *);
/* "YYYYMMDDTHHMMSSZ" (UTC) to a time; -1 when malformed. */
int presign_parse_time(const char *, time_t *);

#endif
