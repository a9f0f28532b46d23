/*
 * wbinstall storage presign --answers FILE --method GET|PUT --key KEY
 *     [--expires S] [--at YYYYMMDDTHHMMSSZ]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers-resolve.h"
#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "presign.h"
#include "storage-url.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_storage_entry;

static const struct cmd_opt storage_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file (storage.*)"),
	    "presign!" },
	{ "method", 'm', "GET|PUT", N_("the request the URL is for"),
	    "presign!" },
	{ "key", 'k', "KEY", N_("the object key in the bucket, used as is"),
	    "presign!" },
	{ "expires", 'e', "S", N_("seconds the URL stays valid (default "
	    "3600, at most 604800)"), "presign" },
	{ "at", 't', "TIME", N_("sign as of TIME, YYYYMMDDTHHMMSSZ in UTC "
	    "(default: now)"), "presign" },
	{ NULL, 0, NULL, NULL, NULL }
};

static int storage_presign(int, char **);

static const struct cmd_sub storage_subs[] = {
	{ "presign", storage_presign, NULL },
	{ NULL, NULL, NULL }
};

static int
storage_presign(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_storage_entry;
	const char *file = NULL, *method = NULL, *key = NULL;
	struct storage_conf sc;
	struct answers *a;
	char *end, *cause = NULL, *url;
	long expires = 3600;
	time_t at = time(NULL);
	struct cmd_parse cp;
	int c, bad = 0;

	cmd_parse_init(&cp, self, "presign");
	while (!bad && (c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'm':
			method = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'e':
			expires = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || expires < 1 ||
			    expires > PRESIGN_EXPIRES_MAX)
				bad = cmd_usage_error(self, _("--expires "
				    "takes seconds in 1-%d"),
				    PRESIGN_EXPIRES_MAX);
			break;
		case 't':
			if (presign_parse_time(optarg, &at) != 0)
				bad = cmd_usage_error(self, _("--at takes a "
				    "UTC time as YYYYMMDDTHHMMSSZ, not '%s'"),
				    optarg);
			break;
		}
	}
	cmd_parse_free(&cp);
	if (bad)
		return bad;
	if (c < 0)
		return cp.rc;
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (method == NULL ||
	    (strcmp(method, "GET") != 0 && strcmp(method, "PUT") != 0))
		return cmd_usage_error(self, _("--method takes GET or PUT"));
	if (key == NULL || *key == '\0')
		return cmd_usage_error(self, _("--key KEY is required"));

	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	if (strcmp(answers_get(a, "storage.provider"), "s3") != 0) {
		c = cmd_fail(EXIT_USAGE, _("storage.provider is %s: presigned "
		    "URLs are made for S3-compatible stores only"),
		    answers_get(a, "storage.provider"));
		answers_free(a);
		return c;
	}
	if (storage_conf_resolve(a, &sc, &cause) != 0) {
		c = cmd_fail(EXIT_USAGE, "%s", cause);
		free(cause);
		answers_free(a);
		return c;
	}
	url = presign_url(&sc, method, key, expires, at, &cause);
	if (url == NULL) {
		c = cmd_fail(EXIT_USAGE, "%s", cause);
		free(cause);
	} else {
		log_info("storage presign: %s of a key in bucket %s, %ld s",
		    method, sc.bucket, expires);
		printf("%s\n", url);
		free(url);
		c = EXIT_OK;
	}
	storage_conf_free(&sc);
	answers_free(a);
	return c;
}

static int
cmd_storage_exec(int argc, char **argv)
{
	return cmd_dispatch(&cmd_storage_entry, storage_subs, argc, argv);
}

const struct cmd_entry cmd_storage_entry = {
	"storage",
	N_("presign [OPTIONS]"),
	N_("Object store tools: print a presigned URL."),
	N_("The URL uses path-style addressing and SigV4 query signing.\n"
	   "Exit status: 0 printed, 2 bad usage or invalid answers.\n"),
	cmd_storage_exec,
	storage_opts,
	storage_subs,
};
