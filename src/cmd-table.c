/* The command table: one entry per command, each in its own cmd-*.c. */
#include "config.h"

#include <string.h>

#include "cmd.h"

extern const struct cmd_entry cmd_wizard_entry;
extern const struct cmd_entry cmd_validate_entry;
extern const struct cmd_entry cmd_answers_entry;
extern const struct cmd_entry cmd_preflight_entry;
extern const struct cmd_entry cmd_hosts_entry;
extern const struct cmd_entry cmd_mysql_entry;
extern const struct cmd_entry cmd_storage_entry;
extern const struct cmd_entry cmd_render_entry;
extern const struct cmd_entry cmd_images_entry;
extern const struct cmd_entry cmd_bundle_entry;
extern const struct cmd_entry cmd_install_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_upgrade_entry;
extern const struct cmd_entry cmd_support_entry;

/* A command is listed here only once it works; --help shows this order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_wizard_entry,
	&cmd_validate_entry,
	&cmd_answers_entry,
	&cmd_preflight_entry,
	&cmd_hosts_entry,
	&cmd_mysql_entry,
	&cmd_storage_entry,
	&cmd_render_entry,
	&cmd_images_entry,
	&cmd_bundle_entry,
	&cmd_install_entry,
	&cmd_verify_entry,
	&cmd_upgrade_entry,
	&cmd_support_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}
