#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "paths.h"

void
i18n_init(const char *lang)
{
	const char *cur;

	setlocale(LC_ALL, "");
	if (lang != NULL && *lang != '\0') {
		/*
		 * gettext ignores LANGUAGE under the "C" locale; C.UTF-8 is
		 * always present in glibc and lets LANGUAGE choose.
		 */
		cur = setlocale(LC_MESSAGES, NULL);
		if (cur == NULL || strcmp(cur, "C") == 0 ||
		    strcmp(cur, "POSIX") == 0)
			setlocale(LC_ALL, "C.UTF-8");
		setenv("LANGUAGE", lang, 1);
	}
	bindtextdomain(PACKAGE, paths_localedir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
