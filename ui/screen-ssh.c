/* SSH: how wbinstall reaches the targets; F4 checks them. */
#include "config.h"

#include "action.h"
#include "form.h"
#include "i18n.h"
#include "preflight-view.h"
#include "screens.h"

static const struct action_field text = { &text_class, 4,
    wiz_preflight_hosts };
static const struct action_field choice = { &choice_class, 4,
    wiz_preflight_hosts };
static const struct action_field secret = { &secret_class, 4,
    wiz_preflight_hosts };
#define F(key, label, a) { key, label, NULL, &action_field_class, &a }

static const struct field_spec fields[] = {
	F("ssh.user", N_("User"), text),
	F("ssh.port", N_("Port"), text),
	F("ssh.identity", N_("Identity file"), text),
	F("ssh.passphrase", N_("Passphrase"), secret),
	F("ssh.password", N_("Password"), secret),
	F("ssh.known_hosts", N_("known_hosts"), text),
	F("ssh.host_key_policy", N_("Host keys"), choice),
	F("ssh.timeout_s", N_("Timeout (s)"), text),
	{ NULL, N_("F4 checks every target live, as `wbinstall preflight "
	    "--checks hosts` does."), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_ssh = {
	"ssh", N_("SSH"),
	N_("The defaults for every target. With no identity file, the keys of "
	"ssh-agent are used. Host keys are checked against known_hosts."),
	fields, NULL, NULL
};
