/*
 * SSH sessions (libssh2): OpenSSH known_hosts (hashed entries and the
 * [host]:port form), strict and accept-new host key policies, auth by
 * ssh-agent, identity file or password, and commands run with a deadline.
 *
 * Every session is non-blocking: each wait polls the socket in slices, so
 * a dead or silent host fails on time and a cancel flag stops it quickly.
 * Sessions are independent, so many hosts can be driven from many
 * threads at once (see preflight-hosts.c).
 */
#ifndef WB_SSH_H
#define WB_SSH_H

#include <stdatomic.h>
#include <stddef.h>

enum ssh_policy { SSH_POLICY_STRICT, SSH_POLICY_ACCEPT_NEW };

/* The host key against known_hosts. */
enum ssh_key_state {
	SSH_KEY_NOT_SEEN,	/* never got that far */
	SSH_KEY_MATCH,		/* known and the same */
	SSH_KEY_RECORDED,	/* unknown, recorded (accept-new) */
	SSH_KEY_UNKNOWN,	/* unknown, refused (strict) */
	SSH_KEY_CHANGED,	/* known with another key: never go on */
};

/* The step a session failed at. */
enum ssh_stage {
	SSH_STAGE_NONE,
	SSH_STAGE_CONNECT,	/* TCP or the SSH handshake */
	SSH_STAGE_HOSTKEY,
	SSH_STAGE_AUTH,
	SSH_STAGE_EXEC,
	SSH_STAGE_CANCEL,
};

/* The strings ssh_conf_init() allocates are freed by ssh_conf_free(). */
struct ssh_conf {
	const char *host;
	int port;
	const char *user;
	char *identity;		/* private key file; NULL or "": ssh-agent */
	char *passphrase;	/* of the identity; resolved, may be NULL */
	char *password;		/* resolved, may be NULL */
	char *known_hosts;	/* file (~ is expanded) */
	enum ssh_policy policy;
	int timeout_ms;		/* connect + handshake + auth */
	atomic_int *cancel;	/* may be NULL */
};

/* What a connection attempt saw, filled as far as it got. */
struct ssh_report {
	enum ssh_stage failed;	/* SSH_STAGE_NONE on success */
	double connect_ms;	/* TCP connect and SSH handshake */
	char *banner;		/* the server's version string */
	enum ssh_key_state key_state;
	char *key_type;		/* "ssh-ed25519" */
	char *fingerprint;	/* "SHA256:..." */
	char *auth_method;	/* "publickey (agent)", "password", ... */
	unsigned char *key;	/* the raw host key blob */
	size_t key_len;
	int key_kind;		/* LIBSSH2_HOSTKEY_TYPE_* */
};

struct ssh_conn;
struct answers;

/*
 * The settings for HOST:PORT as USER from the answers' ssh.* keys:
 * paths made absolute (~ and relative to the answers file), secrets
 * resolved.  Returns 0, or -1 with *cause naming the key.
 */
int ssh_conf_init(struct ssh_conf *, const struct answers *,
    const char *host, int port, const char *user, atomic_int *cancel,
    char **cause);
void ssh_conf_free(struct ssh_conf *);
/*
 * Let ssh_conf_init() ask for an encrypted identity's passphrase on the
 * terminal when ssh.passphrase is not set: once a run, the others wait.
 * Commands turn it on when stdin is a terminal.
 */
void ssh_allow_prompt(int on);
/*
 * What the private key file PATH is: *encrypted, and its TYPE
 * ("ssh-ed25519", "ssh-rsa", ...; "" when not told).  0, or -1 when it
 * is not a private key this can read.
 */
int ssh_key_info(const char *path, int *encrypted, char *type,
    size_t typesz);

/* One-time library setup; call before starting threads. */
void ssh_global_init(void);

/*
 * Connect, check the host key and authenticate.  Returns NULL with
 * *cause (and rep->failed) on failure; with a changed host key nothing
 * is ever sent to the host after the key exchange.
 */
struct ssh_conn *ssh_open(const struct ssh_conf *, struct ssh_report *rep,
    char **cause);
/*
 * Run CMD, feeding IN (may be NULL) on its stdin, within timeout_ms.
 * Collects stdout into *out (NUL-terminated) and the exit status.
 * Returns 0, or -1 with *cause (a timeout, a broken connection).
 */
int ssh_exec(struct ssh_conn *, const char *cmd, const char *in,
    size_t inlen, int timeout_ms, char **out, size_t *outlen, char **err,
    int *status, char **cause);
/* When the last ssh_exec() saw its first byte of output (wall clock,
 * seconds), or 0. */
double ssh_first_output(const struct ssh_conn *);
void ssh_close(struct ssh_conn *);
void ssh_report_free(struct ssh_report *);

/*
 * Fetch the host key only (no auth) and look it up in known_hosts:
 * for `hosts trust`.  Fills rep; returns 0 or -1 with *cause.
 */
int ssh_scan_hostkey(const struct ssh_conf *, struct ssh_report *rep,
    char **cause);
/* Record the key rep describes for conf's host in its known_hosts. */
int ssh_trust_hostkey(const struct ssh_conf *, const struct ssh_report *,
    char **cause);

/*
 * hosts-target.c: TARGET as `hosts trust` takes it and checks name it,
 * "host", "host:port", "[v6]:port" or "[v6]".  The port defaults to the
 * matching target's, else ssh.port; the user likewise.  Returns 0 or -1.
 */
int hosts_target_parse(const struct answers *, const char *target,
    char **host, int *port, const char **user);
/*
 * Fetch TARGET's host key and look it up in known_hosts (see
 * ssh_scan_hostkey).  On success conf, rep and *host (which conf points
 * at: free it after ssh_conf_free) are the caller's to free.
 */
int hosts_scan(const struct answers *, const char *target,
    struct ssh_conf *conf, struct ssh_report *rep, char **host,
    char **cause);

/* "host" for port 22, else "[host]:port", as known_hosts spells it. */
char *ssh_hostspec(const char *host, int port);
/* "SHA256:" and unpadded base64 of the SHA-256 of a raw key blob. */
char *ssh_fingerprint(const unsigned char *key, size_t len);

#endif
