/* Action "mysql-bootstrap": the database and user, as mysql.admin. */
#include "config.h"

#include <stdlib.h>

#include "i18n.h"
#include "log.h"
#include "mysql.h"
#include "plan.h"
#include "xmalloc.h"

static int
mysql_wanted(struct plan_ctx *c)
{
	return *answers_get(c->a, "mysql.admin.user") != '\0';
}

static char *
mysql_inputs(struct plan_ctx *c)
{
	return xprintf("%s:%ld/%s %s", answers_get(c->a, "mysql.host"),
	    answers_get_int(c->a, "mysql.port"), answers_get(c->a,
	    "mysql.database"), answers_get(c->a, "mysql.user"));
}

static int
mysql_apply(struct plan_ctx *c, char **cause)
{
	char *msg = NULL;

	if (db_bootstrap(c->a, &msg, cause) != 0)
		return -1;
	fprintf(c->out, "      %s\n", msg);
	free(msg);
	return 0;
}

static void
mysql_describe(struct plan_ctx *c, FILE *f)
{
	fprintf(f, _("      as %s on %s:%ld: CREATE DATABASE IF NOT EXISTS "
	    "%s, CREATE USER IF NOT EXISTS %s, GRANT ALL (the seed SQL; the "
	    "password is not shown)\n"), answers_get(c->a, "mysql.admin.user"),
	    answers_get(c->a, "mysql.host"), answers_get_int(c->a,
	    "mysql.port"), answers_get(c->a, "mysql.database"),
	    answers_get(c->a, "mysql.user"));
}

const struct action action_mysql = {
	"mysql-bootstrap",
	N_("create the database and the user (mysql.admin is set)"),
	N_("check mysql.admin's credentials and grants (it needs CREATE, "
	   "CREATE USER and GRANT OPTION), or create the database and user "
	   "by hand with the rendered mysql/bootstrap.sql and remove "
	   "mysql.admin"),
	mysql_wanted,
	mysql_inputs,
	mysql_apply,
	NULL,
	NULL,
	mysql_describe,
};
