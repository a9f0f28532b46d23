/*
 * Preflight family "mysql": connect as mysql.user, then the version rule,
 * the parameter group (mysql.param.NAME), the database's character set,
 * the user's grants and the app's own login (mysql.app_connect).  A user or a database that does not exist yet (seen
 * with mysql.admin) is a warning that names the bootstrap.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answers-resolve.h"
#include "check.h"
#include "i18n.h"
#include "mysql.h"
#include "preflight.h"
#include "render.h"
#include "xmalloc.h"

/* One value of a one-row query; NULL with *cause. */
static char *
query_one(struct st_mysql *m, const char *sql, char **cause)
{
	char **rows = db_query_rows(m, sql, cause), *v = NULL;

	if (rows == NULL)
		return NULL;
	if (rows[0] != NULL)
		v = xstrdup(rows[0]);
	else
		*cause = xstrdup(_("no value"));
	db_rows_free(rows);
	return v;
}

static void
skip_all(const char *target, struct check_list *l, const char *why)
{
	size_t i;
	char *id;

	checks_add(l, target, "mysql.version", CHECK_SKIP, NULL, NULL, NULL,
	    "%s", why);
	checks_add(l, target, "mysql.tls", CHECK_SKIP, NULL, NULL, NULL,
	    "%s", why);
	checks_add(l, target, "mysql.local_infile", CHECK_SKIP, NULL, "ON",
	    NULL, "%s", why);
	for (i = 0; mysql_params[i].name != NULL; i++) {
		id = xprintf("mysql.param.%s", mysql_params[i].name);
		checks_add(l, target, id, CHECK_SKIP, NULL,
		    mysql_params[i].value, NULL, "%s", why);
		free(id);
	}
	checks_add(l, target, "mysql.charset", CHECK_SKIP, NULL, NULL, NULL,
	    "%s", why);
	checks_add(l, target, "mysql.grants", CHECK_SKIP, NULL, NULL, NULL,
	    "%s", why);
}

static void
check_version(struct st_mysql *m, const char *target, struct check_list *l)
{
	char *version, *comment, *cause = NULL, *msg;
	enum check_status st;

	version = query_one(m, "SELECT VERSION()", &cause);
	if (version == NULL) {
		checks_add(l, target, "mysql.version", CHECK_FAIL, NULL,
		    _("MySQL >= 8.0.32 (8.4 recommended)"), NULL, "%s", cause);
		free(cause);
		return;
	}
	comment = query_one(m, "SELECT @@version_comment", &cause);
	free(cause);
	st = db_version_check(version, comment, &msg);
	checks_add(l, target, "mysql.version", st, version,
	    _("MySQL >= 8.0.32 (8.4 recommended)"), st == CHECK_PASS ? NULL :
	    _("W&B requires MySQL 8.0.32 or later; 8.4 LTS is supported "
	    "past 8.0's end of life"), "%s", msg);
	free(msg);
	free(version);
	free(comment);
}

/*
 * local_infile must be ON: W&B's bulk inserts load data with LOAD DATA
 * LOCAL (wandb/terraform-google-wandb PR #205 turns it on for Cloud SQL).
 */
static void
check_local_infile(struct st_mysql *m, const char *target,
    struct check_list *l)
{
	char *v, *cause = NULL;

	if ((v = query_one(m, "SELECT @@GLOBAL.local_infile", &cause)) ==
	    NULL) {
		checks_add(l, target, "mysql.local_infile", CHECK_FAIL, NULL,
		    "ON", NULL, "%s", cause);
		free(cause);
		return;
	}
	if (strcmp(v, "1") == 0 || strcasecmp(v, "ON") == 0)
		checks_add(l, target, "mysql.local_infile", CHECK_PASS, "ON",
		    "ON", NULL, "%s", _("local_infile is ON"));
	else
		checks_add(l, target, "mysql.local_infile", CHECK_FAIL, "OFF",
		    "ON", _("run: SET PERSIST local_infile = ON; (in a cloud "
		    "database, its parameter group)"), "%s", _("local_infile "
		    "is OFF; W&B's bulk inserts need it"));
	free(v);
}

/*
 * TLS to MySQL.  Chart 0.43.8 connects with tls=preferred and takes no CA
 * (wandb/helm-charts PRs #369 and #486): the app encrypts when the server
 * offers TLS and checks no certificate, so a private CA needs nothing,
 * and a user that must present or verify certificates cannot connect.
 */
static void
check_tls(struct st_mysql *m, const char *target, struct check_list *l)
{
	const char *cipher = db_tls_cipher(m);
	char *req, *cause = NULL, *obs;
	int required;

	req = query_one(m, "SELECT @@GLOBAL.require_secure_transport",
	    &cause);
	free(cause);
	required = req != NULL && (strcmp(req, "1") == 0 ||
	    strcasecmp(req, "ON") == 0);
	obs = xprintf("%s; require_secure_transport %s", cipher != NULL ?
	    cipher : _("no TLS"), req == NULL ? "?" : required ? "ON" : "OFF");
	if (cipher != NULL)
		checks_add(l, target, "mysql.tls", CHECK_PASS, obs,
		    _("TLS offered"), NULL, "%s", _("the server offers TLS: "
		    "the W&B chart (tls=preferred) encrypts and checks no "
		    "certificate, so a private CA needs nothing; it cannot "
		    "be given a CA or a client certificate"));
	else
		checks_add(l, target, "mysql.tls", CHECK_WARN, obs,
		    _("TLS offered"), _("give MySQL a certificate (ssl_cert, "
		    "ssl_key): the chart then encrypts without further "
		    "settings"), "%s", _("the server offers no TLS: W&B's "
		    "connection to MySQL will not be encrypted"));
	free(obs);
	free(req);
}

static void
check_params(struct st_mysql *m, const char *target, struct check_list *l)
{
	const struct mysql_param *p;
	char *sql, *v, *id, *hint, *cause = NULL;
	enum check_status st;

	for (p = mysql_params; p->name != NULL; p++) {
		id = xprintf("mysql.param.%s", p->name);
		sql = xprintf("SELECT @@GLOBAL.%s", p->name);
		v = query_one(m, sql, &cause);
		st = db_param_check(p, v);
		hint = db_param_hint(p);
		if (v == NULL)
			checks_add(l, target, id, CHECK_FAIL, _("(not set)"),
			    p->value, hint, _("cannot read %s: %s"), p->name,
			    cause);
		else if (st == CHECK_PASS)
			checks_add(l, target, id, st, v, p->value, NULL,
			    _("%s is %s"), p->name, v);
		else if (st == CHECK_WARN)
			checks_add(l, target, id, st, v, p->value, hint,
			    _("%s is %s, the value of the older docs; the "
			    "current docs (%s) ask for %s"), p->name, v,
			    p->source, p->value);
		else
			checks_add(l, target, id, st, v, p->value, hint,
			    _("%s is %s; W&B needs %s (%s)"), p->name, v,
			    p->value, p->source);
		free(cause);
		cause = NULL;
		free(hint);
		free(v);
		free(sql);
		free(id);
	}
}

static void
check_charset(struct st_mysql *m, const char *db, const char *target,
    struct check_list *l)
{
	char *sql, **rows, *cause = NULL, *obs, *hint, *cs, *co;

	/* db matches the mysql.database pattern: no quoting needed. */
	sql = xprintf("SELECT CONCAT(DEFAULT_CHARACTER_SET_NAME, ' ', "
	    "DEFAULT_COLLATION_NAME) FROM information_schema.SCHEMATA WHERE "
	    "SCHEMA_NAME = '%s'", db);
	rows = db_query_rows(m, sql, &cause);
	free(sql);
	if (rows == NULL) {
		checks_add(l, target, "mysql.charset", CHECK_FAIL, NULL,
		    "utf8mb4/utf8mb4_general_ci", NULL, "%s", cause);
		free(cause);
		return;
	}
	if (rows[0] == NULL) {
		checks_add(l, target, "mysql.charset", CHECK_FAIL,
		    _("(no database)"), "utf8mb4/utf8mb4_general_ci",
		    _("run 'wbinstall mysql bootstrap', or create it as the "
		    "seed SQL does"), _("database %s does not exist, or "
		    "mysql.user cannot see it"), db);
		db_rows_free(rows);
		return;
	}
	cs = rows[0];
	co = strchr(cs, ' ');
	*co++ = '\0';
	obs = xprintf("%s/%s", cs, co);
	hint = xprintf("ALTER DATABASE `%s` CHARACTER SET utf8mb4 COLLATE "
	    "utf8mb4_general_ci;", db);
	if (strcmp(cs, "utf8mb4") != 0)
		checks_add(l, target, "mysql.charset", CHECK_FAIL, obs,
		    "utf8mb4/utf8mb4_general_ci", hint, _("database %s uses "
		    "%s; W&B needs utf8mb4"), db, cs);
	else if (strcmp(co, "utf8mb4_general_ci") != 0)
		checks_add(l, target, "mysql.charset", CHECK_WARN, obs,
		    "utf8mb4/utf8mb4_general_ci", hint, _("database %s uses "
		    "collation %s; the seed SQL creates utf8mb4_general_ci"),
		    db, co);
	else
		checks_add(l, target, "mysql.charset", CHECK_PASS, obs,
		    "utf8mb4/utf8mb4_general_ci", NULL, _("database %s is "
		    "utf8mb4 / utf8mb4_general_ci"), db);
	free(hint);
	free(obs);
	db_rows_free(rows);
}

static void
check_grants(struct st_mysql *m, const char *db, const char *user,
    const char *target, struct check_list *l)
{
	char **rows, *cause = NULL, *missing, *req, *hint;

	req = xprintf("ALL ON `%s`.*", db);
	rows = db_query_rows(m, "SHOW GRANTS", &cause);
	if (rows == NULL) {
		checks_add(l, target, "mysql.grants", CHECK_FAIL, NULL, req,
		    NULL, "%s", cause);
		free(cause);
		free(req);
		return;
	}
	missing = db_grants_missing(rows, db);
	if (missing == NULL)
		checks_add(l, target, "mysql.grants", CHECK_PASS, req, req,
		    NULL, _("%s holds ALL on %s"), user, db);
	else {
		hint = xprintf("GRANT ALL ON `%s`.* TO '%s'@'%%' WITH GRANT "
		    "OPTION;", db, user);
		checks_add(l, target, "mysql.grants", CHECK_FAIL,
		    _("not ALL"), req, hint, _("%s lacks on %s: %s"), user, db,
		    missing);
		free(hint);
	}
	free(missing);
	free(req);
	db_rows_free(rows);
}

/* 1 when ROWS (first columns) hold NAME. */
static int
rows_have(char *const *rows, const char *name)
{
	size_t i;

	for (i = 0; rows != NULL && rows[i] != NULL; i++)
		if (strcmp(rows[i], name) == 0)
			return 1;
	return 0;
}

/* Connected as mysql.admin, or NULL (none set, or it cannot connect);
 * RES reads the password (NULL: the saved file's way). */
static struct st_mysql *
admin_connect(const struct answers *a, const struct answers_resolver *res)
{
	struct db_login login;
	struct st_mysql *m;
	char *pw = NULL, *cause = NULL;

	memset(&login, 0, sizeof login);
	login.host = answers_get(a, "mysql.host");
	login.port = (unsigned)answers_get_int(a, "mysql.port");
	login.user = answers_get(a, "mysql.admin.user");
	if (*login.user == '\0')
		return NULL;
	if (answers_is_set(a, "mysql.admin.password") &&
	    (pw = resolver_secret(res, a, "mysql.admin.password",
	    &cause)) == NULL) {
		free(cause);
		return NULL;
	}
	login.password = pw != NULL ? pw : "";
	m = db_connect(&login, &cause);
	xfree_secret(pw);
	free(cause);
	return m;
}

/* 1 when the first column of SQL, run on M, holds NAME; 0 when it does
 * not; -1 when it cannot be asked. */
static int
server_has(struct st_mysql *m, const char *sql, const char *name)
{
	char **rows, *cause = NULL;
	int r;

	if ((rows = db_query_rows(m, sql, &cause)) == NULL) {
		free(cause);
		return -1;
	}
	r = rows_have(rows, name);
	db_rows_free(rows);
	return r;
}

#define SQL_USERS	"SELECT User FROM mysql.user"
#define SQL_DATABASES	"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"

/* The hint of a check the bootstrap will settle. */
static char *
bootstrap_hint(const struct answers *a)
{
	return xprintf("wbinstall mysql bootstrap --answers %s",
	    a->path != NULL ? a->path : "FILE");
}

/*
 * mysql.user was refused.  With mysql.admin, look whether the user and the
 * database exist yet (compared here, so no name goes into SQL).  When the
 * user does not, that is what the bootstrap is for: a warning that says
 * what creates them, and the checks of the server run as the admin (the
 * charset too when the database is there; the grants wait for the user).
 * Returns 1 when it added all that, 0 when the refusal stands (the user
 * exists, or there is no admin, or the admin cannot look).
 */
static int
refused_before_bootstrap(const struct answers *a,
    const struct answers_resolver *res, const char *target,
    struct check_list *l)
{
	const char *db = answers_get(a, "mysql.database");
	const char *user = answers_get(a, "mysql.user");
	const char *admin = answers_get(a, "mysql.admin.user");
	struct st_mysql *m;
	char *hint;
	int has_db;

	if ((m = admin_connect(a, res)) == NULL)
		return 0;
	if (server_has(m, SQL_USERS, user) != 0 ||
	    (has_db = server_has(m, SQL_DATABASES, db)) < 0) {
		db_close(m);
		return 0;
	}
	hint = bootstrap_hint(a);
	if (has_db)
		checks_add(l, target, "mysql.connect", CHECK_WARN,
		    _("(no user yet)"), NULL, hint, _("user %s does not exist "
		    "yet: 'wbinstall mysql bootstrap' creates it as %s "
		    "(mysql.admin), and so does the install's mysql-bootstrap "
		    "step"), user, admin);
	else
		checks_add(l, target, "mysql.connect", CHECK_WARN,
		    _("(no user yet)"), NULL, hint, _("user %s and database %s "
		    "do not exist yet: 'wbinstall mysql bootstrap' creates "
		    "them as %s (mysql.admin), and so does the install's "
		    "mysql-bootstrap step"), user, db, admin);
	free(hint);
	check_version(m, target, l);
	check_tls(m, target, l);
	check_local_infile(m, target, l);
	check_params(m, target, l);
	if (has_db)
		check_charset(m, db, target, l);
	else
		checks_add(l, target, "mysql.charset", CHECK_SKIP, NULL,
		    "utf8mb4/utf8mb4_general_ci", NULL, _("not run: the "
		    "bootstrap creates database %s utf8mb4 / "
		    "utf8mb4_general_ci"), db);
	checks_add(l, target, "mysql.grants", CHECK_SKIP, NULL, NULL, NULL,
	    _("not run: the bootstrap grants %s ALL on %s"), user, db);
	db_close(m);
	return 1;
}

/*
 * mysql.user connects but sees no database mysql.database.  With
 * mysql.admin, and when the admin does not see it either, it does not
 * exist yet: a warning that names the bootstrap, which creates it and
 * grants the user ALL on it.  Returns 1 when it said so (for the charset
 * and the grants), 0 otherwise.
 */
static int
database_before_bootstrap(const struct answers *a,
    const struct answers_resolver *res, struct st_mysql *user_m,
    const char *target, struct check_list *l)
{
	const char *db = answers_get(a, "mysql.database");
	const char *user = answers_get(a, "mysql.user");
	struct st_mysql *m;
	char *hint;
	int seen;

	if (server_has(user_m, SQL_DATABASES, db) != 0 ||
	    (m = admin_connect(a, res)) == NULL)
		return 0;
	seen = server_has(m, SQL_DATABASES, db);
	db_close(m);
	if (seen != 0)
		return 0;
	hint = bootstrap_hint(a);
	checks_add(l, target, "mysql.charset", CHECK_WARN, _("(no database)"),
	    "utf8mb4/utf8mb4_general_ci", hint, _("database %s does not exist "
	    "yet: 'wbinstall mysql bootstrap' creates it as %s (mysql.admin), "
	    "and so does the install's mysql-bootstrap step"), db,
	    answers_get(a, "mysql.admin.user"));
	checks_add(l, target, "mysql.grants", CHECK_SKIP, NULL, NULL, NULL,
	    _("not run: the bootstrap grants %s ALL on %s"), user, db);
	free(hint);
	return 1;
}

/*
 * Connect as the app does: mysql.user and mysql.password at mysql.host and
 * mysql.port, to DATABASE (NULL: none).  *target is "HOST:PORT"; NULL with
 * *cause, and *resolved 0 when the password did not resolve.
 */
static struct st_mysql *
app_connect(const struct answers *a, const struct answers_resolver *res,
    const char *database, char **target, int *resolved, char **cause)
{
	struct db_login login;
	struct st_mysql *m;
	char *pw;

	memset(&login, 0, sizeof login);
	login.host = answers_get(a, "mysql.host");
	login.port = (unsigned)answers_get_int(a, "mysql.port");
	login.user = answers_get(a, "mysql.user");
	login.database = database;
	*target = xprintf("%s:%u", login.host, login.port);
	*resolved = (pw = resolver_secret(res, a, "mysql.password",
	    cause)) != NULL;
	if (pw == NULL)
		return NULL;
	login.password = pw;
	m = db_connect(&login, cause);
	xfree_secret(pw);
	return m;
}

/* The app's URL with its password masked. */
static char *
shown_url(const struct render_mysql *rm)
{
	const char *at = strrchr(rm->url, '@');

	return xprintf("mysql://%s:***%s", rm->user, at != NULL ? at : "");
}

/* The first part of the URL, as the app reads it, that is not what the
 * answers say (never a value of the password); NULL when none. */
static char *
url_differs(const struct answers *a, const struct db_url *d,
    const char *password)
{
	if (strcmp(d->user, answers_get(a, "mysql.user")) != 0)
		return xprintf(_("the user is %s, mysql.user is %s"), d->user,
		    answers_get(a, "mysql.user"));
	if (strcmp(d->password, password) != 0)
		return xstrdup(_("the password does not decode to "
		    "mysql.password: its encoding does not round-trip"));
	if (strcmp(d->host, answers_get(a, "mysql.host")) != 0)
		return xprintf(_("the host is %s, mysql.host is %s"), d->host,
		    answers_get(a, "mysql.host"));
	if (d->port != answers_get_int(a, "mysql.port"))
		return xprintf(_("the port is %ld, mysql.port is %ld"), d->port,
		    answers_get_int(a, "mysql.port"));
	if (strcmp(d->database, answers_get(a, "mysql.database")) != 0)
		return xprintf(_("the database is %s, mysql.database is %s"),
		    d->database, answers_get(a, "mysql.database"));
	return NULL;
}

/* What a refusal of the app's login points at, and the hint. */
static char *
refused_part(const struct db_url *d, enum db_part part, char **hint)
{
	switch (part) {
	case DB_PART_ADDRESS:
		*hint = xstrdup(_("check mysql.host and mysql.port: MySQL must "
		    "listen there (bind-address) and take connections from "
		    "where W&B runs"));
		return xprintf(_("host %s, port %ld"), d->host, d->port);
	case DB_PART_HOST:
		*hint = xstrdup(_("check mysql.host and DNS"));
		return xprintf(_("host %s"), d->host);
	case DB_PART_LOGIN:
		*hint = xprintf(_("check mysql.user and mysql.password, and "
		    "that '%s'@'%%' may connect from where W&B runs"), d->user);
		return xprintf(_("user %s (or its password)"), d->user);
	case DB_PART_DATABASE:
		*hint = xstrdup(_("run 'wbinstall mysql bootstrap', or grant "
		    "mysql.user ALL on mysql.database"));
		return xprintf(_("database %s"), d->database);
	case DB_PART_TLS:
		*hint = xstrdup(_("the chart connects with tls=preferred and "
		    "takes no CA or client certificate"));
		return xstrdup(_("TLS"));
	default:
		*hint = NULL;
		return xstrdup(_("the connection"));
	}
}

/*
 * mysql.app_connect: log in with exactly what the render gives the app
 * (render_mysql_app: on Kubernetes the CR's global.mysql and the
 * wandb-mysql Secret, which the chart's "wandb.mysql" template joins into
 * a URL, wandb/helm-charts charts/operator-wandb/templates/_mysql.tpl; on
 * bare metal wandb.env's MYSQL=), read back as the app reads it: a URL
 * whose user and password are percent-decoded.  A part that differs from
 * the answers, or that MySQL refuses, is named.  The answers' own login
 * is mysql.connect; this one is what W&B will use.
 */
static void
check_app_connect(const struct answers *a,
    const struct answers_resolver *res, const char *target,
    struct check_list *l)
{
	struct render_mysql rm;
	struct db_login login;
	struct db_url d;
	struct st_mysql *m;
	enum db_part part;
	char *pw, *cause = NULL, *shown, *req, *why, *hint;

	req = xprintf("%s@%s:%ld/%s", answers_get(a, "mysql.user"),
	    answers_get(a, "mysql.host"), answers_get_int(a, "mysql.port"),
	    answers_get(a, "mysql.database"));
	if ((pw = resolver_secret(res, a, "mysql.password",
	    &cause)) == NULL) {
		checks_add(l, target, "mysql.app_connect", CHECK_SKIP, NULL,
		    req, NULL, "%s", cause);
		goto out;
	}
	if (render_mysql_app(a, answers_get(a, "deployment.platform"), pw,
	    &rm, &cause) != 0) {
		checks_add(l, target, "mysql.app_connect", CHECK_SKIP, NULL,
		    req, NULL, _("not run: %s"), cause);
		goto out;
	}
	shown = shown_url(&rm);
	if (db_url_parse(rm.url, &d, &cause) != 0)
		checks_add(l, target, "mysql.app_connect", CHECK_FAIL, shown,
		    req, _("the render gives the app a URL it cannot read: "
		    "report this as a bug of wbinstall"), _("the app cannot read "
		    "the URL it is given: %s"), cause);
	else if ((why = url_differs(a, &d, pw)) != NULL) {
		checks_add(l, target, "mysql.app_connect", CHECK_FAIL, shown,
		    req, _("the render gives the app another login than the "
		    "answers: report this as a bug of wbinstall"), _("the URL "
		    "the app is given, read as the app reads it: %s"), why);
		free(why);
		db_url_free(&d);
	} else {
		memset(&login, 0, sizeof login);
		login.host = d.host;
		login.port = (unsigned)d.port;
		login.user = d.user;
		login.password = d.password;
		login.database = d.database;
		if ((m = db_connect_part(&login, &part, &cause)) != NULL) {
			checks_add(l, target, "mysql.app_connect", CHECK_PASS,
			    shown, req, NULL, _("logged in to database %s as "
			    "%s with the URL the app is given"), d.database,
			    d.user);
			db_close(m);
		} else {
			why = refused_part(&d, part, &hint);
			checks_add(l, target, "mysql.app_connect", CHECK_FAIL,
			    shown, req, hint, _("the app's login fails at %s: "
			    "%s"), why, cause);
			free(why);
			free(hint);
		}
		db_url_free(&d);
	}
	free(shown);
	render_mysql_free(&rm);
out:
	xfree_secret(pw);
	free(cause);
	free(req);
}

static void
preflight_mysql_run(const struct answers *a, const struct preflight_opts *o,
    struct check_list *l)
{
	/* The wizard's resolver knows the passwords typed, not yet saved. */
	const struct answers_resolver *res = o != NULL ? o->resolve : NULL;
	struct st_mysql *m;
	char *target, *cause = NULL, *obs;
	const char *cipher;
	int resolved;

	if (o != NULL && o->progress != NULL) {
		target = xprintf("%s:%u", answers_get(a, "mysql.host"),
		    (unsigned)answers_get_int(a, "mysql.port"));
		o->progress(o->progress_arg, target, "connect");
		free(target);
	}
	m = app_connect(a, res, NULL, &target, &resolved, &cause);
	if (!resolved) {
		checks_add(l, target, "mysql.connect", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		skip_all(target, l, _("not run: mysql.password does not "
		    "resolve"));
		checks_add(l, target, "mysql.app_connect", CHECK_SKIP, NULL,
		    NULL, NULL, "%s", _("not run: mysql.password does not "
		    "resolve"));
		free(cause);
		free(target);
		return;
	}
	if (m == NULL && refused_before_bootstrap(a, res, target, l)) {
		checks_add(l, target, "mysql.app_connect", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: the bootstrap creates user %s"),
		    answers_get(a, "mysql.user"));
		free(cause);
		free(target);
		return;
	}
	if (m == NULL) {
		checks_add(l, target, "mysql.connect", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		skip_all(target, l, _("not run: cannot connect"));
		check_app_connect(a, res, target, l);
		free(cause);
		free(target);
		return;
	}
	cipher = db_tls_cipher(m);
	obs = cipher != NULL ? xprintf("TLS %s", cipher) :
	    xstrdup(_("no TLS offered"));
	checks_add(l, target, "mysql.connect", CHECK_PASS, obs, NULL, NULL,
	    _("connected as %s%s"), answers_get(a, "mysql.user"),
	    cipher != NULL ? _(" over TLS") : _(" (the server offers no TLS)"));
	free(obs);
	check_version(m, target, l);
	check_tls(m, target, l);
	check_local_infile(m, target, l);
	check_params(m, target, l);
	if (!database_before_bootstrap(a, res, m, target, l)) {
		check_charset(m, answers_get(a, "mysql.database"), target, l);
		check_grants(m, answers_get(a, "mysql.database"),
		    answers_get(a, "mysql.user"), target, l);
		check_app_connect(a, res, target, l);
	} else
		checks_add(l, target, "mysql.app_connect", CHECK_SKIP, NULL,
		    NULL, NULL, _("not run: the bootstrap creates database %s"),
		    answers_get(a, "mysql.database"));
	db_close(m);
	free(target);
}

const struct preflight_family preflight_mysql = {
	"mysql",
	preflight_mysql_run,
};

/*
 * Before an upgrade: W&B's migrations (golang-migrate) keep one row in
 * schema_migrations, (version, dirty).  A migration that stopped half-way
 * leaves dirty = 1, and the server then refuses to start with "Dirty
 * database version N" (wandb/server #7, #20 and #25); an upgrade on top of
 * it only adds migrations to a broken schema.  Connects as mysql.user to
 * mysql.database; a first install, with no such table, passes.
 */
void
preflight_mysql_migrations(const struct answers *a, struct check_list *l)
{
	struct st_mysql *m;
	char *target, *cause = NULL, *n, *row;
	unsigned long long version = 0;
	int dirty = 0, resolved;

	m = app_connect(a, NULL, answers_get(a, "mysql.database"), &target,
	    &resolved, &cause);
	if (m == NULL) {
		checks_add(l, target, "mysql.migrations", CHECK_SKIP, NULL,
		    NULL, NULL, "%s", cause);
		free(cause);
		free(target);
		return;
	}
	n = query_one(m, "SELECT COUNT(*) FROM information_schema.TABLES "
	    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
	    "'schema_migrations'", &cause);
	if (n != NULL && strcmp(n, "0") == 0)
		checks_add(l, target, "mysql.migrations", CHECK_PASS,
		    _("no schema_migrations yet"), _("not dirty"), NULL, "%s",
		    _("W&B has run no migration in this database yet"));
	else if (n != NULL && (row = query_one(m, "SELECT CONCAT(version, "
	    "' ', dirty) FROM schema_migrations LIMIT 1", &cause)) != NULL) {
		if (sscanf(row, "%llu %d", &version, &dirty) == 2 && dirty)
			checks_add(l, target, "mysql.migrations", CHECK_FAIL,
			    row, _("not dirty"), _("restore the database from "
			    "the backup taken before the migration that "
			    "stopped (upgrade takes one), or ask W&B support "
			    "to finish that migration; then set dirty = 0 and "
			    "upgrade again"), _("Dirty database version %llu: "
			    "a W&B migration stopped half-way, and the server "
			    "will not start on it"), version);
		else
			checks_add(l, target, "mysql.migrations", CHECK_PASS,
			    row, _("not dirty"), NULL, _("schema version %llu, "
			    "not dirty"), version);
		free(row);
	} else {
		checks_add(l, target, "mysql.migrations", CHECK_FAIL, NULL,
		    _("not dirty"), NULL, "%s", cause);
		free(cause);
	}
	free(n);
	db_close(m);
	free(target);
}
