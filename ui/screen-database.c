/* Database: the MySQL 8 server W&B uses; F4 tests it. */
#include "config.h"

#include "i18n.h"
#include "wizard.h"

static void
test_mysql(struct wiz *z)
{
	wiz_test_family(z, "mysql");
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
