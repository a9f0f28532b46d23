/* OCI references, digests and image layouts. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "i18n.h"
#include "oci.h"
#include "util.h"
#include "xmalloc.h"

void
oci_sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "wbinstall: sha256 is not available\n");
		abort();
	}
	h->ctx = ctx;
}

void
oci_sha256_update(struct sha256 *h, const void *p, size_t len)
{
	EVP_DigestUpdate(h->ctx, p, len);
}

void
oci_sha256_final(struct sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	hex_encode(md, n < 32 ? n : 32, hex);
}

int
oci_digest_valid(const char *d)
{
	size_t i;

	if (strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
		return 0;
	for (i = 7; i < 71; i++)
		if (!isdigit((unsigned char)d[i]) &&
		    (d[i] < 'a' || d[i] > 'f'))
			return 0;
	return 1;
}

static int
ref_component_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) &&
		    strchr("._-/", s[i]) == NULL)
			return 0;
	return s[0] != '/' && s[len - 1] != '/' && strstr(s, "//") == NULL;
}

int
oci_ref_parse(const char *s, struct oci_ref *r, char **cause)
{
	const char *at, *slash, *colon, *rest;
	char *name;
	size_t len;

	memset(r, 0, sizeof *r);
	at = strchr(s, '@');
	if (at != NULL) {
		if (!oci_digest_valid(at + 1))
			goto bad;
		r->digest = xstrdup(at + 1);
		len = (size_t)(at - s);
	} else
		len = strlen(s);
	name = xstrndup(s, len);
	/* A tag is after the last colon that follows the last slash. */
	slash = strrchr(name, '/');
	colon = strrchr(slash != NULL ? slash : name, ':');
	if (colon != NULL) {
		r->tag = xstrdup(colon + 1);
		name[colon - name] = '\0';
		if (*r->tag == '\0' || strlen(r->tag) > 128)
			goto bad_name;
	} else if (r->digest == NULL)
		r->tag = xstrdup("latest");
	slash = strchr(name, '/');
	if (slash != NULL && (memchr(name, '.', (size_t)(slash - name)) ||
	    memchr(name, ':', (size_t)(slash - name)) ||
	    strncmp(name, "localhost/", 10) == 0)) {
		r->domain = xstrndup(name, (size_t)(slash - name));
		rest = slash + 1;
	} else {
		r->domain = xstrdup("docker.io");
		rest = name;
	}
	if (!ref_component_ok(rest, strlen(rest)))
		goto bad_name;
	if (strcmp(r->domain, "docker.io") == 0 && strchr(rest, '/') == NULL)
		xasprintf(&r->path, "library/%s", rest);
	else
		r->path = xstrdup(rest);
	free(name);
	return 0;

bad_name:
	free(name);
bad:
	oci_ref_free(r);
	*cause = xprintf(_("'%s' is not an image reference "
	    "(NAME[:TAG][@sha256:DIGEST])"), s);
	return -1;
}

char *
oci_mirror_path(const struct oci_ref *r)
{
	char *p, *c;

	if (strcmp(r->domain, "docker.io") == 0)
		return xstrdup(strncmp(r->path, "library/", 8) == 0 &&
		    strchr(r->path + 8, '/') == NULL ? r->path + 8 : r->path);
	p = xprintf("%s/%s", r->domain, r->path);
	for (c = p; *c != '/'; c++)
		if (*c == ':')
			*c = '-';
		else if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return p;
}

void
oci_ref_free(struct oci_ref *r)
{
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof *r);
}

void
oci_desc_free(struct oci_desc *d)
{
	free(d->media_type);
	free(d->digest);
	memset(d, 0, sizeof *d);
}

void
oci_descs_free(struct oci_desc *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		oci_desc_free(&v[i]);
	free(v);
}

static int
desc_from_json(json_t *o, struct oci_desc *d)
{
	const char *mt, *digest;
	json_t *size;

	if (!json_is_object(o))
		return -1;
	mt = json_string_value(json_object_get(o, "mediaType"));
	digest = json_string_value(json_object_get(o, "digest"));
	size = json_object_get(o, "size");
	if (digest == NULL || !oci_digest_valid(digest) ||
	    !json_is_integer(size) || json_integer_value(size) < 0)
		return -1;
	d->media_type = xstrdup(mt != NULL ? mt : "");
	d->digest = xstrdup(digest);
	d->size = json_integer_value(size);
	return 0;
}

static json_t *
json_parse(const char *json, size_t len, const char *what, char **cause)
{
	json_error_t err;
	json_t *root;

	root = json_loadb(json, len, 0, &err);
	if (root == NULL || !json_is_object(root)) {
		*cause = xprintf(_("%s is not valid JSON: %s"), what,
		    root == NULL ? err.text : _("not an object"));
		json_decref(root);
		return NULL;
	}
	return root;
}

int
oci_manifest_blobs(const char *json, size_t len, struct oci_desc **out,
    char **cause)
{
	json_t *root, *layers, *l;
	struct oci_desc *v;
	size_t i;
	int n = 0;

	if ((root = json_parse(json, len, _("image manifest"), cause)) == NULL)
		return -1;
	layers = json_object_get(root, "layers");
	if (!json_is_array(layers)) {
		*cause = xstrdup(_("image manifest has no layers"));
		json_decref(root);
		return -1;
	}
	v = xcalloc(json_array_size(layers) + 1, sizeof *v);
	if (desc_from_json(json_object_get(root, "config"), &v[n]) != 0)
		goto bad;
	n++;
	json_array_foreach(layers, i, l) {
		if (desc_from_json(l, &v[n]) != 0)
			goto bad;
		n++;
	}
	json_decref(root);
	*out = v;
	return n;

bad:
	*cause = xstrdup(_("image manifest has a bad descriptor"));
	oci_descs_free(v, n);
	json_decref(root);
	return -1;
}

char *
oci_media_type(const char *json, size_t len)
{
	json_t *root;
	const char *mt;
	char *s = NULL;

	root = json_loadb(json, len, 0, NULL);
	mt = json_string_value(json_object_get(root, "mediaType"));
	if (mt != NULL)
		s = xstrdup(mt);
	else if (json_is_array(json_object_get(root, "manifests")))
		s = xstrdup(OCI_MT_INDEX);
	else if (json_is_object(json_object_get(root, "config")))
		s = xstrdup(OCI_MT_MANIFEST);
	json_decref(root);
	return s;
}

int
oci_is_index(const char *mt)
{
	return mt != NULL && (strcmp(mt, OCI_MT_INDEX) == 0 ||
	    strcmp(mt, DOCKER_MT_LIST) == 0);
}

int
oci_index_select(const char *json, size_t len, const char *platform,
    struct oci_desc *out, char **cause)
{
	json_t *root, *m;
	const char *os, *arch, *variant;
	char *p;
	size_t i;

	if ((root = json_parse(json, len, _("image index"), cause)) == NULL)
		return -1;
	json_array_foreach(json_object_get(root, "manifests"), i, m) {
		os = json_string_value(json_object_get(json_object_get(m,
		    "platform"), "os"));
		arch = json_string_value(json_object_get(json_object_get(m,
		    "platform"), "architecture"));
		variant = json_string_value(json_object_get(json_object_get(m,
		    "platform"), "variant"));
		if (os == NULL || arch == NULL)
			continue;
		if (variant != NULL)
			xasprintf(&p, "%s/%s/%s", os, arch, variant);
		else
			xasprintf(&p, "%s/%s", os, arch);
		if (strcmp(p, platform) == 0 || (variant != NULL &&
		    strncmp(p, platform, strlen(platform)) == 0 &&
		    p[strlen(platform)] == '/')) {
			free(p);
			if (desc_from_json(m, out) != 0)
				break;
			json_decref(root);
			return 0;
		}
		free(p);
	}
	json_decref(root);
	*cause = xprintf(_("the image index has no manifest for %s"),
	    platform);
	return -1;
}

char *
oci_blob_path(const char *dir, const char *digest)
{
	return xprintf("%s/blobs/sha256/%s", dir, digest + 7);
}

int
oci_layout_find(const char *dir, const char *const *names,
    struct oci_desc *out, char **cause)
{
	char *path, *buf, *cause2 = NULL;
	json_t *root, *m;
	const char *rn;
	size_t len, i, j;

	path = xprintf("%s/index.json", dir);
	buf = read_file(path, OCI_MANIFEST_MAX, &len, &cause2);
	if (buf == NULL) {
		*cause = cause2;
		free(path);
		return -1;
	}
	root = json_parse(buf, len, path, cause);
	free(buf);
	if (root == NULL) {
		free(path);
		return -1;
	}
	for (j = 0; names[j] != NULL; j++) {
		json_array_foreach(json_object_get(root, "manifests"), i, m) {
			rn = json_string_value(json_object_get(
			    json_object_get(m, "annotations"), OCI_REF_NAME));
			if (rn == NULL || strcmp(rn, names[j]) != 0)
				continue;
			if (desc_from_json(m, out) != 0)
				continue;
			json_decref(root);
			free(path);
			return 0;
		}
	}
	*cause = xprintf(_("%s: no image named '%s'"), path, names[0]);
	json_decref(root);
	free(path);
	return -1;
}

char *
oci_layout_read_blob(const char *dir, const char *digest, size_t max,
    size_t *lenp, char **cause)
{
	char *path, *buf, hex[65];

	path = oci_blob_path(dir, digest);
	buf = read_file(path, max, lenp, cause);
	if (buf != NULL) {
		sha256_hex(buf, *lenp, hex);
		if (strcmp(hex, digest + 7) != 0) {
			*cause = xprintf(_("%s: content does not match its "
			    "digest"), path);
			free(buf);
			buf = NULL;
		}
	}
	free(path);
	return buf;
}

struct oci_index {
	json_t *manifests;
};

struct oci_index *
oci_index_new(void)
{
	struct oci_index *ix = xcalloc(1, sizeof *ix);

	ix->manifests = json_array();
	return ix;
}

void
oci_index_add(struct oci_index *ix, const struct oci_desc *d,
    const char *ref_name, const char *platform)
{
	json_t *m, *p;
	char *dup, *arch, *variant;

	m = json_pack("{s:s, s:s, s:I}", "mediaType", d->media_type,
	    "digest", d->digest, "size", (json_int_t)d->size);
	if (platform != NULL) {
		dup = xstrdup(platform);
		arch = strchr(dup, '/');
		if (arch != NULL) {
			*arch++ = '\0';
			variant = strchr(arch, '/');
			if (variant != NULL)
				*variant++ = '\0';
			p = json_pack("{s:s, s:s}", "os", dup, "architecture",
			    arch);
			if (variant != NULL)
				json_object_set_new(p, "variant",
				    json_string(variant));
			json_object_set_new(m, "platform", p);
		}
		free(dup);
	}
	json_object_set_new(m, "annotations", json_pack("{s:s}", OCI_REF_NAME,
	    ref_name));
	json_array_append_new(ix->manifests, m);
}

char *
oci_index_dump(struct oci_index *ix, size_t *lenp)
{
	json_t *root;
	char *s;

	root = json_pack("{s:i, s:s, s:O}", "schemaVersion", 2, "mediaType",
	    OCI_MT_INDEX, "manifests", ix->manifests);
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (s == NULL) {
		fprintf(stderr, "wbinstall: out of memory\n");
		abort();
	}
	*lenp = strlen(s);
	return s;
}

void
oci_index_free(struct oci_index *ix)
{
	if (ix == NULL)
		return;
	json_decref(ix->manifests);
	free(ix);
}

int
oci_index_has(const char *json, size_t len, const char *ref_name,
    const char *digest, char **cause)
{
	json_t *root, *m;
	const char *rn, *d;
	size_t i;

	if ((root = json_parse(json, len, "oci/index.json", cause)) == NULL)
		return -1;
	json_array_foreach(json_object_get(root, "manifests"), i, m) {
		rn = json_string_value(json_object_get(json_object_get(m,
		    "annotations"), OCI_REF_NAME));
		d = json_string_value(json_object_get(m, "digest"));
		if (rn != NULL && d != NULL && strcmp(rn, ref_name) == 0 &&
		    strcmp(d, digest) == 0) {
			json_decref(root);
			return 0;
		}
	}
	json_decref(root);
	*cause = xprintf(_("oci/index.json does not list %s at %s"),
	    ref_name, digest);
	return -1;
}
