/* A small S3 client on libcurl (SigV4 by CURLOPT_AWS_SIGV4). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "i18n.h"
#include "log.h"
#include "presign.h"
#include "s3.h"
#include "util.h"
#include "xmalloc.h"

#define S3_BODY_MAX (16 * 1024 * 1024)

static const struct {
	const char *code;
	const char *hint;
} s3_hints[] = {
	{ "AccessDenied", N_("the keys are valid but may not use this "
	    "bucket: allow s3:ListBucket, s3:GetObject, s3:PutObject, "
	    "s3:DeleteObject, s3:GetBucketCORS and s3:PutBucketCORS on it "
	    "(and on storage.path)") },
	{ "NoSuchBucket", N_("the bucket does not exist: check "
	    "storage.bucket and storage.region, create it, or let "
	    "'wbinstall preflight --checks storage --create-bucket' create "
	    "it") },
	{ "SignatureDoesNotMatch", N_("the secret key does not belong to "
	    "the access key: check storage.secret_key (in storage.url, "
	    "percent-encode '/', '+', ':' and '@' inside the keys)") },
	{ "RequestTimeTooSkewed", N_("this machine's clock is more than 15 "
	    "minutes off the store's: synchronise it with NTP (for example "
	    "'timedatectl set-ntp true') and run again") },
	{ "InvalidAccessKeyId", N_("the store does not know this access "
	    "key: check storage.access_key") },
	{ "AuthorizationHeaderMalformed", N_("the request was signed for "
	    "the wrong region: set storage.region to the bucket's region") },
	{ "PermanentRedirect", N_("the bucket lives in another region or "
	    "behind another endpoint: check storage.region and "
	    "storage.endpoint") },
	{ "BucketAlreadyExists", N_("another account owns a bucket with "
	    "this name: choose another storage.bucket") },
	{ "NotImplemented", N_("the store does not implement this request; "
	    "configure it on the store itself") },
};

const char *
s3_error_hint(const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < sizeof s3_hints / sizeof s3_hints[0]; i++)
		if (strcmp(s3_hints[i].code, code) == 0)
			return _(s3_hints[i].hint);
	return NULL;
}

char *
s3_xml_tag(const char *xml, const char *tag)
{
	char *open, *close;
	const char *s, *e;

	if (xml == NULL)
		return NULL;
	xasprintf(&open, "<%s>", tag);
	xasprintf(&close, "</%s>", tag);
	s = strstr(xml, open);
	e = s != NULL ? strstr(s + strlen(open), close) : NULL;
	s = s != NULL ? s + strlen(open) : NULL;
	free(open);
	free(close);
	if (s == NULL || e == NULL)
		return NULL;
	return xstrndup(s, (size_t)(e - s));
}

char *
s3_error_text(const struct s3_resp *r)
{
	if (r->code != NULL && r->message != NULL)
		return xprintf("%s: %s", r->code, r->message);
	if (r->code != NULL)
		return xstrdup(r->code);
	return xprintf("HTTP %ld", r->status);
}

char *
s3_content_md5(const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], out[4 * ((EVP_MAX_MD_SIZE + 2) /
	    3) + 1];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_md5(), NULL))
		abort();
	EVP_EncodeBlock(out, md, (int)n);
	return xstrdup((char *)out);
}

void
s3_init(struct s3 *s, const struct storage_conf *c)
{
	memset(s, 0, sizeof *s);
	s->conf = c;
	s->hostport = s3_hostport(c);
	xasprintf(&s->base, "%s://%s", c->tls ? "https" : "http",
	    s->hostport);
	xasprintf(&s->sigv4, "aws:amz:%s:s3", c->region);
	s->timeout = 20;
}

void
s3_free(struct s3 *s)
{
	free(s->hostport);
	free(s->base);
	free(s->sigv4);
	memset(s, 0, sizeof *s);
}

void
s3_resp_free(struct s3_resp *r)
{
	free(r->body);
	free(r->headers);
	free(r->code);
	free(r->message);
	memset(r, 0, sizeof *r);
}

struct sink {
	char *buf;
	size_t len;
};

static size_t
sink_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;

	if (s->len + len > S3_BODY_MAX)
		return 0;
	s->buf = xreallocarray(s->buf, s->len + len + 1, 1);
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return len;
}

/* Keep only the header block of the last response (after redirects or
 * a 100 Continue a new status line starts it again). */
static size_t
header_write(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	if (n * size >= 5 && strncmp(p, "HTTP/", 5) == 0)
		s->len = 0;
	return sink_write(p, size, n, arg);
}

char *
s3_resp_header(const struct s3_resp *r, const char *name)
{
	const char *line, *colon, *end;
	size_t nlen = strlen(name);

	for (line = r->headers; line != NULL && *line != '\0'; line = end) {
		end = strchr(line, '\n');
		end = end != NULL ? end + 1 : line + strlen(line);
		colon = strchr(line, ':');
		if (colon == NULL || colon > end || (size_t)(colon - line) !=
		    nlen || strncasecmp(line, name, nlen) != 0)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		while (end > colon && (end[-1] == '\n' || end[-1] == '\r' ||
		    end[-1] == ' '))
			end--;
		return xstrndup(colon, (size_t)(end - colon));
	}
	return NULL;
}

/* A message that says what to fix for a request that got no answer. */
static char *
transport_error(const struct s3 *s, CURLcode rc, const char *errbuf)
{
	const char *detail = *errbuf != '\0' ? errbuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return xprintf(_("cannot resolve the host of %s: check "
		    "storage.endpoint and DNS (%s)"), s->base, detail);
	case CURLE_COULDNT_CONNECT:
		return xprintf(_("connection to %s refused or unreachable: is "
		    "the store running, and are the host and port right? "
		    "(%s)"), s->base, detail);
	case CURLE_OPERATION_TIMEDOUT:
		return xprintf(_("no answer from %s within %ld s: check "
		    "firewalls and the endpoint (%s)"), s->base, s->timeout,
		    detail);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		return xprintf(_("the TLS certificate of %s is not trusted: "
		    "install its CA on this machine, or fix the certificate "
		    "(%s)"), s->base, detail);
	case CURLE_SSL_CONNECT_ERROR:
		return xprintf(_("TLS handshake with %s failed: does the "
		    "endpoint speak https (storage.tls)? (%s)"), s->base,
		    detail);
	default:
		return xprintf(_("request to %s failed: %s"), s->base,
		    detail);
	}
}

static int
perform(struct s3 *s, const char *method, const char *url, int sign,
    const void *body, size_t len, const char *const *headers,
    struct s3_resp *r, char **cause)
{
	struct curl_slist *hl = NULL;
	struct sink b = { NULL, 0 }, h = { NULL, 0 };
	char errbuf[CURL_ERROR_SIZE] = "", hash[65], *line;
	CURL *curl;
	CURLcode rc;
	size_t i;

	memset(r, 0, sizeof *r);
	curl = curl_easy_init();
	if (curl == NULL)
		abort();
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, s->timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_write);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(curl, CURLOPT_CONNECT_TO, s->connect_to);
	if (s->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, s->ca_file);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
		hl = curl_slist_append(hl, "Expect:");
		hl = curl_slist_append(hl, "Content-Type: "
		    "application/octet-stream");
	}
	if (sign) {
		sha256_hex(body != NULL ? body : "", body != NULL ? len : 0,
		    hash);
		line = xprintf("x-amz-content-sha256: %s", hash);
		hl = curl_slist_append(hl, line);
		free(line);
		curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, s->sigv4);
		curl_easy_setopt(curl, CURLOPT_USERNAME, s->conf->access_key);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, s->conf->secret_key);
	}
	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		hl = curl_slist_append(hl, headers[i]);
	if (hl != NULL)
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hl);

	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
		r->body = b.buf != NULL ? b.buf : xstrdup("");
		r->len = b.len;
		r->headers = h.buf != NULL ? h.buf : xstrdup("");
		if (r->status >= 300) {
			r->code = s3_xml_tag(r->body, "Code");
			r->message = s3_xml_tag(r->body, "Message");
		}
		log_debug("s3: %s %s%s -> %ld %s", method, s->base,
		    strchr(url, '?') != NULL ? " (query)" : "", r->status,
		    r->code != NULL ? r->code : "");
	} else {
		*cause = transport_error(s, rc, errbuf);
		free(b.buf);
		free(h.buf);
	}
	curl_slist_free_all(hl);
	curl_easy_cleanup(curl);
	return rc == CURLE_OK ? 0 : -1;
}

int
s3_request(struct s3 *s, const char *method, const char *path,
    const char *query, const void *body, size_t len,
    const char *const *headers, struct s3_resp *r, char **cause)
{
	char *url;
	int rc;

	xasprintf(&url, "%s%s%s%s", s->base, path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	rc = perform(s, method, url, 1, body, len, headers, r, cause);
	free(url);
	return rc;
}

int
s3_fetch(struct s3 *s, const char *method, const char *url, const void *body,
    size_t len, const char *const *headers, struct s3_resp *r, char **cause)
{
	return perform(s, method, url, 0, body, len, headers, r, cause);
}
