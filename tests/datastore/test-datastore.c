/* Unit tests of the datastore checks: tables and pure functions. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "i18n.h"
#include "mysql.h"
#include "presign.h"
#include "s3.h"
#include "tap.h"
#include "xmalloc.h"

static const struct {
	const char *version, *comment;
	enum check_status status;
	const char *needle;
} versions[] = {
	/* W&B's current docs want 8.0.32 (wandb/docs PRs #1850, #2653);
	 * 8.0 reached its end of life in April 2026; the seeds' floor is
	 * 8.0.0. */
	{ "8.0.31", "MySQL Community Server - GPL", CHECK_WARN,
	    "older than 8.0.32" },
	{ "8.0.32", "MySQL Community Server - GPL", CHECK_WARN,
	    "end of life in April 2026; plan the move to 8.4" },
	{ "8.0.40", "MySQL Community Server - GPL", CHECK_WARN,
	    "end of life" },
	{ "8.0.36-0ubuntu0.22.04.1", "(Ubuntu)", CHECK_WARN, "end of life" },
	{ "8.4.3", "MySQL Community Server - GPL", CHECK_PASS, "MySQL 8.4.3" },
	{ "9.1.0", "MySQL Community Server - GPL", CHECK_PASS, "MySQL 9.1.0" },
	{ "8.0.27", "MySQL Community Server - GPL", CHECK_WARN,
	    "older than 8.0.32" },
	{ "8.0.0-dmr", NULL, CHECK_WARN, "older than 8.0.32" },
	{ "8.0.35-27", "Percona Server (GPL), Release 27", CHECK_WARN,
	    "Percona Server 8.0.35-27: MySQL 8.0 reached" },
	{ "8.4.2-2", "Percona Server (GPL), Release 2", CHECK_PASS,
	    "Percona Server 8.4.2-2" },
	{ "8.0.mysql_aurora.3.04.1", "Source distribution", CHECK_WARN,
	    "Aurora MySQL 8.0.mysql_aurora.3.04.1 is older than 8.0.32" },
	{ "8.0.mysql_aurora.3.05.2", "Source distribution", CHECK_WARN,
	    "Aurora MySQL 8.0.mysql_aurora.3.05.2: MySQL 8.0 reached" },
	{ "5.7.44-log", "MySQL Community Server (GPL)", CHECK_FAIL,
	    "older than 8.0.0" },
	{ "10.11.6-MariaDB-0+deb12u1", "Debian 12", CHECK_FAIL,
	    "MariaDB is not MySQL; W&B requires MySQL 8" },
	{ "5.5.5-10.6.16", "mariadb.org binary distribution", CHECK_FAIL,
	    "MariaDB is not MySQL" },
	{ "5.6.51", NULL, CHECK_FAIL, "older than 8.0.0" },
	{ "7.0.1", NULL, CHECK_FAIL, "older than 8.0.0" },
	{ "garbage", NULL, CHECK_FAIL, "cannot read" },
};

static void
test_versions(void)
{
	enum check_status st;
	char *msg;
	size_t i;

	for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		st = db_version_check(versions[i].version, versions[i].comment,
		    &msg);
		tap_ok(st == versions[i].status &&
		    strstr(msg, versions[i].needle) != NULL,
		    "version %s: %s (%s)", versions[i].version,
		    check_status_name(versions[i].status), msg);
		free(msg);
	}
}

static void
test_params(void)
{
	const struct mysql_param *p;
	char *hint;
	size_t n = 0;

	for (p = mysql_params; p->name != NULL; p++, n++) {
		tap_ok(db_param_check(p, p->value) == CHECK_PASS &&
		    db_param_check(p, "0") == CHECK_FAIL &&
		    db_param_check(p, NULL) == CHECK_FAIL,
		    "param %s: %s passes, 0 and unset fail", p->name,
		    p->value);
		hint = db_param_hint(p);
		tap_ok(strstr(hint, "SET PERSIST") != NULL &&
		    strstr(hint, "[mysqld]") != NULL, "param %s hint: %s",
		    p->name, hint);
		free(hint);
	}
	tap_ok(n == 7, "seven parameters (%zu)", n);
	for (p = mysql_params; p->name != NULL; p++)
		if (strcmp(p->name, "sort_buffer_size") == 0)
			break;
	tap_ok(p->name != NULL && db_param_check(p, "33554432") ==
	    CHECK_WARN, "sort_buffer_size 32 MiB (older docs) warns");
	for (p = mysql_params; p->name != NULL; p++)
		if (strcmp(p->name, "binlog_format") == 0)
			break;
	hint = db_param_hint(p);
	tap_ok(db_param_check(p, "row") == CHECK_PASS &&
	    db_param_check(p, "MIXED") == CHECK_FAIL && strcmp(hint,
	    "add \"binlog_format = 'ROW'\" under [mysqld] in my.cnf, or run: "
	    "SET PERSIST binlog_format = 'ROW';") == 0,
	    "binlog_format: case-insensitive, exact my.cnf line (%s)", hint);
	free(hint);
}

static void
test_grants(void)
{
	char *all_db[] = { "GRANT USAGE ON *.* TO `wandb_local`@`%` "
	    "IDENTIFIED BY PASSWORD '*0123'", "GRANT ALL PRIVILEGES ON "
	    "`wandb_local`.* TO `wandb_local`@`%` WITH GRANT OPTION", NULL };
	char *escaped[] = { "GRANT ALL PRIVILEGES ON `wandb\\_local`.* TO "
	    "`wandb_local`@`%`", NULL };
	char *root8[] = { "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, "
	    "RELOAD, SHUTDOWN, PROCESS, FILE, REFERENCES, INDEX, ALTER, SHOW "
	    "DATABASES, SUPER, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, "
	    "REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, "
	    "CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, "
	    "CREATE TABLESPACE, CREATE ROLE, DROP ROLE ON *.* TO "
	    "`root`@`localhost` WITH GRANT OPTION", NULL };
	char *other[] = { "GRANT ALL PRIVILEGES ON `other`.* TO `u`@`%`",
	    "GRANT SELECT, INSERT ON `wandb_local`.* TO `u`@`%`", NULL };
	char *none[] = { "GRANT USAGE ON *.* TO `u`@`%`", NULL };
	char *m;

	m = db_grants_missing(all_db, "wandb_local");
	tap_ok(m == NULL, "grants: ALL on the database");
	free(m);
	m = db_grants_missing(escaped, "wandb_local");
	tap_ok(m == NULL, "grants: ALL on an escaped name");
	free(m);
	m = db_grants_missing(root8, "wandb_local");
	tap_ok(m == NULL, "grants: MySQL 8 root's list on *.*");
	free(m);
	m = db_grants_missing(other, "wandb_local");
	tap_ok(m != NULL && strncmp(m, "UPDATE, DELETE", 14) == 0 &&
	    strstr(m, "SELECT") == NULL, "grants: partial (%s)",
	    m != NULL ? m : "");
	free(m);
	m = db_grants_missing(none, "wandb_local");
	tap_ok(m != NULL && strncmp(m, "SELECT, INSERT", 14) == 0,
	    "grants: USAGE only lacks everything");
	free(m);
}

static void
test_s3(void)
{
	static const char *const codes[] = { "AccessDenied", "NoSuchBucket",
		"SignatureDoesNotMatch", "RequestTimeTooSkewed",
		"InvalidAccessKeyId" };
	static const char *const fix[] = { "s3:PutObject", "--create-bucket",
		"storage.secret_key", "NTP", "storage.access_key" };
	const char *xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket"
	    "</Code><Message>The specified bucket does not exist</Message>"
	    "</Error>";
	struct s3_resp r;
	char *v, *md5;
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		tap_ok(s3_error_hint(codes[i]) != NULL &&
		    strstr(s3_error_hint(codes[i]), fix[i]) != NULL,
		    "%s says what to fix (%s)", codes[i], fix[i]);
	tap_ok(s3_error_hint("SomethingElse") == NULL &&
	    s3_error_hint(NULL) == NULL, "unknown codes have no hint");
	v = s3_xml_tag(xml, "Code");
	tap_ok(v != NULL && strcmp(v, "NoSuchBucket") == 0, "xml: Code");
	free(v);
	tap_ok(s3_xml_tag(xml, "Resource") == NULL, "xml: missing tag");
	memset(&r, 0, sizeof r);
	r.status = 403;
	r.code = "AccessDenied";
	r.message = "Access Denied";
	v = s3_error_text(&r);
	tap_ok(strcmp(v, "AccessDenied: Access Denied") == 0, "error text");
	free(v);
	r.code = r.message = NULL;
	v = s3_error_text(&r);
	tap_ok(strcmp(v, "HTTP 403") == 0, "error text without a body");
	free(v);
	md5 = s3_content_md5("", 0);
	tap_ok(strcmp(md5, "1B2M2Y8AsgTpgAmY7PhCfg==") == 0,
	    "Content-MD5 of nothing");
	free(md5);
	r.headers = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: "
	    "https://w.example.com\r\nvary: Origin\r\n\r\n";
	v = s3_resp_header(&r, "access-control-allow-origin");
	tap_ok(v != NULL && strcmp(v, "https://w.example.com") == 0,
	    "response header, any case");
	free(v);
	tap_ok(s3_resp_header(&r, "Access-Control-Allow-Methods") == NULL,
	    "missing response header");
}

static void
test_presign(void)
{
	/* The example of the S3 docs, "Authenticating Requests: Using Query
	 * Parameters (AWS Signature Version 4)". */
	struct presign p = { "GET", "https", "examplebucket.s3.amazonaws.com",
		"/test.txt", "us-east-1", "AKIAIOSFODNN7EXAMPLE",
		"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 86400, 0, NULL };
	struct storage_conf c;
	char *url, *cause = NULL, *s;
	time_t t;

	tap_ok(presign_parse_time("20130524T000000Z", &t) == 0 &&
	    t == 1369353600, "parse time");
	tap_ok(presign_parse_time("2013-05-24T00:00:00Z", &t) == -1 &&
	    presign_parse_time("20130524T000000", &t) == -1 &&
	    presign_parse_time("20131324T000000Z", &t) == -1,
	    "malformed times are refused");
	presign_parse_time("20130524T000000Z", &p.at);
	url = presign_v4(&p);
	tap_ok(strcmp(url, "https://examplebucket.s3.amazonaws.com/test.txt?"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
	    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
	    "&X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
	    == 0, "the S3 docs' presigned URL example");
	free(url);

	s = s3_path("bkt", "a b/+~%/\xc3\xbc//x");
	tap_ok(strcmp(s, "/bkt/a%20b/%2B~%25/%C3%BC//x") == 0,
	    "path encoding (%s)", s);
	free(s);

	memset(&c, 0, sizeof c);
	c.provider = "s3";
	c.bucket = "bkt";
	c.region = "eu-west-1";
	c.tls = 1;
	s = s3_hostport(&c);
	tap_ok(strcmp(s, "s3.eu-west-1.amazonaws.com") == 0, "AWS host");
	free(s);
	c.host = "minio.local";
	c.port = 443;
	s = s3_hostport(&c);
	tap_ok(strcmp(s, "minio.local") == 0, "default port left out");
	free(s);
	c.tls = 0;
	s = s3_hostport(&c);
	tap_ok(strcmp(s, "minio.local:443") == 0, "other port kept");
	free(s);
	url = presign_url(&c, "POST", "k", 60, 0, &cause);
	tap_ok(url == NULL && cause != NULL, "POST refused");
	free(cause);
	cause = NULL;
	url = presign_url(&c, "GET", "k", 604801, 0, &cause);
	tap_ok(url == NULL && cause != NULL, "expiry over 7 days refused");
	free(cause);
	cause = NULL;
	url = presign_url(&c, "GET", "k", 60, 0, &cause);
	tap_ok(url == NULL && cause != NULL, "no keys: refused");
	free(cause);

	/* Content-MD5 signed too: botocore 1.29's generate_presigned_url(
	 * "put_object", Params={Bucket, Key, ContentMD5}) gives this URL. */
	c.host = "127.0.0.1";
	c.port = 9000;
	c.bucket = "wandb-files";
	c.region = "us-east-1";
	c.access_key = "AKIAIOSFODNN7EXAMPLE";
	c.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	presign_parse_time("20130524T000000Z", &t);
	url = presign_url_md5(&c, "PUT", "k/x", "XUFAKrxLKna5cZ2REBfFkg==",
	    300, t, &cause);
	tap_ok(url != NULL && strcmp(url, "http://127.0.0.1:9000/wandb-files/"
	    "k/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
	    "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
	    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=300"
	    "&X-Amz-SignedHeaders=content-md5%3Bhost&X-Amz-Signature="
	    "7c585d61c14829f62e10ee2fe9f4cc0aa3c92aee0887d07cdc4bdf624c3910a4")
	    == 0, "Content-MD5 among the signed headers, as botocore signs it");
	free(url);
}

int
main(void)
{
	i18n_init("en");
	test_versions();
	test_params();
	test_grants();
	test_s3();
	test_presign();
	return tap_done();
}
