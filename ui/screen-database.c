/* Database: the MySQL 8 server W&B uses. */
#include "config.h"

#include "i18n.h"
#include "wizard.h"

static const struct field_spec fields[] = {
	{ "mysql.host", N_("Host"), NULL, NULL, NULL },
	{ "mysql.port", N_("Port"), NULL, NULL, NULL },
	{ "mysql.database", N_("Database"), NULL, NULL, NULL },
	{ "mysql.user", N_("User"), NULL, NULL, NULL },
	{ "mysql.password", N_("Password"), NULL, NULL, NULL },
	{ "mysql.admin.user", N_("Admin user"), NULL, NULL, NULL },
	{ "mysql.admin.password", N_("Admin password"), NULL, NULL, NULL },
	{ NULL, N_("The admin credentials are optional: with them, the "
	    "installer creates the database and the user."), NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_database = {
	"database", N_("Database"),
	N_("The MySQL 8 server that holds W&B's metadata."),
	fields, wiz_not_aws, NULL
};
