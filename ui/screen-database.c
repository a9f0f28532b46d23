/*
 * Database: the MySQL 8 server W&B uses; F4 tests it, and offers to
 * create a user and database that do not exist yet (mysql bootstrap).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "answers.h"
#include "check.h"
#include "checks-view.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "mysql.h"
#include "screens.h"
#include "wizard.h"
#include "xmalloc.h"

/* Asked first (the user, or only the database, does not exist yet): what
 * `wbinstall mysql bootstrap` does, then F4 again. */
static void
offer_bootstrap(struct wiz *z, int db_only)
{
	struct check_list l = { NULL, 0 };
	const char *db = answers_get(z->a, "mysql.database");
	const char *user = answers_get(z->a, "mysql.user");
	const char *host = answers_get(z->a, "mysql.host");
	const char *admin = answers_get(z->a, "mysql.admin.user");
	char *q, *msg = NULL, *cause = NULL;
	int yes;

	if (db_only)
		q = xprintf(_("Database %s does not exist yet on %s. Create it "
		    "now as %s (mysql.admin), and grant %s ALL on it? This is "
		    "what `wbinstall mysql bootstrap` does, and the install's "
		    "mysql-bootstrap step."), db, host, admin, user);
	else
		q = xprintf(_("User %s does not exist yet on %s. Create it and "
		    "database %s now as %s (mysql.admin)? This is what "
		    "`wbinstall mysql bootstrap` does, and the install's "
		    "mysql-bootstrap step."), user, host, db, admin);
	yes = ui_ask(&z->view, q);
	free(q);
	if (!yes)
		return;
	ui_busy(&z->view, _("Creating the database and the user…"));
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
	int offer = 0;

	wiz_run_family(z, "mysql", NULL, &l);
	wiz_show_checks(z, "mysql", &l);
	/* What the preflight saw missing, as mysql.admin. */
	c = wiz_check_find(&l, "mysql.connect");
	if (c != NULL && c->status == CHECK_WARN &&
	    strcmp(c->observed, _("(no user yet)")) == 0)
		offer = 1;
	c = wiz_check_find(&l, "mysql.charset");
	if (offer == 0 && c != NULL && c->status == CHECK_WARN &&
	    strcmp(c->observed, _("(no database)")) == 0)
		offer = 2;
	checks_free(&l);
	if (offer != 0)
		offer_bootstrap(z, offer == 2);
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
