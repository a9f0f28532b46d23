/* The object store: s3://KEY:SECRET@HOST[:PORT]/BUCKET[/PATH]?tls=&region= */
#ifndef WB_STORAGE_URL_H
#define WB_STORAGE_URL_H

#include "aerr.h"

struct storage_conf {
	char *provider;		/* s3 | gcs | azure */
	char *access_key;	/* secret */
	char *secret_key;	/* secret */
	char *host;		/* endpoint host; NULL for Amazon S3 */
	int port;		/* 0: default for the scheme */
	char *bucket;
	char *path;		/* prefix inside the bucket, "" for none */
	char *region;
	int tls;
};

/* Parse a connection string.  Errors never quote the URL (it holds keys). */
enum aerr storage_url_parse(const char *url, struct storage_conf *,
    char **cause);
/* Only whether URL parses: the check hook of the storage.url key. */
enum aerr storage_url_check(const char *url, char **cause);
/* Build a connection string, percent-encoding the keys. */
char *storage_url_format(const struct storage_conf *);
void storage_conf_free(struct storage_conf *);
/* Percent-encode everything except RFC 3986 unreserved characters. */
char *url_encode(const char *);

#endif
