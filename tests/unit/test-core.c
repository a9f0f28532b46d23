/* Unit tests of the small core modules: sizing tables, check results, the
 * seed SQL, and the redaction of secrets in every form. */
#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "check.h"
#include "cors.h"
#include "log.h"
#include "mysql-params.h"
#include "preflight.h"
#include "render.h"
#include "sizing.h"
#include "storage-url.h"
#include "support.h"
#include "tap.h"
#include "util.h"
#include "xmalloc.h"

struct scase {
	const char *platform, *products, *env, *role;
	int cores, mem, disk, mbit;
};

static const struct scase scases[] = {
	{ "kubernetes", "models", "test", "app", 2, 16, 100, 0 },
	{ "kubernetes", "models", "production", "app", 8, 64, 100, 0 },
	{ "kubernetes", "weave", "test", "app", 4, 32, 100, 0 },
	{ "kubernetes", "weave", "production", "app", 12, 96, 100, 0 },
	{ "kubernetes", "models+weave", "test", "app", 4, 32, 100, 0 },
	{ "kubernetes", "models+weave", "production", "app", 16, 128, 100, 0 },
	{ "kubernetes", "weave", "test", "db", 2, 16, 100, 0 },
	{ "kubernetes", "models", "production", "db", 8, 64, 500, 0 },
	{ "aws-terraform", "models", "production", "app", 8, 64, 100, 0 },
	{ "baremetal", "models", "production", "app", 4, 8, 100, 4750 },
	{ "baremetal", "weave", "test", "db", 4, 32, 1000, 4750 },
	{ "kubernetes", "models", "production", "control", 0, 0, 0, 0 },
};

static void
test_sizing(void)
{
	const struct sizing *s;
	size_t i;

	for (i = 0; i < sizeof scases / sizeof scases[0]; i++) {
		const struct scase *c = &scases[i];

		s = sizing_for(c->platform, c->products, c->env, c->role);
		if (c->cores == 0)
			tap_ok(s == NULL, "sizing %s %s: none", c->platform,
			    c->role);
		else
			tap_ok(s != NULL && s->cores == c->cores &&
			    s->mem_gb == c->mem && s->disk_gb == c->disk &&
			    s->disk_mbit == c->mbit, "sizing %s %s %s %s: %d "
			    "cores, %d GB, %d GB disk", c->platform,
			    c->products, c->env, c->role, c->cores, c->mem,
			    c->disk);
	}
}

static void
test_checks(void)
{
	struct check_list l = { NULL, 0 };
	json_t *root, *sum, *first;
	json_error_t err;
	char *json;

	checks_add(&l, "10.0.0.1:22", "hw.cpu", CHECK_PASS, "16", ">= 8",
	    NULL, "16 cores");
	checks_add(&l, "10.0.0.1:22", "hw.arch", CHECK_FAIL, "aarch64",
	    "x86_64", "W&B runs on x86_64", "ARM is not supported");
	checks_add(&l, "mysql", "mysql.version", CHECK_WARN, "5.7.44",
	    ">= 8.0.28", NULL, "plan the upgrade \"now\"");
	json = checks_json(&l);
	root = json_loads(json, 0, &err);
	sum = json_object_get(root, "summary");
	first = json_array_get(json_object_get(root, "checks"), 1);
	tap_ok(root != NULL && json_integer_value(json_object_get(sum,
	    "pass")) == 1 && json_integer_value(json_object_get(sum, "fail"))
	    == 1 && json_integer_value(json_object_get(sum, "warn")) == 1,
	    "checks JSON summary counts");
	tap_ok(first != NULL && strcmp(json_string_value(json_object_get(
	    first, "status")), "fail") == 0 && strcmp(json_string_value(
	    json_object_get(first, "observed")), "aarch64") == 0 &&
	    strcmp(json_string_value(json_object_get(first, "target")),
	    "10.0.0.1:22") == 0, "checks JSON rows carry target, status and "
	    "observed");
	tap_ok(checks_exit_code(&l) == 1, "a failed check gives exit 1");
	json_decref(root);
	free(json);
	checks_free(&l);
	tap_ok(checks_exit_code(&l) == 0, "no checks give exit 0");
}

static void
test_sql_and_cors(void)
{
	char *sql, *xml;

	sql = mysql_bootstrap_sql("wandb_local", "wandb_local", "a'b\\c", 0);
	tap_ok(strcmp(sql, "SET SESSION sql_mode = TRIM(BOTH ',' FROM "
	    "CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES'));\n"
	    "CREATE USER 'wandb_local'@'%' IDENTIFIED BY "
	    "'a''b\\c';\nCREATE DATABASE `wandb_local` CHARACTER SET "
	    "utf8mb4 COLLATE utf8mb4_general_ci;\nGRANT ALL ON `wandb_local`.* "
	    "TO 'wandb_local'@'%' WITH GRANT OPTION;\n") == 0,
	    "bootstrap SQL is the seed's, in NO_BACKSLASH_ESCAPES, with the "
	    "password's quote doubled");
	free(sql);
	sql = mysql_bootstrap_sql("d`b", "u'x", "p", 0);
	tap_ok(strstr(sql, "CREATE USER 'u''x'@'%'") != NULL &&
	    strstr(sql, "GRANT ALL ON `d``b`.* TO 'u''x'@'%'") != NULL,
	    "bootstrap SQL doubles a backtick in the database, a quote in the "
	    "user");
	free(sql);
	sql = mysql_bootstrap_sql("db", "u", "p", 1);
	tap_ok(strstr(sql, "CREATE USER IF NOT EXISTS") != NULL &&
	    strstr(sql, "CREATE DATABASE IF NOT EXISTS") != NULL,
	    "the idempotent bootstrap uses IF NOT EXISTS");
	free(sql);
	xml = cors_xml("https://a.example.com/?x=<&>");
	tap_ok(strstr(xml, "<AllowedOrigin>https://a.example.com/?x=&lt;&amp;"
	    "&gt;</AllowedOrigin>") != NULL && strstr(xml,
	    "<ExposeHeader>ETag</ExposeHeader>") != NULL,
	    "CORS XML escapes the origin and exposes ETag");
	free(xml);
	tap_ok(strcmp(mysql_params[5].name, "sort_buffer_size") == 0 &&
	    strcmp(mysql_params[5].value, "67108864") == 0,
	    "sort_buffer_size wants 64 MiB");
}

/* Redaction: hostile secrets, each written in the forms other programs
 * and libraries write it, must leave no distinctive fragment (a run of 5
 * or more letters and digits) in the log, nor in the support bundle's
 * redactor, even base64-decoded from any offset. */
static const char *const hostile[] = {
	"Qq'pass'word7-hx00tok",
	"back\\slash\\'hx01tok\\",
	"dq\"hx02tok\"\\\"end",
	"tab\thx03tok\tx",
	"nl-hx04tok\nsecond-hx04two\n\nthird-hx04thr",
	"cr-hx05tok\r\nhx05two-crlf",
	"unicode-\xed\x95\x9c\xea\xb8\x80-hx06tok-\xcf\x80-\xf0\x9f\x94\x91",
	"pct%41%-hx07tok@host:pw/x?y=z&w#f+%20",
	"aHgwOXRvaw==hx09tokQUJDREVGRw==",
	"- &a *b {x: [y]} # hx10tok --- ...",
	"x\\' ; CREATE DATABASE hx11tok; -- ",
	"'\"\\ ${hx12tok} $(id) `hx12two`",
	"{\"hx13tok\": \"\\u0041\", \"k\": [1]}",
};

/* Does any fragment of SECRET occur in TEXT, as is or in a base64 run
 * decoded from any of its offsets? */
static int
has_fragment(const char *secret, const char *text)
{
	const char *p, *q, *r;
	unsigned char dec[4096];
	char frag[64], run[4096];
	size_t n, off, len;
	int d;

	for (p = secret; *p != '\0'; p = q) {
		while (*p != '\0' && !isalnum((unsigned char)*p))
			p++;
		for (q = p; isalnum((unsigned char)*q); q++)
			;
		if (q - p < 5 || (size_t)(q - p) >= sizeof frag)
			continue;
		memcpy(frag, p, (size_t)(q - p));
		frag[q - p] = '\0';
		if (strcmp(frag, "CREATE") == 0 ||
		    strcmp(frag, "DATABASE") == 0)
			continue;
		if (strstr(text, frag) != NULL)
			return 1;
		for (r = text; *r != '\0'; r += n) {
			n = strspn(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
			    "opqrstuvwxyz0123456789+/=");
			if (n == 0) {
				n = 1;
				continue;
			}
			for (off = 0; off < 4 && n - off >= 8 &&
			    n < sizeof run; off++) {
				len = (n - off) / 4 * 4;
				memcpy(run, r + off, len);
				/* Padding inside the run: cut it there. */
				while (len > 0 && strchr(run, '=') != NULL &&
				    strchr(run, '=') < run + len - 2)
					len -= 4;
				if (len == 0)
					continue;
				d = EVP_DecodeBlock(dec, (unsigned char *)run,
				    (int)len);
				if (d > 0 && memmem(dec, (size_t)d, frag,
				    strlen(frag)) != NULL)
					return 1;
			}
		}
	}
	return 0;
}

static char *
b64(const char *prefix, const char *s)
{
	size_t len = strlen(prefix) + strlen(s);
	char *in = xprintf("%s%s", prefix, s);
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (unsigned char *)in, (int)len);
	free(in);
	return out;
}

static char *
sql_backslashed(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (strchr("'\"\\\n\r\032", *s) != NULL) {
			*o++ = '\\';
			*o++ = *s == '\n' ? 'n' : *s == '\r' ? 'r' :
			    *s == '\032' ? 'Z' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

static char *
quote_doubled(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '\'')
			*o++ = '\'';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The secret as a YAML block scalar: each line indented. */
static char *
yaml_block(const char *s)
{
	struct render_buf b = { NULL, 0, 0 };

	render_buf_add(&b, "k: |-\n    ", 10);
	for (; *s != '\0'; s++) {
		render_buf_add(&b, s, 1);
		if (*s == '\n')
			render_buf_add(&b, "    ", 4);
	}
	return b.data;
}

static void
test_redaction(void)
{
	char path[] = "/tmp/wb-test-core.XXXXXX", *cause = NULL;
	char *forms[16], *text, *clean, *logtext, *red;
	struct ynode *y;
	struct redactor r;
	size_t i, k, nf, len, outlen;
	json_t *j;
	int fd, bad_log = 0, bad_support = 0;

	if ((fd = mkstemp(path)) == -1 || log_open(path, &cause) != 0) {
		tap_ok(0, "log: %s", cause != NULL ? cause : "mkstemp");
		return;
	}
	close(fd);
	redactor_init(&r);
	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		const char *s = hostile[i];

		log_add_secret(s);
		redactor_add(&r, s, "test");
		nf = 0;
		forms[nf++] = xstrdup(s);
		forms[nf++] = sql_backslashed(s);
		forms[nf++] = quote_doubled(s);
		j = json_string(s);
		forms[nf++] = json_dumps(j, JSON_ENCODE_ANY);
		forms[nf++] = json_dumps(j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
		json_decref(j);
		y = ynode_new(Y_MAP, NULL, NULL);
		y_str(y, "k", s);
		forms[nf++] = ynode_emit(&y, 1, &len);
		ynode_free(y);
		forms[nf++] = yaml_block(s);
		forms[nf++] = url_encode(s);
		forms[nf++] = b64("", s);
		forms[nf++] = b64("x", s);
		forms[nf++] = b64("{\"auth\":\"", s);
		for (k = 0; k < nf; k++) {
			text = xprintf("before %s after", forms[k]);
			log_info("%s", text);
			clean = log_redact(text);
			if (has_fragment(s, clean)) {
				tap_diag("log, secret %zu, form %zu: %s", i, k,
				    clean);
				bad_log = 1;
			}
			red = redactor_apply(&r, "f", text, strlen(text),
			    &outlen);
			if (has_fragment(s, red)) {
				tap_diag("support, secret %zu, form %zu: %s",
				    i, k, red);
				bad_support = 1;
			}
			free(red);
			free(clean);
			free(text);
			free(forms[k]);
		}
	}
	log_close();
	logtext = read_file(path, 1 << 24, NULL, &cause);
	for (i = 0; logtext != NULL && i < sizeof hostile / sizeof hostile[0];
	    i++)
		if (has_fragment(hostile[i], logtext)) {
			tap_diag("the log file holds a fragment of secret %zu",
			    i);
			bad_log = 1;
		}
	tap_ok(logtext != NULL && !bad_log, "log: %zu hostile secrets, each as "
	    "is, SQL-escaped both ways, JSON, YAML (emitted and a block), "
	    "percent-encoded and base64 at three offsets: no fragment left",
	    sizeof hostile / sizeof hostile[0]);
	tap_ok(!bad_support, "support bundle redactor: the same forms, no "
	    "fragment left");
	free(logtext);
	free(cause);
	redactor_free(&r);
	unlink(path);
}

/* base64url without padding, for the license table. */
static char *
b64url(const char *s)
{
	size_t n = strlen(s), i, j;
	char *out = xmalloc(n * 2 + 8);
	int len = EVP_EncodeBlock((unsigned char *)out,
	    (const unsigned char *)s, (int)n);

	for (i = 0, j = 0; i < (size_t)len; i++) {
		if (out[i] == '=')
			break;
		out[j++] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	}
	out[j] = '\0';
	return out;
}

/* The license family on JWTs made here: expired, expiring, good, and
 * malformed ones; the license's text is in no result. */
static void
test_license(void)
{
	static const time_t now = 1800000000;	/* 2027-01-15 */
	static const struct {
		const char *payload;	/* NULL: use raw */
		const char *raw;
		const char *format, *expiry;
	} cases[] = {
		{ "{\"exp\": 1799000000, \"maxUsers\": 5}", NULL, "pass",
		    "fail" },
		{ "{\"exp\": 1800864000, \"maxUsers\": 5}", NULL, "pass",
		    "warn" },		/* in 10 days */
		{ "{\"exp\": 1831536000, \"maxUsers\": 5}", NULL, "pass",
		    "pass" },		/* in a year */
		{ "{\"maxUsers\": 5}", NULL, "pass", "warn" },
		{ NULL, "onlyone.twoparts", "fail", "skip" },
		{ NULL, "a.b.c.d", "fail", "skip" },
		{ NULL, "eyJhbGciOiJSUzI1NiJ9..c2ln", "fail", "skip" },
		{ NULL, "eyJhbGciOiJSUzI1NiJ9.***.c2ln", "fail", "skip" },
		{ "not json at all", NULL, "fail", "skip" },
		{ "[1, 2]", NULL, "fail", "skip" },
	};
	struct check_list l;
	char *lic, *body, *json;
	const char *f, *e;
	size_t i, k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&l, 0, sizeof l);
		if (cases[i].payload != NULL) {
			body = b64url(cases[i].payload);
			lic = xprintf("eyJhbGciOiJSUzI1NiJ9.%s.c2lnbmF0dXJlLXNl"
			    "Y3JldC1ieXRlcw", body);
			free(body);
		} else
			lic = xstrdup(cases[i].raw);
		preflight_license_check(lic, now, &l);
		f = e = "none";
		for (k = 0; k < l.n; k++) {
			if (strcmp(l.v[k].id, "license.format") == 0)
				f = check_status_name(l.v[k].status);
			if (strcmp(l.v[k].id, "license.expiry") == 0)
				e = check_status_name(l.v[k].status);
		}
		json = checks_json(&l);
		tap_ok(strcmp(f, cases[i].format) == 0 &&
		    strcmp(e, cases[i].expiry) == 0 &&
		    strstr(json, "c2lnbmF0dXJl") == NULL &&
		    (cases[i].payload == NULL || strstr(json, "eyJ") == NULL),
		    "license %zu: format %s, expiry %s; no part of it in the "
		    "results", i, f, e);
		if (i == 2)
			tap_ok(strstr(json, "maxUsers=5") != NULL &&
			    strstr(json, "2028-01-15") != NULL, "the claims and "
			    "the expiry date are reported");
		free(json);
		free(lic);
		checks_free(&l);
	}
}

int
main(void)
{
	test_sizing();
	test_checks();
	test_sql_and_cors();
	test_redaction();
	test_license();
	return tap_done();
}
