/*
 * The runner: helm, kubectl, wandb and docker run on this machine
 * (fork/exec, each child in its own process group so that a Ctrl-C on the
 * terminal reaches wbinstall only) or on the `control` target over SSH.
 *
 * Secrets never go on a command line: they go on stdin, or into files
 * written with runner_put() (mode 0600, fed over stdin as well).  Every
 * command and its output go to the log, where secrets are redacted.
 */
#ifndef WB_RUNNER_H
#define WB_RUNNER_H

#include <stdatomic.h>
#include <stddef.h>

struct answers;
struct ssh_conn;

struct runner {
	struct ssh_conn *ssh;	/* NULL: this machine */
	char *where;		/* "this machine" or "user@host:port" */
	atomic_int *cancel;	/* may be NULL */
	int dry_run;		/* print, run nothing */
};

/* What a command did. */
struct run_result {
	int status;		/* exit status; 128+N for signal N */
	char *out;		/* stdout, NUL-terminated */
	size_t outlen;
	char *err;		/* stderr, NUL-terminated */
};

/*
 * Open a runner for the answers: over SSH to the target with the role
 * control when there is one, else on this machine.  A dry-run runner
 * connects nowhere.  Returns 0, or -1 with *cause.
 */
int runner_open(struct runner *, const struct answers *, int dry_run,
    atomic_int *cancel, char **cause);
/* A runner on target N of the answers, over SSH. */
int runner_open_target(struct runner *, const struct answers *, size_t n,
    int dry_run, atomic_int *cancel, char **cause);
/* A runner on this machine only. */
void runner_local(struct runner *, atomic_int *cancel);
void runner_close(struct runner *);

/*
 * Run ARGV (NULL-terminated; argv[0] is looked up in PATH) with IN (may
 * be NULL) on stdin, within TIMEOUT_MS.  Returns 0 with res filled for
 * any exit status, or -1 with *cause when it could not run or timed out
 * (then it is killed).  IN_WHAT names the stdin for the log ("manifest
 * k8s/secrets.yaml"); the data itself is never logged.
 */
int runner_run(struct runner *, const char *const *argv, const char *in,
    size_t inlen, const char *in_what, int timeout_ms, struct run_result *,
    char **cause);
void run_result_free(struct run_result *);

/* Is PROG in the PATH where the runner runs?  1 yes, 0 no, -1 error. */
int runner_have(struct runner *, const char *prog, char **cause);

/* Write DATA to PATH (mode 0600, directories made 0700) where it runs. */
int runner_put(struct runner *, const char *path, const void *data,
    size_t len, char **cause);

/* ARGV as one sh command line, each word quoted when it needs it. */
char *runner_format(const char *const *argv);

/* The last N lines of TEXT (a new string). */
char *runner_tail(const char *text, int n);

#endif
