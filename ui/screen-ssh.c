/* SSH: how wbinstall reaches the targets. */
#include "config.h"

#include "i18n.h"
#include "wizard.h"

static const struct field_spec fields[] = {
	{ "ssh.user", N_("User"), NULL, NULL, NULL },
	{ "ssh.port", N_("Port"), NULL, NULL, NULL },
	{ "ssh.identity", N_("Identity file"), NULL, NULL, NULL },
	{ "ssh.passphrase", N_("Passphrase"), NULL, NULL, NULL },
	{ "ssh.password", N_("Password"), NULL, NULL, NULL },
	{ "ssh.known_hosts", N_("known_hosts"), NULL, NULL, NULL },
	{ "ssh.host_key_policy", N_("Host keys"), NULL, NULL, NULL },
	{ "ssh.timeout_s", N_("Timeout (s)"), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_ssh = {
	"ssh", N_("SSH"),
	N_("The defaults for every target. With no identity file, the keys of "
	"ssh-agent are used. Host keys are checked against known_hosts."),
	fields, NULL, NULL
};
