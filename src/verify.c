/* wbinstall verify: our own checks (libcurl, libcrypto), then wandb verify. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "log.h"
#include "presign.h"
#include "render.h"
#include "run-flags.h"
#include "s3.h"
#include "storage-url.h"
#include "util.h"
#include "verify.h"
#include "xmalloc.h"

#define HTTP_TIMEOUT_S		30
#define WANDB_TIMEOUT_MS	(15 * 60 * 1000)
#define PROBE_BYTES		1024

struct vctx {
	const struct answers *a;
	const struct verify_opts *o;
	const char *fqdn;
	char *target;		/* "https://FQDN" */
	struct curl_slist *connect_to;
	struct check_list *l;
};

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The --connect-to entries, and the address they give FQDN (or NULL). */
static char *
connect_to_init(struct vctx *v)
{
	const char *env = v->o->connect_to;
	char *dup, *tok, *save = NULL, *addr = NULL, *p;
	size_t n = strlen(v->fqdn);

	if (env == NULL || *env == '\0')
		return NULL;
	dup = xstrdup(env);
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		v->connect_to = curl_slist_append(v->connect_to, tok);
		if (addr == NULL && strncmp(tok, v->fqdn, n) == 0 &&
		    tok[n] == ':' && (p = strchr(tok + n + 1, ':')) != NULL)
			addr = xstrdup(p + 1);
	}
	free(dup);
	return addr;
}

static void
check_dns(struct vctx *v)
{
	struct addrinfo hints, *res, *ai;
	char buf[INET_ADDRSTRLEN], *list, *next, *over;
	int rc;

	if ((over = connect_to_init(v)) != NULL) {
		checks_add(v->l, v->fqdn, "verify.dns", CHECK_PASS, over,
		    _("an A record"), NULL, _("--connect-to sends %s "
		    "to %s; DNS was not asked"), v->fqdn, over);
		free(over);
		return;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(v->fqdn, NULL, &hints, &res);
	if (rc != 0) {
		checks_add(v->l, v->fqdn, "verify.dns", CHECK_FAIL, NULL,
		    _("an A record"), _("add an A record for the FQDN that "
		    "points at the ingress or load balancer"), _("%s does not "
		    "resolve: %s"), v->fqdn, gai_strerror(rc));
		return;
	}
	list = xstrdup("");
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->
		    sin_addr, buf, sizeof buf);
		if (strstr(list, buf) != NULL)
			continue;
		next = xprintf("%s%s%s", list, *list != '\0' ? "," : "", buf);
		free(list);
		list = next;
	}
	freeaddrinfo(res);
	checks_add(v->l, v->fqdn, "verify.dns", CHECK_PASS, list,
	    _("an A record"), NULL, _("%s resolves to %s"), v->fqdn, list);
	free(list);
}

/* One HTTPS request to PATH on the FQDN; the peer is not verified here
 * (the TLS checks judge the certificate).  Returns the HTTP status, or
 * -1 with *cause.  CERTS (may be NULL) gets the chain. */
static long
http(struct vctx *v, const char *method, const char *path, const void *body,
    size_t len, STACK_OF(X509) **certs, char **cause)
{
	char errbuf[CURL_ERROR_SIZE] = "", *url;
	struct curl_certinfo *ci = NULL;
	struct curl_slist *s;
	CURL *h = curl_easy_init();
	CURLcode rc;
	long status = -1;
	BIO *bio;
	X509 *x;
	int i;

	url = xprintf("https://%s%s", v->fqdn, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECT_TO, v->connect_to);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)HTTP_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_CERTINFO, certs != NULL ? 1L : 0L);
	if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	}
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		*cause = xprintf(_("%s %s: %s"), method, url, *errbuf != '\0' ?
		    errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	log_info("verify: %s %s -> %ld", method, url, status);
	if (certs == NULL)
		goto out;
	*certs = sk_X509_new_null();
	curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci);
	for (i = 0; ci != NULL && i < ci->num_of_certs; i++)
		for (s = ci->certinfo[i]; s != NULL; s = s->next) {
			if (strncmp(s->data, "Cert:", 5) != 0)
				continue;
			bio = BIO_new_mem_buf(s->data + 5, -1);
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
			if (x != NULL)
				sk_X509_push(*certs, x);
		}
out:
	curl_easy_cleanup(h);
	free(url);
	return status;
}

static char *
subject_cn(X509 *x, int issuer)
{
	X509_NAME *n = issuer ? X509_get_issuer_name(x) :
	    X509_get_subject_name(x);
	char buf[256];

	if (X509_NAME_get_text_by_NID(n, NID_commonName, buf,
	    sizeof buf) < 0)
		X509_NAME_oneline(n, buf, sizeof buf);
	return xstrdup(buf);
}

static void
check_tls(struct vctx *v, STACK_OF(X509) *certs)
{
	X509 *leaf = sk_X509_value(certs, 0);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *sc = X509_STORE_CTX_new();
	STACK_OF(X509) *rest = sk_X509_dup(certs);
	char *cn = subject_cn(leaf, 0), *issuer = subject_cn(leaf, 1), *obs;
	int days = 0, secs = 0, err;

	/* The name. */
	if (X509_check_host(leaf, v->fqdn, 0, 0, NULL) == 1)
		checks_add(v->l, v->target, "verify.tls.name", CHECK_PASS, cn,
		    v->fqdn, NULL, _("the certificate is valid for %s"),
		    v->fqdn);
	else
		checks_add(v->l, v->target, "verify.tls.name", CHECK_FAIL, cn,
		    v->fqdn, _("issue a certificate whose subject alternative "
		    "names include the FQDN"), _("the certificate (%s) is not "
		    "valid for %s"), cn, v->fqdn);

	/* The days left. */
	ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(leaf));
	obs = xprintf(_("%d days left"), days);
	if (X509_cmp_current_time(X509_get0_notAfter(leaf)) <= 0)
		checks_add(v->l, v->target, "verify.tls.expiry", CHECK_FAIL,
		    _("expired"), _("not expired"), _("renew the certificate"),
		    _("the certificate expired %d days ago"), -days);
	else if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0)
		checks_add(v->l, v->target, "verify.tls.expiry", CHECK_FAIL,
		    _("not yet valid"), _("valid now"), _("check the clock of "
		    "this machine and the certificate's start date"),
		    _("the certificate is not valid yet"));
	else if (days < VERIFY_TLS_WARN_DAYS)
		checks_add(v->l, v->target, "verify.tls.expiry", CHECK_WARN,
		    obs, _("not expired"), _("renew the certificate soon"),
		    _("the certificate expires in %d days"), days);
	else
		checks_add(v->l, v->target, "verify.tls.expiry", CHECK_PASS,
		    obs, _("not expired"), NULL, _("the certificate is valid "
		    "for %d more days"), days);
	free(obs);

	/* The chain, without the clock (the expiry check has it). */
	if (v->o->ca_file != NULL)
		X509_STORE_load_file(store, v->o->ca_file);
	X509_STORE_set_default_paths(store);
	(void)sk_X509_shift(rest);
	X509_STORE_CTX_init(sc, store, leaf, rest);
	X509_STORE_CTX_set_flags(sc, X509_V_FLAG_NO_CHECK_TIME);
	if (X509_verify_cert(sc) == 1)
		checks_add(v->l, v->target, "verify.tls.chain", CHECK_PASS,
		    issuer, _("a trusted chain"), NULL, _("the chain is "
		    "trusted (issued by %s)"), issuer);
	else {
		err = X509_STORE_CTX_get_error(sc);
		if (X509_check_issued(leaf, leaf) == X509_V_OK)
			checks_add(v->l, v->target, "verify.tls.chain",
			    CHECK_WARN, _("self-signed"), _("a trusted chain"),
			    _("W&B advises against self-signed certificates: "
			    "every client must be told to trust it; use a "
			    "certificate from a trusted CA (e.g. Let's "
			    "Encrypt)"), _("the certificate is self-signed"));
		else
			checks_add(v->l, v->target, "verify.tls.chain",
			    CHECK_FAIL, issuer, _("a trusted chain"),
			    _("serve the full chain, or pass the private CA "
			    "with --ca-file"), _("the chain is not trusted: "
			    "%s"), X509_verify_cert_error_string(err));
	}
	X509_STORE_CTX_free(sc);
	X509_STORE_free(store);
	sk_X509_free(rest);
	free(cn);
	free(issuer);
}

static void
check_http(struct vctx *v)
{
	static const char *const paths[] = { "/healthz", "/ready" };
	static const char *const ids[] = { "verify.healthz", "verify.ready" };
	STACK_OF(X509) *certs = NULL;
	char *cause = NULL, *obs, *body;
	long st;
	size_t i;

	for (i = 0; i < 2; i++) {
		st = http(v, "GET", paths[i], NULL, 0, i == 0 ? &certs : NULL,
		    &cause);
		if (st == -1) {
			checks_add(v->l, v->target, ids[i], CHECK_FAIL, NULL,
			    "200", _("check the ingress or proxy in front of "
			    "W&B"), "%s", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		obs = xprintf("%ld", st);
		checks_add(v->l, v->target, ids[i], st == 200 ? CHECK_PASS :
		    CHECK_FAIL, obs, "200", st == 200 ? NULL : _("look at the "
		    "W&B pods or container and their logs"), _("GET %s "
		    "answered %ld"), paths[i], st);
		free(obs);
	}
	if (certs != NULL && sk_X509_num(certs) > 0)
		check_tls(v, certs);
	else {
		checks_add(v->l, v->target, "verify.tls.name", CHECK_FAIL,
		    NULL, v->fqdn, NULL, _("no certificate was seen"));
		checks_add(v->l, v->target, "verify.tls.expiry", CHECK_SKIP,
		    NULL, NULL, NULL, _("not run: no certificate"));
		checks_add(v->l, v->target, "verify.tls.chain", CHECK_SKIP,
		    NULL, NULL, NULL, _("not run: no certificate"));
	}
	if (certs != NULL)
		sk_X509_pop_free(certs, X509_free);

	body = xcalloc(1, VERIFY_BODY_SIZE);
	st = http(v, "POST", "/", body, VERIFY_BODY_SIZE, NULL, &cause);
	free(body);
	if (st == -1) {
		checks_add(v->l, v->target, "verify.body_size", CHECK_FAIL,
		    NULL, _("no 413"), NULL, "%s", cause);
		free(cause);
		return;
	}
	obs = xprintf("%ld", st);
	if (st == 413)
		checks_add(v->l, v->target, "verify.body_size", CHECK_FAIL,
		    obs, _("no 413"), _("raise the proxy's limit: nginx "
		    "client_max_body_size 0; (the ingress annotation "
		    "nginx.ingress.kubernetes.io/proxy-body-size: \"0\")"),
		    _("a %d MB POST was refused as too large"),
		    VERIFY_BODY_SIZE >> 20);
	else
		checks_add(v->l, v->target, "verify.body_size", CHECK_PASS,
		    obs, _("no 413"), NULL, _("a %d MB POST went through the "
		    "proxy"), VERIFY_BODY_SIZE >> 20);
	free(obs);
}

/* The headers W&B's uploads send with their PUT (the SDK's Content-MD5,
 * and a Content-Type), which the bucket's CORS rules must allow. */
#define UPLOAD_HEADERS	"content-md5,content-type"

/* 1 when the comma-separated list ALLOW (a response header) holds every
 * item of WANT, or is "*". */
static int
list_covers(const char *allow, const char *want)
{
	char *dup, *tok, *save = NULL, *a, *p;
	int ok = 1;

	if (allow == NULL)
		return 0;
	if (strcmp(allow, "*") == 0)
		return 1;
	a = xprintf(",%s,", allow);
	for (p = a; *p != '\0'; p++)
		*p = *p == ' ' ? ',' : (char)tolower((unsigned char)*p);
	dup = xstrdup(want);
	for (tok = strtok_r(dup, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save)) {
		p = xprintf(",%s,", tok);
		ok = strstr(a, p) != NULL;
		free(p);
	}
	free(dup);
	free(a);
	return ok;
}

/*
 * verify.cors: the preflight a browser sends before its PUT, with the
 * exact Origin users type (the URL verify reaches W&B at, V->target) and
 * the headers W&B's uploads carry.  Access-Control-Allow-Origin must be
 * that origin (or "*", which a browser accepts for these requests,
 * which carry no credentials).
 */
static void
check_cors(struct vctx *v, struct s3 *s, const char *target, const char *url)
{
	const char *hdr[4];
	struct s3_resp r;
	char *origin, *allow, *heads, *cause = NULL, *obs;

	origin = xprintf("Origin: %s", v->target);
	hdr[0] = origin;
	hdr[1] = "Access-Control-Request-Method: PUT";
	hdr[2] = "Access-Control-Request-Headers: " UPLOAD_HEADERS;
	hdr[3] = NULL;
	if (s3_fetch(s, "OPTIONS", url, NULL, 0, hdr, &r, &cause) != 0) {
		checks_add(v->l, target, "verify.cors", CHECK_FAIL, NULL,
		    v->target, NULL, "%s", cause);
		free(cause);
		free(origin);
		return;
	}
	allow = s3_resp_header(&r, "Access-Control-Allow-Origin");
	heads = s3_resp_header(&r, "Access-Control-Allow-Headers");
	obs = allow != NULL ? xstrdup(allow) : xprintf(_("HTTP %ld, no "
	    "Access-Control-Allow-Origin"), r.status);
	if (r.status != 200 || allow == NULL)
		checks_add(v->l, target, "verify.cors", CHECK_FAIL, obs,
		    v->target, _("apply the bucket CORS policy (wbinstall render "
		    "writes storage/cors.xml): origin as users type it, PUT, "
		    "any header"), _("a browser at %s may not PUT with "
		    "%s: the store refused the preflight"), v->target,
		    UPLOAD_HEADERS);
	else if (strcmp(allow, "*") != 0 && strcmp(allow, v->target) != 0)
		checks_add(v->l, target, "verify.cors", CHECK_FAIL, obs,
		    v->target, _("the bucket's AllowedOrigin must be exactly "
		    "the URL users type, scheme and port included (wbinstall "
		    "render writes storage/cors.xml)"), _("the store allows "
		    "origin %s, not %s: the browser refuses its answer"),
		    allow, v->target);
	else if (!list_covers(heads, UPLOAD_HEADERS))
		checks_add(v->l, target, "verify.cors", CHECK_FAIL, obs,
		    v->target, _("add AllowedHeader * to the bucket's CORS "
		    "rule"), _("the store allows the headers '%s', not all of "
		    "%s that W&B's uploads send"), heads != NULL ? heads : "",
		    UPLOAD_HEADERS);
	else
		checks_add(v->l, target, "verify.cors", CHECK_PASS, obs,
		    v->target, NULL, _("a browser at %s may PUT with %s"),
		    v->target, UPLOAD_HEADERS);
	free(obs);
	free(heads);
	free(allow);
	free(origin);
	s3_resp_free(&r);
}

/* A presigned PUT of DATA to KEY with Content-MD5 MD5 (signed too), as
 * W&B's uploads go; the HTTP answer in R.  -1 with *cause when none. */
static int
upload_put(struct s3 *s, const char *key, const void *data, size_t len,
    const char *md5, struct s3_resp *r, char **cause)
{
	const char *hdr[2];
	char *url, *line;
	int rc;

	url = presign_url_md5(s->conf, "PUT", key, md5, 300, time(NULL),
	    cause);
	if (url == NULL)
		return -1;
	line = xprintf("Content-MD5: %s", md5);
	hdr[0] = line;
	hdr[1] = NULL;
	rc = s3_fetch(s, "PUT", url, data, len, hdr, r, cause);
	free(line);
	free(url);
	return rc;
}

/* What a refused upload means. */
static char *
upload_refused(const struct s3_resp *r)
{
	char *text = s3_error_text(r), *m;

	if (r->code != NULL && strcmp(r->code, "BadDigest") == 0)
		m = xprintf(_("%s: the store got a Content-MD5 that does not "
		    "match the body: a proxy on the way changes the request "
		    "(wandb/wandb #1543)"), text);
	else if (r->code != NULL && strcmp(r->code, "SignatureDoesNotMatch")
	    == 0)
		m = xprintf(_("%s: a signed header did not arrive as signed: "
		    "a proxy on the way drops or rewrites Content-MD5"), text);
	else
		m = xprintf(_("the upload was refused: %s"), text);
	free(text);
	return m;
}

/*
 * verify.upload: W&B's upload path.  A presigned PUT with Content-MD5,
 * to the URL W&B presigns (the store's; through W&B's host and its proxy
 * where the store is served there), then a GET of it back; then a PUT
 * whose Content-MD5 does not match its body, which a store that gets the
 * header refuses with BadDigest.  A proxy that drops the header lets it
 * through (wandb/wandb #1543: a proxy not forwarding the headers of
 * uploads to the store).  Both objects are deleted.
 */
static void
check_upload(struct vctx *v, struct s3 *s, const char *target,
    const char *key)
{
	unsigned char data[PROBE_BYTES], other[PROBE_BYTES];
	struct s3_resp r;
	char *md5, *bad, *url, *cause = NULL, *via, *why = NULL, *path;
	char *hint = NULL, *text;
	enum check_status st = CHECK_FAIL;
	int dropped = 0;

	if (RAND_bytes(data, sizeof data) != 1 ||
	    RAND_bytes(other, sizeof other) != 1)
		abort();
	md5 = s3_content_md5(data, sizeof data);
	bad = s3_content_md5(other, sizeof other);
	via = strcasecmp(s->conf->host != NULL ? s->conf->host : "",
	    v->fqdn) == 0 ? xprintf(_("through %s (W&B's host)"), s->base) :
	    xprintf(_("to the store at %s"), s->base);
	if (upload_put(s, key, data, sizeof data, md5, &r, &cause) != 0)
		why = cause;
	else if (r.status != 200) {
		why = upload_refused(&r);
		hint = xstrdup(_("let the proxy pass every request header to "
		    "the store unchanged, Content-MD5 included, and the body "
		    "as it is (nginx: no proxy_set_header for it)"));
		s3_resp_free(&r);
	} else {
		s3_resp_free(&r);
		url = presign_url(s->conf, "GET", key, 300, time(NULL),
		    &cause);
		if (url == NULL || s3_fetch(s, "GET", url, NULL, 0, NULL, &r,
		    &cause) != 0)
			why = cause;
		else {
			if (r.status != 200 || r.len != sizeof data ||
			    memcmp(r.body, data, sizeof data) != 0)
				why = xprintf(_("what was read back (HTTP %ld, "
				    "%zu bytes) is not what was put"),
				    r.status, r.len);
			s3_resp_free(&r);
		}
		free(url);
	}
	if (why == NULL && upload_put(s, key, data, sizeof data, bad, &r,
	    &cause) == 0) {
		if (r.status == 200) {
			dropped = 1;
			why = xstrdup(_("the store took a PUT whose Content-MD5 "
			    "does not match its body: the header did not reach "
			    "it, and W&B's uploads go unchecked or fail"));
			hint = xstrdup(_("let the proxy pass Content-MD5 to the "
			    "store (nginx: remove proxy_set_header Content-MD5 "
			    "\"\"); if nothing is between, the store does not "
			    "check Content-MD5"));
		} else if (r.code == NULL || (strcmp(r.code, "BadDigest") != 0
		    && strcmp(r.code, "InvalidDigest") != 0)) {
			st = CHECK_WARN;
			text = s3_error_text(&r);
			why = xprintf(_("a PUT with a wrong Content-MD5 got %s, "
			    "not BadDigest"), text);
			free(text);
		} else
			st = CHECK_PASS;
		s3_resp_free(&r);
	} else if (why == NULL)
		why = cause;
	if (st == CHECK_PASS)
		checks_add(v->l, target, "verify.upload", CHECK_PASS, _("kept"),
		    _("Content-MD5 kept"), NULL, _("a presigned PUT with "
		    "Content-MD5 went %s and read back the same; a wrong digest "
		    "was refused"), via);
	else
		checks_add(v->l, target, "verify.upload", st, dropped ?
		    _("dropped") : NULL, _("Content-MD5 kept"), hint,
		    _("a presigned PUT with Content-MD5 %s: %s"), via, why);
	path = s3_path(s->conf->bucket, key);
	cause = NULL;
	if (s3_request(s, "DELETE", path, NULL, NULL, 0, NULL, &r,
	    &cause) == 0)
		s3_resp_free(&r);
	free(cause);
	free(path);
	free(why);
	free(hint);
	free(via);
	free(bad);
	free(md5);
}

/* The bucket: the CORS preflight, a presigned round trip, the upload
 * path; the objects are deleted. */
static void
check_bucket(struct vctx *v)
{
	struct storage_conf c;
	struct s3 s;
	struct s3_resp r;
	unsigned char data[PROBE_BYTES], rnd[8];
	char *cause = NULL, *target, *key, *key2, *path, *url;
	char hexs[17];
	int ok;

	if (strcmp(answers_get(v->a, "storage.provider"), "s3") != 0) {
		checks_add(v->l, "storage", "verify.cors", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: only S3-compatible stores are "
		    "checked"));
		checks_add(v->l, "storage", "verify.presign", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: only S3-compatible stores are "
		    "checked"));
		checks_add(v->l, "storage", "verify.upload", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: only S3-compatible stores are "
		    "checked"));
		return;
	}
	if (storage_conf_resolve(v->a, &c, &cause) != 0) {
		checks_add(v->l, "storage", "verify.cors", CHECK_FAIL, NULL,
		    NULL, NULL, "%s", cause);
		free(cause);
		return;
	}
	s3_init(&s, &c);
	s.connect_to = v->connect_to;
	/* --ca-file is W&B's CA: the store's too when W&B's host serves it. */
	if (c.host != NULL && strcasecmp(c.host, v->fqdn) == 0)
		s.ca_file = v->o->ca_file;
	target = xprintf("s3://%s/%s", s.hostport, c.bucket);
	if (RAND_bytes(rnd, sizeof rnd) != 1 ||
	    RAND_bytes(data, sizeof data) != 1)
		abort();
	hex_encode(rnd, sizeof rnd, hexs);
	key = xprintf("%s%swbinstall-verify-%s", c.path, *c.path != '\0' ?
	    "/" : "", hexs);
	key2 = xprintf("%s-upload", key);
	path = s3_path(c.bucket, key);
	url = xprintf("%s%s", s.base, path);
	check_cors(v, &s, target, url);
	free(url);

	url = presign_url(&c, "PUT", key, 300, time(NULL), &cause);
	ok = url != NULL && s3_fetch(&s, "PUT", url, data, sizeof data, NULL,
	    &r, &cause) == 0;
	free(url);
	if (ok) {
		ok = r.status == 200;
		s3_resp_free(&r);
		url = presign_url(&c, "GET", key, 300, time(NULL), &cause);
		ok = ok && url != NULL && s3_fetch(&s, "GET", url, NULL, 0,
		    NULL, &r, &cause) == 0;
		free(url);
		if (ok) {
			ok = r.status == 200 && r.len == sizeof data &&
			    memcmp(r.body, data, sizeof data) == 0;
			s3_resp_free(&r);
		}
	}
	if (ok)
		checks_add(v->l, target, "verify.presign", CHECK_PASS,
		    _("PUT, GET, same bytes"), NULL, NULL, _("a presigned "
		    "round trip of %d bytes worked"), PROBE_BYTES);
	else
		checks_add(v->l, target, "verify.presign", CHECK_FAIL, NULL,
		    NULL, _("wbinstall preflight --checks storage says more"),
		    _("the presigned round trip failed%s%s"), cause != NULL ?
		    ": " : "", cause != NULL ? cause : "");
	free(cause);
	cause = NULL;
	if (s3_request(&s, "DELETE", path, NULL, NULL, 0, NULL, &r,
	    &cause) == 0)
		s3_resp_free(&r);
	free(cause);
	check_upload(v, &s, target, key2);
	free(path);
	free(key2);
	free(key);
	free(target);
	s3_free(&s);
	storage_conf_free(&c);
}

/* PART of U (lower-cased for the scheme and the host), or "". */
static char *
origin_part(CURLU *u, CURLUPart part)
{
	char *v = NULL, *r, *p;

	if (curl_url_get(u, part, &v, part == CURLUPART_PORT ?
	    CURLU_DEFAULT_PORT : 0) != CURLUE_OK || v == NULL)
		return xstrdup("");
	r = xstrdup(v);
	curl_free(v);
	if (part == CURLUPART_SCHEME || part == CURLUPART_HOST)
		for (p = r; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	return r;
}

int
verify_origin_cmp(const char *origin, const char *host, char **why)
{
	static const struct {
		CURLUPart part;
		const char *name;
	} parts[] = {
		{ CURLUPART_SCHEME, N_("scheme") },
		{ CURLUPART_HOST, N_("host") },
		{ CURLUPART_PORT, N_("port") },
		{ CURLUPART_PATH, N_("path") },
	};
	CURLU *u[2] = { curl_url(), curl_url() };
	const char *in[2] = { origin, host };
	char *v[2];
	size_t i, k;
	int rc = 0;

	*why = NULL;
	for (k = 0; k < 2; k++)
		if (u[k] == NULL)
			abort();
	for (k = 0; k < 2 && *why == NULL; k++)
		if (curl_url_set(u[k], CURLUPART_URL, in[k], 0) != CURLUE_OK)
			*why = xprintf(_("%s is not a URL"), in[k]);
	for (i = 0; *why == NULL && i < sizeof parts / sizeof parts[0]; i++) {
		for (k = 0; k < 2; k++) {
			v[k] = origin_part(u[k], parts[i].part);
			if (parts[i].part == CURLUPART_PATH &&
			    strcmp(v[k], "/") == 0)
				v[k][0] = '\0';
		}
		if (strcmp(v[0], v[1]) != 0)
			*why = xprintf(_("its %s is '%s', the browser's is '%s'"),
			    _(parts[i].name), v[1], v[0]);
		free(v[0]);
		free(v[1]);
	}
	if (*why != NULL)
		rc = -1;
	curl_url_cleanup(u[0]);
	curl_url_cleanup(u[1]);
	return rc;
}

/*
 * verify.host: the global.host the render gives W&B (wandb.env's HOST on
 * bare metal) must be the origin users type, scheme and port included:
 * W&B builds its links, redirects and the origin its uploads are allowed
 * from with it, and one that differs from the browser's leaves the UI
 * "Unable to reach the backend api" (wandb/server #37 and #46).
 */
static void
check_global_host(struct vctx *v)
{
	const char *platform = answers_get(v->a, "deployment.platform");
	const char *name = strcmp(platform, "baremetal") == 0 ? "HOST" :
	    "global.host";
	char *host, *why;

	if (strcmp(platform, "aws-terraform") == 0) {
		checks_add(v->l, v->target, "verify.host", CHECK_SKIP, NULL,
		    v->target, NULL, _("not run: the Terraform module sets "
		    "W&B's host"));
		return;
	}
	host = render_origin(v->a);
	if (verify_origin_cmp(v->target, host, &why) == 0)
		checks_add(v->l, v->target, "verify.host", CHECK_PASS, host,
		    v->target, NULL, _("%s is the URL users type"), name);
	else {
		checks_add(v->l, v->target, "verify.host", CHECK_FAIL, host,
		    v->target, _("set it to the URL users type in the browser, "
		    "scheme and port included, and render again"),
		    _("%s is not the URL users type: %s"), name, why);
		free(why);
	}
	free(host);
}

int
verify_wandb_line(const char *line, enum check_status *st, char **id,
    char **text)
{
	static const struct { const char *mark; enum check_status st; }
	    marks[] = { { "✅", CHECK_PASS }, { "❌", CHECK_FAIL },
	    { "⚠", CHECK_WARN } };
	const char *m = NULL, *end;
	char *slug, *p;
	size_t i, n;

	for (i = 0; i < sizeof marks / sizeof marks[0] && m == NULL; i++)
		if ((m = strstr(line, marks[i].mark)) != NULL)
			*st = marks[i].st;
	if (m == NULL)
		return 0;
	end = m;
	while (end > line && (end[-1] == '.' || end[-1] == ' '))
		end--;
	while (*line == ' ')
		line++;
	if (end <= line)
		return 0;
	*text = xstrndup(line, (size_t)(end - line));
	n = strncmp(*text, "Checking ", 9) == 0 ? 9 : 0;
	slug = xstrdup(*text + n);
	for (p = slug; *p != '\0'; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower((unsigned
		    char)*p) : '_';
	for (p = slug; (p = strstr(p, "__")) != NULL;)
		memmove(p, p + 1, strlen(p));
	if (strlen(slug) > 40)
		slug[40] = '\0';
	while (*slug != '\0' && slug[strlen(slug) - 1] == '_')
		slug[strlen(slug) - 1] = '\0';
	*id = xprintf("wandb.%s", slug);
	free(slug);
	return 1;
}

static void
check_wandb(struct vctx *v, int *status)
{
	struct runner local, *r = v->o->run;
	struct run_result res;
	const char *argv[] = { "wandb", "verify", "--host", v->target, NULL };
	enum check_status st;
	char *cause = NULL, *line, *save = NULL, *id, *text, *tail, *obs;
	char *hint;
	int have, n = 0;

	if (r == NULL) {
		runner_local(&local, NULL);
		r = &local;
	}
	have = runner_have(r, "wandb", &cause);
	if (have != 1) {
		hint = xprintf(_("pip install wandb; wandb login --host=%s; "
		    "then wbinstall verify again"), v->target);
		checks_add(v->l, r->where, "wandb.verify", CHECK_SKIP,
		    _("absent"), NULL, hint, _("the wandb CLI is not on %s%s%s, so `wandb verify` did "
		    "not run"), r->where, cause != NULL ? ": " : "",
		    cause != NULL ? cause : "");
		free(hint);
		free(cause);
		goto out;
	}
	if (runner_run(r, argv, NULL, 0, NULL, WANDB_TIMEOUT_MS, &res,
	    &cause) != 0) {
		checks_add(v->l, r->where, "wandb.verify", CHECK_FAIL, NULL,
		    "0", NULL, "%s", cause);
		free(cause);
		run_result_free(&res);
		goto out;
	}
	*status = res.status;
	for (line = strtok_r(res.out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (!verify_wandb_line(line, &st, &id, &text))
			continue;
		checks_add(v->l, r->where, id, st, NULL, NULL, NULL, "%s",
		    text);
		n++;
		free(id);
		free(text);
	}
	obs = xprintf(_("exit %d"), res.status);
	tail = runner_tail(res.err, 3);
	if (res.status == 0)
		checks_add(v->l, r->where, "wandb.verify", CHECK_PASS, obs,
		    _("exit 0"), NULL, _("wandb verify passed (%d checks)"), n);
	else
		checks_add(v->l, r->where, "wandb.verify", CHECK_FAIL, obs,
		    _("exit 0"), _("the checks marked ✘ above say what; "
		    "run wandb verify by hand for its full output"),
		    _("wandb verify exited with status %d%s%s"), res.status,
		    *tail != '\0' ? ": " : "", tail);
	free(tail);
	free(obs);
	run_result_free(&res);
out:
	if (r == &local)
		runner_close(&local);
}

void
verify_opts_from_flags(const struct run_flags *f, struct runner *run,
    struct verify_opts *o)
{
	memset(o, 0, sizeof *o);
	o->ca_file = f->ca_file;
	o->connect_to = f->connect_to;
	o->wandb = !f->no_wandb;
	o->run = run;
}

void
verify_run(const struct answers *a, const struct verify_opts *o,
    struct check_list *l, int *wandb_status)
{
	struct vctx v;

	memset(&v, 0, sizeof v);
	v.a = a;
	v.o = o;
	v.l = l;
	v.fqdn = answers_get(a, "domain.fqdn");
	v.target = xprintf("https://%s", v.fqdn);
	*wandb_status = -1;
	check_dns(&v);
	check_global_host(&v);
	check_http(&v);
	check_bucket(&v);
	if (o->wandb)
		check_wandb(&v, wandb_status);
	curl_slist_free_all(v.connect_to);
	free(v.target);
}
