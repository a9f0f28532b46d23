/* Object storage: the bucket W&B keeps its files in; F4 tests it. */
#include "config.h"

#include <string.h>

#include "i18n.h"
#include "wizard.h"

static int
on_s3(const struct wiz *z)
{
	return strcmp(answers_get(z->a, "storage.provider"), "s3") == 0;
}

static void
test_storage(struct wiz *z)
{
	wiz_test_family(z, "storage");
}

static const struct action_field text = { &text_class, 4, test_storage };
static const struct action_field choice = { &choice_class, 4, test_storage };
static const struct action_field secret = { &secret_class, 4, test_storage };
#define F(key, label, vis, a) { key, label, vis, &action_field_class, &a }

static const struct field_spec fields[] = {
	F("storage.provider", N_("Provider"), NULL, choice),
	F("storage.endpoint", N_("Endpoint"), on_s3, text),
	F("storage.bucket", N_("Bucket"), NULL, text),
	F("storage.path", N_("Path"), NULL, text),
	F("storage.region", N_("Region"), on_s3, text),
	F("storage.tls", N_("TLS"), on_s3, choice),
	F("storage.access_key", N_("Access key"), on_s3, secret),
	F("storage.secret_key", N_("Secret key"), on_s3, secret),
	F("storage.queue", N_("Queue"), NULL, text),
	F("storage.url", N_("Or a connection string"), on_s3, text),
	{ NULL, N_("F4 tests the bucket: the endpoint, CORS and a presigned "
	    "round trip, as `wbinstall preflight --checks storage` does."),
	    NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_storage = {
	"storage", N_("Object storage"),
	N_("Where W&B keeps its files: Amazon S3 or any S3-compatible store, "
	"GCS or Azure. Give the keys, or one connection string instead."),
	fields, wiz_not_aws, NULL
};
