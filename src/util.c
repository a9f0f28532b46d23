#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "util.h"
#include "xmalloc.h"

int
write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
    char **cause)
{
	char *dup = xstrdup(path), *dir, *tmp;
	const char *p = data, *base = strrchr(path, '/');
	int fd, dfd, saved;
	ssize_t n;

	dir = dirname(dup);
	xasprintf(&tmp, "%s/.%s.XXXXXX", dir, base != NULL ? base + 1 : path);
	fd = mkstemp(tmp);
	if (fd == -1) {
		saved = errno;
		*cause = xprintf(_("%s: cannot create a temporary file: %s"),
		    path, strerror(saved));
		goto fail;
	}
	if (fchmod(fd, mode) == -1)
		goto io;
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto io;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto io;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto io;
	/* The rename is durable once the directory is synced. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd != -1) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dup);
	return 0;

io:
	saved = errno;
	*cause = xprintf(_("%s: cannot write: %s"), path, strerror(saved));
	if (fd != -1)
		close(fd);
	unlink(tmp);
fail:
	free(tmp);
	free(dup);
	return -1;
}

char *
read_file(const char *path, size_t max, size_t *lenp, char **cause)
{
	FILE *f;
	char *buf;
	size_t len = 0, size = 4096;
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL) {
		*cause = xprintf(_("%s: cannot open: %s"), path,
		    strerror(errno));
		return NULL;
	}
	buf = xmalloc(size);
	for (;;) {
		if (len + 1 >= size) {
			size *= 2;
			buf = xreallocarray(buf, size, 1);
		}
		n = fread(buf + len, 1, size - len - 1, f);
		len += n;
		if (len > max) {
			*cause = xprintf(_("%s: file is larger than %zu bytes"),
			    path, max);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		*cause = xprintf(_("%s: cannot read: %s"), path,
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

char *
expand_home(const char *path)
{
	const char *home;

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
		home = getenv("HOME");
		if (home != NULL && *home != '\0')
			return xprintf("%s%s", home, path + 1);
	}
	return xstrdup(path);
}

int
mkdir_p(const char *path, mode_t mode, char **cause)
{
	char *dup = xstrdup(path), *p;

	for (p = dup + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dup, mode) == -1 && errno != EEXIST) {
				*cause = xprintf(_("%s: cannot create: %s"),
				    dup, strerror(errno));
				free(dup);
				return -1;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(dup);
	return 0;
}

size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	row = xcalloc(lb + 1, sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[i * 2] = digits[in[i] >> 4];
		out[i * 2 + 1] = digits[in[i] & 0xf];
	}
	out[len * 2] = '\0';
}

void
sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		abort();
	hex_encode(md, n, out);
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned long cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* The length of the well-formed UTF-8 sequence at S (at most LEFT bytes),
 * or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	size_t n = *s < 0x80 ? 1 : *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 :
	    *s >= 0xc2 ? 2 : 0;

	if (n == 0 || n > left || !utf8_valid((const char *)s, n))
		return 0;
	return n;
}

char *
text_printable(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t left = strlen(text), n, w = 0;
	char *out = xmalloc(left * 4 + 1);

	while (left > 0) {
		n = utf8_seq(s, left);
		if (n == 1 && *s >= 0x20 && *s != 0x7f)
			out[w++] = (char)*s;
		else if (n == 1 && (*s == '\n' || *s == '\t' || *s == '\r'))
			w += (size_t)sprintf(out + w, "\\%c", *s == '\n' ?
			    'n' : *s == '\t' ? 't' : 'r');
		else if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
			w += (size_t)sprintf(out + w, "\\u%04x", s[1]);
		else if (n > 1) {
			memcpy(out + w, s, n);
			w += n;
		} else {
			w += (size_t)sprintf(out + w, "\\x%02x", *s);
			n = 1;
		}
		s += n;
		left -= n;
	}
	out[w] = '\0';
	return out;
}
