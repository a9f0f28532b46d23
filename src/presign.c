/* SigV4 query presigning (path-style), compatible with botocore. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "i18n.h"
#include "presign.h"
#include "util.h"
#include "xmalloc.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

/* OUT = HMAC-SHA256(KEY, MSG); OUT holds 32 bytes. */
static void
hmac(const unsigned char *key, size_t klen, const char *msg,
    unsigned char *out)
{
	unsigned int n = 0;

	if (HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
	    strlen(msg), out, &n) == NULL || n != 32)
		abort();
}

char *
s3_path(const char *bucket, const char *key)
{
	char *dup = xstrdup(key), *seg, *rest = dup, *enc, *out, *tmp;

	out = xprintf("/%s/", bucket);
	for (;;) {
		seg = strsep(&rest, "/");
		enc = url_encode(seg);
		tmp = xprintf("%s%s%s", out, enc, rest != NULL ? "/" : "");
		free(enc);
		free(out);
		out = tmp;
		if (rest == NULL)
			break;
	}
	free(dup);
	return out;
}

char *
s3_hostport(const struct storage_conf *c)
{
	int def = c->tls ? 443 : 80;

	if (c->host == NULL || *c->host == '\0') {
		if (c->region == NULL || strcmp(c->region, "us-east-1") == 0)
			return xstrdup("s3.amazonaws.com");
		return xprintf("s3.%s.amazonaws.com", c->region);
	}
	if (c->port != 0 && c->port != def)
		return xprintf("%s:%d", c->host, c->port);
	return xstrdup(c->host);
}

int
presign_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	if (strlen(s) != 16)
		return -1;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y%m%dT%H%M%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	*out = timegm(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

char *
presign_v4(const struct presign *p)
{
	char amzdate[17], date[9], hash[65], sig[65], *scope, *cred, *query;
	char *creq, *sts, *kstart, *url, *md5;
	const char *signed_headers;
	unsigned char k1[32], k2[32], k3[32], k4[32], mac[32];
	struct tm tm;

	gmtime_r(&p->at, &tm);
	strftime(amzdate, sizeof amzdate, "%Y%m%dT%H%M%SZ", &tm);
	strftime(date, sizeof date, "%Y%m%d", &tm);
	xasprintf(&scope, "%s/%s/s3/aws4_request", date, p->region);
	xasprintf(&kstart, "%s/%s", p->access_key, scope);
	cred = url_encode(kstart);
	free(kstart);

	/* Parameters in canonical (byte) order; the signature goes last. */
	signed_headers = p->content_md5 != NULL ? "content-md5;host" : "host";
	md5 = p->content_md5 != NULL ? xprintf("content-md5:%s\n",
	    p->content_md5) : xstrdup("");
	xasprintf(&query, "X-Amz-Algorithm=%s&X-Amz-Credential=%s"
	    "&X-Amz-Date=%s&X-Amz-Expires=%ld&X-Amz-SignedHeaders=%s",
	    ALGORITHM, cred, amzdate, p->expires, p->content_md5 != NULL ?
	    "content-md5%3Bhost" : "host");
	xasprintf(&creq, "%s\n%s\n%s\n%shost:%s\n\n%s\nUNSIGNED-PAYLOAD",
	    p->method, p->path, query, md5, p->host, signed_headers);
	free(md5);
	sha256_hex(creq, strlen(creq), hash);
	xasprintf(&sts, "%s\n%s\n%s\n%s", ALGORITHM, amzdate, scope, hash);

	xasprintf(&kstart, "AWS4%s", p->secret_key);
	hmac((unsigned char *)kstart, strlen(kstart), date, k1);
	hmac(k1, sizeof k1, p->region, k2);
	hmac(k2, sizeof k2, "s3", k3);
	hmac(k3, sizeof k3, "aws4_request", k4);
	hmac(k4, sizeof k4, sts, mac);
	hex_encode(mac, sizeof mac, sig);

	xasprintf(&url, "%s://%s%s?%s&X-Amz-Signature=%s", p->scheme, p->host,
	    p->path, query, sig);

	xfree_secret(kstart);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	OPENSSL_cleanse(k3, sizeof k3);
	OPENSSL_cleanse(k4, sizeof k4);
	free(scope);
	free(cred);
	free(query);
	free(creq);
	free(sts);
	return url;
}

char *
presign_url(const struct storage_conf *c, const char *method, const char *key,
    long expires, time_t at, char **cause)
{
	return presign_url_md5(c, method, key, NULL, expires, at, cause);
}

char *
presign_url_md5(const struct storage_conf *c, const char *method,
    const char *key, const char *content_md5, long expires, time_t at,
    char **cause)
{
	static const char *const methods[] = { "GET", "PUT", "HEAD",
		"DELETE", NULL };
	struct presign p;
	char *host, *path, *url;
	size_t i;

	for (i = 0; methods[i] != NULL; i++)
		if (strcmp(methods[i], method) == 0)
			break;
	if (methods[i] == NULL) {
		*cause = xprintf(_("method must be GET, PUT, HEAD or DELETE, "
		    "not '%s'"), method);
		return NULL;
	}
	if (*key == '\0') {
		*cause = xstrdup(_("the object key is empty"));
		return NULL;
	}
	if (expires < 1 || expires > PRESIGN_EXPIRES_MAX) {
		*cause = xprintf(_("expiry must be 1-%d seconds"),
		    PRESIGN_EXPIRES_MAX);
		return NULL;
	}
	if (c->access_key == NULL || c->secret_key == NULL) {
		*cause = xprintf(_("presigned URLs need S3 keys (provider "
		    "%s has none)"), c->provider != NULL ? c->provider : "?");
		return NULL;
	}
	host = s3_hostport(c);
	path = s3_path(c->bucket, key);
	p.method = method;
	p.scheme = c->tls ? "https" : "http";
	p.host = host;
	p.path = path;
	p.region = c->region;
	p.access_key = c->access_key;
	p.secret_key = c->secret_key;
	p.expires = expires;
	p.at = at;
	p.content_md5 = content_md5;
	url = presign_v4(&p);
	free(host);
	free(path);
	return url;
}
