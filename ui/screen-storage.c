/* Object storage: the bucket W&B keeps its files in; F4 tests it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "answers-resolve.h"
#include "answers.h"
#include "check.h"
#include "checks-view.h"
#include "form.h"
#include "i18n.h"
#include "preflight.h"
#include "run-flags.h"
#include "screens.h"
#include "wizard.h"
#include "xmalloc.h"

static int
on_s3(const struct wiz *z)
{
	return strcmp(answers_get(z->a, "storage.provider"), "s3") == 0;
}

/* F4; a bucket that does not exist is then offered to be created, as
 * `wbinstall preflight --create-bucket` does. */
static void
test_storage(struct wiz *z)
{
	struct answers_resolver res = wiz_resolver(z);
	struct run_flags f;
	struct preflight_opts po;
	struct check_list l = { NULL, 0 };
	const struct check *c;
	char *q = NULL;
	int yes;

	wiz_run_family(z, "storage", NULL, &l);
	wiz_show_checks(z, "storage", &l);
	c = wiz_check_find(&l, "storage.bucket");
	if (c != NULL && c->status == CHECK_FAIL &&
	    strcmp(c->observed, "NoSuchBucket") == 0)
		q = xprintf(_("Bucket %s does not exist. Create it now? This is "
		    "what `wbinstall preflight --checks storage "
		    "--create-bucket` does."), c->target);
	checks_free(&l);
	if (q == NULL)
		return;
	yes = ui_ask(&z->view, q);
	free(q);
	if (!yes)
		return;
	memset(&f, 0, sizeof f);
	f.create_bucket = 1;
	f.no_disk_bench = 1;
	preflight_opts_from_flags(&res, &f, &po);
	wiz_run_family(z, "storage", &po, &l);
	wiz_show_checks(z, "storage", &l);
	checks_free(&l);
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
