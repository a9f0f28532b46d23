/*
 * Preflight family "storage": the object store for real.
 *   storage.connect  the endpoint answers (TLS verified with tls: true)
 *   storage.bucket   the bucket exists and the keys work (SigV4)
 *   storage.cors     the policy render writes is applied, read back and
 *                    preflighted; a foreign origin is refused
 *   storage.presign  presigned PUT, presigned GET of the same bytes, delete
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "answers-resolve.h"
#include "check.h"
#include "cors.h"
#include "i18n.h"
#include "preflight.h"
#include "presign.h"
#include "s3.h"
#include "storage-url.h"
#include "util.h"
#include "xmalloc.h"

#define PROBE_SIZE	4096
#define PROBE_EXPIRES	300
#define FOREIGN_ORIGIN	"https://foreign-origin.invalid"

static const char *const storage_ids[] = { "storage.connect",
	"storage.bucket", "storage.cors", "storage.presign", NULL };

/* Skip every check from FROM on, with one reason. */
static void
skip_rest(struct check_list *l, const char *target, const char *from,
    const char *why)
{
	size_t i;
	int on = 0;

	for (i = 0; storage_ids[i] != NULL; i++) {
		if (strcmp(storage_ids[i], from) == 0)
			on = 1;
		if (on)
			checks_add(l, target, storage_ids[i], CHECK_SKIP, NULL,
			    NULL, NULL, "%s", why);
	}
}

static void
progress(const struct preflight_opts *o, const char *target, const char *what)
{
	if (o != NULL && o->progress != NULL)
		o->progress(o->progress_arg, target, what);
}

static int
cancelled(const struct preflight_opts *o)
{
	return o != NULL && o->cancel != NULL && *o->cancel;
}

/* A fail check from an S3 error response. */
static void
fail_resp(struct check_list *l, const char *target, const char *id,
    const char *what, const struct s3_resp *r)
{
	char *text = s3_error_text(r), *code;
	const char *hint = s3_error_hint(r->code);

	code = r->code != NULL ? xstrdup(r->code) : xprintf("HTTP %ld",
	    r->status);
	checks_add(l, target, id, CHECK_FAIL, code, NULL, hint, "%s: %s", what,
	    text);
	free(code);
	free(text);
}

static int
check_bucket(struct s3 *s, const struct storage_conf *c, const char *target,
    const struct preflight_opts *o, struct check_list *l)
{
	struct s3_resp r;
	char *path = xprintf("/%s", c->bucket), *cause = NULL, *body = NULL;
	int ok = 0;

	if (s3_request(s, "GET", path, "max-keys=1", NULL, 0, NULL, &r,
	    &cause) != 0) {
		checks_add(l, target, "storage.connect", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		skip_rest(l, target, "storage.bucket", _("not run: the "
		    "endpoint does not answer"));
		free(cause);
		free(path);
		return 0;
	}
	checks_add(l, target, "storage.connect", CHECK_PASS, c->tls ?
	    _("https, certificate verified") : "http", NULL, NULL,
	    _("%s answers"), s->base);
	if (r.status == 200) {
		checks_add(l, target, "storage.bucket", CHECK_PASS, _("exists"),
		    NULL, NULL, _("bucket %s exists and the keys can list it"),
		    c->bucket);
		ok = 1;
	} else if (r.code != NULL && strcmp(r.code, "NoSuchBucket") == 0 &&
	    o != NULL && o->create_bucket) {
		s3_resp_free(&r);
		if (strcmp(c->region, "us-east-1") != 0)
			body = xprintf("<CreateBucketConfiguration xmlns=\"http://"
			    "s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint"
			    ">%s</LocationConstraint></CreateBucketConfiguration>",
			    c->region);
		if (s3_request(s, "PUT", path, NULL, body, body != NULL ?
		    strlen(body) : 0, NULL, &r, &cause) != 0) {
			checks_add(l, target, "storage.bucket", CHECK_FAIL,
			    NULL, NULL, NULL, "%s", cause);
			free(cause);
		} else if (r.status == 200) {
			checks_add(l, target, "storage.bucket", CHECK_PASS,
			    _("created"), NULL, NULL, _("bucket %s created"),
			    c->bucket);
			ok = 1;
		} else
			fail_resp(l, target, "storage.bucket",
			    _("cannot create the bucket"), &r);
		free(body);
	} else
		fail_resp(l, target, "storage.bucket", _("cannot list the "
		    "bucket"), &r);
	s3_resp_free(&r);
	free(path);
	return ok != 0;
}

/*
 * Send a CORS preflight for METHOD from ORIGIN to URL.  Returns 1 when it
 * is allowed, 0 when refused, -1 with *cause when nothing answered.
 */
static int
preflight_cors(struct s3 *s, const char *url, const char *origin,
    const char *method, char **cause)
{
	const char *headers[4];
	struct s3_resp r;
	char *h0, *h1, *allow, *methods;
	int ok;

	h0 = xprintf("Origin: %s", origin);
	h1 = xprintf("Access-Control-Request-Method: %s", method);
	headers[0] = h0;
	headers[1] = h1;
	headers[2] = "Access-Control-Request-Headers: content-type";
	headers[3] = NULL;
	if (s3_fetch(s, "OPTIONS", url, NULL, 0, headers, &r, cause) != 0) {
		free(h0);
		free(h1);
		return -1;
	}
	allow = s3_resp_header(&r, "Access-Control-Allow-Origin");
	methods = s3_resp_header(&r, "Access-Control-Allow-Methods");
	ok = r.status == 200 && allow != NULL && (strcmp(allow, "*") == 0 ||
	    strcmp(allow, origin) == 0) && (methods == NULL ||
	    strstr(methods, method) != NULL);
	free(allow);
	free(methods);
	free(h0);
	free(h1);
	s3_resp_free(&r);
	return ok;
}

/* Every rule of cors_xml() must come back from GetBucketCors. */
static int
cors_read_back(const char *xml, const char *origin)
{
	static const char *const methods[] = { "GET", "PUT", "HEAD", NULL };
	char *want;
	size_t i;
	int ok;

	want = xprintf("<AllowedOrigin>%s</AllowedOrigin>", origin);
	ok = strstr(xml, want) != NULL;
	free(want);
	for (i = 0; ok && methods[i] != NULL; i++) {
		want = xprintf("<AllowedMethod>%s</AllowedMethod>", methods[i]);
		ok = strstr(xml, want) != NULL;
		free(want);
	}
	return ok;
}

static void
check_cors(struct s3 *s, const struct storage_conf *c, const char *fqdn,
    const char *key, const char *target, struct check_list *l)
{
	static const char *const methods[] = { "PUT", "GET", NULL };
	const char *headers[2];
	struct s3_resp r;
	char *origin = xprintf("https://%s", fqdn), *xml = cors_xml(origin);
	char *path = xprintf("/%s", c->bucket), *md5, *h, *cause = NULL;
	char *objpath = s3_path(c->bucket, key), *url;
	size_t i;
	int rc;

	md5 = s3_content_md5(xml, strlen(xml));
	h = xprintf("Content-MD5: %s", md5);
	headers[0] = h;
	headers[1] = NULL;
	url = xprintf("%s%s", s->base, objpath);
	if (s3_request(s, "PUT", path, "cors", xml, strlen(xml), headers, &r,
	    &cause) != 0)
		goto transport;
	if (r.status != 200) {
		fail_resp(l, target, "storage.cors", _("PutBucketCors was "
		    "refused"), &r);
		goto out;
	}
	s3_resp_free(&r);
	if (s3_request(s, "GET", path, "cors", NULL, 0, NULL, &r,
	    &cause) != 0)
		goto transport;
	if (r.status != 200) {
		fail_resp(l, target, "storage.cors", _("GetBucketCors was "
		    "refused"), &r);
		goto out;
	}
	if (!cors_read_back(r.body, origin)) {
		checks_add(l, target, "storage.cors", CHECK_FAIL,
		    _("policy differs"), origin, _("the store accepted the "
		    "policy but changed it: check its CORS support"),
		    _("the CORS policy read back does not allow %s to GET, "
		    "PUT and HEAD"), origin);
		goto out;
	}
	for (i = 0; methods[i] != NULL; i++) {
		rc = preflight_cors(s, url, origin, methods[i], &cause);
		if (rc == -1)
			goto transport;
		if (rc == 0) {
			checks_add(l, target, "storage.cors", CHECK_FAIL,
			    _("preflight refused"), origin, _("the policy is "
			    "stored but not enforced as written: check the "
			    "store's CORS support or a proxy in front of it"),
			    _("a browser preflight for %s from %s was refused"),
			    methods[i], origin);
			goto out;
		}
	}
	rc = preflight_cors(s, url, FOREIGN_ORIGIN, "PUT", &cause);
	if (rc == -1)
		goto transport;
	if (rc == 1)
		checks_add(l, target, "storage.cors", CHECK_WARN,
		    _("any origin allowed"), origin, _("restrict the bucket's "
		    "CORS policy to the W&B origin"), _("a preflight from the "
		    "foreign origin %s was allowed too"), FOREIGN_ORIGIN);
	else
		checks_add(l, target, "storage.cors", CHECK_PASS,
		    _("applied, preflighted"), origin, NULL,
		    _("CORS allows PUT and GET from %s and refuses %s"), origin,
		    FOREIGN_ORIGIN);
	goto out;
transport:
	checks_add(l, target, "storage.cors", CHECK_FAIL, NULL, origin, NULL,
	    "%s", cause);
	free(cause);
out:
	s3_resp_free(&r);
	free(url);
	free(objpath);
	free(h);
	free(md5);
	free(path);
	free(xml);
	free(origin);
}

static void
check_presign(struct s3 *s, const struct storage_conf *c, const char *key,
    const char *target, struct check_list *l)
{
	unsigned char data[PROBE_SIZE];
	struct s3_resp r;
	char *url, *cause = NULL, *path = s3_path(c->bucket, key);
	const char *step;

	memset(&r, 0, sizeof r);
	if (RAND_bytes(data, sizeof data) != 1)
		abort();
	step = _("presigned PUT");
	url = presign_url(c, "PUT", key, PROBE_EXPIRES, time(NULL), &cause);
	if (url == NULL || s3_fetch(s, "PUT", url, data, sizeof data, NULL,
	    &r, &cause) != 0)
		goto fail;
	if (r.status != 200)
		goto refused;
	s3_resp_free(&r);
	free(url);

	step = _("presigned GET");
	url = presign_url(c, "GET", key, PROBE_EXPIRES, time(NULL), &cause);
	if (url == NULL || s3_fetch(s, "GET", url, NULL, 0, NULL, &r,
	    &cause) != 0)
		goto fail;
	if (r.status != 200)
		goto refused;
	if (r.len != sizeof data || memcmp(r.body, data, sizeof data) != 0) {
		checks_add(l, target, "storage.presign", CHECK_FAIL,
		    _("different bytes"), NULL, _("check proxies or "
		    "transforming gateways in front of the store"),
		    _("the presigned GET returned %zu bytes that differ from "
		    "the %d bytes written"), r.len, PROBE_SIZE);
		goto delete;
	}
	checks_add(l, target, "storage.presign", CHECK_PASS,
	    _("PUT, GET, same bytes"), NULL, NULL, _("a presigned PUT and a "
	    "presigned GET of %d random bytes round-tripped"), PROBE_SIZE);
	goto delete;

refused:
	fail_resp(l, target, "storage.presign", step, &r);
	goto delete;
fail:
	checks_add(l, target, "storage.presign", CHECK_FAIL, NULL, NULL, NULL,
	    "%s: %s", step, cause);
	free(cause);
delete:
	free(url);
	s3_resp_free(&r);
	cause = NULL;
	if (s3_request(s, "DELETE", path, NULL, NULL, 0, NULL, &r,
	    &cause) != 0)
		free(cause);
	s3_resp_free(&r);
	free(path);
}

/* The key of the probe object, under storage.path. */
static char *
probe_key(const struct storage_conf *c)
{
	unsigned char rnd[8];
	char hexs[17];

	if (RAND_bytes(rnd, sizeof rnd) != 1)
		abort();
	hex_encode(rnd, sizeof rnd, hexs);
	return xprintf("%s%swbinstall-preflight-%s", c->path != NULL ?
	    c->path : "", c->path != NULL && *c->path != '\0' ? "/" : "",
	    hexs);
}

static void
preflight_storage_run(const struct answers *a, const struct preflight_opts *o,
    struct check_list *l)
{
	const char *provider = answers_get(a, "storage.provider");
	struct storage_conf c;
	struct s3 s;
	char *cause = NULL, *target, *key, *why;

	if (strcmp(provider, "s3") != 0) {
		target = xprintf("%s://%s", provider,
		    answers_get(a, "storage.bucket"));
		why = xprintf(_("not run: storage.provider is %s, and "
		    "wbinstall checks S3-compatible stores only; check by hand "
		    "that the bucket exists, that its CORS policy allows "
		    "https://%s and that signed URLs work"), provider,
		    answers_get(a, "domain.fqdn"));
		skip_rest(l, target, storage_ids[0], why);
		free(why);
		free(target);
		return;
	}
	if (storage_conf_resolve(a, &c, &cause) != 0) {
		checks_add(l, "storage", "storage.connect", CHECK_FAIL, NULL,
		    NULL, NULL, "%s", cause);
		skip_rest(l, "storage", "storage.bucket", _("not run: the "
		    "storage settings do not resolve"));
		free(cause);
		return;
	}
	s3_init(&s, &c);
	target = xprintf("s3://%s/%s", s.hostport, c.bucket);
	progress(o, target, "bucket");
	if (!check_bucket(&s, &c, target, o, l))
		skip_rest(l, target, "storage.cors", _("not run: the bucket "
		    "cannot be used"));
	else if (cancelled(o))
		skip_rest(l, target, "storage.cors", _("cancelled"));
	else {
		key = probe_key(&c);
		progress(o, target, "cors");
		check_cors(&s, &c, answers_get(a, "domain.fqdn"), key, target,
		    l);
		progress(o, target, "presign");
		if (cancelled(o))
			skip_rest(l, target, "storage.presign", _("cancelled"));
		else
			check_presign(&s, &c, key, target, l);
		free(key);
	}
	free(target);
	s3_free(&s);
	storage_conf_free(&c);
}

const struct preflight_family preflight_storage = {
	"storage",
	preflight_storage_run,
};
