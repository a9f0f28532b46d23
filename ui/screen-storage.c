/* Object storage: the bucket W&B keeps its files in. */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "wizard.h"

static int
on_s3(const struct wiz *z)
{
	return strcmp(answers_get(z->a, "storage.provider"), "s3") == 0;
}

static const struct field_spec fields[] = {
	{ "storage.provider", N_("Provider"), NULL, NULL, NULL },
	{ "storage.endpoint", N_("Endpoint"), on_s3, NULL, NULL },
	{ "storage.bucket", N_("Bucket"), NULL, NULL, NULL },
	{ "storage.path", N_("Path"), NULL, NULL, NULL },
	{ "storage.region", N_("Region"), on_s3, NULL, NULL },
	{ "storage.tls", N_("TLS"), on_s3, NULL, NULL },
	{ "storage.access_key", N_("Access key"), on_s3, NULL, NULL },
	{ "storage.secret_key", N_("Secret key"), on_s3, NULL, NULL },
	{ "storage.queue", N_("Queue"), NULL, NULL, NULL },
	{ "storage.url", N_("Or a connection string"), on_s3, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_storage = {
	"storage", N_("Object storage"),
	N_("Where W&B keeps its files: Amazon S3 or any S3-compatible store, "
	"GCS or Azure. Give the keys, or one connection string instead."),
	fields, wiz_not_aws, NULL
};
