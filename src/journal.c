/* The install journal (jansson), saved with write_file_atomic(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "i18n.h"
#include "journal.h"
#include "util.h"
#include "xmalloc.h"

#define JOURNAL_MAX	(4 * 1024 * 1024)

static const char *const state_names[] = { "pending", "running", "done",
	"failed" };

const char *
journal_state_name(enum jstate s)
{
	return state_names[s];
}

char *
journal_dir_for(const char *answers_path)
{
	const char *slash = strrchr(answers_path, '/');

	if (slash == NULL)
		return xstrdup(JOURNAL_DIR);
	return xprintf("%.*s/%s", (int)(slash - answers_path), answers_path,
	    JOURNAL_DIR);
}

static void
entries_free(struct journal *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free(j->v[i].name);
		free(j->v[i].inputs);
		free(j->v[i].updated);
		free(j->v[i].message);
	}
	free(j->v);
	j->v = NULL;
	j->n = 0;
}

static struct jentry *
entry_add(struct journal *j, const char *name)
{
	struct jentry *e;

	j->v = xreallocarray(j->v, j->n + 1, sizeof *j->v);
	e = &j->v[j->n++];
	memset(e, 0, sizeof *e);
	e->name = xstrdup(name);
	e->inputs = xstrdup("");
	e->updated = xstrdup("");
	e->message = xstrdup("");
	return e;
}

static const char *
str_or(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static int
load(struct journal *j, char **cause)
{
	json_error_t jerr;
	json_t *root, *arr, *o;
	struct jentry *e;
	char *text;
	size_t len, i, k;

	if (access(j->path, F_OK) != 0)
		return 0;
	text = read_file(j->path, JOURNAL_MAX, &len, cause);
	if (text == NULL)
		return -1;
	root = json_loadb(text, len, 0, &jerr);
	free(text);
	arr = json_object_get(root, "actions");
	if (root == NULL || !json_is_array(arr)) {
		*cause = xprintf(_("%s: not a wbinstall journal (%s); remove "
		    "it to start the install afresh"), j->path, root == NULL ?
		    jerr.text : _("no actions"));
		json_decref(root);
		return -1;
	}
	json_array_foreach(arr, i, o) {
		e = entry_add(j, str_or(o, "name"));
		for (k = 0; k < 4; k++)
			if (strcmp(str_or(o, "state"), state_names[k]) == 0)
				e->state = (enum jstate)k;
		free(e->inputs);
		e->inputs = xstrdup(str_or(o, "inputs"));
		free(e->updated);
		e->updated = xstrdup(str_or(o, "updated"));
		free(e->message);
		e->message = xstrdup(str_or(o, "message"));
	}
	json_decref(root);
	return 0;
}

/* Read DIR/journal.key, or (unless read only) make it. */
static int
load_key(struct journal *j, int read_only, char **cause)
{
	char *path = xprintf("%s/%s", j->dir, JOURNAL_KEY), *data;
	size_t len;
	int rc = -1;

	if (access(path, F_OK) == 0) {
		data = read_file(path, 4 * JOURNAL_KEY_LEN, &len, cause);
		if (data == NULL)
			goto out;
		if (len != JOURNAL_KEY_LEN) {
			*cause = xprintf(_("%s: not a journal key (%zu bytes); "
			    "remove it and the journal to start the install "
			    "afresh"), path, len);
			OPENSSL_cleanse(data, len);
			free(data);
			goto out;
		}
		memcpy(j->key, data, JOURNAL_KEY_LEN);
		OPENSSL_cleanse(data, len);
		free(data);
		j->have_key = 1;
	} else if (!read_only) {
		if (RAND_bytes(j->key, JOURNAL_KEY_LEN) != 1) {
			*cause = xstrdup(_("no random bytes for the journal key"));
			goto out;
		}
		if (write_file_atomic(path, j->key, JOURNAL_KEY_LEN, 0600,
		    cause) != 0)
			goto out;
		j->have_key = 1;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

int
journal_open(struct journal *j, const char *answers_path, int read_only,
    char **cause)
{
	char *lock;

	memset(j, 0, sizeof *j);
	j->lockfd = -1;
	j->dir = journal_dir_for(answers_path);
	j->path = xprintf("%s/%s", j->dir, JOURNAL_FILE);
	if (!read_only) {
		if (mkdir_p(j->dir, 0700, cause) != 0)
			goto fail;
		chmod(j->dir, 0700);
		lock = xprintf("%s/lock", j->dir);
		j->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (j->lockfd == -1) {
			*cause = xprintf("%s: %s", lock, strerror(errno));
			free(lock);
			goto fail;
		}
		free(lock);
		if (flock(j->lockfd, LOCK_EX | LOCK_NB) == -1) {
			*cause = xprintf(_("%s: another wbinstall is working "
			    "on these answers"), j->dir);
			goto fail;
		}
	}
	if (load_key(j, read_only, cause) != 0 || load(j, cause) != 0)
		goto fail;
	return 0;
fail:
	journal_close(j);
	return -1;
}

void
journal_digest(const struct journal *j, const void *buf, size_t len,
    char out[65])
{
	unsigned char key[JOURNAL_KEY_LEN], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (j != NULL && j->have_key)
		memcpy(key, j->key, sizeof key);
	else if (RAND_bytes(key, sizeof key) != 1)
		memset(key, 0, sizeof key);	/* still matches nothing stored */
	HMAC(EVP_sha256(), key, (int)sizeof key, buf, len, md, &mdlen);
	OPENSSL_cleanse(key, sizeof key);
	hex_encode(md, mdlen < 32 ? mdlen : 32, out);
}

void
journal_close(struct journal *j)
{
	entries_free(j);
	if (j->lockfd != -1)
		close(j->lockfd);
	free(j->dir);
	free(j->path);
	OPENSSL_cleanse(j, sizeof *j);
	j->lockfd = -1;
}

const struct jentry *
journal_get(const struct journal *j, const char *name)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->v[i].name, name) == 0)
			return &j->v[i];
	return NULL;
}

static int
save(struct journal *j, char **cause)
{
	json_t *root = json_object(), *arr = json_array();
	char *text;
	size_t i;
	int rc;

	for (i = 0; i < j->n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s}", "name", j->v[i].name, "state",
		    state_names[j->v[i].state], "inputs", j->v[i].inputs,
		    "updated", j->v[i].updated, "message", j->v[i].message));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "actions", arr);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	rc = write_file_atomic(j->path, text, strlen(text), 0600, cause);
	free(text);
	return rc;
}

int
journal_set(struct journal *j, const char *name, enum jstate state,
    const char *inputs, const char *message, char **cause)
{
	struct jentry *e = (struct jentry *)journal_get(j, name);
	char stamp[32];
	struct tm tm;
	time_t t = time(NULL);

	if (j->lockfd == -1) {
		*cause = xprintf(_("%s: the journal is read only"), j->path);
		return -1;
	}
	if (e == NULL)
		e = entry_add(j, name);
	e->state = state;
	if (inputs != NULL) {
		free(e->inputs);
		e->inputs = xstrdup(inputs);
	}
	free(e->message);
	e->message = xstrdup(message != NULL ? message : "");
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(e->updated);
	e->updated = xstrdup(stamp);
	return save(j, cause);
}
