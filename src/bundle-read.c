/*
 * Reading bundles: inspect (the head only), verify (one streaming pass,
 * memory bounded by the manifest) and unpack (the same pass, writing into
 * DIR/.partial with libarchive's secure extraction, renamed into DIR only
 * when everything checked out).  Also the check of an unpacked directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "bundle.h"
#include "i18n.h"
#include "log.h"
#include "oci.h"
#include "util.h"
#include "xmalloc.h"

#define SIG_MAX		4096
#define READ_BLOCK	(1024 * 1024)

static const char *const top_names[] = {
	BUNDLE_MANIFEST, BUNDLE_SIG, "oci", "charts", NULL
};

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

int
bundle_rm_rf(const char *path, char **cause)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return 0;
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
		*cause = xprintf(_("%s: cannot remove: %s"), path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* What is kept of the content while it streams by, for the checks. */
struct keep {
	char *index;		/* oci/index.json */
	size_t index_len;
	char **img;		/* image manifests, parallel to images[] */
	size_t *img_len;
	unsigned char *seen;	/* per files[] */
};

static void
keep_free(struct keep *k, size_t nimages)
{
	size_t i;

	free(k->index);
	for (i = 0; k->img != NULL && i < nimages; i++)
		free(k->img[i]);
	free(k->img);
	free(k->img_len);
	free(k->seen);
}

/* Where to keep a file's content, or NULL. */
static char **
keep_slot(const struct bundle_manifest *m, struct keep *k, const char *path,
    size_t **lenp)
{
	size_t i;

	if (strcmp(path, "oci/index.json") == 0) {
		*lenp = &k->index_len;
		return &k->index;
	}
	if (strncmp(path, "oci/blobs/sha256/", 17) != 0)
		return NULL;
	for (i = 0; i < m->nimages; i++)
		if (strcmp(m->images[i].digest + 7, path + 17) == 0) {
			*lenp = &k->img_len[i];
			return &k->img[i];
		}
	return NULL;
}

/* Checks that need only the manifest. */
static int
manifest_sane(const struct bundle_manifest *m, char **cause)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		if (strncmp(m->files[i].path, "oci/blobs/sha256/", 17) == 0 &&
		    strcmp(m->files[i].path + 17, m->files[i].sha256) != 0) {
			*cause = xprintf(_("manifest: %s is not named by its "
			    "sha256"), m->files[i].path);
			return -1;
		}
	}
	return 0;
}

/* After every file: nothing missing, images and charts complete. */
static int
check_closure(const struct bundle_manifest *m, struct keep *k, char **cause)
{
	const struct bundle_file *f;
	struct oci_desc *blobs;
	char *path, *missing = NULL, *s;
	size_t i, nmissing = 0;
	int j, nb;

	for (i = 0; i < m->nfiles; i++) {
		if (k->seen[i])
			continue;
		if (nmissing < 5) {
			s = xprintf("%s%s%s", missing != NULL ? missing : "",
			    missing != NULL ? ", " : "", m->files[i].path);
			free(missing);
			missing = s;
		}
		nmissing++;
	}
	if (nmissing > 0) {
		*cause = xprintf(ngettext("%zu file is missing: %s%s",
		    "%zu files are missing: %s%s", nmissing), nmissing,
		    missing, nmissing > 5 ? ", ..." : "");
		free(missing);
		return -1;
	}
	for (i = 0; i < m->ncharts; i++) {
		f = bundle_manifest_file(m, m->charts[i].path);
		if (f == NULL || strcmp(f->sha256, m->charts[i].sha256) != 0) {
			*cause = xprintf(_("chart %s: %s is not among the "
			    "files"), m->charts[i].name, m->charts[i].path);
			return -1;
		}
	}
	for (i = 0; i < m->nimages; i++) {
		if (k->img[i] == NULL) {
			*cause = xprintf(_("image %s: its manifest %s is not "
			    "in the bundle"), m->images[i].ref,
			    m->images[i].digest);
			return -1;
		}
		if (k->index == NULL || oci_index_has(k->index, k->index_len,
		    m->images[i].ref, m->images[i].digest, cause) != 0) {
			if (k->index == NULL)
				*cause = xstrdup(_("oci/index.json is "
				    "missing"));
			return -1;
		}
		nb = oci_manifest_blobs(k->img[i], k->img_len[i], &blobs,
		    cause);
		if (nb < 0)
			return -1;
		for (j = 0; j < nb; j++) {
			path = xprintf("oci/blobs/sha256/%s",
			    blobs[j].digest + 7);
			f = bundle_manifest_file(m, path);
			free(path);
			if (f == NULL || f->size != blobs[j].size) {
				*cause = xprintf(_("image %s: blob %s is not "
				    "in the bundle"), m->images[i].ref,
				    blobs[j].digest);
				oci_descs_free(blobs, nb);
				return -1;
			}
		}
		oci_descs_free(blobs, nb);
	}
	return 0;
}

static int
check_signature(const char *data, size_t len, const char *sig, size_t siglen,
    const char *pubkey, int require_sig, char **cause)
{
	if (pubkey == NULL && !require_sig)
		return 0;
	if (sig == NULL) {
		*cause = xprintf(_("the bundle is not signed (no %s)"),
		    BUNDLE_SIG);
		return -1;
	}
	if (pubkey == NULL) {
		*cause = xstrdup(_("--require-signature needs --pubkey"));
		return -1;
	}
	return bundle_sig_check(pubkey, data, len, sig, siglen, cause);
}

struct reader {
	const char *file;
	const struct bundle_read_opts *o;
	struct archive *a;
	struct archive *disk;
	struct bundle_manifest *m;
	struct keep k;
	char *mdata, *sig;
	size_t mlen, siglen;
	int64_t done, total;
	char *partial;
};

static int
archive_fail(struct reader *r, const char *what, char **cause)
{
	const char *e = archive_error_string(r->a);

	*cause = xprintf(_("%s: truncated or damaged at %s: %s"), r->file,
	    what, e != NULL ? e : _("unexpected end"));
	return -1;
}

/* Read a whole small entry into memory. */
static char *
read_small(struct reader *r, struct archive_entry *ae, size_t max,
    size_t *lenp, char **cause)
{
	int64_t size = archive_entry_size(ae);
	char *buf;
	la_ssize_t n;
	size_t len = 0;

	if (!archive_entry_size_is_set(ae) || size < 0 ||
	    (uint64_t)size > max) {
		*cause = xprintf(_("%s: %s is %" PRId64 " bytes, more than "
		    "the %zu allowed"), r->file, archive_entry_pathname(ae),
		    size, max);
		return NULL;
	}
	buf = xmalloc((size_t)size + 1);
	while (len < (size_t)size) {
		n = archive_read_data(r->a, buf + len, (size_t)size - len);
		if (n <= 0) {
			free(buf);
			archive_fail(r, archive_entry_pathname(ae), cause);
			return NULL;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static int
read_head(struct reader *r, struct archive_entry **aep, char **cause)
{
	struct archive_entry *ae;
	int rc;

	r->a = archive_read_new();
	archive_read_support_filter_zstd(r->a);
	archive_read_support_format_tar(r->a);
	if (archive_read_open_filename(r->a, r->file, READ_BLOCK) !=
	    ARCHIVE_OK) {
		*cause = xprintf(_("%s: cannot read: %s"), r->file,
		    archive_error_string(r->a));
		return -1;
	}
	rc = archive_read_next_header(r->a, &ae);
	if (rc != ARCHIVE_OK) {
		*cause = xprintf(_("%s: not a bundle (.tar.zst): %s"), r->file,
		    rc == ARCHIVE_EOF ? _("empty") :
		    archive_error_string(r->a));
		return -1;
	}
	if (strcmp(archive_entry_pathname(ae), BUNDLE_MANIFEST) != 0 ||
	    archive_entry_filetype(ae) != AE_IFREG) {
		*cause = xprintf(_("%s: not a bundle: the first entry is '%s', "
		    "not %s"), r->file, archive_entry_pathname(ae),
		    BUNDLE_MANIFEST);
		return -1;
	}
	r->mdata = read_small(r, ae, BUNDLE_MANIFEST_MAX, &r->mlen, cause);
	if (r->mdata == NULL)
		return -1;
	rc = archive_read_next_header(r->a, &ae);
	if (rc == ARCHIVE_EOF)
		ae = NULL;
	else if (rc != ARCHIVE_OK)
		return archive_fail(r, _("the entry after the manifest"),
		    cause);
	if (ae != NULL && strcmp(archive_entry_pathname(ae), BUNDLE_SIG) == 0 &&
	    archive_entry_filetype(ae) == AE_IFREG) {
		r->sig = read_small(r, ae, SIG_MAX, &r->siglen, cause);
		if (r->sig == NULL)
			return -1;
		rc = archive_read_next_header(r->a, &ae);
		if (rc == ARCHIVE_EOF)
			ae = NULL;
		else if (rc != ARCHIVE_OK)
			return archive_fail(r, BUNDLE_SIG, cause);
	}
	/* The signature is checked before the manifest is parsed. */
	if (r->o != NULL && check_signature(r->mdata, r->mlen, r->sig,
	    r->siglen, r->o->pubkey, r->o->require_sig, cause) != 0)
		return -1;
	r->m = bundle_manifest_parse(r->mdata, r->mlen, BUNDLE_MANIFEST,
	    cause);
	if (r->m == NULL || manifest_sane(r->m, cause) != 0)
		return -1;
	*aep = ae;
	return 0;
}

static void
reader_free(struct reader *r)
{
	if (r->a != NULL)
		archive_read_free(r->a);
	if (r->disk != NULL)
		archive_write_free(r->disk);
	if (r->m != NULL)
		keep_free(&r->k, r->m->nimages);
	bundle_manifest_free(r->m);
	free(r->mdata);
	free(r->sig);
	free(r->partial);
}

struct bundle_manifest *
bundle_inspect(const char *file, int *signedp, char mhex[65], char **cause)
{
	struct reader r;
	struct archive_entry *ae;
	struct bundle_manifest *m = NULL;

	memset(&r, 0, sizeof r);
	r.file = file;
	if (read_head(&r, &ae, cause) == 0) {
		*signedp = r.sig != NULL;
		if (mhex != NULL)
			sha256_hex(r.mdata, r.mlen, mhex);
		m = r.m;
		r.m = NULL;
	}
	reader_free(&r);
	return m;
}

char *
bundle_image_ref(const char *file, const char *repository)
{
	struct bundle_manifest *m;
	struct oci_ref want, ref;
	char *cause = NULL, *out = NULL;
	size_t i;
	int sig;

	if (oci_ref_parse(repository, &want, &cause) != 0) {
		free(cause);
		return NULL;
	}
	m = bundle_inspect(file, &sig, NULL, &cause);
	free(cause);
	cause = NULL;
	for (i = 0; m != NULL && i < m->nimages && out == NULL; i++) {
		if (oci_ref_parse(m->images[i].ref, &ref, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		if (strcmp(ref.domain, want.domain) == 0 &&
		    strcmp(ref.path, want.path) == 0)
			out = xstrdup(m->images[i].ref);
		oci_ref_free(&ref);
	}
	bundle_manifest_free(m);
	oci_ref_free(&want);
	return out;
}

static const char *
type_name(mode_t t)
{
	switch (t) {
	case AE_IFLNK:
		return _("a symbolic link");
	case AE_IFDIR:
		return _("a directory");
	case AE_IFCHR:
	case AE_IFBLK:
		return _("a device");
	case AE_IFIFO:
		return _("a FIFO");
	default:
		return _("not a regular file");
	}
}

static int
disk_error(struct reader *r, const char *name, char **cause)
{
	int e = archive_errno(r->disk);

	if (e == ENOSPC || e == EDQUOT)
		*cause = xprintf(_("%s: no space left on the device while "
		    "writing %s (the bundle needs %" PRId64 " bytes); nothing "
		    "was unpacked"), r->o->dir, name, r->total);
	else
		*cause = xprintf(_("%s: cannot write %s: %s"), r->o->dir, name,
		    archive_error_string(r->disk));
	return -1;
}

/* Write a file held in memory into .partial. */
static int
disk_write_mem(struct reader *r, const char *name, const char *data,
    size_t len, char **cause)
{
	struct archive_entry *ae;
	int rc = 0;

	ae = archive_entry_new();
	archive_entry_set_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, (la_int64_t)len);
	if (archive_write_header(r->disk, ae) != ARCHIVE_OK ||
	    archive_write_data(r->disk, data, len) != (la_ssize_t)len ||
	    archive_write_finish_entry(r->disk) != ARCHIVE_OK)
		rc = disk_error(r, name, cause);
	archive_entry_free(ae);
	return rc;
}

/* One entry after the head: check it, hash it, maybe write it. */
static int
read_entry(struct reader *r, struct archive_entry *ae, char **cause)
{
	const char *name = archive_entry_pathname(ae), *blk;
	const struct bundle_file *f;
	struct sha256 h;
	char hex[65], **slot;
	size_t *slot_len = NULL, size, idx;
	la_int64_t off, pos = 0;
	int rc;

	if (name == NULL)
		name = "";
	if (!bundle_path_safe(name)) {
		*cause = xprintf(_("%s: entry '%s' has an unsafe path "
		    "(absolute, '..' or empty); refused"), r->file, name);
		return -1;
	}
	if (archive_entry_filetype(ae) == AE_IFDIR)
		return 0;	/* parents are created as needed */
	if (archive_entry_filetype(ae) != AE_IFREG ||
	    archive_entry_hardlink(ae) != NULL) {
		*cause = xprintf(_("%s: entry '%s' is %s; a bundle holds only "
		    "regular files"), r->file, name,
		    archive_entry_hardlink(ae) != NULL ? _("a hard link") :
		    type_name(archive_entry_filetype(ae)));
		return -1;
	}
	f = bundle_manifest_file(r->m, name);
	if (f == NULL) {
		*cause = xprintf(_("%s: extra file '%s' is not in the "
		    "manifest"), r->file, name);
		return -1;
	}
	idx = (size_t)(f - r->m->files);
	if (r->k.seen[idx]) {
		*cause = xprintf(_("%s: '%s' appears twice"), r->file, name);
		return -1;
	}
	r->k.seen[idx] = 1;
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) != f->size) {
		*cause = xprintf(_("%s: '%s' is %" PRId64 " bytes; the "
		    "manifest says %" PRId64), r->file, name,
		    (int64_t)archive_entry_size(ae), f->size);
		return -1;
	}
	slot = keep_slot(r->m, &r->k, name, &slot_len);
	if (slot != NULL && (f->size > OCI_MANIFEST_MAX || *slot != NULL))
		slot = NULL;
	if (slot != NULL)
		*slot = xmalloc((size_t)f->size + 1);
	if (r->disk != NULL) {
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_uid(ae, getuid());
		archive_entry_set_gid(ae, getgid());
		if (archive_write_header(r->disk, ae) != ARCHIVE_OK)
			return disk_error(r, name, cause);
	}
	oci_sha256_init(&h);
	for (;;) {
		rc = archive_read_data_block(r->a, (const void **)&blk, &size,
		    &off);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK || off != pos ||
		    pos + (la_int64_t)size > f->size) {
			oci_sha256_final(&h, hex);
			if (rc == ARCHIVE_OK)
				*cause = xprintf(_("%s: '%s' is longer than "
				    "the manifest says"), r->file, name);
			else
				archive_fail(r, name, cause);
			return -1;
		}
		oci_sha256_update(&h, blk, size);
		if (slot != NULL)
			memcpy(*slot + pos, blk, size);
		if (r->disk != NULL && archive_write_data_block(r->disk, blk,
		    size, off) != ARCHIVE_OK) {
			oci_sha256_final(&h, hex);
			return disk_error(r, name, cause);
		}
		pos += (la_int64_t)size;
		r->done += (int64_t)size;
		bundle_progress(r->o->progress, name, r->done, r->total);
		if (bundle_cancelled(r->o->progress)) {
			oci_sha256_final(&h, hex);
			*cause = xprintf(_("%s: cancelled"), r->file);
			return -1;
		}
	}
	oci_sha256_final(&h, hex);
	if (slot != NULL) {
		(*slot)[pos] = '\0';
		*slot_len = (size_t)pos;
	}
	if (pos != f->size) {
		*cause = xprintf(_("%s: '%s' is %" PRId64 " bytes; the "
		    "manifest says %" PRId64), r->file, name, (int64_t)pos,
		    f->size);
		return -1;
	}
	if (strcmp(hex, f->sha256) != 0) {
		*cause = xprintf(_("%s: '%s' was altered: its sha256 does not "
		    "match the manifest"), r->file, name);
		return -1;
	}
	if (r->disk != NULL && archive_write_finish_entry(r->disk) !=
	    ARCHIVE_OK)
		return disk_error(r, name, cause);
	return 0;
}

/*
 * The stamp DIR/.verified: {"manifest": HEX, "files": {PATH: [size,
 * mtime s, mtime ns, ctime s, ctime ns, inode, device]}}, written when
 * every file verified.  ctime cannot be set back, so a file written since
 * (even with its mtime restored) no longer matches, and a copy of the
 * directory (new inodes) is checked in full.  As in git's index, a file
 * whose mtime or ctime is not older than the stamp itself is "racy" (the
 * clock is coarse: it may have changed after it was recorded, in the same
 * tick) and is hashed.  Earlier releases wrote only the manifest's sha256
 * and a newline.
 */
#define STAMP_MAX	(64 * 1024 * 1024)

static json_t *
stamp_stat(const struct stat *sb)
{
	return json_pack("[IIIIIII]", (json_int_t)sb->st_size,
	    (json_int_t)sb->st_mtim.tv_sec, (json_int_t)sb->st_mtim.tv_nsec,
	    (json_int_t)sb->st_ctim.tv_sec, (json_int_t)sb->st_ctim.tv_nsec,
	    (json_int_t)sb->st_ino, (json_int_t)sb->st_dev);
}

/* The stamp of dir, or NULL.  *mhex_ok: it is for the manifest mhex;
 * *when: the stamp's mtime. */
static json_t *
stamp_load(const char *dir, const char *mhex, int *mhex_ok,
    struct timespec *when)
{
	char *path, *data, *cause = NULL;
	const char *have;
	struct stat sb;
	size_t len;
	json_t *j;

	*mhex_ok = 0;
	path = xprintf("%s/%s", dir, BUNDLE_STAMP);
	if (stat(path, &sb) != 0) {
		free(path);
		return NULL;
	}
	*when = sb.st_mtim;
	data = read_file(path, STAMP_MAX, &len, &cause);
	free(path);
	free(cause);
	if (data == NULL)
		return NULL;
	j = json_loadb(data, len, 0, NULL);
	if (j != NULL) {
		have = json_string_value(json_object_get(j, "manifest"));
		*mhex_ok = have != NULL && strcmp(have, mhex) == 0;
	} else
		*mhex_ok = len >= 64 && strncmp(data, mhex, 64) == 0 &&
		    (len == 64 || data[64] == '\n');
	free(data);
	return j;
}

int
bundle_stamp_is(const char *dir, const char *mhex)
{
	struct timespec when;
	int ok;

	json_decref(stamp_load(dir, mhex, &ok, &when));
	return ok;
}

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec &&
	    a->tv_nsec < b->tv_nsec);
}

/*
 * Wait (at most 100 ms) until the clock that stamps files has moved past
 * latest, so that files recorded now are older than the stamp and not
 * racy next time.
 */
static void
stamp_wait(const struct timespec *latest)
{
	struct timespec now, ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 100; i++) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (ts_before(latest, &now))
			return;
		nanosleep(&ms, NULL);
	}
}

/* Write the stamp; sts (parallel to files[]) or, when NULL, lstat now. */
static int
stamp_write(const char *dir, const char *mhex, const struct bundle_manifest *m,
    const struct stat *sts, char **cause)
{
	json_t *j, *files;
	struct stat sb;
	struct timespec latest = { 0, 0 };
	char *path, *s;
	size_t i;
	int rc;

	files = json_object();
	for (i = 0; i < m->nfiles; i++) {
		if (sts != NULL)
			sb = sts[i];
		else {
			path = xprintf("%s/%s", dir, m->files[i].path);
			rc = lstat(path, &sb);
			free(path);
			if (rc != 0 || !S_ISREG(sb.st_mode)) {
				json_decref(files);
				*cause = xprintf(_("%s: '%s' is not a file"),
				    dir, m->files[i].path);
				return -1;
			}
		}
		json_object_set_new(files, m->files[i].path, stamp_stat(&sb));
		if (ts_before(&latest, &sb.st_mtim))
			latest = sb.st_mtim;
		if (ts_before(&latest, &sb.st_ctim))
			latest = sb.st_ctim;
	}
	stamp_wait(&latest);
	j = json_pack("{s:s, s:o}", "manifest", mhex, "files", files);
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	path = xprintf("%s/%s", dir, BUNDLE_STAMP);
	rc = write_file_atomic(path, s, strlen(s), 0644, cause);
	free(path);
	free(s);
	return rc;
}

/* Does f look as the stamp (written at *when) recorded it?  Fills *sb. */
static int
stamp_matches(const char *dir, const struct bundle_file *f, json_t *files,
    const struct timespec *when, struct stat *sb)
{
	json_t *want, *have;
	char *path;
	int ok;

	if ((want = json_object_get(files, f->path)) == NULL)
		return 0;
	path = xprintf("%s/%s", dir, f->path);
	ok = lstat(path, sb) == 0 && S_ISREG(sb->st_mode) &&
	    sb->st_size == f->size && ts_before(&sb->st_mtim, when) &&
	    ts_before(&sb->st_ctim, when);
	free(path);
	if (!ok)
		return 0;
	have = stamp_stat(sb);
	ok = json_equal(want, have);
	json_decref(have);
	return ok;
}

/* Rename the top-level entries of a bundle from one directory to another. */
static int
move_top(const char *src, const char *dst, char **cause)
{
	const char *const *n;
	char *from, *to;
	int rc = 0;

	for (n = top_names; *n != NULL && rc == 0; n++) {
		from = xprintf("%s/%s", src, *n);
		to = xprintf("%s/%s", dst, *n);
		if (rename(from, to) != 0 && errno != ENOENT) {
			*cause = xprintf("%s -> %s: %s", from, to,
			    strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	return rc;
}

/* Move the checked files from .partial into dir. */
static int
swap_in(const char *dir, const char *partial, const char *mhex,
    const struct bundle_manifest *m, char **cause)
{
	char *old, *stamp;
	int rc = -1;

	stamp = xprintf("%s/%s", dir, BUNDLE_STAMP);
	old = xprintf("%s/.old", dir);
	unlink(stamp);
	if (bundle_rm_rf(old, cause) != 0)
		goto out;
	if (mkdir(old, 0700) != 0) {
		*cause = xprintf("%s: %s", old, strerror(errno));
		goto out;
	}
	if (move_top(dir, old, cause) != 0 || move_top(partial, dir, cause) != 0)
		goto out;
	rc = stamp_write(dir, mhex, m, NULL, cause);
	if (rc == 0 && (bundle_rm_rf(old, cause) != 0 ||
	    bundle_rm_rf(partial, cause) != 0))
		rc = -1;
out:
	free(old);
	free(stamp);
	return rc;
}

static int
unpack_prepare(struct reader *r, char **cause)
{
	struct statvfs sv;
	uint64_t avail;

	if (mkdir_p(r->o->dir, 0755, cause) != 0)
		return -1;
	r->partial = xprintf("%s/.partial", r->o->dir);
	if (bundle_rm_rf(r->partial, cause) != 0)
		return -1;
	if (statvfs(r->o->dir, &sv) == 0) {
		avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		if (avail < (uint64_t)r->total + r->mlen + (1 << 20)) {
			*cause = xprintf(_("%s: not enough space: the bundle "
			    "needs %" PRId64 " bytes, %" PRIu64 " are free; "
			    "nothing was unpacked"), r->o->dir, r->total,
			    avail);
			return -1;
		}
	}
	if (mkdir(r->partial, 0755) != 0) {
		*cause = xprintf("%s: %s", r->partial, strerror(errno));
		return -1;
	}
	r->disk = archive_write_disk_new();
	archive_write_disk_set_options(r->disk,
	    ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	return 0;
}

int
bundle_read(const char *file, const struct bundle_read_opts *o,
    struct bundle_manifest **mp, char **cause)
{
	struct reader r;
	struct archive_entry *ae;
	char mhex[65];
	int rc = -1, cwd = -1, lock = -1, st;

	memset(&r, 0, sizeof r);
	r.file = file;
	r.o = o;
	if (o->dir != NULL) {
		char *lp;

		if (mkdir_p(o->dir, 0755, cause) != 0)
			return -1;
		lp = xprintf("%s/.lock", o->dir);
		lock = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		free(lp);
		if (lock == -1 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
			*cause = xprintf(_("%s: another unpack is using this "
			    "directory"), o->dir);
			if (lock != -1)
				close(lock);
			return -1;
		}
	}
	if (read_head(&r, &ae, cause) != 0)
		goto out;
	sha256_hex(r.mdata, r.mlen, mhex);
	r.total = bundle_manifest_total(r.m);
	r.k.seen = xcalloc(r.m->nfiles + 1, 1);
	r.k.img = xcalloc(r.m->nimages + 1, sizeof *r.k.img);
	r.k.img_len = xcalloc(r.m->nimages + 1, sizeof *r.k.img_len);
	if (o->dir != NULL) {
		if (unpack_prepare(&r, cause) != 0)
			goto out;
		cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cwd == -1 || chdir(r.partial) != 0) {
			*cause = xprintf("%s: %s", r.partial, strerror(errno));
			goto out;
		}
		if (disk_write_mem(&r, BUNDLE_MANIFEST, r.mdata, r.mlen,
		    cause) != 0 || (r.sig != NULL && disk_write_mem(&r,
		    BUNDLE_SIG, r.sig, r.siglen, cause) != 0))
			goto out;
	}
	while (ae != NULL) {
		if (read_entry(&r, ae, cause) != 0)
			goto out;
		st = archive_read_next_header(r.a, &ae);
		if (st == ARCHIVE_EOF)
			break;
		if (st != ARCHIVE_OK) {
			archive_fail(&r, _("an entry header"), cause);
			goto out;
		}
	}
	if (check_closure(r.m, &r.k, cause) != 0)
		goto out;
	if (r.disk != NULL) {
		if (archive_write_close(r.disk) != ARCHIVE_OK) {
			disk_error(&r, "", cause);
			goto out;
		}
		if (fchdir(cwd) != 0) {
			*cause = xprintf(_("cannot return to the working "
			    "directory: %s"), strerror(errno));
			goto out;
		}
		close(cwd);
		cwd = -1;
		if (swap_in(o->dir, r.partial, mhex, r.m, cause) != 0)
			goto out;
	}
	log_info("bundle %s: %s %s verified%s (%zu files, %" PRId64 " bytes)",
	    o->dir != NULL ? "unpack" : "verify", r.m->name, r.m->version,
	    r.sig != NULL && o->pubkey != NULL ? ", signature good" : "",
	    r.m->nfiles, r.total);
	if (mp != NULL) {
		*mp = r.m;
		if (o->image_manifests != NULL) {
			*o->image_manifests = r.k.img;
			*o->image_manifest_lens = r.k.img_len;
			r.k.img = NULL;
			r.k.img_len = NULL;
		}
		keep_free(&r.k, r.m->nimages);
		memset(&r.k, 0, sizeof r.k);
		r.m = NULL;
	}
	rc = 0;
out:
	if (cwd != -1) {
		if (fchdir(cwd) != 0)
			log_error("cannot return to the working directory");
		close(cwd);
	}
	if (rc != 0 && r.partial != NULL) {
		char *c2 = NULL;

		if (bundle_rm_rf(r.partial, &c2) != 0)
			free(c2);
	}
	if (lock != -1)
		close(lock);
	reader_free(&r);
	return rc;
}

/* Hash one file of an unpacked bundle. */
static int
dir_check_file(const char *dir, const struct bundle_file *f, char **keep,
    size_t *keep_len, const struct bundle_progress *pr, int64_t *done,
    int64_t total, struct stat *sb, char **cause)
{
	struct sha256 h;
	struct stat after;
	char *path, *buf, hex[65];
	FILE *fp;
	size_t n;
	int64_t size = 0;

	path = xprintf("%s/%s", dir, f->path);
	fp = fopen(path, "rb");
	if (fp == NULL || fstat(fileno(fp), sb) != 0) {
		*cause = xprintf(_("%s: missing file '%s'"), dir, f->path);
		if (fp != NULL)
			fclose(fp);
		free(path);
		return -1;
	}
	buf = xmalloc(READ_BLOCK);
	if (keep != NULL && f->size <= OCI_MANIFEST_MAX)
		*keep = xmalloc((size_t)f->size + 1);
	else
		keep = NULL;
	oci_sha256_init(&h);
	while ((n = fread(buf, 1, READ_BLOCK, fp)) > 0) {
		if (size + (int64_t)n > f->size) {
			size += (int64_t)n;
			break;
		}
		if (keep != NULL)
			memcpy(*keep + size, buf, n);
		oci_sha256_update(&h, buf, n);
		size += (int64_t)n;
		*done += (int64_t)n;
		bundle_progress(pr, f->path, *done, total);
		if (bundle_cancelled(pr))
			break;
	}
	oci_sha256_final(&h, hex);
	if (fstat(fileno(fp), &after) != 0 || after.st_size != sb->st_size ||
	    after.st_mtim.tv_sec != sb->st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != sb->st_mtim.tv_nsec ||
	    after.st_ctim.tv_sec != sb->st_ctim.tv_sec ||
	    after.st_ctim.tv_nsec != sb->st_ctim.tv_nsec)
		size = -1;	/* it changed while it was read */
	fclose(fp);
	free(buf);
	free(path);
	if (keep != NULL) {
		(*keep)[size >= 0 && size <= f->size ? size : 0] = '\0';
		*keep_len = (size_t)(size >= 0 && size <= f->size ? size : 0);
	}
	if (bundle_cancelled(pr)) {
		*cause = xprintf(_("%s: cancelled"), dir);
		return -1;
	}
	if (size != f->size || strcmp(hex, f->sha256) != 0) {
		*cause = xprintf(_("%s: '%s' was altered: its sha256 does not "
		    "match the manifest"), dir, f->path);
		return -1;
	}
	return 0;
}

/* Extra files under oci/ and charts/: nftw cannot take an argument. */
static const struct bundle_manifest *walk_m;
static size_t walk_prefix;
static char *walk_extra;

static int
walk_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DP)
		return 0;
	if (flag != FTW_F || bundle_manifest_file(walk_m,
	    path + walk_prefix) == NULL) {
		walk_extra = xstrdup(path + walk_prefix);
		return 1;
	}
	return 0;
}

int
bundle_dir_verify(const char *dir, const char *pubkey, int require_sig,
    const struct bundle_progress *pr, struct bundle_manifest **mp,
    char **cause)
{
	struct bundle_manifest *m;
	struct keep k;
	struct stat *sts = NULL;
	struct timespec when;
	json_t *stamp = NULL, *sfiles = NULL;
	char *mdata, *sig = NULL, *path, **slot, mhex[65];
	size_t mlen, siglen = 0, i, *slot_len, trusted = 0, hashed = 0;
	int64_t done = 0, total;
	int rc = -1, stamp_ok;

	path = xprintf("%s/%s", dir, BUNDLE_MANIFEST);
	mdata = read_file(path, BUNDLE_MANIFEST_MAX, &mlen, cause);
	free(path);
	if (mdata == NULL)
		return -1;
	path = xprintf("%s/%s", dir, BUNDLE_SIG);
	if (access(path, F_OK) == 0 &&
	    (sig = read_file(path, SIG_MAX, &siglen, cause)) == NULL) {
		free(path);
		free(mdata);
		return -1;
	}
	free(path);
	if (check_signature(mdata, mlen, sig, siglen, pubkey, require_sig,
	    cause) != 0 || (m = bundle_manifest_parse(mdata, mlen,
	    BUNDLE_MANIFEST, cause)) == NULL) {
		free(sig);
		free(mdata);
		return -1;
	}
	sha256_hex(mdata, mlen, mhex);
	stamp = stamp_load(dir, mhex, &stamp_ok, &when);
	if (stamp_ok)
		sfiles = json_object_get(stamp, "files");
	memset(&k, 0, sizeof k);
	k.seen = xcalloc(m->nfiles + 1, 1);
	k.img = xcalloc(m->nimages + 1, sizeof *k.img);
	k.img_len = xcalloc(m->nimages + 1, sizeof *k.img_len);
	sts = xcalloc(m->nfiles + 1, sizeof *sts);
	if (manifest_sane(m, cause) != 0)
		goto out;
	total = bundle_manifest_total(m);
	for (i = 0; i < m->nfiles; i++) {
		slot = keep_slot(m, &k, m->files[i].path, &slot_len);
		if (slot != NULL && *slot != NULL)
			slot = NULL;
		/* What is kept (index.json, image manifests) is read and
		 * checked every time; the rest only when it changed. */
		if (slot == NULL && sfiles != NULL &&
		    stamp_matches(dir, &m->files[i], sfiles, &when,
		    &sts[i])) {
			trusted++;
			done += m->files[i].size;
			bundle_progress(pr, m->files[i].path, done, total);
		} else {
			if (dir_check_file(dir, &m->files[i], slot, slot_len,
			    pr, &done, total, &sts[i], cause) != 0)
				goto out;
			if (slot == NULL)
				hashed++;
		}
		k.seen[i] = 1;
	}
	walk_m = m;
	walk_prefix = strlen(dir) + 1;
	walk_extra = NULL;
	for (i = 2; top_names[i] != NULL; i++) {
		path = xprintf("%s/%s", dir, top_names[i]);
		if (access(path, F_OK) == 0)
			nftw(path, walk_one, 16, FTW_PHYS);
		free(path);
		if (walk_extra != NULL) {
			*cause = xprintf(_("%s: extra file '%s' is not in the "
			    "manifest"), dir, walk_extra);
			free(walk_extra);
			walk_extra = NULL;
			goto out;
		}
	}
	if (check_closure(m, &k, cause) != 0)
		goto out;
	log_info("bundle %s: %zu files hashed, %zu unchanged since they "
	    "verified", dir, m->nfiles - trusted, trusted);
	if (sfiles == NULL || hashed > 0) {
		char *c2 = NULL;

		/* A read-only directory is checked in full each time. */
		if (stamp_write(dir, mhex, m, sts, &c2) != 0) {
			log_info("bundle %s: no stamp: %s", dir, c2);
			free(c2);
		}
	}
	rc = 0;
	*mp = m;
	m = NULL;
out:
	keep_free(&k, m != NULL ? m->nimages : (*mp)->nimages);
	bundle_manifest_free(m);
	json_decref(stamp);
	free(sts);
	free(mdata);
	free(sig);
	return rc;
}
