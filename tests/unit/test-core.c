/* Unit tests of the small core modules: sizing tables and check results. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cors.h"
#include "mysql-params.h"
#include "sizing.h"
#include "tap.h"
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

int
main(void)
{
	test_sizing();
	test_checks();
	test_sql_and_cors();
	return tap_done();
}
