/* gettext glue: every user-facing string goes through _() or N_(). */
#ifndef WB_I18N_H
#define WB_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Choose the message language: "en", "ko", "ja", or NULL for the locale. */
void i18n_init(const char *lang);

#endif
