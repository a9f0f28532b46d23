/*
 * run-family FAMILY ANSWERS [--create-bucket]: run one preflight family
 * the way the preflight command and the wizard's screens do, and print
 * the results as JSON.  Exit status as the preflight command's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "check.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"

int
main(int argc, char **argv)
{
	struct preflight_opts po;
	struct check_list l = { NULL, 0 };
	const struct preflight_family *f;
	struct answers *a;
	char *json;
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: run-family FAMILY ANSWERS "
		    "[--create-bucket]\n");
		return EXIT_USAGE;
	}
	i18n_init("en");
	memset(&po, 0, sizeof po);
	po.create_bucket = argc == 4 && strcmp(argv[3], "--create-bucket") == 0;
	f = preflight_family_find(argv[1]);
	if (f == NULL) {
		fprintf(stderr, "run-family: no family %s\n", argv[1]);
		return EXIT_USAGE;
	}
	if (getenv("WB_TEST_LOG") != NULL)
		log_open(getenv("WB_TEST_LOG"), NULL);
	a = cmd_load_answers(argv[2], 0);
	if (a == NULL)
		return EXIT_USAGE;
	f->run(a, &po, &l);
	json = checks_json(&l);
	printf("%s\n", json);
	free(json);
	rc = checks_exit_code(&l);
	checks_free(&l);
	answers_free(a);
	log_close();
	return rc;
}
