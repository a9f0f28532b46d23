/* libFuzzer target: a bundle's manifest.yaml, as bundle inspect, verify,
 * unpack and push read it from a bundle that anyone may have made. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_manifest *m, *m2;
	char *cause = NULL, *out, *again;
	size_t len, len2;
	FILE *f;

	m = bundle_manifest_parse((const char *)data, size, "manifest.yaml",
	    &cause);
	if (m == NULL) {
		if (cause == NULL)
			abort();	/* a refusal always says why */
		free(cause);
		return 0;
	}
	if (bundle_manifest_total(m) < 0 ||
	    bundle_manifest_total(m) > BUNDLE_SIZE_MAX)
		abort();
	out = NULL;
	len = 0;
	if ((f = open_memstream(&out, &len)) != NULL) {
		bundle_manifest_print(f, m, 0);
		fclose(f);
		/* Nothing from the file reaches a terminal raw. */
		for (size_t i = 0; i < len; i++)
			if (out[i] == '\033' || out[i] == '\r')
				abort();
		free(out);
	}
	/* What we emit parses again, and emits the same. */
	bundle_manifest_sort_files(m);
	out = bundle_manifest_emit(m, &len);
	m2 = bundle_manifest_parse(out, len, "emitted", &cause);
	if (m2 == NULL)
		abort();
	again = bundle_manifest_emit(m2, &len2);
	if (len != len2 || memcmp(out, again, len) != 0)
		abort();
	free(again);
	free(out);
	bundle_manifest_free(m2);
	bundle_manifest_free(m);
	return 0;
}
