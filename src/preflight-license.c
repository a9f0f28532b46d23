/*
 * The license family.  A W&B license is a JWT in the JWS compact form
 * (RFC 7515 section 7.1): three base64url segments, header.payload.
 * signature.  Sites meet a malformed one only when the server starts
 * ("compact JWS format must have three parts", wandb/server #138) and an
 * expired one only when the server stops taking it (wandb/server #127):
 * these checks say so before the install.  The signature is W&B's to
 * check; the license itself is never printed, logged or kept: only what
 * its claims say.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "answers-resolve.h"
#include "i18n.h"
#include "preflight.h"
#include "xmalloc.h"

#define T "license"
/* Warn this many days before the license expires. */
#define LICENSE_WARN_DAYS 30

/* Base64url (no padding) of LEN bytes at S, decoded; NULL if it is not. */
static unsigned char *
b64url_decode(const char *s, size_t len, size_t *outlen)
{
	char *std;
	unsigned char *out;
	size_t i, padded = (len + 3) / 4 * 4;
	int n;

	if (len % 4 == 1)
		return NULL;
	std = xmalloc(padded + 1);
	for (i = 0; i < len; i++) {
		if (isalnum((unsigned char)s[i]))
			std[i] = s[i];
		else if (s[i] == '-')
			std[i] = '+';
		else if (s[i] == '_')
			std[i] = '/';
		else {
			free(std);
			return NULL;
		}
	}
	for (; i < padded; i++)
		std[i] = '=';
	std[padded] = '\0';
	out = xmalloc(padded + 1);
	n = EVP_DecodeBlock(out, (const unsigned char *)std, (int)padded);
	OPENSSL_cleanse(std, padded);
	free(std);
	if (n < 0) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)n - (padded - len);	/* the padding's zero bytes */
	out[*outlen] = '\0';
	return out;
}

/* What the claims license, as "name=value ..." of the scalar claims that
 * are not JWT's own; NULL when there are none. */
static char *
claims_summary(json_t *claims)
{
	static const char *const registered[] = { "iss", "sub", "aud", "exp",
		"nbf", "iat", "jti", NULL };
	const char *k;
	json_t *v;
	char *s = NULL, *n, val[48];
	size_t i, shown = 0;

	json_object_foreach(claims, k, v) {
		for (i = 0; registered[i] != NULL; i++)
			if (strcmp(k, registered[i]) == 0)
				break;
		if (registered[i] != NULL || shown == 8)
			continue;
		if (json_is_integer(v))
			snprintf(val, sizeof val, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
		else if (json_is_boolean(v))
			snprintf(val, sizeof val, "%s", json_is_true(v) ?
			    "true" : "false");
		else if (json_is_string(v) && strlen(json_string_value(v)) <
		    sizeof val)
			snprintf(val, sizeof val, "%s", json_string_value(v));
		else
			continue;
		n = xprintf("%s%s%s=%s", s != NULL ? s : "", s != NULL ? " " :
		    "", k, val);
		free(s);
		s = n;
		shown++;
	}
	return s;
}

void
preflight_license_check(const char *license, time_t now,
    struct check_list *l)
{
	const char *dot1, *dot2, *p;
	unsigned char *payload;
	json_t *claims, *exp;
	json_error_t jerr;
	size_t len, parts = 1;
	char when[32], *summary;
	long long days;
	time_t t;
	struct tm tm;

	for (p = license; *p != '\0'; p++)
		parts += *p == '.';
	dot1 = strchr(license, '.');
	dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
	if (parts != 3 || dot1 == license || dot2 == dot1 + 1 ||
	    dot2[1] == '\0') {
		snprintf(when, sizeof when, parts == 3 ? _("an empty part") :
		    _("%zu parts"), parts);
		checks_add(l, T, "license.format", CHECK_FAIL, when,
		    _("header.payload.signature"),
		    _("copy the license again, whole, from W&B's deployer or "
		    "your W&B contact; a line break or a space cut it"),
		    "%s", _("a W&B license is a JWT: three non-empty parts, "
		    "separated by dots"));
		checks_add(l, T, "license.expiry", CHECK_SKIP, NULL, NULL,
		    NULL, "%s", _("not run: the license cannot be read"));
		return;
	}
	payload = b64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &len);
	claims = payload != NULL ? json_loadb((const char *)payload, len, 0,
	    &jerr) : NULL;
	if (payload != NULL) {
		OPENSSL_cleanse(payload, len);
		free(payload);
	}
	if (claims == NULL || !json_is_object(claims)) {
		checks_add(l, T, "license.format", CHECK_FAIL,
		    _("3 parts; the payload is not base64url JSON"),
		    _("header.payload.signature"),
		    _("copy the license again, whole, from W&B's deployer or "
		    "your W&B contact"), "%s", _("the license's payload "
		    "cannot be read"));
		checks_add(l, T, "license.expiry", CHECK_SKIP, NULL, NULL,
		    NULL, "%s", _("not run: the license cannot be read"));
		json_decref(claims);
		return;
	}
	checks_add(l, T, "license.format", CHECK_PASS, _("3 parts"),
	    _("header.payload.signature"), NULL, "%s",
	    _("the license is a JWT whose claims can be read"));

	exp = json_object_get(claims, "exp");
	if (!json_is_number(exp)) {
		checks_add(l, T, "license.expiry", CHECK_WARN, _("no exp "
		    "claim"), NULL, _("ask W&B whether this license expires"),
		    "%s", _("the license names no expiry"));
	} else {
		t = (time_t)json_number_value(exp);
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d", &tm);
		days = ((long long)t - (long long)now) / 86400;
		if (t <= now)
			checks_add(l, T, "license.expiry", CHECK_FAIL, when,
			    _("a date to come"), _("ask W&B for a new "
			    "license; the server stops taking this one"),
			    _("the license expired on %s"), when);
		else if (days < LICENSE_WARN_DAYS)
			checks_add(l, T, "license.expiry", CHECK_WARN, when,
			    _("30 days or more"), _("ask W&B for a new "
			    "license before it expires"), _("the license "
			    "expires on %s, in %lld days"), when, days);
		else
			checks_add(l, T, "license.expiry", CHECK_PASS, when,
			    _("30 days or more"), NULL, _("the license "
			    "expires on %s, in %lld days"), when, days);
	}
	summary = claims_summary(claims);
	checks_add(l, T, "license.claims", CHECK_PASS, summary, NULL, NULL,
	    "%s", summary != NULL ? _("what the license's claims grant") :
	    _("the license's claims name no limits"));
	free(summary);
	json_decref(claims);
}

static void
preflight_license_run(const struct answers *a,
    const struct preflight_opts *o, struct check_list *l)
{
	char *license, *cause = NULL;

	/* The wizard's resolver knows a license typed, not yet saved. */
	if ((license = resolver_secret(o != NULL ? o->resolve : NULL, a,
	    "license.value", &cause)) == NULL) {
		checks_add(l, T, "license.format", CHECK_FAIL, NULL, NULL,
		    _("set license.value to {env: NAME} or {file: PATH}"),
		    "%s", cause);
		free(cause);
		return;
	}
	preflight_license_check(license, time(NULL), l);
	xfree_secret(license);
}

const struct preflight_family preflight_license = {
	"license",
	preflight_license_run,
};
