/*
 * A small S3 client on libcurl: requests signed with CURLOPT_AWS_SIGV4
 * (x-amz-content-sha256 sent), unsigned requests to full URLs (presigned
 * URLs, CORS preflights), and S3 error codes explained.
 */
#ifndef WB_S3_H
#define WB_S3_H

#include <stddef.h>

struct curl_slist;

#include "storage-url.h"

struct s3 {
	const struct storage_conf *conf;	/* borrowed */
	char *hostport;		/* "host[:port]" */
	char *base;		/* "scheme://host[:port]" */
	char *sigv4;		/* "aws:amz:REGION:s3" */
	long timeout;		/* seconds, whole request */
	/* Set by the caller after s3_init(), both borrowed; NULL: none. */
	struct curl_slist *connect_to;	/* CURLOPT_CONNECT_TO */
	const char *ca_file;	/* the CAs to trust instead of the system's */
};

struct s3_resp {
	long status;		/* HTTP status */
	char *body;		/* NUL-terminated */
	size_t len;
	char *headers;		/* raw header lines of the last response */
	char *code;		/* S3 <Code> of an error, or NULL */
	char *message;		/* S3 <Message> of an error, or NULL */
};

void s3_init(struct s3 *, const struct storage_conf *);
void s3_free(struct s3 *);

/*
 * A signed request to PATH (already encoded, "/BUCKET/KEY") with QUERY
 * (NULL or "cors", "max-keys=1", ...).  HEADERS is NULL-terminated or
 * NULL.  Returns 0 and fills R for any HTTP answer; -1 with *cause when
 * no answer came (refused, unknown host, TLS, timeout).
 */
int s3_request(struct s3 *, const char *method, const char *path,
    const char *query, const void *body, size_t len,
    const char *const *headers, struct s3_resp *r, char **cause);
/* The same, unsigned, to a full URL. */
int s3_fetch(struct s3 *, const char *method, const char *url,
    const void *body, size_t len, const char *const *headers,
    struct s3_resp *r, char **cause);
void s3_resp_free(struct s3_resp *);
/* Value of response header NAME (case-insensitive); new string or NULL. */
char *s3_resp_header(const struct s3_resp *, const char *name);

/* What to fix for an S3 error code; NULL for an unknown code. */
const char *s3_error_hint(const char *code);
/* "Code: message" of an error response, or "HTTP N"; new string. */
char *s3_error_text(const struct s3_resp *);
/* Text of the first <TAG>...</TAG> in XML; new string or NULL. */
char *s3_xml_tag(const char *xml, const char *tag);
/* Base64 of the MD5 of DATA (Content-MD5); new string. */
char *s3_content_md5(const void *data, size_t len);

#endif
