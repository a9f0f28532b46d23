/* Welcome: the language of the wizard, and what is being done. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "wizard.h"

/* Each language by its own name. */
static const char *const languages[] = { "en", "ko", "ja", NULL };
static const char *const language_labels[] = { "English", "한국어", "日本語",
	NULL };

static size_t
language_get(struct wiz *z, void *ctx)
{
	size_t i;

	(void)ctx;
	for (i = 0; languages[i] != NULL; i++)
		if (strcmp(languages[i], z->lang) == 0)
			return i;
	return 0;
}

/* Every string is looked up when drawn, so the next draw is in LANG. */
static void
language_set(struct wiz *z, void *ctx, size_t i)
{
	(void)ctx;
	wiz_lang(languages[i]);
	strcpy(z->lang, languages[i]);
}

static const struct ui_choice language = {
	language_labels, language_get, language_set
};

static const char *const mode_labels[] = { N_("new install"),
	N_("air-gapped install"), N_("upgrade"), NULL };

static size_t
mode_get(struct wiz *z, void *ctx)
{
	(void)ctx;
	return z->mode;
}

/* An air-gapped install is airgap.enabled; the others leave it off. */
static void
mode_set(struct wiz *z, void *ctx, size_t i)
{
	int airgap = answers_get_bool(z->a, "airgap.enabled");

	(void)ctx;
	z->mode = (enum wiz_mode)i;
	if (z->mode == MODE_AIRGAP && !airgap)
		answers_set(z->a, "airgap.enabled", "true", NULL);
	else if (z->mode == MODE_NEW && airgap)
		answers_set(z->a, "airgap.enabled", "false", NULL);
}

static const struct ui_choice mode = { mode_labels, mode_get, mode_set };

static const struct field_spec fields[] = {
	{ "@language", N_("Language"), NULL, &choice_class, &language },
	{ "@mode", N_("Mode"), NULL, &choice_class, &mode },
	{ NULL, N_("An air-gapped install adds the Air gap screen: the "
	    "offline bundle and the internal registry."), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_welcome = {
	"welcome", N_("Welcome"),
	N_("This wizard writes the answers file that every wbinstall command "
	"reads. Tab and Shift-Tab move between fields, Space changes a "
	"choice, Enter goes on, Esc goes back."),
	fields, NULL, NULL
};
