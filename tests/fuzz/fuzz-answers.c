/* libFuzzer target: the answers loader, the rules and the saver. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct answers_errors errs = { NULL, 0 };
	struct answers *a, *b;
	char *dump, *dump2;

	a = answers_load_buffer("fuzz.yaml", (const char *)data, size, &errs);
	if (a != NULL) {
		answers_check(a, &errs);
		/*
		 * What we write must load again as the same keys, with no
		 * syntax, type or unknown-key error, and save the same.
		 */
		dump = answers_dump(a);
		answers_errors_clear(&errs);
		b = answers_load_buffer("dump.yaml", dump, strlen(dump), &errs);
		if (b == NULL)
			abort();
		for (size_t i = 0; i < errs.n; i++)
			if (errs.v[i].class == AE_SYNTAX ||
			    errs.v[i].class == AE_DUPLICATE ||
			    errs.v[i].class == AE_TYPE ||
			    errs.v[i].class == AE_UNKNOWN)
				abort();
		dump2 = answers_dump(b);
		if (errs.n == 0 && strcmp(dump, dump2) != 0)
			abort();
		answers_free(b);
		free(dump);
		free(dump2);
	}
	answers_errors_clear(&errs);
	answers_free(a);
	return 0;
}
