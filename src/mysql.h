/*
 * MySQL through libmariadb (which also speaks to MySQL 8 and its
 * caching_sha2_password): connect, the version rule, the parameter group,
 * grants, and the bootstrap of the database and user.
 */
#ifndef WB_MYSQL_H
#define WB_MYSQL_H

#include "answers.h"
#include "check.h"
#include "mysql-params.h"

struct st_mysql;

struct db_login {
	const char *host;
	unsigned port;
	const char *user;
	const char *password;	/* never logged, never in a message */
	const char *database;	/* NULL: none */
};

/*
 * Connect over TCP, with TLS when the server offers it; one statement a
 * query (no CLIENT_MULTI_STATEMENTS).  A refused
 * connection, an unknown host and a wrong password each get their own
 * message in *cause.
 */
struct st_mysql *db_connect(const struct db_login *, char **cause);
/* What a refused connection points at. */
enum db_part {
	DB_PART_OTHER,
	DB_PART_ADDRESS,	/* nothing answers at host:port */
	DB_PART_HOST,		/* the host name does not resolve */
	DB_PART_LOGIN,		/* the user, or its password */
	DB_PART_DATABASE,	/* no such database, or not the user's */
	DB_PART_TLS,
};
/* db_connect(), and *part what a refusal points at. */
struct st_mysql *db_connect_part(const struct db_login *, enum db_part *,
    char **cause);
void db_close(struct st_mysql *);

/* A mysql:// URL read as the app reads it (libcurl's URL parser here):
 * user, password and database percent-decoded, an IPv6 host without its
 * brackets, the port 3306 when none is given. */
struct db_url {
	char *user;
	char *password;		/* a secret */
	char *host;
	long port;
	char *database;
};
int db_url_parse(const char *url, struct db_url *, char **cause);
void db_url_free(struct db_url *);
/* The TLS cipher, or NULL for a plain connection. */
const char *db_tls_cipher(struct st_mysql *);
/* The first column of each row of SQL (NULL-terminated, NULL for SQL
 * NULL); NULL with *cause on error.  Free with db_rows_free(). */
char **db_query_rows(struct st_mysql *, const char *sql, char **cause);
void db_rows_free(char **);

/* The version rule: 8.4 and later pass, 8.0.x warns (end of life; below
 * 8.0.32 too old for W&B's docs), below 8.0.0 and MariaDB
 * and anything else fail.  *message gets a new string. */
enum check_status db_version_check(const char *version, const char *comment,
    char **message);
/* OBSERVED against a parameter: pass, warn (an older docs value) or
 * fail. */
enum check_status db_param_check(const struct mysql_param *,
    const char *observed);
/* The my.cnf line and the SET PERSIST statement that fix it. */
char *db_param_hint(const struct mysql_param *);
/* What GRANTS (rows of SHOW GRANTS) lack of ALL on DB: NULL when
 * nothing, else a new comma-separated list. */
char *db_grants_missing(char *const *grants, const char *db);

/* Create the database and the user as the seed SQL does, idempotently,
 * as mysql.admin.  Returns 0 with *message, or -1 with *cause. */
int db_bootstrap(const struct answers *, char **message, char **cause);

#endif
