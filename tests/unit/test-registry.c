/* Unit tests of the registry client's auth: challenges and token scopes. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "tap.h"

struct ccase {
	const char *in;
	int rc;
	const char *scheme, *realm, *service, *scope, *error;
};

static const struct ccase ccases[] = {
	{ "Bearer realm=\"https://auth.example/token\",service=\"reg\","
	  "scope=\"repository:a/b:pull\"", 0, "Bearer",
	  "https://auth.example/token", "reg", "repository:a/b:pull", NULL },
	/* distribution's challenge for a mount names two scopes */
	{ "Bearer realm=\"http://127.0.0.1:1/token\",service=\"s\","
	  "scope=\"repository:x:pull,push repository:y:pull\","
	  "error=\"insufficient_scope\"", 0, "Bearer",
	  "http://127.0.0.1:1/token", "s",
	  "repository:x:pull,push repository:y:pull", "insufficient_scope" },
	{ "Basic realm=\"wb-test\"", 0, "Basic", "wb-test", NULL, NULL,
	  NULL },
	{ "basic   Realm = \"a, \\\"b\\\"\" , charset=UTF-8", 0, "basic",
	  "a, \"b\"", NULL, NULL, NULL },
	{ "Bearer realm=https://t/x,service=reg", 0, "Bearer", "https://t/x",
	  "reg", NULL, NULL },
	/* of two challenges, the first */
	{ "Bearer realm=\"r1\", Basic realm=\"r2\"", 0, "Bearer", "r1", NULL,
	  NULL, NULL },
	{ "Bearer", 0, "Bearer", NULL, NULL, NULL, NULL },
	{ "Bearer realm=\"unterminated", -1, NULL, NULL, NULL, NULL, NULL },
	{ "", -1, NULL, NULL, NULL, NULL, NULL },
	{ "Bearer ,=x", -1, NULL, NULL, NULL, NULL, NULL },
};

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
test_challenges(void)
{
	struct registry_challenge ch;
	size_t i;
	int rc;

	for (i = 0; i < sizeof ccases / sizeof ccases[0]; i++) {
		const struct ccase *c = &ccases[i];

		rc = registry_challenge_parse(c->in, &ch);
		tap_ok(rc == c->rc && same(ch.scheme, c->scheme) &&
		    same(ch.realm, c->realm) && same(ch.service, c->service) &&
		    same(ch.scope, c->scope) && same(ch.error, c->error),
		    "challenge '%s'", c->in);
		registry_challenge_clear(&ch);
	}
}

struct scase {
	const char *have, *need;
	int covers;
};

static const struct scase scases[] = {
	{ "repository:a:pull,push", "repository:a:pull", 1 },
	{ "repository:a:pull,push", "repository:a:push,pull", 1 },
	{ "repository:a:pull", "repository:a:pull,push", 0 },
	{ "repository:a:*", "repository:a:pull,push", 1 },
	{ "repository:a:pull,push", "repository:b:pull", 0 },
	{ "repository:ab:pull", "repository:a:pull", 0 },
	{ "repository:x:pull,push repository:y:pull",
	  "repository:x:pull,push repository:y:pull", 1 },
	{ "repository:x:pull,push repository:y:pull",
	  "repository:y:pull", 1 },
	{ "repository:x:pull,push", "repository:x:pull,push repository:y:pull",
	  0 },
	{ "repository(plugin):p:pull", "repository:p:pull", 0 },
	{ "repository:a:pull", "", 1 },
	{ "", "repository:a:pull", 0 },
	{ "registry:catalog:*", "registry:catalog:*", 1 },
};

static void
test_scopes(void)
{
	size_t i;

	for (i = 0; i < sizeof scases / sizeof scases[0]; i++) {
		const struct scase *c = &scases[i];

		tap_ok(registry_scope_covers(c->have, c->need) == c->covers,
		    "'%s' %s '%s'", c->have, c->covers ? "covers" :
		    "does not cover", c->need);
	}
}

int
main(void)
{
	test_challenges();
	test_scopes();
	return tap_done();
}
