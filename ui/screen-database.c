/*
 * Database: the MySQL 8 server W&B uses; F4 tests it, and offers to
 * create a user and database that do not exist yet (mysql bootstrap).
 */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "i18n.h"
#include "log.h"
#include "mysql.h"
#include "wizard.h"
#include "xmalloc.h"

/* Asked first: what `wbinstall mysql bootstrap` does, then F4 again. */
static void
offer_bootstrap(struct wiz *z)
{
	struct check_list l = { NULL, 0 };
	char *q, *msg = NULL, *cause = NULL;
	int yes;

	q = xprintf(_("User %s does not exist yet on %s. Create it and "
	    "database %s now, as %s (mysql.admin)? This is what "
	    "`wbinstall mysql bootstrap` does, and the install's "
	    "mysql-bootstrap step."), answers_get(z->a, "mysql.user"),
	    answers_get(z->a, "mysql.host"),
	    answers_get(z->a, "mysql.database"),
	    answers_get(z->a, "mysql.admin.user"));
	yes = ui_ask(&z->view, q);
	free(q);
	if (!yes)
		return;
	wiz_busy(&z->view, _("Creating the database and the user…"));
	log_info("wizard: mysql bootstrap");
	if (db_bootstrap(z->a, &msg, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		ui_pager(&z->view, _("MySQL bootstrap"), cause, 0);
		free(cause);
		return;
	}
	wiz_run_family(z, "mysql", NULL, &l);
	wiz_show_checks_after(z, "mysql", &l, msg);
	checks_free(&l);
	free(msg);
}

static void
test_mysql(struct wiz *z)
{
	struct check_list l = { NULL, 0 };
	const struct check *c;
	int missing;

	wiz_run_family(z, "mysql", NULL, &l);
	wiz_show_checks(z, "mysql", &l);
	/* Only a user that does not exist yet is a warning here. */
	c = wiz_check_find(&l, "mysql.connect");
	missing = c != NULL && c->status == CHECK_WARN &&
	    answers_is_set(z->a, "mysql.admin.user");
	checks_free(&l);
	if (missing)
		offer_bootstrap(z);
}

static const struct action_field text = { &text_class, 4, test_mysql };
static const struct action_field secret = { &secret_class, 4, test_mysql };
#define F(key, label, a) { key, label, NULL, &action_field_class, &a }

static const struct field_spec fields[] = {
	F("mysql.host", N_("Host"), text),
	F("mysql.port", N_("Port"), text),
	F("mysql.database", N_("Database"), text),
	F("mysql.user", N_("User"), text),
	F("mysql.password", N_("Password"), secret),
	F("mysql.admin.user", N_("Admin user"), text),
	F("mysql.admin.password", N_("Admin password"), secret),
	{ NULL, N_("The admin credentials are optional: with them, the "
	    "installer creates the database and the user."), NULL, NULL,
	    NULL },
	{ NULL, N_("F4 tests the connection, the version, the parameters and "
	    "the grants, as `wbinstall preflight --checks mysql` does."),
	    NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_database = {
	"database", N_("Database"),
	N_("The MySQL 8 server that holds W&B's metadata."),
	fields, wiz_not_aws, NULL
};
