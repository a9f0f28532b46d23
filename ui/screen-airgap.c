/*
 * Air gap: the offline bundle and the internal registry.  Beneath the
 * bundle, what it holds; F3 shows all of it, F4 verifies it, F5 unpacks
 * it and F6 pushes its images to the registry (bundle-view.c).
 */
#include "config.h"

#include "action.h"
#include "answers.h"
#include "bundle-view.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "wizard.h"

static int
airgapped(const struct wiz *z)
{
	return answers_get_bool(z->a, "airgap.enabled");
}

#define KEYS(base) { \
	{ &base, 3, wiz_bundle_inspect }, \
	{ &base, 4, wiz_bundle_verify }, \
	{ &base, 5, wiz_bundle_unpack }, \
	{ &base, 6, wiz_bundle_push }, \
	{ NULL, 0, NULL } \
}
static const struct action_field text[] = KEYS(text_class);
static const struct action_field choice[] = KEYS(choice_class);
static const struct action_field secret[] = KEYS(secret_class);
#define F(key, label, a) { key, label, NULL, &action_fields_class, a }

static const struct field_spec fields[] = {
	F("airgap.enabled", N_("Air-gapped"), choice),
	F("airgap.bundle", N_("Bundle"), text),
	F("airgap.bundle_pubkey", N_("Signing key"), text),
	{ NULL, N_("Contents"), NULL, &bundle_summary_class, NULL },
	F("airgap.registry", N_("Registry"), text),
	F("airgap.registry_ca", N_("Registry CA"), text),
	F("airgap.plain_http", N_("Plain HTTP"), choice),
	F("airgap.chart_repo", N_("Chart repository"), text),
	F("airgap.registry_user", N_("Registry user"), text),
	F("airgap.registry_password", N_("Registry password"), secret),
	{ NULL, N_("F3 shows what the bundle holds. F4 verifies it, F5 "
	    "unpacks it beside itself (NAME.unpacked) and F6 pushes its "
	    "images to the registry, as `wbinstall bundle verify`, `unpack` "
	    "and `push` do; Esc cancels them."), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_airgap = {
	"airgap", N_("Air gap"),
	N_("For a site without internet access: the offline bundle to install "
	"from, and the internal registry that receives its images."),
	fields, airgapped, NULL
};
