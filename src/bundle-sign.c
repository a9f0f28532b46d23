/* ed25519 keys (PEM) and manifest signatures, with libcrypto's EVP. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bundle.h"
#include "i18n.h"
#include "util.h"
#include "xmalloc.h"

static char *
ssl_error(void)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (e == 0)
		return xstrdup(_("unknown error"));
	ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return xstrdup(buf);
}

/* Write a PEM produced by fn to path at mode, atomically. */
static int
write_pem(const char *path, EVP_PKEY *key, int private, mode_t mode,
    char **cause)
{
	BIO *b;
	char *data, *err;
	long len;
	int rc, ok;

	b = BIO_new(BIO_s_mem());
	if (private)
		ok = PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL,
		    NULL);
	else
		ok = PEM_write_bio_PUBKEY(b, key);
	if (!ok) {
		err = ssl_error();
		*cause = xprintf(_("%s: cannot encode the key: %s"), path, err);
		free(err);
		BIO_free(b);
		return -1;
	}
	len = BIO_get_mem_data(b, &data);
	rc = write_file_atomic(path, data, (size_t)len, mode, cause);
	BIO_free(b);
	return rc;
}

int
bundle_keygen(const char *out, char **cause)
{
	EVP_PKEY *key;
	char *pub, *err;
	int rc = -1;

	if (access(out, F_OK) == 0) {
		*cause = xprintf(_("%s already exists; not overwriting a key"),
		    out);
		return -1;
	}
	key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (key == NULL) {
		err = ssl_error();
		*cause = xprintf(_("cannot make an ed25519 key: %s"), err);
		free(err);
		return -1;
	}
	pub = xprintf("%s.pub", out);
	if (write_pem(out, key, 1, 0600, cause) == 0 &&
	    write_pem(pub, key, 0, 0644, cause) == 0)
		rc = 0;
	free(pub);
	EVP_PKEY_free(key);
	return rc;
}

static EVP_PKEY *
read_key(const char *path, int private, char **cause)
{
	EVP_PKEY *key;
	FILE *f;
	char *err;

	f = fopen(path, "r");
	if (f == NULL) {
		*cause = xprintf(_("%s: %s"), path, strerror(errno));
		return NULL;
	}
	if (private)
		key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	else
		key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (key == NULL) {
		err = ssl_error();
		*cause = xprintf(_("%s: not a PEM %s key: %s"), path,
		    private ? _("private") : _("public"), err);
		free(err);
		return NULL;
	}
	if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		*cause = xprintf(_("%s: not an ed25519 key"), path);
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

char *
bundle_sign(const char *keyfile, const void *data, size_t len, char **cause)
{
	EVP_PKEY *key;
	EVP_MD_CTX *ctx;
	unsigned char sig[64], b64[96];
	size_t siglen = sizeof sig;
	char *err, *out = NULL;
	int n;

	if ((key = read_key(keyfile, 1, cause)) == NULL)
		return NULL;
	ctx = EVP_MD_CTX_new();
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, data, len) != 1) {
		err = ssl_error();
		*cause = xprintf(_("%s: cannot sign: %s"), keyfile, err);
		free(err);
	} else {
		n = EVP_EncodeBlock(b64, sig, (int)siglen);
		out = xprintf("%.*s\n", n, (char *)b64);
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return out;
}

int
bundle_sig_check(const char *pubfile, const void *data, size_t len,
    const char *sig, size_t siglen, char **cause)
{
	EVP_PKEY *key;
	EVP_MD_CTX *ctx;
	unsigned char raw[96];
	int n, rc = -1;

	while (siglen > 0 && (sig[siglen - 1] == '\n' ||
	    sig[siglen - 1] == '\r' || sig[siglen - 1] == ' '))
		siglen--;
	if (siglen != 88) {
		*cause = xprintf(_("%s is not an ed25519 signature"),
		    BUNDLE_SIG);
		return -1;
	}
	n = EVP_DecodeBlock(raw, (const unsigned char *)sig, (int)siglen);
	if (n != 66) {	/* 64 bytes and two padding zeros */
		*cause = xprintf(_("%s is not an ed25519 signature"),
		    BUNDLE_SIG);
		return -1;
	}
	if ((key = read_key(pubfile, 0, cause)) == NULL)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, raw, 64, data, len) == 1)
		rc = 0;
	else
		*cause = xprintf(_("the signature of %s does not match the key "
		    "%s"), BUNDLE_MANIFEST, pubfile);
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}
