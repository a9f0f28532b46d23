/* wbinstall mysql bootstrap --answers FILE */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "mysql.h"

extern const struct cmd_entry cmd_mysql_entry;

static const struct cmd_opt mysql_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file (mysql.*, with "
	    "mysql.admin)"), "bootstrap!" },
	{ NULL, 0, NULL, NULL, NULL }
};

static int mysql_bootstrap(int, char **);

static const struct cmd_sub mysql_subs[] = {
	{ "bootstrap", mysql_bootstrap, NULL },
	{ NULL, NULL, NULL }
};

static int
mysql_bootstrap(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_mysql_entry;
	const char *file = NULL;
	char *msg = NULL, *cause = NULL;
	struct answers *a;
	struct cmd_parse cp;
	int c;

	cmd_parse_init(&cp, self, "bootstrap");
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0)
		if (c == 'a')
			file = optarg;
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	if (!answers_is_set(a, "mysql.admin.user")) {
		answers_free(a);
		return cmd_fail(EXIT_USAGE, _("%s: mysql.admin.user is not "
		    "set: bootstrap needs an administrator that may create "
		    "users and databases"), file);
	}
	if (db_bootstrap(a, &msg, &cause) != 0) {
		c = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
	} else {
		printf("%s\n", msg);
		free(msg);
		c = EXIT_OK;
	}
	answers_free(a);
	return c;
}

static int
cmd_mysql_exec(int argc, char **argv)
{
	return cmd_dispatch(&cmd_mysql_entry, mysql_subs, argc, argv);
}

const struct cmd_entry cmd_mysql_entry = {
	"mysql",
	N_("bootstrap [OPTIONS]"),
	N_("Create the W&B database and user as the seed SQL does."),
	N_("Connects as mysql.admin.user and runs, one statement a call, SET\n"
	   "SESSION sql_mode (adding NO_BACKSLASH_ESCAPES, so that the password\n"
	   "reads the same under every sql_mode), CREATE USER IF NOT EXISTS,\n"
	   "ALTER USER (the password of mysql.password), CREATE DATABASE IF\n"
	   "NOT EXISTS ... utf8mb4 / utf8mb4_general_ci and GRANT ALL, then\n"
	   "logs in as mysql.user.  Running it again is safe.\n"
	   "Exit status: 0 ready, 1 failed, 2 bad usage or invalid answers.\n"),
	cmd_mysql_exec,
	mysql_opts,
	mysql_subs,
};
