#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "i18n.h"
#include "storage-url.h"
#include "xmalloc.h"

void
storage_conf_free(struct storage_conf *c)
{
	free(c->provider);
	xfree_secret(c->access_key);
	xfree_secret(c->secret_key);
	free(c->host);
	free(c->bucket);
	free(c->path);
	free(c->region);
	memset(c, 0, sizeof *c);
}

char *
url_encode(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0), *r;

	if (e == NULL)
		abort();
	r = xstrdup(e);
	curl_free(e);
	return r;
}

static char *
url_part(CURLU *u, CURLUPart part, unsigned flags)
{
	char *v = NULL, *r;

	if (curl_url_get(u, part, &v, flags) != CURLUE_OK || v == NULL)
		return NULL;
	r = xstrdup(v);
	curl_free(v);
	return r;
}

static enum aerr
parse_query(const char *q, struct storage_conf *c, char **cause)
{
	char *dup = xstrdup(q), *save = NULL, *kv, *eq;
	enum aerr rc = AE_OK;

	for (kv = strtok_r(dup, "&", &save); kv != NULL;
	    kv = strtok_r(NULL, "&", &save)) {
		eq = strchr(kv, '=');
		if (eq == NULL) {
			*cause = xprintf(_("storage URL: parameter '%s' has "
			    "no value"), kv);
			rc = AE_FORMAT;
			break;
		}
		*eq++ = '\0';
		if (strcmp(kv, "tls") == 0) {
			if (strcmp(eq, "true") == 0)
				c->tls = 1;
			else if (strcmp(eq, "false") == 0)
				c->tls = 0;
			else {
				*cause = xstrdup(_("storage URL: tls must be "
				    "true or false"));
				rc = AE_FORMAT;
				break;
			}
		} else if (strcmp(kv, "region") == 0) {
			if (*eq == '\0') {
				*cause = xstrdup(_("storage URL: region is "
				    "empty"));
				rc = AE_FORMAT;
				break;
			}
			free(c->region);
			c->region = xstrdup(eq);
		} else {
			*cause = xprintf(_("storage URL: unknown parameter "
			    "'%s' (known: tls, region)"), kv);
			rc = AE_FORMAT;
			break;
		}
	}
	free(dup);
	return rc;
}

enum aerr
storage_url_parse(const char *url, struct storage_conf *out, char **cause)
{
	struct storage_conf c;
	CURLU *u;
	char *path = NULL, *query = NULL, *port = NULL, *slash;
	enum aerr rc = AE_FORMAT;

	memset(&c, 0, sizeof c);
	if (strncmp(url, "s3://", 5) != 0) {
		*cause = xstrdup(_("storage URL must start with s3://"));
		return AE_FORMAT;
	}
	u = curl_url();
	if (u == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url,
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		/* Never quote the URL: it holds the keys. */
		*cause = xstrdup(_("storage URL is not a valid URL "
		    "(percent-encode '/', '@' and ':' inside the keys)"));
		goto out;
	}
	c.provider = xstrdup("s3");
	c.access_key = url_part(u, CURLUPART_USER, CURLU_URLDECODE);
	c.secret_key = url_part(u, CURLUPART_PASSWORD, CURLU_URLDECODE);
	if (c.access_key == NULL || *c.access_key == '\0' ||
	    c.secret_key == NULL || *c.secret_key == '\0') {
		*cause = xstrdup(_("storage URL needs ACCESS_KEY:SECRET_KEY@ "
		    "before the host"));
		goto out;
	}
	c.host = url_part(u, CURLUPART_HOST, 0);
	if (c.host == NULL || *c.host == '\0') {
		*cause = xstrdup(_("storage URL has no host"));
		goto out;
	}
	port = url_part(u, CURLUPART_PORT, 0);
	if (port != NULL) {
		c.port = atoi(port);
		if (c.port < 1 || c.port > 65535) {
			*cause = xstrdup(_("storage URL: port must be in "
			    "1-65535"));
			goto out;
		}
	}
	path = url_part(u, CURLUPART_PATH, CURLU_URLDECODE);
	if (path == NULL || path[0] != '/' || path[1] == '\0') {
		*cause = xstrdup(_("storage URL has no bucket: "
		    "s3://KEY:SECRET@HOST/BUCKET"));
		goto out;
	}
	slash = strchr(path + 1, '/');
	if (slash != NULL) {
		c.bucket = xstrndup(path + 1, (size_t)(slash - path - 1));
		while (*slash == '/')
			slash++;
		c.path = xstrdup(slash);
		if (*c.path != '\0' && c.path[strlen(c.path) - 1] == '/')
			c.path[strlen(c.path) - 1] = '\0';
	} else {
		c.bucket = xstrdup(path + 1);
		c.path = xstrdup("");
	}
	c.tls = 1;
	query = url_part(u, CURLUPART_QUERY, 0);
	if (query != NULL && (rc = parse_query(query, &c, cause)) != AE_OK)
		goto out;
	rc = AE_FORMAT;
	if (c.region == NULL) {
		*cause = xstrdup(_("storage URL needs ?region=REGION"));
		goto out;
	}
	rc = AE_OK;
	*out = c;
	memset(&c, 0, sizeof c);
out:
	storage_conf_free(&c);
	free(path);
	free(query);
	free(port);
	curl_url_cleanup(u);
	return rc;
}

enum aerr
storage_url_check(const char *url, char **cause)
{
	struct storage_conf c;
	enum aerr rc;

	if ((rc = storage_url_parse(url, &c, cause)) == AE_OK)
		storage_conf_free(&c);
	return rc;
}

char *
storage_url_format(const struct storage_conf *c)
{
	char *ak = url_encode(c->access_key), *sk = url_encode(c->secret_key);
	char *hostport, *url;

	if (c->port != 0)
		hostport = xprintf("%s:%d", c->host, c->port);
	else
		hostport = xstrdup(c->host != NULL ? c->host :
		    "s3.amazonaws.com");
	xasprintf(&url, "s3://%s:%s@%s/%s%s%s?tls=%s&region=%s", ak, sk,
	    hostport, c->bucket, c->path != NULL && *c->path != '\0' ? "/" :
	    "", c->path != NULL ? c->path : "", c->tls ? "true" : "false",
	    c->region);
	xfree_secret(ak);
	xfree_secret(sk);
	free(hostport);
	return url;
}
