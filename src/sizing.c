/* The seed sizing tables (reference architecture and bare-metal guide). */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "sizing.h"

#define K8S N_("Kubernetes worker node")
#define DB N_("MySQL node")
#define REFARCH "reference architecture: sizing"
#define BAREMETAL "bare-metal guide: application / database server"

const struct sizing sizing_table[] = {
	{ "kubernetes", "models", "test", "app", K8S, 2, 16, 100, 0, 0,
	    REFARCH },
	{ "kubernetes", "models", "production", "app", K8S, 8, 64, 100, 0, 0,
	    REFARCH },
	{ "kubernetes", "weave", "test", "app", K8S, 4, 32, 100, 0, 0,
	    REFARCH },
	{ "kubernetes", "weave", "production", "app", K8S, 12, 96, 100, 0, 0,
	    REFARCH },
	{ "kubernetes", "models+weave", "test", "app", K8S, 4, 32, 100, 0, 0,
	    REFARCH },
	{ "kubernetes", "models+weave", "production", "app", K8S, 16, 128, 100,
	    0, 0, REFARCH },
	{ "kubernetes", NULL, "test", "db", DB, 2, 16, 100, 0, 0, REFARCH },
	{ "kubernetes", NULL, "production", "db", DB, 8, 64, 500, 0, 0,
	    REFARCH },
	{ "baremetal", NULL, NULL, "app", N_("bare-metal application server"),
	    4, 8, 100, 4750, 10000, BAREMETAL },
	{ "baremetal", NULL, NULL, "db", N_("bare-metal database server"),
	    4, 32, 1000, 4750, 10000, BAREMETAL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL }
};

static int
matches(const char *want, const char *have)
{
	return want == NULL || (have != NULL && strcmp(want, have) == 0);
}

const struct sizing *
sizing_for(const char *platform, const char *products,
    const char *environment, const char *role)
{
	const struct sizing *s;

	/* Terraform builds an EKS cluster: the Kubernetes tables apply. */
	if (platform != NULL && strcmp(platform, "aws-terraform") == 0)
		platform = "kubernetes";
	for (s = sizing_table; s->platform != NULL; s++) {
		if (strcmp(s->platform, platform) == 0 &&
		    matches(s->products, products) &&
		    matches(s->environment, environment) &&
		    strcmp(s->role, role) == 0)
			return s;
	}
	return NULL;
}
