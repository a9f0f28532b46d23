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

/* Escape for a single-quoted SQL string literal (backslash escapes on). */
static char *
sql_quote(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 3), *o = out;

	*o++ = '\'';
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\'':
		case '\\':
			*o++ = '\\';
			*o++ = *s;
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		case '\r':
			*o++ = '\\';
			*o++ = 'r';
			break;
		case '\032':
			*o++ = '\\';
			*o++ = 'Z';
			break;
		default:
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

char *
mysql_bootstrap_sql(const char *db, const char *user, const char *password,
    int idempotent)
{
	char *pw = sql_quote(password), *sql;

	if (idempotent)
		xasprintf(&sql,
		    "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY %s;\n"
		    "ALTER USER '%s'@'%%' IDENTIFIED BY %s;\n"
		    "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 "
		    "COLLATE utf8mb4_general_ci;\n"
		    "GRANT ALL ON `%s`.* TO '%s'@'%%' WITH GRANT OPTION;\n",
		    user, pw, user, pw, db, db, user);
	else
		xasprintf(&sql,
		    "CREATE USER '%s'@'%%' IDENTIFIED BY %s;\n"
		    "CREATE DATABASE `%s` CHARACTER SET utf8mb4 "
		    "COLLATE utf8mb4_general_ci;\n"
		    "GRANT ALL ON `%s`.* TO '%s'@'%%' WITH GRANT OPTION;\n",
		    user, pw, db, db, user);
	xfree_secret(pw);
	return sql;
}
