/* Air gap: the offline bundle and the internal registry. */
#include "config.h"

#include "i18n.h"
#include "wizard.h"

static int
airgapped(const struct wiz *z)
{
	return answers_get_bool(z->a, "airgap.enabled");
}

static const struct field_spec fields[] = {
	{ "airgap.enabled", N_("Air-gapped"), NULL, NULL, NULL },
	{ "airgap.bundle", N_("Bundle"), NULL, NULL, NULL },
	{ "airgap.registry", N_("Registry"), NULL, NULL, NULL },
	{ "airgap.registry_ca", N_("Registry CA"), NULL, NULL, NULL },
	{ "airgap.plain_http", N_("Plain HTTP"), NULL, NULL, NULL },
	{ "airgap.chart_repo", N_("Chart repository"), NULL, NULL, NULL },
	{ "airgap.registry_user", N_("Registry user"), NULL, NULL, NULL },
	{ "airgap.registry_password", N_("Registry password"), NULL, NULL,
	    NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_airgap = {
	"airgap", N_("Air gap"),
	N_("For a site without internet access: the offline bundle to install "
	"from, and the internal registry that receives its images."),
	fields, airgapped, NULL
};
