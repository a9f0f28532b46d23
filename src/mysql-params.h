/* The MySQL parameter group and bootstrap SQL the seeds ask for. */
#ifndef WB_MYSQL_PARAMS_H
#define WB_MYSQL_PARAMS_H

struct mysql_param {
	const char *name;
	const char *value;	/* required value, as the server shows it */
	const char *warn_value;	/* an older docs value that only warns */
	int quoted;		/* written quoted in my.cnf ('ROW') */
	const char *source;	/* where the requirement comes from */
};

/* NULL-terminated (name == NULL). */
extern const struct mysql_param mysql_params[];

/*
 * The seed's SQL as statements (no ';'): CREATE USER, CREATE DATABASE
 * (utf8mb4 / utf8mb4_general_ci) and GRANT ALL, after a first statement
 * that adds NO_BACKSLASH_ESCAPES to the session's sql_mode, so that the
 * string literals (the quote doubled, nothing else escaped) are right
 * whatever the server's sql_mode; identifiers are in backticks, doubled.
 * With idempotent, IF NOT EXISTS forms and an ALTER USER so that running
 * it twice is safe.  Fills SQL[] (free each with xfree_secret(): they hold
 * the password) and WHAT[] (each statement's name, for messages); returns
 * how many, at most MYSQL_BOOTSTRAP_MAX.
 */
#define MYSQL_BOOTSTRAP_MAX	5
size_t mysql_bootstrap_stmts(const char *db, const char *user,
    const char *password, int idempotent, char **sql, const char **what);
/* The same as one text, each statement ending in ";\n" (the rendered
 * bootstrap.sql); free it with xfree_secret(). */
char *mysql_bootstrap_sql(const char *db, const char *user,
    const char *password, int idempotent);

#endif
