/* MySQL through libmariadb. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

/* By directory: src/mysql.h is ours. */
#include <mariadb/errmsg.h>
#include <mariadb/mysql.h>
#include <mariadb/mysqld_error.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "log.h"
#include "mysql.h"
#include "xmalloc.h"

#define DB_CONNECT_TIMEOUT	10
#define DB_RW_TIMEOUT		30

/* What GRANT ALL gives on one database. */
static const char *const db_privs[] = {
	"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
	"REFERENCES", "INDEX", "ALTER", "CREATE TEMPORARY TABLES",
	"LOCK TABLES", "EXECUTE", "CREATE VIEW", "SHOW VIEW",
	"CREATE ROUTINE", "ALTER ROUTINE", "EVENT", "TRIGGER", NULL
};

static char *
connect_error(const struct db_login *l, MYSQL *m)
{
	unsigned e = mysql_errno(m);

	switch (e) {
	case CR_CONN_HOST_ERROR:
	case CR_CONNECTION_ERROR:
		return xprintf(_("cannot connect to %s:%u: connection refused "
		    "or timed out; is MySQL running and listening there "
		    "(bind-address), and is the port open?"), l->host,
		    l->port);
	case CR_UNKNOWN_HOST:
		return xprintf(_("unknown host %s: check mysql.host and DNS"),
		    l->host);
	case ER_ACCESS_DENIED_ERROR:
		return xprintf(_("MySQL at %s:%u refused user %s: wrong "
		    "password, or the user may not connect from this host"),
		    l->host, l->port, l->user);
	case ER_DBACCESS_DENIED_ERROR:
		return xprintf(_("user %s may not use database %s: run "
		    "'wbinstall mysql bootstrap' or grant it ALL on the "
		    "database"), l->user, l->database);
	case ER_BAD_DB_ERROR:
		return xprintf(_("database %s does not exist on %s:%u: run "
		    "'wbinstall mysql bootstrap'"), l->database, l->host,
		    l->port);
	case CR_SSL_CONNECTION_ERROR:
		return xprintf(_("TLS with %s:%u failed: %s"), l->host,
		    l->port, mysql_error(m));
	default:
		/* MySQL's ER_SECURE_TRANSPORT_REQUIRED (3159) and
		 * MariaDB's (4025) differ; the text is the same. */
		if (strstr(mysql_error(m), "insecure transport") != NULL)
			return xprintf(_("MySQL at %s:%u requires TLS "
			    "(require_secure_transport = ON) but offered none "
			    "to this client: give the server a certificate, or "
			    "turn require_secure_transport off"), l->host,
			    l->port);
		return xprintf(_("cannot connect to %s:%u: error %u: %s"),
		    l->host, l->port, e, mysql_error(m));
	}
}

static enum db_part
error_part(unsigned e, const char *text)
{
	switch (e) {
	case CR_CONN_HOST_ERROR:
	case CR_CONNECTION_ERROR:
		return DB_PART_ADDRESS;
	case CR_UNKNOWN_HOST:
		return DB_PART_HOST;
	case ER_ACCESS_DENIED_ERROR:
		return DB_PART_LOGIN;
	case ER_DBACCESS_DENIED_ERROR:
	case ER_BAD_DB_ERROR:
		return DB_PART_DATABASE;
	case CR_SSL_CONNECTION_ERROR:
		return DB_PART_TLS;
	default:
		return strstr(text, "insecure transport") != NULL ?
		    DB_PART_TLS : DB_PART_OTHER;
	}
}

struct st_mysql *
db_connect(const struct db_login *l, char **cause)
{
	enum db_part part;

	return db_connect_part(l, &part, cause);
}

struct st_mysql *
db_connect_part(const struct db_login *l, enum db_part *part, char **cause)
{
	unsigned int proto = MYSQL_PROTOCOL_TCP, ct = DB_CONNECT_TIMEOUT;
	unsigned int rw = DB_RW_TIMEOUT;
	my_bool off = 0;
	MYSQL *m;

	m = mysql_init(NULL);
	if (m == NULL)
		abort();
	/* "localhost" would mean the unix socket: W&B connects over TCP. */
	mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rw);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rw);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* TLS when the server offers it, unverified: only opportunistic. */
	mysql_ssl_set(m, NULL, NULL, NULL, NULL, NULL);
	mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off);
	if (mysql_real_connect(m, l->host, l->user, l->password, l->database,
	    l->port, NULL, 0) == NULL) {
		*cause = connect_error(l, m);
		*part = error_part(mysql_errno(m), mysql_error(m));
		log_info("mysql: connect to %s:%u as %s failed: error %u",
		    l->host, l->port, l->user, mysql_errno(m));
		mysql_close(m);
		return NULL;
	}
	*part = DB_PART_OTHER;
	log_info("mysql: connected to %s:%u as %s%s", l->host, l->port,
	    l->user, mysql_get_ssl_cipher(m) != NULL ? " (TLS)" : "");
	return m;
}

static char *
url_get(CURLU *u, CURLUPart part, unsigned flags, CURLUcode *rc)
{
	char *v = NULL, *r;

	*rc = curl_url_get(u, part, &v, flags);
	if (*rc != CURLUE_OK || v == NULL)
		return NULL;
	r = xstrdup(v);
	curl_free(v);
	return r;
}

int
db_url_parse(const char *url, struct db_url *d, char **cause)
{
	CURLU *u = curl_url();
	CURLUcode rc;
	char *port, *path;
	size_t n;

	memset(d, 0, sizeof *d);
	if (u == NULL)
		abort();
	rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc == CURLUE_OK && (d->user = url_get(u, CURLUPART_USER,
	    CURLU_URLDECODE, &rc)) != NULL && (d->password = url_get(u,
	    CURLUPART_PASSWORD, CURLU_URLDECODE, &rc)) != NULL &&
	    (d->host = url_get(u, CURLUPART_HOST, 0, &rc)) != NULL &&
	    (path = url_get(u, CURLUPART_PATH, CURLU_URLDECODE, &rc)) !=
	    NULL) {
		d->database = xstrdup(path + (*path == '/'));
		free(path);
		port = url_get(u, CURLUPART_PORT, 0, &rc);
		d->port = port != NULL ? strtol(port, NULL, 10) : 3306;
		free(port);
		n = strlen(d->host);
		if (n > 1 && d->host[0] == '[' && d->host[n - 1] == ']') {
			memmove(d->host, d->host + 1, n - 2);
			d->host[n - 2] = '\0';
		}
		curl_url_cleanup(u);
		return 0;
	}
	*cause = xstrdup(curl_url_strerror(rc));
	curl_url_cleanup(u);
	db_url_free(d);
	return -1;
}

void
db_url_free(struct db_url *d)
{
	free(d->user);
	xfree_secret(d->password);
	free(d->host);
	free(d->database);
	memset(d, 0, sizeof *d);
}

void
db_close(struct st_mysql *m)
{
	if (m != NULL)
		mysql_close(m);
}

const char *
db_tls_cipher(struct st_mysql *m)
{
	return mysql_get_ssl_cipher(m);
}

char **
db_query_rows(struct st_mysql *m, const char *sql, char **cause)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	char **rows;
	size_t n = 0;

	if (mysql_query(m, sql) != 0 ||
	    (res = mysql_store_result(m)) == NULL) {
		*cause = xprintf(_("query failed: error %u: %s"),
		    mysql_errno(m), mysql_error(m));
		return NULL;
	}
	rows = xcalloc(mysql_num_rows(res) + 1, sizeof *rows);
	while ((row = mysql_fetch_row(res)) != NULL)
		rows[n++] = row[0] != NULL ? xstrdup(row[0]) : NULL;
	rows[n] = NULL;
	mysql_free_result(res);
	return rows;
}

void
db_rows_free(char **rows)
{
	size_t i;

	if (rows == NULL)
		return;
	for (i = 0; rows[i] != NULL; i++)
		free(rows[i]);
	free(rows);
}

/*
 * The version rule.  The seeds' floor is MySQL 8.0.0: below it, or
 * MariaDB, fails.  W&B's current docs require 8.0.32 (wandb/docs PRs
 * #1850 and #2653): below it warns.  MySQL 8.0 reached its end of life in
 * April 2026, so any 8.0.x warns and names 8.4 LTS.  Aurora MySQL 3
 * reports "8.0.mysql_aurora.3.MM.P": 3.05 and later are 8.0.32 and later
 * (AWS's Aurora MySQL 3 release notes).  @@version_comment names the
 * flavour (Percona Server, Aurora, MariaDB).
 */
enum check_status
db_version_check(const char *version, const char *comment, char **message)
{
	int major = 0, minor = 0, patch = 0, am = 0, an = 0;
	const char *aurora = strstr(version, "mysql_aurora.");
	char flavour[64];

	if (strcasestr(version, "mariadb") != NULL ||
	    (comment != NULL && strcasestr(comment, "mariadb") != NULL)) {
		*message = xstrdup(_("MariaDB is not MySQL; W&B requires "
		    "MySQL 8"));
		return CHECK_FAIL;
	}
	if (sscanf(version, "%d.%d.%d", &major, &minor, &patch) < 2) {
		*message = xprintf(_("cannot read the server version '%s'"),
		    version);
		return CHECK_FAIL;
	}
	if (aurora != NULL && sscanf(aurora, "mysql_aurora.%d.%d", &am,
	    &an) == 2)
		patch = am > 3 || (am == 3 && an >= 5) ? 32 : 23;
	if (aurora != NULL || (comment != NULL &&
	    strcasestr(comment, "aurora") != NULL))
		snprintf(flavour, sizeof flavour, "Aurora MySQL");
	else if (comment != NULL && strcasestr(comment, "percona") != NULL)
		snprintf(flavour, sizeof flavour, "Percona Server");
	else
		snprintf(flavour, sizeof flavour, "MySQL");
	if (major < 8) {
		*message = xprintf(_("%s %s is older than 8.0.0, the floor of "
		    "W&B's requirements: upgrade to MySQL 8.4"), flavour,
		    version);
		return CHECK_FAIL;
	}
	if (major == 8 && minor == 0 && patch < 32) {
		*message = xprintf(_("%s %s is older than 8.0.32, which W&B's "
		    "current docs require, and 8.0 reached its end of life "
		    "in April 2026: upgrade to MySQL 8.4"), flavour, version);
		return CHECK_WARN;
	}
	if (major == 8 && minor == 0) {
		*message = xprintf(_("%s %s: MySQL 8.0 reached its end of life "
		    "in April 2026; plan the move to 8.4 LTS"), flavour,
		    version);
		return CHECK_WARN;
	}
	*message = xprintf("%s %s", flavour, version);
	return CHECK_PASS;
}

enum check_status
db_param_check(const struct mysql_param *p, const char *observed)
{
	if (observed == NULL)
		return CHECK_FAIL;
	if (strcasecmp(observed, p->value) == 0)
		return CHECK_PASS;
	if (p->warn_value != NULL && strcasecmp(observed, p->warn_value) == 0)
		return CHECK_WARN;
	return CHECK_FAIL;
}

char *
db_param_hint(const struct mysql_param *p)
{
	const char *q = p->quoted ? "'" : "";

	return xprintf(_("add \"%s = %s%s%s\" under [mysqld] in my.cnf, or "
	    "run: SET PERSIST %s = %s%s%s;"), p->name, q, p->value, q,
	    p->name, q, p->value, q);
}

/* "`wandb\_local`.*" -> "wandb_local.*" */
static char *
grant_target(const char *s, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '`')
			continue;
		if (s[i] == '\\' && i + 1 < len)
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Add the privileges of one SHOW GRANTS row, if it is on DB or *.*. */
static void
grant_row(const char *row, const char *db, int *held, int *all)
{
	const char *on, *to;
	char *target, *want, *privs, *p, *save = NULL;
	size_t i;

	if (strncmp(row, "GRANT ", 6) != 0 ||
	    (on = strstr(row, " ON ")) == NULL ||
	    (to = strstr(on + 4, " TO ")) == NULL)
		return;
	target = grant_target(on + 4, (size_t)(to - on - 4));
	want = xprintf("%s.*", db);
	if (strcmp(target, "*.*") != 0 && strcmp(target, want) != 0) {
		free(target);
		free(want);
		return;
	}
	free(target);
	free(want);
	privs = xstrndup(row + 6, (size_t)(on - row - 6));
	for (p = strtok_r(privs, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		if (strcmp(p, "ALL PRIVILEGES") == 0 || strcmp(p, "ALL") == 0)
			*all = 1;
		for (i = 0; db_privs[i] != NULL; i++)
			if (strcmp(p, db_privs[i]) == 0)
				held[i] = 1;
	}
	free(privs);
}

char *
db_grants_missing(char *const *grants, const char *db)
{
	int held[sizeof db_privs / sizeof db_privs[0]] = { 0 }, all = 0;
	char *out = NULL, *tmp;
	size_t i;

	for (i = 0; grants != NULL && grants[i] != NULL; i++)
		grant_row(grants[i], db, held, &all);
	if (all)
		return NULL;
	for (i = 0; db_privs[i] != NULL; i++) {
		if (held[i])
			continue;
		tmp = xprintf("%s%s%s", out != NULL ? out : "", out != NULL ?
		    ", " : "", db_privs[i]);
		free(out);
		out = tmp;
	}
	return out;
}

/* Is TOKEN one of the comma-separated words of MODE? */
static int
sql_mode_has(const char *mode, const char *token)
{
	size_t n = strlen(token);
	const char *p;

	for (p = mode; (p = strstr(p, token)) != NULL; p += n)
		if ((p == mode || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static char *
session_sql_mode(MYSQL *m, char **cause)
{
	char **rows = db_query_rows(m, "SELECT @@SESSION.sql_mode", cause);
	char *mode;

	if (rows == NULL)
		return NULL;
	mode = xstrdup(rows[0] != NULL ? rows[0] : "");
	db_rows_free(rows);
	return mode;
}

int
db_bootstrap(const struct answers *a, char **message, char **cause)
{
	const char *db = answers_get(a, "mysql.database");
	const char *user = answers_get(a, "mysql.user");
	const char *what[MYSQL_BOOTSTRAP_MAX];
	struct db_login l;
	char *admin_pw = NULL, *pw, *sql[MYSQL_BOOTSTRAP_MAX], *why = NULL;
	char *mode;
	MYSQL *m;
	MYSQL_RES *res;
	size_t i, n, at = 0;
	int failed = 0;

	memset(&l, 0, sizeof l);
	l.host = answers_get(a, "mysql.host");
	l.port = (unsigned)answers_get_int(a, "mysql.port");
	l.user = answers_get(a, "mysql.admin.user");
	if (*l.user == '\0') {
		*cause = xstrdup(_("mysql.admin.user is not set: bootstrap "
		    "needs an administrator that may create users and "
		    "databases"));
		return -1;
	}
	if (answers_is_set(a, "mysql.admin.password")) {
		admin_pw = answers_resolve(a, "mysql.admin.password", cause);
		if (admin_pw == NULL)
			return -1;
	}
	pw = answers_resolve(a, "mysql.password", cause);
	if (pw == NULL) {
		xfree_secret(admin_pw);
		return -1;
	}
	l.password = admin_pw != NULL ? admin_pw : "";
	m = db_connect(&l, cause);
	xfree_secret(admin_pw);
	if (m == NULL) {
		xfree_secret(pw);
		return -1;
	}

	/*
	 * One statement a call (the connection takes no more).  The first
	 * puts the session in NO_BACKSLASH_ESCAPES, whatever the server's
	 * sql_mode, so that the password's literal (quote doubled) reads as
	 * written; it is checked before the password is sent.  The server's
	 * text may quote a statement (and so the password): only the error
	 * number and the statement's name are reported.
	 */
	if ((mode = session_sql_mode(m, cause)) == NULL) {
		db_close(m);
		xfree_secret(pw);
		return -1;
	}
	log_info("mysql: session sql_mode on %s:%u: '%s'", l.host, l.port,
	    mode);
	free(mode);
	n = mysql_bootstrap_stmts(db, user, pw, 1, sql, what);
	for (i = 0; i < n; i++) {
		if (mysql_real_query(m, sql[i], strlen(sql[i])) != 0) {
			failed = 1;
			at = i;
			break;
		}
		if ((res = mysql_store_result(m)) != NULL)
			mysql_free_result(res);
		if (i > 0)
			continue;
		if ((mode = session_sql_mode(m, &why)) == NULL ||
		    !sql_mode_has(mode, "NO_BACKSLASH_ESCAPES")) {
			*cause = xprintf(_("bootstrap on %s:%u: the session's "
			    "sql_mode did not take NO_BACKSLASH_ESCAPES (%s); "
			    "nothing was created"), l.host, l.port,
			    mode != NULL ? mode : why);
			free(mode);
			free(why);
			for (i = 0; i < n; i++)
				xfree_secret(sql[i]);
			db_close(m);
			xfree_secret(pw);
			return -1;
		}
		free(mode);
	}
	for (i = 0; i < n; i++)
		xfree_secret(sql[i]);
	if (failed) {
		unsigned e = mysql_errno(m);

		if (e == ER_SPECIFIC_ACCESS_DENIED_ERROR ||
		    e == ER_DBACCESS_DENIED_ERROR ||
		    e == ER_ACCESS_DENIED_ERROR ||
		    e == ER_TABLEACCESS_DENIED_ERROR)
			why = xprintf(_("%s may not do this: it needs CREATE "
			    "USER, CREATE and GRANT OPTION"), l.user);
		else
			why = xprintf(_("error %u (SQLSTATE %s)"), e,
			    mysql_sqlstate(m));
		*cause = xprintf(_("bootstrap on %s:%u failed at %s: %s"),
		    l.host, l.port, what[at], why);
		free(why);
		db_close(m);
		xfree_secret(pw);
		return -1;
	}
	db_close(m);
	log_info("mysql: bootstrap of %s and %s@%% on %s:%u done", db, user,
	    l.host, l.port);

	/* The user must now reach its database with its password. */
	l.user = user;
	l.password = pw;
	l.database = db;
	m = db_connect(&l, cause);
	xfree_secret(pw);
	if (m == NULL)
		return -1;
	db_close(m);
	*message = xprintf(_("database %s (utf8mb4, utf8mb4_general_ci) and "
	    "user '%s'@'%%' with ALL on it are ready on %s:%u"), db, user,
	    l.host, l.port);
	return 0;
}
