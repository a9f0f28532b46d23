/*
 * The install journal: the state of each action of a plan and a digest
 * of its inputs, in <answers dir>/.wbinstall-state/journal.json, saved
 * atomically (mode 0600) after every change.  A lock file keeps two
 * installs from the same answers apart.
 *
 * An action's inputs can hold secrets (a password in a Secret manifest),
 * so the digest is an HMAC-SHA256 under a random key kept in the state
 * directory (JOURNAL_KEY, 0600), not a bare hash: a copy of the journal
 * alone (say, in a support bundle) gives no way to test guesses of a
 * password against it.
 */
#ifndef WB_JOURNAL_H
#define WB_JOURNAL_H

#include <stddef.h>

#define JOURNAL_DIR	".wbinstall-state"
#define JOURNAL_FILE	"journal.json"
#define JOURNAL_KEY	"journal.key"
#define JOURNAL_KEY_LEN	32

enum jstate { JS_PENDING, JS_RUNNING, JS_DONE, JS_FAILED };

struct jentry {
	char *name;
	enum jstate state;
	char *inputs;		/* journal_digest() of the action's inputs */
	char *updated;		/* UTC, ISO 8601 */
	char *message;		/* why it failed; "" otherwise */
};

struct journal {
	char *dir;		/* the state directory */
	char *path;		/* journal.json */
	int lockfd;		/* -1: read only */
	unsigned char key[JOURNAL_KEY_LEN];
	int have_key;		/* 0: read only and no key yet */
	struct jentry *v;
	size_t n;
};

/* The state directory for an answers file. */
char *journal_dir_for(const char *answers_path);

/*
 * Open the journal for ANSWERS_PATH.  Read-only opens create nothing and
 * take no lock (an absent journal reads as empty).  Otherwise the state
 * directory is made (0700) and locked.  Returns 0 or -1 with *cause.
 */
int journal_open(struct journal *, const char *answers_path, int read_only,
    char **cause);
void journal_close(struct journal *);

/* The entry of action NAME, or NULL. */
const struct jentry *journal_get(const struct journal *, const char *name);
/* Set NAME's state (INPUTS and MESSAGE may be NULL) and save. */
int journal_set(struct journal *, const char *name, enum jstate,
    const char *inputs, const char *message, char **cause);

const char *journal_state_name(enum jstate);

/*
 * The hex HMAC-SHA256 of BUF under the journal's key (65 bytes with the
 * NUL).  Without a key (a read-only open before any install; J NULL) it is
 * a digest under a fresh random key, which matches no recorded entry.
 */
void journal_digest(const struct journal *j, const void *buf, size_t len,
    char out[65]);

#endif
