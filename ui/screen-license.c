/* License: pasted (masked) into a file, or an existing file. */
#include "config.h"

#include "form.h"
#include "i18n.h"
#include "screens.h"

static const struct field_spec fields[] = {
	{ "license.value", N_("License"), NULL, NULL, NULL },
	{ NULL, N_("Paste the license: it is kept in a 0600 file beside the "
	    "answers file and never shown again. Or give the path of a file "
	    "that holds it, or the name of an environment variable."),
	    NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_license = {
	"license", N_("License"),
	N_("The W&B license. Press Space (or start typing or pasting) on the "
	"field to enter it."),
	fields, NULL, NULL
};
