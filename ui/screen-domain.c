/* Domain: the FQDN W&B is served at. */
#include "config.h"

#include "form.h"
#include "i18n.h"
#include "screens.h"

static const struct field_spec fields[] = {
	{ "domain.fqdn", N_("FQDN"), NULL, NULL, NULL },
	{ NULL, N_("Users open https://FQDN. TLS ends at the load balancer in "
	    "front of W&B: the certificate lives there, and W&B itself "
	    "speaks plain HTTP behind it."), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_domain = {
	"domain", N_("Domain"),
	N_("The fully qualified domain name of this W&B instance, without a "
	"scheme, port or path."),
	fields, NULL, NULL
};
