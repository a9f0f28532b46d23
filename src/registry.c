/* The OCI distribution API client (libcurl). */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "registry.h"
#include "util.h"
#include "xmalloc.h"

#define MANIFEST_ACCEPT "Accept: " OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " \
	DOCKER_MT_MANIFEST ", " DOCKER_MT_LIST

struct token {
	char *scope;		/* as asked: "repository:NAME:ACTIONS ..." */
	char *value;
	time_t expires;		/* CLOCK_MONOTONIC seconds */
};

enum registry_auth { AUTH_UNKNOWN, AUTH_NONE, AUTH_BASIC, AUTH_BEARER };

struct registry {
	char *host;
	char *creds_host;	/* credentials kept for that host, or NULL */
	char *base;		/* "https://HOST" */
	int plain_http;
	char *ca_file;
	char *user;
	char *password;
	int push;		/* ask tokens for pull and push */
	atomic_int *cancel;

	pthread_mutex_t lock;
	pthread_mutex_t fetch_lock;	/* one token request at a time */
	pthread_mutex_t probe_lock;	/* one request while auth unknown */
	enum registry_auth auth;	/* learnt from the first 401 */
	char *realm, *service;		/* of the last Bearer challenge */
	struct token *tokens;
	size_t ntokens;
	CURL **pool;
	size_t npool;
	struct registry_stats stats;
};

/* What a 401 without credentials asks for. */
static char *
want_creds(const struct registry *r)
{
	if (r->creds_host != NULL)
		return xprintf(_("authentication required: the credentials "
		    "given are for %s, and are not sent to %s"),
		    r->creds_host, r->host);
	return xstrdup(_("authentication required: pass --user and "
	    "--password"));
}

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
	const char *from;	/* a mount's source repository */
	int write;		/* needs push access */
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
	q->write = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
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
	r->push = o->push;
	r->base = xprintf("%s://%s", o->plain_http ? "http" : "https",
	    o->host);
	if (o->ca_file != NULL)
		r->ca_file = xstrdup(o->ca_file);
	if (o->creds_host != NULL)
		r->creds_host = xstrdup(o->creds_host);
	if (o->user != NULL) {
		r->user = xstrdup(o->user);
		r->password = xstrdup(o->password != NULL ? o->password : "");
	}
	r->cancel = o->cancel;
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->fetch_lock, NULL);
	pthread_mutex_init(&r->probe_lock, NULL);
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
	pthread_mutex_destroy(&r->fetch_lock);
	pthread_mutex_destroy(&r->probe_lock);
	free(r->realm);
	free(r->service);
	free(r->host);
	free(r->base);
	free(r->ca_file);
	free(r->user);
	free(r->creds_host);
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
		free(q->challenge);
		q->location = q->range = q->challenge = NULL;
		return len;
	}
	/* Of several challenges, keep a Bearer one. */
	if (q->challenge != NULL && strncasecmp(q->challenge, "Bearer", 6) ==
	    0 && len > 17 && strncasecmp(p, "WWW-Authenticate:", 17) == 0)
		return len;
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

/*
 * Auth.  The first 401 tells the scheme: Basic sends --user and --password
 * on every later request (libcurl encodes them); Bearer gets a token from
 * the challenge's realm, with Basic credentials or anonymously, and keeps
 * it per scope until shortly before it expires.  Once the realm is known,
 * a request asks for the token its scope needs before it is sent, so a
 * body is not sent twice; a 401 that names another scope (a mount, an
 * expired token) gets a new token and one more try.
 */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
is_tchar(int c)
{
	return isalnum(c) || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

void
registry_challenge_clear(struct registry_challenge *ch)
{
	free(ch->scheme);
	free(ch->realm);
	free(ch->service);
	free(ch->scope);
	free(ch->error);
	memset(ch, 0, sizeof *ch);
}

int
registry_challenge_parse(const char *h, struct registry_challenge *ch)
{
	const char *p = skip_ws(h), *k;
	char *val, *o, **slot;
	size_t kl;

	memset(ch, 0, sizeof *ch);
	for (k = p; is_tchar((unsigned char)*p); p++)
		;
	if (p == k)
		return -1;
	ch->scheme = xstrndup(k, (size_t)(p - k));
	for (;;) {
		p = skip_ws(p);
		while (*p == ',')
			p = skip_ws(p + 1);
		if (*p == '\0')
			return 0;
		for (k = p; is_tchar((unsigned char)*p); p++)
			;
		kl = (size_t)(p - k);
		if (kl == 0)
			goto bad;
		p = skip_ws(p);
		if (*p != '=')
			return 0;	/* the next challenge: keep the first */
		p = skip_ws(p + 1);
		if (*p == '"') {
			val = o = xmalloc(strlen(p));
			for (p++; *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (*p == '\0') {
					free(val);
					goto bad;
				}
				*o++ = *p;
			}
			*o = '\0';
			p++;
		} else {
			o = (char *)p + strcspn(p, ", \t");
			val = xstrndup(p, (size_t)(o - p));
			p = o;
		}
		slot = NULL;
		if (kl == 5 && strncasecmp(k, "realm", 5) == 0)
			slot = &ch->realm;
		else if (kl == 7 && strncasecmp(k, "service", 7) == 0)
			slot = &ch->service;
		else if (kl == 5 && strncasecmp(k, "scope", 5) == 0)
			slot = &ch->scope;
		else if (kl == 5 && strncasecmp(k, "error", 5) == 0)
			slot = &ch->error;
		if (slot != NULL) {
			free(*slot);
			*slot = val;
		} else
			free(val);
	}
bad:
	registry_challenge_clear(ch);
	return -1;
}

/* True if the comma-separated actions have[] include all of need[]. */
static int
actions_cover(const char *have, size_t hl, const char *need, size_t nl)
{
	const char *n, *ne, *h, *he, *nend = need + nl, *hend = have + hl;
	int found;

	for (n = need; n < nend; n = ne + 1) {
		ne = memchr(n, ',', (size_t)(nend - n));
		if (ne == NULL)
			ne = nend;
		if (ne == n)
			continue;
		found = 0;
		for (h = have; h < hend && !found; h = he + 1) {
			he = memchr(h, ',', (size_t)(hend - h));
			if (he == NULL)
				he = hend;
			found = (he - h == 1 && *h == '*') ||
			    (he - h == ne - n && memcmp(h, n,
			    (size_t)(ne - n)) == 0);
		}
		if (!found)
			return 0;
	}
	return 1;
}

int
registry_scope_covers(const char *have, const char *need)
{
	const char *n = need, *ne, *nc, *h, *he, *hc;
	int ok;

	for (;;) {
		while (*n == ' ')
			n++;
		if (*n == '\0')
			return 1;
		ne = n + strcspn(n, " ");
		if ((nc = memrchr(n, ':', (size_t)(ne - n))) == NULL)
			return 0;
		ok = 0;
		for (h = have; !ok; h = he) {
			while (*h == ' ')
				h++;
			if (*h == '\0')
				break;
			he = h + strcspn(h, " ");
			hc = memrchr(h, ':', (size_t)(he - h));
			ok = hc != NULL && hc - h == nc - n &&
			    memcmp(h, n, (size_t)(nc - n)) == 0 &&
			    actions_cover(hc + 1, (size_t)(he - hc - 1), nc + 1,
			    (size_t)(ne - nc - 1));
		}
		if (!ok)
			return 0;
		n = ne;
	}
}

static time_t
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * A copy of a live token that covers scope need and is not refused (lock
 * held), or NULL.
 */
static char *
token_lookup(struct registry *r, const char *need, const char *refused)
{
	time_t now = now_mono();
	size_t i;

	for (i = 0; i < r->ntokens; i++)
		if (r->tokens[i].expires > now &&
		    registry_scope_covers(r->tokens[i].scope, need) &&
		    (refused == NULL ||
		    strcmp(r->tokens[i].value, refused) != 0))
			return xstrdup(r->tokens[i].value);
	return NULL;
}

/* Keep a token for scope (lock held). */
static void
token_store(struct registry *r, const char *scope, const char *value,
    long long expires_in)
{
	struct token *t = NULL;
	size_t i;

	log_add_secret(value);
	for (i = 0; i < r->ntokens && t == NULL; i++)
		if (strcmp(r->tokens[i].scope, scope) == 0)
			t = &r->tokens[i];
	if (t == NULL) {
		r->tokens = xreallocarray(r->tokens, r->ntokens + 1,
		    sizeof *r->tokens);
		t = &r->tokens[r->ntokens++];
		t->scope = xstrdup(scope);
	} else
		xfree_secret(t->value);
	t->value = xstrdup(value);
	/* Renew a little early: a request may take a while to arrive. */
	t->expires = now_mono() + (time_t)(expires_in > 60 ? expires_in - 30 :
	    expires_in / 2);
}

/* curl calls this about once a second, even when nothing moves. */
static int
on_xfer(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	atomic_int *cancel = arg;

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

/* Append "KEY=VALUE" (escaped) to a URL. */
static void
url_param(CURL *c, char **url, const char *key, const char *val, size_t len)
{
	char *e = curl_easy_escape(c, val, (int)len), *u;

	u = xprintf("%s%c%s=%s", *url, strchr(*url, '?') != NULL ? '&' : '?',
	    key, e != NULL ? e : "");
	curl_free(e);
	free(*url);
	*url = u;
}

/* The token server's answer: the token, or NULL with *cause. */
static char *
token_parse(struct registry *r, const char *body, size_t len,
    long long *expires_in, char **cause)
{
	json_t *root, *v;
	const char *tok;
	char *out = NULL;

	root = json_loadb(body, len, 0, NULL);
	tok = json_string_value(json_object_get(root, "token"));
	if (tok == NULL || *tok == '\0')
		tok = json_string_value(json_object_get(root,
		    "access_token"));
	if (tok == NULL || *tok == '\0')
		*cause = xprintf(_("registry %s: the token server sent no "
		    "token"), r->host);
	else {
		out = xstrdup(tok);
		v = json_object_get(root, "expires_in");
		*expires_in = json_is_integer(v) &&
		    json_integer_value(v) > 0 ? json_integer_value(v) : 60;
	}
	json_decref(root);
	return out;
}

/*
 * Get a token for scope (space-separated "repository:NAME:ACTIONS" items,
 * "" for none) from the realm the registry named.  The token, or NULL
 * with *cause.
 */
static char *
token_fetch(struct registry *r, const char *scope, char **cause)
{
	char *realm, *service, *url, *tok = NULL, *where, *want;
	const char *s, *e;
	long long expires_in = 60;
	struct req q;
	CURL *c;
	CURLcode rc;

	pthread_mutex_lock(&r->lock);
	realm = xstrdup(r->realm);
	service = r->service != NULL ? xstrdup(r->service) : NULL;
	pthread_mutex_unlock(&r->lock);
	where = xstrndup(realm, strcspn(realm, "?"));
	if (strncasecmp(realm, "https://", 8) != 0 &&
	    strncasecmp(realm, "http://", 7) != 0) {
		*cause = xprintf(_("registry %s: the token realm '%s' is not "
		    "an http(s) URL"), r->host, where);
		goto out;
	}
	if (r->user != NULL && !r->plain_http &&
	    strncasecmp(realm, "http://", 7) == 0) {
		*cause = xprintf(_("registry %s: refusing to send credentials "
		    "over plain http to the token server %s (use --plain-http "
		    "to allow it)"), r->host, where);
		goto out;
	}

	c = handle_get(r);
	url = xstrdup(realm);
	if (service != NULL)
		url_param(c, &url, "service", service, 0);
	for (s = scope != NULL ? scope : ""; *s != '\0'; s = e) {
		while (*s == ' ')
			s++;
		e = s + strcspn(s, " ");
		if (e > s)
			url_param(c, &url, "scope", s, (size_t)(e - s));
	}
	if (r->user != NULL)
		url_param(c, &url, "account", r->user, 0);

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
	pthread_mutex_lock(&r->lock);
	r->stats.requests++;
	pthread_mutex_unlock(&r->lock);

	if (rc != CURLE_OK)
		*cause = xprintf(_("registry %s: token server %s: %s"), r->host,
		    where, q.errbuf[0] ? q.errbuf : curl_easy_strerror(rc));
	else if ((q.status == 401 || q.status == 403) && r->user != NULL)
		*cause = xprintf(_("registry %s: token server %s refused the "
		    "credentials of user '%s' (HTTP %ld): check --user and "
		    "--password"), r->host, where, r->user, q.status);
	else if (q.status == 401 || q.status == 403) {
		want = want_creds(r);
		*cause = xprintf(_("registry %s: token server %s wants "
		    "credentials (HTTP %ld): %s"), r->host, where, q.status,
		    want);
		free(want);
	}
	else if (q.status != 200)
		*cause = xprintf(_("registry %s: token server %s answered "
		    "HTTP %ld"), r->host, where, q.status);
	else if ((tok = token_parse(r, q.resp.p != NULL ? q.resp.p : "",
	    q.resp.len, &expires_in, cause)) != NULL) {
		pthread_mutex_lock(&r->lock);
		token_store(r, scope != NULL ? scope : "", tok, expires_in);
		pthread_mutex_unlock(&r->lock);
		log_debug("registry %s: token for '%s' (%lld s)", r->host,
		    scope != NULL ? scope : "", expires_in);
	}
	if (q.resp.p != NULL)
		OPENSSL_cleanse(q.resp.p, q.resp.len);
	free(q.resp.p);
out:
	free(where);
	free(realm);
	free(service);
	return tok;
}

/*
 * A token for scope: one kept (other than refused, which the registry just
 * turned down) or a new one.  Threads that need one at the same time ask
 * the token server once.
 */
static char *
token_get(struct registry *r, const char *scope, const char *refused,
    char **cause)
{
	char *tok;

	pthread_mutex_lock(&r->fetch_lock);
	pthread_mutex_lock(&r->lock);
	tok = token_lookup(r, scope, refused);
	pthread_mutex_unlock(&r->lock);
	if (tok == NULL)
		tok = token_fetch(r, scope, cause);
	pthread_mutex_unlock(&r->fetch_lock);
	return tok;
}

/*
 * The scope to ask for after a challenge: the one it names, widened to
 * what the request needs (a HEAD is challenged for pull, but a registry
 * opened to push will want push next).
 */
static char *
scope_merge(const char *need, const char *asked)
{
	if (asked == NULL || *asked == '\0')
		return xstrdup(need != NULL ? need : "");
	if (need == NULL || registry_scope_covers(asked, need))
		return xstrdup(asked);
	if (registry_scope_covers(need, asked))
		return xstrdup(need);
	return xprintf("%s %s", need, asked);
}

/*
 * The scope a request needs: pull to read, pull and push to write (or
 * always, for a registry opened to push), and pull on the repository a
 * blob is mounted from.  NULL outside a repository.
 */
static char *
req_scope(struct registry *r, const struct req *q)
{
	char *s, *t;

	if (q->repo == NULL)
		return NULL;
	s = xprintf("repository:%s:%s", q->repo, r->push || q->write ?
	    "pull,push" : "pull");
	if (q->from != NULL && strcmp(q->from, q->repo) != 0) {
		t = xprintf("%s repository:%s:pull", s, q->from);
		free(s);
		s = t;
	}
	return s;
}

/*
 * Send a request once, with a Bearer token or Basic credentials.  0 when
 * an HTTP answer came back (q->status), -1 on a transport error.
 */
static int
req_send(struct registry *r, struct req *q, const char *tok, int basic,
    char **cause)
{
	struct curl_slist *hl = NULL;
	char *auth = NULL;
	CURL *c;
	CURLcode rc;
	curl_off_t up;
	int i;

	c = handle_get(r);
	handle_tls(r, c);
	for (i = 0; i < 4 && q->extra[i] != NULL; i++)
		hl = curl_slist_append(hl, q->extra[i]);
	hl = curl_slist_append(hl, "Expect:");
	if (tok != NULL) {
		/* libcurl keeps this header from other hosts on redirects. */
		auth = xprintf("Authorization: Bearer %s", tok);
		hl = curl_slist_append(hl, auth);
	} else if (basic) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
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
	free(q->challenge);
	q->challenge = NULL;
	if (q->resp.max == 0)
		q->resp.max = OCI_MANIFEST_MAX;
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &q->status);
	curl_slist_free_all(hl);
	xfree_secret(auth);
	handle_put(r, c);
	pthread_mutex_lock(&r->lock);
	r->stats.requests++;
	r->stats.bytes_sent += q->sent;
	pthread_mutex_unlock(&r->lock);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && q->resp.overflow)) {
		*cause = xprintf(_("registry %s: %s %s: %s"), r->host,
		    q->method, q->repo != NULL ? q->repo : "",
		    q->errbuf[0] ? q->errbuf : curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Perform a request, answering auth challenges.  Returns 0 when an HTTP
 * answer came back (q->status; a 401 that still stands is left to the
 * caller), -1 on a transport or token server error.
 */
static int
req_perform(struct registry *r, struct req *q, char **cause)
{
	struct registry_challenge ch;
	char *need = req_scope(r, q), *asked = NULL, *want, *tok = NULL;
	enum registry_auth mode;
	int attempt, basic, probing = 0, rc = -1;

	/*
	 * Until a first answer tells how the registry authenticates, send
	 * one request at a time, so that parallel ones do not each take a
	 * 401 (and each ask for the same token).
	 */
	pthread_mutex_lock(&r->lock);
	mode = r->auth;
	pthread_mutex_unlock(&r->lock);
	if (mode == AUTH_UNKNOWN) {
		pthread_mutex_lock(&r->probe_lock);
		probing = 1;
	}
	for (attempt = 0; attempt < 3; attempt++) {
		pthread_mutex_lock(&r->lock);
		mode = r->auth;
		if (tok == NULL && mode == AUTH_BEARER && need != NULL)
			tok = token_lookup(r, need, NULL);
		pthread_mutex_unlock(&r->lock);
		if (tok == NULL && mode == AUTH_BEARER && need != NULL) {
			if ((tok = token_get(r, need, NULL, cause)) == NULL)
				goto out;
			free(asked);
			asked = xstrdup(need);
		}
		basic = tok == NULL && mode == AUTH_BASIC && r->user != NULL;
		if (req_send(r, q, tok, basic, cause) != 0)
			goto out;
		if (q->status != 401 || q->challenge == NULL ||
		    registry_challenge_parse(q->challenge, &ch) != 0)
			break;
		if (strcasecmp(ch.scheme, "Bearer") == 0 && ch.realm != NULL) {
			want = scope_merge(need, ch.scope);
			/* A token just got for this scope was refused. */
			if (asked != NULL && registry_scope_covers(asked,
			    want)) {
				free(want);
				registry_challenge_clear(&ch);
				break;
			}
			pthread_mutex_lock(&r->lock);
			r->auth = AUTH_BEARER;
			free(r->realm);
			r->realm = ch.realm;
			free(r->service);
			r->service = ch.service;
			ch.realm = ch.service = NULL;
			pthread_mutex_unlock(&r->lock);
			registry_challenge_clear(&ch);
			free(asked);
			asked = want;
			want = token_get(r, asked, tok, cause);
			xfree_secret(tok);
			if ((tok = want) == NULL)
				goto out;
		} else if (strcasecmp(ch.scheme, "Basic") == 0 &&
		    r->user != NULL && !basic) {
			pthread_mutex_lock(&r->lock);
			r->auth = AUTH_BASIC;
			pthread_mutex_unlock(&r->lock);
			xfree_secret(tok);
			tok = NULL;
			registry_challenge_clear(&ch);
		} else {
			registry_challenge_clear(&ch);
			break;
		}
	}
	rc = 0;
out:
	if (probing) {
		pthread_mutex_lock(&r->lock);
		if (rc == 0 && r->auth == AUTH_UNKNOWN && q->status != 401)
			r->auth = AUTH_NONE;
		pthread_mutex_unlock(&r->lock);
		pthread_mutex_unlock(&r->probe_lock);
	}
	xfree_secret(tok);
	free(need);
	free(asked);
	return rc;
}

/* The registry's error for a failed request, one line. */
static char *
req_error(struct registry *r, struct req *q, const char *what)
{
	json_t *root, *e;
	const char *code = NULL, *msg = NULL;
	char *s, *m = NULL, *w = NULL;

	root = q->resp.p != NULL ? json_loadb(q->resp.p, q->resp.len, 0,
	    NULL) : NULL;
	e = json_array_get(json_object_get(root, "errors"), 0);
	code = json_string_value(json_object_get(e, "code"));
	msg = json_string_value(json_object_get(e, "message"));
	if (q->status == 401 && r->user == NULL)
		msg = m = want_creds(r);
	else if (q->status == 401)
		msg = m = xprintf(_("user '%s' was refused: check --user, "
		    "--password and the user's rights"), r->user);
	else if (q->status == 403)
		msg = _("access denied");
	/* REPO@DIGEST, REPO:TAG or REPO: WHAT. */
	if (q->repo != NULL && strcmp(q->repo, what) != 0)
		w = xprintf("%s%s%s", q->repo, oci_digest_valid(what) ? "@" :
		    strstr(q->url, "/manifests/") != NULL ? ":" : ": ", what);
	s = xprintf(_("registry %s: %s: HTTP %ld%s%s%s%s"), r->host,
	    w != NULL ? w : what, q->status, code != NULL ? " " : "",
	    code != NULL ? code : "", msg != NULL ? ": " : "",
	    msg != NULL ? msg : "");
	free(w);
	free(m);
	json_decref(root);
	return s;
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
	q.from = from;
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 201)
			rc = 1;
		else if (q.status == 202) {
			rc = 0;
			if (location != NULL)
				*location = absolute_url(r, q.location);
		} else if (q.status == 401 || q.status == 403) {
			/* No pull on from: upload instead of mounting. */
			log_debug("registry %s: %s: no mount from %s (HTTP %ld)",
			    r->host, repo, from, q.status);
			rc = 0;
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
	q.write = 1;
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
		sha256_hex(data, len, hex);
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
	sha256_hex(q.resp.p != NULL ? q.resp.p : "", q.resp.len, hex);
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
registry_manifest_head(struct registry *r, const char *repo, const char *ref,
    char **digest, char **cause)
{
	struct req q;
	int rc = -1;

	*digest = NULL;
	req_init(&q, "HEAD", repo,
	    xprintf("%s/v2/%s/manifests/%s", r->base, repo, ref));
	q.extra[0] = MANIFEST_ACCEPT;
	if (req_perform(r, &q, cause) == 0) {
		if (q.status == 200 && q.digest != NULL &&
		    oci_digest_valid(q.digest)) {
			*digest = xstrdup(q.digest);
			rc = 1;
		} else if (q.status == 200)
			*cause = xprintf(_("registry %s: %s:%s: no "
			    "Docker-Content-Digest in its answer"), r->host,
			    repo, ref);
		else if (q.status == 404)
			rc = 0;
		else
			*cause = req_error(r, &q, ref);
	}
	req_clear(&q);
	return rc;
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
