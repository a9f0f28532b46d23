/* wbinstall verify: our own checks (libcurl, libcrypto), then wandb verify. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
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

#include "i18n.h"
#include "log.h"
#include "presign.h"
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

/* The bucket: a CORS preflight from the W&B origin, then a presigned
 * PUT and GET of random bytes, and the object deleted. */
static void
check_bucket(struct vctx *v)
{
	struct storage_conf c;
	struct s3 s;
	struct s3_resp r;
	unsigned char data[PROBE_BYTES], rnd[8];
	const char *hdr[4];
	char *cause = NULL, *target, *key, *path, *url, *origin, *allow;
	char hexs[17];
	int ok;

	if (strcmp(answers_get(v->a, "storage.provider"), "s3") != 0) {
		checks_add(v->l, "storage", "verify.cors", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: only S3-compatible stores are "
		    "checked"));
		checks_add(v->l, "storage", "verify.presign", CHECK_SKIP, NULL,
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
	target = xprintf("s3://%s/%s", s.hostport, c.bucket);
	if (RAND_bytes(rnd, sizeof rnd) != 1 ||
	    RAND_bytes(data, sizeof data) != 1)
		abort();
	hex_encode(rnd, sizeof rnd, hexs);
	key = xprintf("%s%swbinstall-verify-%s", c.path, *c.path != '\0' ?
	    "/" : "", hexs);
	path = s3_path(c.bucket, key);
	origin = xprintf("Origin: https://%s", v->fqdn);
	hdr[0] = origin;
	hdr[1] = "Access-Control-Request-Method: PUT";
	hdr[2] = "Access-Control-Request-Headers: content-type";
	hdr[3] = NULL;
	url = xprintf("%s%s", s.base, path);
	if (s3_fetch(&s, "OPTIONS", url, NULL, 0, hdr, &r, &cause) != 0) {
		checks_add(v->l, target, "verify.cors", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		free(cause);
		cause = NULL;
	} else {
		allow = s3_resp_header(&r, "Access-Control-Allow-Origin");
		ok = r.status == 200 && allow != NULL &&
		    (strcmp(allow, "*") == 0 || strcmp(allow, origin + 8) == 0);
		checks_add(v->l, target, "verify.cors", ok ? CHECK_PASS :
		    CHECK_FAIL, allow != NULL ? allow : "", origin + 8, ok ?
		    NULL : _("apply the bucket CORS policy (wbinstall render "
		    "writes storage/cors.xml)"), ok ? _("a browser may PUT "
		    "from %s") : _("a browser PUT from %s is refused"),
		    origin + 8);
		free(allow);
		s3_resp_free(&r);
	}
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
	free(origin);
	free(path);
	free(key);
	free(target);
	s3_free(&s);
	storage_conf_free(&c);
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
	check_http(&v);
	check_bucket(&v);
	if (o->wandb)
		check_wandb(&v, wandb_status);
	curl_slist_free_all(v.connect_to);
	free(v.target);
}
