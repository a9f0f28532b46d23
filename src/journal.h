/*
 * The install journal: the state of each action of a plan and the
 * SHA-256 of its inputs, in <answers dir>/.wbinstall-state/journal.json,
 * saved atomically (mode 0600) after every change.  A lock file keeps two
 * installs from the same answers apart.
 */
#ifndef WB_JOURNAL_H
#define WB_JOURNAL_H

#include <stddef.h>

#define JOURNAL_DIR	".wbinstall-state"
#define JOURNAL_FILE	"journal.json"

enum jstate { JS_PENDING, JS_RUNNING, JS_DONE, JS_FAILED };

struct jentry {
	char *name;
	enum jstate state;
	char *inputs;		/* hex SHA-256 of the action's inputs */
	char *updated;		/* UTC, ISO 8601 */
	char *message;		/* why it failed; "" otherwise */
};

struct journal {
	char *dir;		/* the state directory */
	char *path;		/* journal.json */
	int lockfd;		/* -1: read only */
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

#endif
