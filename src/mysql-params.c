#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mysql-params.h"
#include "xmalloc.h"

#define SEED_BM "bare-metal guide, parameter group"
#define SEED_NEW "current docs"

const struct mysql_param mysql_params[] = {
	{ "binlog_format", "ROW", NULL, 1, SEED_BM },
	{ "innodb_online_alter_log_max_size", "268435456", NULL, 0, SEED_BM },
	{ "sync_binlog", "1", NULL, 0, SEED_BM },
	{ "innodb_flush_log_at_trx_commit", "1", NULL, 0, SEED_BM },
	{ "binlog_row_image", "MINIMAL", NULL, 1, SEED_BM },
	/* 64 MiB in the newer docs; 32 MiB from the older ones warns. */
	{ "sort_buffer_size", "67108864", "33554432", 0, SEED_BM },
	{ "max_prepared_stmt_count", "1048576", NULL, 0, SEED_NEW },
	{ NULL, NULL, NULL, 0, NULL }
};

/*
 * The bootstrap's first statement: the session's sql_mode gains
 * NO_BACKSLASH_ESCAPES (keeping the rest), so that a string literal after
 * it is read the same whatever the server's sql_mode was: a backslash is
 * an ordinary character and a quote is written twice.  (With backslash
 * escapes on, a literal with a backslash in it has no form that reads the
 * same under both modes.)
 */
#define SQL_MODE_STMT	"SET SESSION sql_mode = TRIM(BOTH ',' FROM " \
	"CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES'))"

/*
 * S between two Q, each Q in it doubled: a string literal for a session
 * in NO_BACKSLASH_ESCAPES (Q '), or an identifier in any sql_mode (Q `).
 */
static char *
sql_quoted(const char *s, char q)
{
	char *out = xmalloc(strlen(s) * 2 + 3), *o = out;

	*o++ = q;
	for (; *s != '\0'; s++) {
		if (*s == q)
			*o++ = q;
		*o++ = *s;
	}
	*o++ = q;
	*o = '\0';
	return out;
}

size_t
mysql_bootstrap_stmts(const char *db, const char *user, const char *password,
    int idempotent, char **sql, const char **what)
{
	char *pw = sql_quoted(password, '\''), *u = sql_quoted(user, '\'');
	char *d = sql_quoted(db, '`');
	size_t n = 0;

	what[n] = "SET sql_mode";
	sql[n++] = xstrdup(SQL_MODE_STMT);
	what[n] = "CREATE USER";
	sql[n++] = xprintf("CREATE USER %s%s@'%%' IDENTIFIED BY %s",
	    idempotent ? "IF NOT EXISTS " : "", u, pw);
	if (idempotent) {
		what[n] = "ALTER USER";
		sql[n++] = xprintf("ALTER USER %s@'%%' IDENTIFIED BY %s", u,
		    pw);
	}
	what[n] = "CREATE DATABASE";
	sql[n++] = xprintf("CREATE DATABASE %s%s CHARACTER SET utf8mb4 "
	    "COLLATE utf8mb4_general_ci", idempotent ? "IF NOT EXISTS " : "",
	    d);
	what[n] = "GRANT";
	sql[n++] = xprintf("GRANT ALL ON %s.* TO %s@'%%' WITH GRANT OPTION",
	    d, u);
	xfree_secret(pw);
	free(u);
	free(d);
	return n;
}

char *
mysql_bootstrap_sql(const char *db, const char *user, const char *password,
    int idempotent)
{
	char *sql[MYSQL_BOOTSTRAP_MAX], *out = xstrdup(""), *next;
	const char *what[MYSQL_BOOTSTRAP_MAX];
	size_t i, n;

	n = mysql_bootstrap_stmts(db, user, password, idempotent, sql, what);
	for (i = 0; i < n; i++) {
		next = xprintf("%s%s;\n", out, sql[i]);
		xfree_secret(out);
		xfree_secret(sql[i]);
		out = next;
	}
	return out;
}
