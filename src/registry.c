/* The OCI distribution API client (libcurl). */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "registry.h"
#include "xmalloc.h"

#define MANIFEST_ACCEPT "Accept: " OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " \
	DOCKER_MT_MANIFEST ", " DOCKER_MT_LIST

struct token {
	char *scope;
	char *value;
};

struct registry {
	char *host;
	char *base;		/* "https://HOST" */
	int plain_http;
	char *ca_file;
	char *user;
	char *password;
	int basic;		/* the registry asked for Basic auth */
	volatile int *cancel;

	pthread_mutex_t lock;
	struct token *tokens;
	size_t ntokens;
	CURL **pool;
	size_t npool;
	struct registry_stats stats;
};

struct buf {
	char *p;
	size_t len, max;
	int overflow;
};

/* One request and what came back. */
struct req {
	const char *method;
	char *url;
	const char *repo;
	const char *extra[4];	/* extra header lines */
	/* request body: memory or a file range */
	const char *body;
	size_t body_len;
	FILE *f;
	int64_t f_off, f_len;
	int64_t sent;
	/* response */
	long status;
	struct buf resp;
	FILE *out;
	struct sha256 *out_hash;
	int64_t out_len;
	char *location, *range, *content_type, *digest, *challenge;
	char errbuf[CURL_ERROR_SIZE];
	CURL *c;
};

static void
req_init(struct req *q, const char *method, const char *repo, char *url)
{
	memset(q, 0, sizeof *q);
	q->method = method;
	q->repo = repo;
	q->url = url;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct registry *
registry_new(const struct registry_opts *o)
{
	struct registry *r = xcalloc(1, sizeof *r);

	pthread_once(&curl_once, curl_init_once);
	r->host = xstrdup(o->host);
	r->plain_http = o->plain_http;
	r->base = xprintf("%s://%s", o->plain_http ? "http" : "https",
	    o->host);
	if (o->ca_file != NULL)
		r->ca_file = xstrdup(o->ca_file);
	if (o->user != NULL) {
		r->user = xstrdup(o->user);
		r->password = xstrdup(o->password != NULL ? o->password : "");
	}
	r->cancel = o->cancel;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void
registry_free(struct registry *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ntokens; i++) {
		free(r->tokens[i].scope);
		xfree_secret(r->tokens[i].value);
	}
	free(r->tokens);
	for (i = 0; i < r->npool; i++)
		curl_easy_cleanup(r->pool[i]);
	free(r->pool);
	pthread_mutex_destroy(&r->lock);
	free(r->host);
	free(r->base);
	free(r->ca_file);
	free(r->user);
	xfree_secret(r->password);
	free(r);
}

const char *
registry_host(const struct registry *r)
{
	return r->host;
}

void
registry_get_stats(struct registry *r, struct registry_stats *s)
{
	pthread_mutex_lock(&r->lock);
	*s = r->stats;
	pthread_mutex_unlock(&r->lock);
}

static CURL *
handle_get(struct registry *r)
{
	CURL *c = NULL;

	pthread_mutex_lock(&r->lock);
	if (r->npool > 0)
		c = r->pool[--r->npool];
	pthread_mutex_unlock(&r->lock);
	if (c == NULL)
		c = curl_easy_init();
	else
		curl_easy_reset(c);
	if (c == NULL) {
		fprintf(stderr, "wbinstall: out of memory\n");
		abort();
	}
	return c;
}

static void
handle_put(struct registry *r, CURL *c)
{
	pthread_mutex_lock(&r->lock);
	r->pool = xreallocarray(r->pool, r->npool + 1, sizeof *r->pool);
	r->pool[r->npool++] = c;
	pthread_mutex_unlock(&r->lock);
}

static void
req_clear(struct req *q)
{
	free(q->url);
	free(q->resp.p);
	free(q->location);
	free(q->range);
	free(q->content_type);
	free(q->digest);
	free(q->challenge);
}

static size_t
on_write(char *p, size_t size, size_t n, void *arg)
{
	struct req *q = arg;
	size_t len = size * n;
	long code = 0;

	curl_easy_getinfo(q->c, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300 && q->out != NULL) {
		if (fwrite(p, 1, len, q->out) != len)
			return 0;
		if (q->out_hash != NULL)
			oci_sha256_update(q->out_hash, p, len);
		q->out_len += (int64_t)len;
		return len;
	}
	if (q->resp.len + len > q->resp.max) {
		q->resp.overflow = 1;
		return 0;
	}
	q->resp.p = xreallocarray(q->resp.p, q->resp.len + len + 1, 1);
	memcpy(q->resp.p + q->resp.len, p, len);
	q->resp.len += len;
	q->resp.p[q->resp.len] = '\0';
	return len;
}

static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct req *q = arg;
	size_t want = size * n, got;
	int64_t left;

	if (q->f != NULL) {
		left = q->f_len - q->sent;
		if (left <= 0)
			return 0;
		if ((int64_t)want > left)
			want = (size_t)left;
		if (fseeko(q->f, q->f_off + q->sent, SEEK_SET) != 0)
			return CURL_READFUNC_ABORT;
		got = fread(p, 1, want, q->f);
		if (got == 0)
			return CURL_READFUNC_ABORT;
	} else {
		left = (int64_t)q->body_len - q->sent;
		if (left <= 0)
			return 0;
		got = want < (size_t)left ? want : (size_t)left;
		memcpy(p, q->body + q->sent, got);
	}
	q->sent += (int64_t)got;
	return got;
}

static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *v, *end;

	if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 ||
	    line[nl] != ':')
		return NULL;
	v = line + nl + 1;
	end = line + len;
	while (v < end && isspace((unsigned char)*v))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct req *q = arg;
	size_t len = size * n;
	char *v;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or 100): start over. */
		free(q->location);
		free(q->range);
		q->location = q->range = NULL;
		return len;
	}
#define HDR(field, name) \
	if ((v = header_value(p, len, name)) != NULL) { \
		free(q->field); \
		q->field = v; \
		return len; \
	}
	HDR(location, "Location");
	HDR(range, "Range");
	HDR(content_type, "Content-Type");
	HDR(digest, "Docker-Content-Digest");
	HDR(challenge, "WWW-Authenticate");
#undef HDR
	return len;
}

/* Parse one key="value" from a WWW-Authenticate challenge. */
static char *
challenge_param(const char *ch, const char *key)
{
	const char *p = ch, *end;
	size_t kl = strlen(key);

	while ((p = strcasestr(p, key)) != NULL) {
		if ((p == ch || p[-1] == ' ' || p[-1] == ',') &&
		    p[kl] == '=' && p[kl + 1] == '"') {
			p += kl + 2;
			end = strchr(p, '"');
			if (end == NULL)
				return NULL;
			return xstrndup(p, (size_t)(end - p));
		}
		p += kl;
	}
	return NULL;
}

static const char *
token_find(struct registry *r, const char *scope, const char *repo)
{
	size_t i;
	char *want = NULL;
	const char *v = NULL;

	if (repo != NULL)
		want = xprintf("repository:%s:", repo);
	for (i = 0; i < r->ntokens && v == NULL; i++) {
		if (scope != NULL && strcmp(r->tokens[i].scope, scope) == 0)
			v = r->tokens[i].value;
		else if (scope == NULL && want != NULL &&
		    strstr(r->tokens[i].scope, want) != NULL &&
		    strstr(r->tokens[i].scope, "push") != NULL)
			v = r->tokens[i].value;
	}
	free(want);
	return v;
}

static void
token_store(struct registry *r, const char *scope, const char *value)
{
	size_t i;

	log_add_secret(value);
	for (i = 0; i < r->ntokens; i++) {
		if (strcmp(r->tokens[i].scope, scope) == 0) {
			xfree_secret(r->tokens[i].value);
			r->tokens[i].value = xstrdup(value);
			return;
		}
	}
	r->tokens = xreallocarray(r->tokens, r->ntokens + 1,
	    sizeof *r->tokens);
	r->tokens[r->ntokens].scope = xstrdup(scope);
	r->tokens[r->ntokens].value = xstrdup(value);
	r->ntokens++;
}

/* curl calls this about once a second, even when nothing moves. */
static int
on_xfer(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	volatile int *cancel = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return *cancel ? 1 : 0;
}

static void
handle_tls(struct registry *r, CURL *c)
{
	if (r->cancel != NULL) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xfer);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, r->cancel);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	if (r->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "wbinstall/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

/* Fetch a Bearer token for a challenge; 0 or -1 with *cause. */
static int
token_fetch(struct registry *r, const char *challenge, char **cause)
{
	char *realm, *service, *scope, *url, *e1, *e2;
	struct req q;
	json_t *root;
	const char *tok;
	CURL *c;
	CURLcode rc;

	realm = challenge_param(challenge, "realm");
	service = challenge_param(challenge, "service");
	scope = challenge_param(challenge, "scope");
	if (realm == NULL) {
		*cause = xprintf(_("registry %s: a Bearer challenge without a "
		    "realm"), r->host);
		free(service);
		free(scope);
		return -1;
	}
	c = handle_get(r);
	e1 = curl_easy_escape(c, service != NULL ? service : "", 0);
	e2 = curl_easy_escape(c, scope != NULL ? scope : "", 0);
	url = xprintf("%s%sservice=%s%s%s", realm, strchr(realm, '?') ?
	    "&" : "?", e1, scope != NULL ? "&scope=" : "",
	    scope != NULL ? e2 : "");
	curl_free(e1);
	curl_free(e2);

	memset(&q, 0, sizeof q);
	q.resp.max = 1024 * 1024;
	handle_tls(r, c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &q);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, q.errbuf);
	if (r->user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, r->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, r->password);
	}
	q.c = c;
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &q.status);
	handle_put(r, c);
	free(url);
	if (rc != CURLE_OK || q.status != 200) {
		*cause = rc != CURLE_OK ? xprintf(_("token server of %s: %s"),
		    r->host, q.errbuf[0] ? q.errbuf : curl_easy_strerror(rc)) :
		    xprintf(_("token server of %s answered HTTP %ld%s"),
		    r->host, q.status, q.status == 401 ?
		    _(" (check --user and --password)") : "");
		goto fail;
	}
	root = json_loadb(q.resp.p != NULL ? q.resp.p : "", q.resp.len, 0,
	    NULL);
	tok = json_string_value(json_object_get(root, "token"));
	if (tok == NULL)
		tok = json_string_value(json_object_get(root, "access_token"));
	if (tok == NULL) {
		*cause = xprintf(_("token server of %s sent no token"),
		    r->host);
		json_decref(root);
		goto fail;
	}
	pthread_mutex_lock(&r->lock);
	token_store(r, scope != NULL ? scope : "", tok);
	pthread_mutex_unlock(&r->lock);
	json_decref(root);
	if (q.resp.p != NULL)
		memset(q.resp.p, 0, q.resp.len);
	free(q.resp.p);
	free(realm);
	free(service);
	free(scope);
	return 0;

fail:
	free(q.resp.p);
	free(realm);
	free(service);
	free(scope);
	return -1;
}

/*
 * Perform a request, answering one auth challenge.  Returns 0 when an
 * HTTP answer came back (q->status), -1 on a transport error.
 */
static int
req_perform(struct registry *r, struct req *q, char **cause)
{
	struct curl_slist *hl = NULL;
	CURL *c;
	CURLcode rc;
	char *auth = NULL, *scope = NULL;
	const char *tok;
	int attempt, i;
	curl_off_t up;

	for (attempt = 0; attempt < 2; attempt++) {
		c = handle_get(r);
		handle_tls(r, c);
		hl = NULL;
		for (i = 0; i < 4 && q->extra[i] != NULL; i++)
			hl = curl_slist_append(hl, q->extra[i]);
		hl = curl_slist_append(hl, "Expect:");
		pthread_mutex_lock(&r->lock);
		tok = token_find(r, scope, q->repo);
		if (tok != NULL) {
			auth = xprintf("Authorization: Bearer %s", tok);
			hl = curl_slist_append(hl, auth);
		}
		pthread_mutex_unlock(&r->lock);
		if (tok == NULL && r->basic && r->user != NULL) {
			curl_easy_setopt(c, CURLOPT_HTTPAUTH,
			    (long)CURLAUTH_BASIC);
			curl_easy_setopt(c, CURLOPT_USERNAME, r->user);
			curl_easy_setopt(c, CURLOPT_PASSWORD, r->password);
		}
		curl_easy_setopt(c, CURLOPT_URL, q->url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, q);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, q);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, q->errbuf);
		if (strcmp(q->method, "HEAD") == 0)
			curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		else if (strcmp(q->method, "GET") == 0)
			curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		else {
			up = q->f != NULL ? (curl_off_t)q->f_len :
			    (curl_off_t)q->body_len;
			curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
			curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
			curl_easy_setopt(c, CURLOPT_READDATA, q);
			curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, up);
		}
		q->c = c;
		q->sent = 0;
		q->status = 0;
		q->resp.len = 0;
		q->resp.overflow = 0;
		if (q->resp.max == 0)
			q->resp.max = OCI_MANIFEST_MAX;
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &q->status);
		curl_slist_free_all(hl);
		if (auth != NULL) {
			xfree_secret(auth);
			auth = NULL;
		}
		handle_put(r, c);
		pthread_mutex_lock(&r->lock);
		r->stats.requests++;
		r->stats.bytes_sent += q->sent;
		pthread_mutex_unlock(&r->lock);
		if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR &&
		    q->resp.overflow)) {
			*cause = xprintf(_("registry %s: %s %s: %s"), r->host,
			    q->method, q->repo != NULL ? q->repo : "",
			    q->errbuf[0] ? q->errbuf : curl_easy_strerror(rc));
			free(scope);
			return -1;
		}
		if (q->status != 401 || attempt == 1 || q->challenge == NULL)
			break;
		if (strncasecmp(q->challenge, "Bearer", 6) == 0) {
			free(scope);
			scope = challenge_param(q->challenge, "scope");
			if (scope == NULL)
				scope = xstrdup("");
			if (token_fetch(r, q->challenge, cause) != 0) {
				free(scope);
				return -1;
			}
		} else if (strncasecmp(q->challenge, "Basic", 5) == 0 &&
		    r->user != NULL && !r->basic)
			r->basic = 1;
		else
			break;
	}
	free(scope);
	return 0;
}

/* The registry's error for a failed request, one line. */
static char *
req_error(struct registry *r, struct req *q, const char *what)
{
	json_t *root, *e;
	const char *code = NULL, *msg = NULL;

	root = q->resp.p != NULL ? json_loadb(q->resp.p, q->resp.len, 0,
	    NULL) : NULL;
	e = json_array_get(json_object_get(root, "errors"), 0);
	code = json_string_value(json_object_get(e, "code"));
	msg = json_string_value(json_object_get(e, "message"));
	if (q->status == 401)
		msg = _("authentication failed (check --user and "
		    "--password)");
	else if (q->status == 403)
		msg = _("access denied");
	{
		char *s = xprintf(_("registry %s: %s: HTTP %ld%s%s%s%s"),
		    r->host, what, q->status, code != NULL ? " " : "",
		    code != NULL ? code : "", msg != NULL ? ": " : "",
		    msg != NULL ? msg : "");
		json_decref(root);
		return s;
	}
}

static char *
absolute_url(struct registry *r, const char *loc)
{
	if (loc == NULL)
		return NULL;
	if (strncmp(loc, "http://", 7) == 0 || strncmp(loc, "https://", 8) == 0)
		return xstrdup(loc);
	if (*loc == '/')
		return xprintf("%s%s", r->base, loc);
	return xprintf("%s/%s", r->base, loc);
}

int
registry_blob_exists(struct registry *r, const char *repo,
    const char *digest, char **cause)
{
	struct req q;
	int rc = -1;

	req_init(&q, "HEAD", repo,
	    xprintf("%s/v2/%s/blobs/%s", r->base, repo, digest));
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 200)
			rc = 1;
		else if (q.status == 404)
			rc = 0;
		else
			*cause = req_error(r, &q, digest);
	}
	req_clear(&q);
	return rc;
}

int
registry_blob_mount(struct registry *r, const char *repo, const char *digest,
    const char *from, char **location, char **cause)
{
	struct req q;
	int rc = -1;

	req_init(&q, "POST", repo,
	    xprintf("%s/v2/%s/blobs/uploads/?mount=%s&from=%s", r->base,
	    repo, digest, from));
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 201)
			rc = 1;
		else if (q.status == 202) {
			rc = 0;
			if (location != NULL)
				*location = absolute_url(r, q.location);
		} else
			*cause = req_error(r, &q, digest);
	}
	req_clear(&q);
	return rc;
}

char *
registry_upload_start(struct registry *r, const char *repo, char **cause)
{
	struct req q;
	char *loc = NULL;

	req_init(&q, "POST", repo,
	    xprintf("%s/v2/%s/blobs/uploads/", r->base, repo));
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 202 && q.location != NULL)
			loc = absolute_url(r, q.location);
		else
			*cause = req_error(r, &q, repo);
	}
	req_clear(&q);
	return loc;
}

/* "0-N" -> N + 1 bytes received ("0-0" is read as nothing yet). */
static int64_t
range_end(const char *range)
{
	const char *dash;
	long long end;

	if (range == NULL)
		return -1;
	if (strncmp(range, "bytes=", 6) == 0)
		range += 6;
	dash = strchr(range, '-');
	if (dash == NULL)
		return -1;
	end = strtoll(dash + 1, NULL, 10);
	if (end <= 0)
		return 0;
	return (int64_t)end + 1;
}

/* The repository in an upload URL ".../v2/REPO/blobs/uploads/...". */
static char *
location_repo(const char *loc)
{
	const char *p = strstr(loc, "/v2/"), *e;

	if (p == NULL || (e = strstr(p, "/blobs/uploads/")) == NULL)
		return NULL;
	return xstrndup(p + 4, (size_t)(e - p - 4));
}

int64_t
registry_upload_status(struct registry *r, const char *location,
    char **newloc, char **cause)
{
	struct req q;
	int64_t off = -1;
	char *repo = location_repo(location);

	req_init(&q, "GET", repo, xstrdup(location));
	if (req_perform(r, &q, cause) == 0) {
		if ((q.status == 204 || q.status == 200) && q.range != NULL) {
			off = range_end(q.range);
			*newloc = absolute_url(r, q.location != NULL ?
			    q.location : location);
		} else
			*cause = req_error(r, &q, _("upload status"));
	}
	req_clear(&q);
	free(repo);
	return off;
}

char *
registry_upload_chunk(struct registry *r, const char *location, FILE *f,
    int64_t offset, int64_t len, int64_t *received, char **cause)
{
	struct req q;
	char *loc = NULL, *cr, *repo = location_repo(location);

	req_init(&q, "PATCH", repo, xstrdup(location));
	q.f = f;
	q.f_off = offset;
	q.f_len = len;
	cr = xprintf("Content-Range: %" PRId64 "-%" PRId64, offset,
	    offset + len - 1);
	q.extra[0] = "Content-Type: application/octet-stream";
	q.extra[1] = cr;
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 202 && q.location != NULL) {
			loc = absolute_url(r, q.location);
			*received = q.range != NULL ? range_end(q.range) :
			    offset + len;
		} else
			*cause = req_error(r, &q, _("blob upload"));
	}
	free(cr);
	req_clear(&q);
	free(repo);
	return loc;
}

int
registry_upload_finish(struct registry *r, const char *location,
    const char *digest, char **cause)
{
	struct req q;
	int rc = -1;
	char *repo = location_repo(location);

	req_init(&q, "PUT", repo,
	    xprintf("%s%sdigest=%s", location, strchr(location, '?') ?
	    "&" : "?", digest));
	q.body = "";
	q.extra[0] = "Content-Type: application/octet-stream";
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 201)
			rc = 0;
		else
			*cause = req_error(r, &q, digest);
	}
	req_clear(&q);
	free(repo);
	return rc;
}

int
registry_manifest_put(struct registry *r, const char *repo, const char *ref,
    const char *media_type, const char *data, size_t len, char **cause)
{
	struct req q;
	char *ct, hex[65];
	int rc = -1;

	req_init(&q, "PUT", repo,
	    xprintf("%s/v2/%s/manifests/%s", r->base, repo, ref));
	q.body = data;
	q.body_len = len;
	ct = xprintf("Content-Type: %s", media_type);
	q.extra[0] = ct;
	if (req_perform(r, &q, cause) == 0) {
		oci_sha256_hex(data, len, hex);
		if (q.status != 201)
			*cause = req_error(r, &q, ref);
		else if (q.digest != NULL && (strncmp(q.digest, "sha256:", 7)
		    != 0 || strcmp(q.digest + 7, hex) != 0))
			*cause = xprintf(_("registry %s: %s:%s was stored as "
			    "%s, not sha256:%s"), r->host, repo, ref,
			    q.digest, hex);
		else
			rc = 0;
	}
	free(ct);
	req_clear(&q);
	return rc;
}

char *
registry_manifest_get(struct registry *r, const char *repo, const char *ref,
    size_t *lenp, char **media_type, char **digest, char **cause)
{
	struct req q;
	char *body = NULL, hex[65];

	req_init(&q, "GET", repo,
	    xprintf("%s/v2/%s/manifests/%s", r->base, repo, ref));
	q.extra[0] = MANIFEST_ACCEPT;
	if (req_perform(r, &q, cause) != 0)
		goto out;
	if (q.status != 200 || q.resp.overflow) {
		*cause = q.resp.overflow ? xprintf(_("registry %s: %s:%s: "
		    "manifest too large"), r->host, repo, ref) :
		    req_error(r, &q, ref);
		goto out;
	}
	oci_sha256_hex(q.resp.p != NULL ? q.resp.p : "", q.resp.len, hex);
	if (oci_digest_valid(ref) && strcmp(ref + 7, hex) != 0) {
		*cause = xprintf(_("registry %s: %s@%s: content does not match "
		    "its digest"), r->host, repo, ref);
		goto out;
	}
	*digest = xprintf("sha256:%s", hex);
	*media_type = oci_media_type(q.resp.p != NULL ? q.resp.p : "",
	    q.resp.len);
	if (*media_type == NULL)
		*media_type = xstrdup(q.content_type != NULL ?
		    q.content_type : OCI_MT_MANIFEST);
	body = q.resp.p != NULL ? q.resp.p : xstrdup("");
	q.resp.p = NULL;
	*lenp = q.resp.len;
out:
	req_clear(&q);
	return body;
}

int
registry_blob_get(struct registry *r, const char *repo, const char *digest,
    FILE *f, char **cause)
{
	struct req q;
	struct sha256 h;
	char hex[65];
	int rc = -1;

	req_init(&q, "GET", repo,
	    xprintf("%s/v2/%s/blobs/%s", r->base, repo, digest));
	q.out = f;
	oci_sha256_init(&h);
	q.out_hash = &h;
	if (req_perform(r, &q, cause) == 0) {
		if (q.status != 200)
			*cause = req_error(r, &q, digest);
		else
			rc = 0;
	}
	oci_sha256_final(&h, hex);
	if (rc == 0 && strcmp(hex, digest + 7) != 0) {
		*cause = xprintf(_("registry %s: blob %s of %s does not match "
		    "its digest"), r->host, digest, repo);
		rc = -1;
	}
	req_clear(&q);
	return rc;
}
