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
 * The seed's SQL: CREATE USER, CREATE DATABASE (utf8mb4 /
 * utf8mb4_general_ci) and GRANT ALL.  With idempotent, IF NOT EXISTS forms
 * and an ALTER USER so that running it twice is safe.  PASSWORD is
 * escaped for a SQL string literal; db and user must be valid answers
 * values (mysql.database / mysql.user patterns).  Returns a new string;
 * free it with xfree_secret().
 */
char *mysql_bootstrap_sql(const char *db, const char *user,
    const char *password, int idempotent);

#endif
