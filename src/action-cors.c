/* Action "bucket-cors": PutBucketCors with the policy W&B needs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers-resolve.h"
#include "cors.h"
#include "i18n.h"
#include "plan.h"
#include "s3.h"
#include "xmalloc.h"

static int
cors_wanted(struct plan_ctx *c)
{
	return strcmp(answers_get(c->a, "storage.provider"), "s3") == 0;
}

static char *
cors_policy(struct plan_ctx *c)
{
	char *origin = xprintf("https://%s", answers_get(c->a, "domain.fqdn"));
	char *xml = cors_xml(origin);

	free(origin);
	return xml;
}

static char *
cors_inputs(struct plan_ctx *c)
{
	char *xml = cors_policy(c), *s;

	s = xprintf("%s %s %s", answers_get(c->a, "storage.endpoint"),
	    answers_get(c->a, "storage.bucket"), xml);
	free(xml);
	return s;
}

static int
cors_apply(struct plan_ctx *c, char **cause)
{
	struct storage_conf sc;
	struct s3 s;
	struct s3_resp r;
	const char *hdr[2];
	char *xml, *md5, *h, *path, *text;
	int rc = -1;

	if (storage_conf_resolve(c->a, &sc, cause) != 0)
		return -1;
	s3_init(&s, &sc);
	xml = cors_policy(c);
	md5 = s3_content_md5(xml, strlen(xml));
	h = xprintf("Content-MD5: %s", md5);
	hdr[0] = h;
	hdr[1] = NULL;
	path = xprintf("/%s", sc.bucket);
	if (s3_request(&s, "PUT", path, "cors", xml, strlen(xml), hdr, &r,
	    cause) == 0) {
		if (r.status == 200)
			rc = 0;
		else {
			text = s3_error_text(&r);
			*cause = xprintf(_("PutBucketCors on %s: %s"),
			    sc.bucket, text);
			free(text);
			if (r.code != NULL && s3_error_hint(r.code) != NULL)
				c->output = xstrdup(r.body);
		}
		s3_resp_free(&r);
	}
	free(path);
	free(h);
	free(md5);
	free(xml);
	s3_free(&s);
	storage_conf_free(&sc);
	return rc;
}

static void
cors_describe(struct plan_ctx *c, FILE *f)
{
	char *xml = cors_policy(c);

	fprintf(f, _("      PUT /%s?cors (signed, SigV4) on %s with:\n"),
	    answers_get(c->a, "storage.bucket"), *answers_get(c->a,
	    "storage.endpoint") != '\0' ? answers_get(c->a,
	    "storage.endpoint") : "Amazon S3");
	plan_print_stdin(f, xml, strlen(xml));
	free(xml);
}

const struct action action_cors = {
	"bucket-cors",
	N_("apply the bucket CORS policy for the W&B origin"),
	N_("give the storage keys s3:PutBucketCORS, or apply the rendered "
	   "storage/cors.xml to the bucket by hand"),
	cors_wanted,
	cors_inputs,
	cors_apply,
	NULL,
	NULL,
	cors_describe,
};
