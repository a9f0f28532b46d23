/* SSH sessions over libssh2: host keys, auth and commands with deadlines. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libssh2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "answers-resolve.h"
#include "answers.h"
#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "ssh.h"
#include "util.h"
#include "xmalloc.h"

/* How long one wait may sleep before looking at the cancel flag. */
#define SSH_SLICE_MS	100
/* Largest output a command may produce. */
#define SSH_MAX_OUTPUT	(16 * 1024 * 1024)
/* Largest known_hosts file read. */
#define SSH_MAX_KNOWN	(16 * 1024 * 1024)
/* Largest private key file looked at. */
#define SSH_MAX_KEY	(1024 * 1024)

struct ssh_conn {
	int fd;
	LIBSSH2_SESSION *s;
	char *spec;		/* "host" or "[host]:port", for messages */
	atomic_int *cancel;
	int cancelled;
	int timed_out;
	int timeout_ms;		/* of connect, handshake and auth */
	const char *password;	/* for keyboard-interactive */
	double first_output;	/* wall clock of the last exec's first byte */
};

/* Writers of known_hosts files take turns. */
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
	int kind;		/* LIBSSH2_HOSTKEY_TYPE_* */
	int bit;		/* LIBSSH2_KNOWNHOST_KEY_* */
	const char *name;
} key_types[] = {
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519,
	    "ssh-ed25519" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256,
	    "ecdsa-sha2-nistp256" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384,
	    "ecdsa-sha2-nistp384" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521,
	    "ecdsa-sha2-nistp521" },
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
};
#define NKEY_TYPES (sizeof key_types / sizeof key_types[0])

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
ssh_first_output(const struct ssh_conn *c)
{
	return c->first_output;
}

static void
global_init_once(void)
{
	libssh2_init(0);
}

void
ssh_global_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, global_init_once);
}

char *
ssh_hostspec(const char *host, int port)
{
	if (port == 22)
		return xstrdup(host);
	return xprintf("[%s]:%d", host, port);
}

char *
ssh_fingerprint(const unsigned char *key, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3)
	    + 1];
	unsigned int mdlen = 0;
	int n;

	EVP_Digest(key, len, md, &mdlen, EVP_sha256(), NULL);
	n = EVP_EncodeBlock(b64, md, (int)mdlen);
	while (n > 0 && b64[n - 1] == '=')
		n--;
	b64[n] = '\0';
	return xprintf("SHA256:%s", b64);
}

/*
 * The private key's passphrase asked for on the terminal, once for the
 * whole run, when the command allows it (ssh_allow_prompt) and the
 * answers give none: threads that need it meanwhile wait for the answer.
 */
static pthread_mutex_t prompt_lock = PTHREAD_MUTEX_INITIALIZER;
static int prompt_allowed, prompt_done;
static char *prompted;

static void
prompt_forget(void)
{
	xfree_secret(prompted);
	prompted = NULL;
}

void
ssh_allow_prompt(int on)
{
	pthread_mutex_lock(&prompt_lock);
	prompt_allowed = on;
	pthread_mutex_unlock(&prompt_lock);
}

/* A string of PROTOCOL.key (uint32 length, bytes) at *P; -1 past END. */
static int
key_string(const unsigned char **p, const unsigned char *end,
    const unsigned char **s, uint32_t *len)
{
	uint32_t n;

	if (end - *p < 4)
		return -1;
	memcpy(&n, *p, 4);
	n = ntohl(n);
	if ((size_t)(end - *p - 4) < n)
		return -1;
	*s = *p + 4;
	*len = n;
	*p += 4 + (size_t)n;
	return 0;
}

/* OpenSSH's own format, base64 in B64: the cipher, the first key's type. */
static int
key_openssh(const char *b64, size_t n, int *encrypted, char *type,
    size_t typesz)
{
	static const char magic[] = "openssh-key-v1";	/* and a NUL */
	const unsigned char *p, *end, *s, *pub;
	unsigned char *bin;
	uint32_t len, publen;
	int got, rc = -1;

	if (n % 4 != 0)
		return -1;
	bin = xmalloc(n + 1);
	got = EVP_DecodeBlock(bin, (const unsigned char *)b64, (int)n);
	/* magic, cipher, kdf name, kdf options, number of keys, public key */
	if (got >= (int)sizeof magic && memcmp(bin, magic, sizeof magic) == 0 &&
	    (p = bin + sizeof magic, end = bin + got,
	    key_string(&p, end, &s, &len)) == 0) {
		*encrypted = !(len == 4 && memcmp(s, "none", 4) == 0);
		rc = 0;
		if (key_string(&p, end, &s, &len) == 0 &&
		    key_string(&p, end, &s, &len) == 0 && end - p >= 4 &&
		    (p += 4, key_string(&p, end, &pub, &publen)) == 0 &&
		    key_string(&pub, pub + publen, &s, &len) == 0 &&
		    len < typesz) {
			memcpy(type, s, len);
			type[len] = '\0';
		}
	}
	OPENSSL_cleanse(bin, n + 1);
	free(bin);
	return rc;
}

int
ssh_key_info(const char *path, int *encrypted, char *type, size_t typesz)
{
	static const char head[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	char *text, *p, *b64, *why = NULL;
	size_t len, n = 0;
	int rc = -1;

	*encrypted = 0;
	if (typesz > 0)
		*type = '\0';
	if ((text = read_file(path, SSH_MAX_KEY, &len, &why)) == NULL) {
		free(why);
		return -1;
	}
	if ((p = strstr(text, head)) != NULL) {
		b64 = xmalloc(len + 1);
		for (p += strlen(head); *p != '\0' && *p != '-'; p++)
			if (!isspace((unsigned char)*p))
				b64[n++] = *p;
		rc = key_openssh(b64, n, encrypted, type, typesz);
		OPENSSL_cleanse(b64, len + 1);
		free(b64);
	} else if (strstr(text, "PRIVATE KEY-----") != NULL) {
		/* PEM: "Proc-Type: 4,ENCRYPTED" or "ENCRYPTED PRIVATE KEY" */
		*encrypted = strstr(text, "ENCRYPTED") != NULL;
		if (strstr(text, "BEGIN RSA PRIVATE KEY") != NULL)
			snprintf(type, typesz, "ssh-rsa");
		else if (strstr(text, "BEGIN EC PRIVATE KEY") != NULL)
			snprintf(type, typesz, "ecdsa");
		rc = 0;
	}
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

static int
key_encrypted(const char *path)
{
	char type[64];
	int enc;

	return ssh_key_info(path, &enc, type, sizeof type) == 0 ? enc : -1;
}

/* The passphrase for IDENTITY from the terminal, if allowed and needed. */
static int
prompt_passphrase(const char *identity, char **cause)
{
	char *prompt, *why = NULL;
	int rc = 0;

	pthread_mutex_lock(&prompt_lock);
	if (prompt_allowed && !prompt_done && key_encrypted(identity) == 1) {
		prompt = xprintf(_("Passphrase for %s (ssh.passphrase is not "
		    "set): "), identity);
		prompted = secret_read_tty(prompt, &why);
		free(prompt);
		if (prompted != NULL)
			atexit(prompt_forget);
		else {
			*cause = xprintf("ssh.passphrase: %s", why);
			free(why);
			rc = -1;
		}
		prompt_done = 1;
	} else if (prompt_done && prompted == NULL && prompt_allowed &&
	    key_encrypted(identity) == 1) {
		*cause = xstrdup(_("no passphrase for the identity file "
		    "(ssh.passphrase)"));
		rc = -1;
	}
	pthread_mutex_unlock(&prompt_lock);
	return rc;
}

int
ssh_conf_init(struct ssh_conf *c, const struct answers *a, const char *host,
    int port, const char *user, atomic_int *cancel, char **cause)
{
	const char *id = answers_get(a, "ssh.identity");

	memset(c, 0, sizeof *c);
	c->host = host;
	c->port = port;
	c->user = user;
	c->identity = *id != '\0' ? answers_get_path(a, "ssh.identity") : NULL;
	c->known_hosts = answers_get_path(a, "ssh.known_hosts");
	c->policy = strcmp(answers_get(a, "ssh.host_key_policy"),
	    "accept-new") == 0 ? SSH_POLICY_ACCEPT_NEW : SSH_POLICY_STRICT;
	c->timeout_ms = (int)answers_get_int(a, "ssh.timeout_s") * 1000;
	c->cancel = cancel;
	if (answers_is_set(a, "ssh.passphrase")) {
		c->passphrase = answers_resolve(a, "ssh.passphrase", cause);
		if (c->passphrase == NULL)
			goto fail;
	} else if (c->identity != NULL) {
		if (prompt_passphrase(c->identity, cause) != 0)
			goto fail;
		pthread_mutex_lock(&prompt_lock);
		if (prompted != NULL)
			c->passphrase = xstrdup(prompted);
		pthread_mutex_unlock(&prompt_lock);
	}
	if (answers_is_set(a, "ssh.password")) {
		c->password = answers_resolve(a, "ssh.password", cause);
		if (c->password == NULL)
			goto fail;
	}
	return 0;
fail:
	ssh_conf_free(c);
	return -1;
}

void
ssh_conf_free(struct ssh_conf *c)
{
	free(c->identity);
	free(c->known_hosts);
	if (c->passphrase != NULL)
		xfree_secret(c->passphrase);
	if (c->password != NULL)
		xfree_secret(c->password);
	memset(c, 0, sizeof *c);
}

void
ssh_report_free(struct ssh_report *r)
{
	free(r->banner);
	free(r->key_type);
	free(r->fingerprint);
	free(r->auth_method);
	free(r->key);
	memset(r, 0, sizeof *r);
}

/* The last libssh2 error of a session, as a new string. */
static char *
last_error(LIBSSH2_SESSION *s)
{
	char *msg = NULL;

	libssh2_session_last_error(s, &msg, NULL, 0);
	return xstrdup(msg != NULL && *msg != '\0' ? msg : "unknown error");
}

/*
 * Wait for the socket in the direction libssh2 is blocked on, at most
 * one slice.  Returns -1 (with *cause) when the deadline passed or the
 * operation was cancelled.
 */
static int
conn_wait(struct ssh_conn *c, int64_t deadline, char **cause)
{
	struct pollfd pfd;
	int64_t left;
	int dir;

	if (c->cancel != NULL && *c->cancel) {
		c->cancelled = 1;
		*cause = xprintf(_("%s: cancelled"), c->spec);
		return -1;
	}
	left = deadline - now_ms();
	if (left <= 0) {
		c->timed_out = 1;
		*cause = NULL;	/* the caller says what timed out */
		return -1;
	}
	dir = libssh2_session_block_directions(c->s);
	pfd.fd = c->fd;
	pfd.events = 0;
	if (dir & LIBSSH2_SESSION_BLOCK_INBOUND)
		pfd.events |= POLLIN;
	if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		pfd.events |= POLLOUT;
	if (pfd.events == 0)
		pfd.events = POLLIN;
	poll(&pfd, 1, left < SSH_SLICE_MS ? (int)left : SSH_SLICE_MS);
	return 0;
}

/* Run EXPR until it stops saying EAGAIN; on timeout set *cause to WHAT. */
#define CONN_LOOP(c, dl, rc, expr, cause, what) do {			\
	while (((rc) = (expr)) == LIBSSH2_ERROR_EAGAIN) {		\
		if (conn_wait((c), (dl), (cause)) != 0) {		\
			if (*(cause) == NULL)				\
				*(cause) = (what);			\
			else						\
				free(what);				\
			(rc) = LIBSSH2_ERROR_TIMEOUT;			\
			break;						\
		}							\
	}								\
} while (0)

static char *
timeout_msg(const struct ssh_conn *c, const char *what, int64_t ms)
{
	return xprintf(_("%s: no answer within %.1f s while %s"), c->spec,
	    (double)ms / 1000, what);
}

/* Connect a non-blocking TCP socket before the deadline. */
static int
tcp_connect(struct ssh_conn *c, const char *host, int port,
    int64_t deadline, char **cause)
{
	struct addrinfo hints, *res, *ai;
	struct pollfd pfd;
	char portstr[16];
	int fd = -1, err = 0, rc, timed_out = 0;
	socklen_t len;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof portstr, "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0) {
		*cause = xprintf(_("%s: cannot resolve the host name: %s"),
		    c->spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS) {
			err = errno;
			goto next;
		}
		for (;;) {
			int64_t left = deadline - now_ms();

			if (c->cancel != NULL && *c->cancel) {
				c->cancelled = 1;
				close(fd);
				freeaddrinfo(res);
				*cause = xprintf(_("%s: cancelled"), c->spec);
				return -1;
			}
			if (left <= 0) {
				timed_out = 1;
				goto next;
			}
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, left < SSH_SLICE_MS ? (int)left :
			    SSH_SLICE_MS) > 0)
				break;
		}
		len = sizeof err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
		    err == 0)
			break;
next:
		close(fd);
		fd = -1;
		if (timed_out)
			break;
	}
	freeaddrinfo(res);
	if (fd != -1)
		return fd;
	if (timed_out) {
		c->timed_out = 1;
		*cause = xprintf(_("%s: TCP connection timed out"), c->spec);
	} else
		*cause = xprintf(_("%s: cannot connect: %s"), c->spec,
		    strerror(err));
	return -1;
}

static int
key_type_index(int kind)
{
	size_t i;

	for (i = 0; i < NKEY_TYPES; i++)
		if (key_types[i].kind == kind)
			return (int)i;
	return -1;
}

/*
 * The marker lines of a known_hosts file, which libssh2 does not read:
 * @revoked keys (each never accepted, for any host, as OpenSSH's
 * sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT" says of them) and the first
 * @cert-authority line (host certificates, which wbinstall does not
 * check: a host it would vouch for is refused, never trusted by it).
 */
struct known_marks {
	struct {
		unsigned char *key;
		size_t len;
		unsigned line;
	} *revoked;
	size_t nrevoked;
	unsigned ca_line;		/* 0: none */
};

static void
known_marks_free(struct known_marks *mk)
{
	size_t i;

	for (i = 0; i < mk->nrevoked; i++)
		free(mk->revoked[i].key);
	free(mk->revoked);
	memset(mk, 0, sizeof *mk);
}

/* "@revoked HOSTS TYPE BASE64 [COMMENT]": keep the key. */
static void
known_revoked(struct known_marks *mk, char *line, unsigned lineno)
{
	char *f[4], *save = NULL;
	unsigned char *bin;
	size_t n, pad;
	int i, got;

	for (i = 0; i < 4; i++)
		f[i] = strtok_r(i == 0 ? line : NULL, " \t", &save);
	mk->revoked = xreallocarray(mk->revoked, mk->nrevoked + 1,
	    sizeof *mk->revoked);
	mk->revoked[mk->nrevoked].line = lineno;
	mk->revoked[mk->nrevoked].key = NULL;
	mk->revoked[mk->nrevoked].len = 0;
	/* A line it cannot read still counts: nothing then matches it, and
	 * the log says so. */
	if (f[3] != NULL && (n = strlen(f[3])) % 4 == 0 && n > 0) {
		bin = xmalloc(n);
		got = EVP_DecodeBlock(bin, (const unsigned char *)f[3], (int)n);
		pad = (f[3][n - 1] == '=') + (n > 1 && f[3][n - 2] == '=');
		if (got > (int)pad) {
			mk->revoked[mk->nrevoked].key = bin;
			mk->revoked[mk->nrevoked].len = (size_t)got - pad;
		} else
			free(bin);
	}
	mk->nrevoked++;
}

/* The line of the @revoked entry for KEY, or 0. */
static unsigned
known_is_revoked(const struct known_marks *mk, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < mk->nrevoked; i++)
		if (mk->revoked[i].len == len && len > 0 &&
		    memcmp(mk->revoked[i].key, key, len) == 0)
			return mk->revoked[i].line;
	return 0;
}

/*
 * Load known_hosts line by line, so that one line libssh2 cannot parse
 * (a key type it lacks) does not hide the rest; the markers go to MK.
 * A missing file is empty.
 */
static LIBSSH2_KNOWNHOSTS *
known_load(LIBSSH2_SESSION *s, const char *path, struct known_marks *mk,
    char **cause)
{
	LIBSSH2_KNOWNHOSTS *kh;
	char *text, *line, *next;
	unsigned lineno = 0;

	kh = libssh2_knownhost_init(s);
	if (kh == NULL) {
		*cause = xstrdup(_("cannot set up known hosts"));
		return NULL;
	}
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return kh;
	text = read_file(path, SSH_MAX_KNOWN, NULL, cause);
	if (text == NULL) {
		libssh2_knownhost_free(kh);
		return NULL;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		if (strncmp(line, "@revoked", 8) == 0 &&
		    (line[8] == ' ' || line[8] == '\t')) {
			known_revoked(mk, line, lineno);
			continue;
		}
		if (*line == '@') {
			/* @cert-authority, or a marker OpenSSH may add:
			 * none of them may pass for a plain host key. */
			if (mk->ca_line == 0)
				mk->ca_line = lineno;
			continue;
		}
		if (libssh2_knownhost_readline(kh, line, strlen(line),
		    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0)
			log_info("%s:%u: line skipped (not understood)", path,
			    lineno);
	}
	free(text);
	return kh;
}

/*
 * Offer the key types known_hosts holds for this host first, as OpenSSH
 * does, so that a known host is checked against the key it is known by.
 * A wrong key of a given type is a mismatch, so a one-byte probe key
 * tells whether the host has an entry of that type.
 */
static void
prefer_known_types(LIBSSH2_SESSION *s, LIBSSH2_KNOWNHOSTS *kh,
    const char *host, int port)
{
	char pref[256] = "", rest[256] = "";
	size_t i;
	int rc;

	for (i = 0; i < NKEY_TYPES; i++) {
		rc = libssh2_knownhost_checkp(kh, host, port, "?", 1,
		    LIBSSH2_KNOWNHOST_TYPE_PLAIN |
		    LIBSSH2_KNOWNHOST_KEYENC_RAW | key_types[i].bit, NULL);
		if (rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
			if (*pref != '\0')
				strcat(pref, ",");
			strcat(pref, key_types[i].name);
		} else {
			if (*rest != '\0')
				strcat(rest, ",");
			strcat(rest, key_types[i].name);
		}
	}
	if (*pref != '\0' && *rest != '\0')
		strcat(pref, ",");
	strcat(pref, rest);
	if (libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY, pref) != 0)
		log_debug("host key preference %s not accepted", pref);
}

/* Append the key in REP for CONF's host to its known_hosts file. */
static int
known_record(LIBSSH2_SESSION *s, const struct ssh_conf *conf,
    const struct ssh_report *rep, char **cause)
{
	LIBSSH2_KNOWNHOSTS *kh;
	struct libssh2_knownhost *node;
	char *path, *spec, *old = NULL, *text, *slash, line[16384];
	size_t oldlen = 0, linelen = 0;
	int i, rc = -1;

	i = key_type_index(rep->key_kind);
	if (i < 0 || rep->key == NULL) {
		*cause = xstrdup(_("unsupported host key type"));
		return -1;
	}
	kh = libssh2_knownhost_init(s);
	if (kh == NULL) {
		*cause = xstrdup(_("cannot set up known hosts"));
		return -1;
	}
	spec = ssh_hostspec(conf->host, conf->port);
	if (libssh2_knownhost_addc(kh, spec, NULL, (const char *)rep->key,
	    rep->key_len, NULL, 0, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
	    LIBSSH2_KNOWNHOST_KEYENC_RAW | key_types[i].bit, &node) != 0 ||
	    libssh2_knownhost_writeline(kh, node, line, sizeof line, &linelen,
	    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
		char *e = last_error(s);

		*cause = xprintf(_("cannot format a known_hosts line: %s"), e);
		free(e);
		goto out;
	}
	path = expand_home(conf->known_hosts);
	pthread_mutex_lock(&known_lock);
	slash = strrchr(path, '/');
	if (slash != NULL && slash != path) {
		*slash = '\0';
		if (mkdir_p(path, 0700, cause) != 0) {
			*slash = '/';
			goto unlock;
		}
		*slash = '/';
	}
	if (access(path, F_OK) == 0) {
		old = read_file(path, SSH_MAX_KNOWN, &oldlen, cause);
		if (old == NULL)
			goto unlock;
	}
	xasprintf(&text, "%s%s%.*s", old != NULL ? old : "",
	    oldlen > 0 && old[oldlen - 1] != '\n' ? "\n" : "", (int)linelen,
	    line);
	rc = write_file_atomic(path, text, strlen(text), 0600, cause);
	free(text);
	if (rc == 0)
		log_info("%s: recorded the %s key of %s", path,
		    key_types[i].name, spec);
unlock:
	pthread_mutex_unlock(&known_lock);
	free(old);
	free(path);
out:
	free(spec);
	libssh2_knownhost_free(kh);
	return rc;
}

static void
kbd_callback(const char *name, int name_len, const char *instruction,
    int instruction_len, int num_prompts,
    const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)
{
	struct ssh_conn *c = *abstract;
	int i;

	(void)name;
	(void)name_len;
	(void)instruction;
	(void)instruction_len;
	(void)prompts;
	for (i = 0; i < num_prompts; i++) {
		/* libssh2 frees the responses with its own free(). */
		responses[i].text = strdup(c->password != NULL ?
		    c->password : "");
		responses[i].length = responses[i].text != NULL ?
		    (unsigned)strlen(responses[i].text) : 0;
	}
}

static void
conn_free(struct ssh_conn *c)
{
	int64_t dl;

	if (c == NULL)
		return;
	if (c->s != NULL) {
		/* Be brief: the host may be the reason we are leaving. */
		dl = now_ms() + 1000;
		while (libssh2_session_disconnect(c->s, "bye") ==
		    LIBSSH2_ERROR_EAGAIN && now_ms() < dl) {
			struct pollfd pfd = { c->fd, POLLOUT, 0 };

			poll(&pfd, 1, 50);
		}
		libssh2_session_set_blocking(c->s, 1);
		libssh2_session_free(c->s);
	}
	if (c->fd != -1)
		close(c->fd);
	free(c->spec);
	free(c);
}

/*
 * TCP, SSH handshake and the host key against known_hosts.  With APPLY,
 * the policy decides: an unknown key fails (strict) or is recorded
 * (accept-new).  A changed key always fails.
 */
static struct ssh_conn *
conn_start(const struct ssh_conf *conf, struct ssh_report *rep, int apply,
    int64_t deadline, char **cause)
{
	struct ssh_conn *c;
	struct known_marks mk;
	LIBSSH2_KNOWNHOSTS *kh = NULL;
	const char *key, *banner;
	char *path;
	size_t keylen;
	int64_t start = now_ms();
	unsigned line;
	int kind, i, rc;

	*cause = NULL;
	memset(&mk, 0, sizeof mk);
	memset(rep, 0, sizeof *rep);
	c = xcalloc(1, sizeof *c);
	c->fd = -1;
	c->timeout_ms = conf->timeout_ms;
	c->spec = ssh_hostspec(conf->host, conf->port);
	c->cancel = conf->cancel;
	c->password = conf->password;
	rep->failed = SSH_STAGE_CONNECT;

	c->fd = tcp_connect(c, conf->host, conf->port, deadline, cause);
	if (c->fd == -1)
		goto fail;
	c->s = libssh2_session_init_ex(NULL, NULL, NULL, c);
	if (c->s == NULL) {
		*cause = xstrdup(_("cannot start an SSH session"));
		goto fail;
	}
	libssh2_session_set_blocking(c->s, 0);
	path = expand_home(conf->known_hosts);
	kh = known_load(c->s, path, &mk, cause);
	free(path);
	if (kh == NULL) {
		rep->failed = SSH_STAGE_HOSTKEY;
		goto fail;
	}
	prefer_known_types(c->s, kh, conf->host, conf->port);

	CONN_LOOP(c, deadline, rc, libssh2_session_handshake(c->s, c->fd),
	    cause, libssh2_session_banner_get(c->s) == NULL ?
	    xprintf(_("%s: the server accepted the connection but sent no "
	    "SSH greeting within %.1f s"), c->spec,
	    (double)(now_ms() - start) / 1000) :
	    timeout_msg(c, _("exchanging keys"), now_ms() - start));
	if (rc != 0) {
		if (rc != LIBSSH2_ERROR_TIMEOUT) {
			char *e = last_error(c->s);

			*cause = xprintf(_("%s: SSH handshake failed: %s"),
			    c->spec, e);
			free(e);
		}
		goto fail;
	}
	rep->connect_ms = (double)(now_ms() - start);
	banner = libssh2_session_banner_get(c->s);
	rep->banner = xstrdup(banner != NULL ? banner : "");

	rep->failed = SSH_STAGE_HOSTKEY;
	key = libssh2_session_hostkey(c->s, &keylen, &kind);
	i = key != NULL ? key_type_index(kind) : -1;
	if (i < 0) {
		*cause = xprintf(_("%s: the server offered a host key of an "
		    "unsupported type"), c->spec);
		goto fail;
	}
	rep->key = xmalloc(keylen);
	memcpy(rep->key, key, keylen);
	rep->key_len = keylen;
	rep->key_kind = kind;
	rep->key_type = xstrdup(key_types[i].name);
	rep->fingerprint = ssh_fingerprint(rep->key, keylen);

	if ((line = known_is_revoked(&mk, key, keylen)) != 0) {
		/* Whatever else the file or the policy says. */
		rep->key_state = SSH_KEY_CHANGED;
		*cause = xprintf(_("%s: its %s host key %s is REVOKED in %s "
		    "(line %u); nothing was run on it"), c->spec,
		    rep->key_type, rep->fingerprint, conf->known_hosts, line);
		goto fail;
	}
	rc = libssh2_knownhost_checkp(kh, conf->host, conf->port, key, keylen,
	    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW |
	    key_types[i].bit, NULL);
	libssh2_knownhost_free(kh);
	kh = NULL;
	if (rc == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND && mk.ca_line != 0 &&
	    apply) {
		rep->key_state = SSH_KEY_UNKNOWN;
		*cause = xprintf(_("%s is not in %s by its own key, and line "
		    "%u is a @cert-authority (or other @) line: wbinstall "
		    "does not check host certificates; add the host's %s "
		    "key %s (wbinstall hosts trust) instead"), c->spec,
		    conf->known_hosts, mk.ca_line, rep->key_type,
		    rep->fingerprint);
		goto fail;
	}
	switch (rc) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		rep->key_state = SSH_KEY_MATCH;
		break;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		rep->key_state = SSH_KEY_CHANGED;
		*cause = xprintf(_("%s: the host key has CHANGED: it is now "
		    "%s %s, not the key in %s; someone may be intercepting "
		    "the connection, or the host was reinstalled; nothing "
		    "was run on it"), c->spec, rep->key_type,
		    rep->fingerprint, conf->known_hosts);
		if (!apply)
			break;
		goto fail;
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		rep->key_state = SSH_KEY_UNKNOWN;
		if (!apply)
			break;
		if (conf->policy != SSH_POLICY_ACCEPT_NEW) {
			*cause = xprintf(_("%s is not in %s; its %s key is %s"),
			    c->spec, conf->known_hosts, rep->key_type,
			    rep->fingerprint);
			goto fail;
		}
		if (known_record(c->s, conf, rep, cause) != 0)
			goto fail;
		rep->key_state = SSH_KEY_RECORDED;
		break;
	default:
		*cause = xprintf(_("%s: cannot check the host key against %s"),
		    c->spec, conf->known_hosts);
		goto fail;
	}
	rep->failed = SSH_STAGE_NONE;
	known_marks_free(&mk);
	return c;

fail:
	known_marks_free(&mk);
	if (kh != NULL)
		libssh2_knownhost_free(kh);
	if (c->cancelled)
		rep->failed = SSH_STAGE_CANCEL;
	conn_free(c);
	return NULL;
}

/* Try the agent's identities one by one. */
static int
auth_agent(struct ssh_conn *c, const char *user, int64_t deadline,
    char **cause)
{
	LIBSSH2_AGENT *agent;
	struct libssh2_agent_publickey *id = NULL, *prev = NULL;
	int rc, ok = 0;

	agent = libssh2_agent_init(c->s);
	if (agent == NULL || libssh2_agent_connect(agent) != 0) {
		*cause = xstrdup(_("no ssh-agent to ask (SSH_AUTH_SOCK)"));
		goto out;
	}
	if (libssh2_agent_list_identities(agent) != 0) {
		*cause = xstrdup(_("cannot list the ssh-agent's keys"));
		goto out;
	}
	while (libssh2_agent_get_identity(agent, &id, prev) == 0) {
		CONN_LOOP(c, deadline, rc, libssh2_agent_userauth(agent,
		    user, id), cause, timeout_msg(c,
		    _("authenticating"), c->timeout_ms));
		if (rc == 0) {
			ok = 1;
			break;
		}
		if (rc == LIBSSH2_ERROR_TIMEOUT)
			goto out;
		prev = id;
	}
	if (!ok)
		*cause = xstrdup(_("no key in the ssh-agent was accepted"));
out:
	if (agent != NULL) {
		libssh2_agent_disconnect(agent);
		libssh2_agent_free(agent);
	}
	return ok ? 0 : -1;
}

static int
auth_identity(struct ssh_conn *c, const struct ssh_conf *conf,
    int64_t deadline, char **cause)
{
	char *path = expand_home(conf->identity), *e, type[64];
	int rc;

	if (access(path, R_OK) != 0) {
		*cause = xprintf(_("cannot read the identity file %s: %s"),
		    conf->identity, strerror(errno));
		free(path);
		return -1;
	}
	CONN_LOOP(c, deadline, rc, libssh2_userauth_publickey_fromfile_ex(
	    c->s, conf->user, (unsigned)strlen(conf->user), NULL, path,
	    conf->passphrase != NULL ? conf->passphrase : ""), cause,
	    timeout_msg(c, _("authenticating"), c->timeout_ms));
	if (rc == 0 || rc == LIBSSH2_ERROR_TIMEOUT) {
		free(path);
		return rc == 0 ? 0 : -1;
	}
	if (rc == LIBSSH2_ERROR_FILE) {
		*cause = xprintf(_("cannot use the identity file %s: a wrong "
		    "or missing passphrase (ssh.passphrase), or a key format "
		    "that is not supported"), conf->identity);
		free(path);
		return -1;
	}
	e = last_error(c->s);
	*cause = xprintf(_("the key in %s was refused: %s"), conf->identity,
	    e);
	free(e);
	if (ssh_key_info(path, &rc, type, sizeof type) == 0 &&
	    strcmp(type, "ssh-rsa") == 0 && libssh2_version(0x010b00) == NULL) {
		/* libssh2 before 1.11 signs with SHA-1 only (ssh-rsa). */
		e = xprintf(_("%s; this libssh2 (%s) signs RSA keys with SHA-1 "
		    "(ssh-rsa), which OpenSSH 8.8 and later refuse unless "
		    "PubkeyAcceptedAlgorithms allows it: use an ed25519 or "
		    "ECDSA key"), *cause, libssh2_version(0));
		free(*cause);
		*cause = e;
	}
	free(path);
	return -1;
}

static int
auth_password(struct ssh_conn *c, const struct ssh_conf *conf,
    const char *methods, int64_t deadline, char **cause)
{
	unsigned ulen = (unsigned)strlen(conf->user);
	int rc;

	if (strstr(methods, "password") != NULL) {
		CONN_LOOP(c, deadline, rc, libssh2_userauth_password_ex(c->s,
		    conf->user, ulen, conf->password,
		    (unsigned)strlen(conf->password), NULL), cause,
		    timeout_msg(c, _("authenticating"), c->timeout_ms));
	} else if (strstr(methods, "keyboard-interactive") != NULL) {
		CONN_LOOP(c, deadline, rc,
		    libssh2_userauth_keyboard_interactive_ex(c->s, conf->user,
		    ulen, kbd_callback), cause, timeout_msg(c,
		    _("authenticating"), c->timeout_ms));
	} else {
		*cause = xprintf(_("the server does not accept passwords "
		    "(it offers: %s)"), methods);
		return -1;
	}
	if (rc == 0)
		return 0;
	if (rc != LIBSSH2_ERROR_TIMEOUT)
		*cause = xstrdup(_("the password (ssh.password) was refused"));
	return -1;
}

struct ssh_conn *
ssh_open(const struct ssh_conf *conf, struct ssh_report *rep, char **cause)
{
	struct ssh_conn *c;
	int64_t deadline = now_ms() + conf->timeout_ms;
	char *list, *methods, *why = NULL, *tried = NULL, *t;
	int ok = 0;

	ssh_global_init();
	c = conn_start(conf, rep, 1, deadline, cause);
	if (c == NULL)
		return NULL;
	rep->failed = SSH_STAGE_AUTH;
	do {
		list = libssh2_userauth_list(c->s, conf->user,
		    (unsigned)strlen(conf->user));
	} while (list == NULL && libssh2_session_last_errno(c->s) ==
	    LIBSSH2_ERROR_EAGAIN && conn_wait(c, deadline, cause) == 0);
	if (list == NULL && !libssh2_userauth_authenticated(c->s)) {
		if (*cause == NULL && (c->timed_out || c->cancelled))
			*cause = c->cancelled ? xprintf(_("%s: cancelled"),
			    c->spec) : timeout_msg(c, _("authenticating"),
			    conf->timeout_ms);
		else if (*cause == NULL) {
			char *e = last_error(c->s);

			*cause = xprintf(_("%s: authentication failed: %s"),
			    c->spec, e);
			free(e);
		}
		goto fail;
	}
	if (list == NULL) {
		rep->auth_method = xstrdup("none");
		goto done;
	}
	methods = xstrdup(list);
	if (conf->identity != NULL && *conf->identity != '\0') {
		tried = xprintf("publickey (%s)", conf->identity);
		if (auth_identity(c, conf, deadline, &why) == 0) {
			rep->auth_method = xstrdup("publickey (identity file)");
			ok = 1;
		}
	} else if (getenv("SSH_AUTH_SOCK") != NULL) {
		tried = xstrdup("publickey (ssh-agent)");
		if (auth_agent(c, conf->user, deadline, &why) == 0) {
			rep->auth_method = xstrdup("publickey (ssh-agent)");
			ok = 1;
		}
	}
	if (!ok && conf->password != NULL && !c->timed_out && !c->cancelled) {
		t = tried;
		tried = xprintf("%s%spassword", t != NULL ? t : "",
		    t != NULL ? ", " : "");
		free(t);
		free(why);
		why = NULL;
		if (auth_password(c, conf, methods, deadline, &why) == 0) {
			rep->auth_method = xstrdup("password");
			ok = 1;
		}
	}
	if (!ok) {
		if (c->cancelled)
			*cause = xprintf(_("%s: cancelled"), c->spec);
		else if (tried == NULL)
			*cause = xprintf(_("%s: no way to authenticate as %s: "
			    "set ssh.identity, start an ssh-agent or set "
			    "ssh.password"), c->spec, conf->user);
		else
			*cause = xprintf(_("%s: authentication as %s failed "
			    "(tried %s; the server accepts %s): %s"), c->spec,
			    conf->user, tried, methods, why != NULL ? why :
			    _("refused"));
	}
	free(why);
	free(tried);
	free(methods);
	if (!ok)
		goto fail;
done:
	rep->failed = SSH_STAGE_NONE;
	log_info("ssh: %s: authenticated as %s by %s", c->spec, conf->user,
	    rep->auth_method);
	return c;
fail:
	if (c->cancelled)
		rep->failed = SSH_STAGE_CANCEL;
	conn_free(c);
	return NULL;
}

void
ssh_close(struct ssh_conn *c)
{
	conn_free(c);
}

/* Read what STREAM has into a growing buffer. */
static ssize_t
drain(LIBSSH2_CHANNEL *ch, int stream, char **buf, size_t *len,
    size_t *size)
{
	ssize_t n;

	if (*size - *len < 32768 + 1) {
		*size = *size * 2 + 32768 + 1;
		*buf = xreallocarray(*buf, *size, 1);
	}
	n = libssh2_channel_read_ex(ch, stream, *buf + *len,
	    *size - *len - 1);
	if (n > 0) {
		*len += (size_t)n;
		(*buf)[*len] = '\0';
	}
	return n;
}

int
ssh_exec(struct ssh_conn *c, const char *cmd, const char *in, size_t inlen,
    int timeout_ms, char **out, size_t *outlen, char **err, int *status,
    char **cause)
{
	LIBSSH2_CHANNEL *ch = NULL;
	int64_t start = now_ms(), deadline = start + timeout_ms;
	char *obuf = NULL, *ebuf = NULL;
	size_t olen = 0, osize = 0, elen = 0, esize = 0, off = 0;
	ssize_t n, m;
	int rc, eof_sent = in == NULL;

	*cause = NULL;
	c->first_output = 0;
	for (;;) {
		ch = libssh2_channel_open_session(c->s);
		if (ch != NULL || libssh2_session_last_errno(c->s) !=
		    LIBSSH2_ERROR_EAGAIN)
			break;
		if (conn_wait(c, deadline, cause) != 0)
			goto timeout;
	}
	if (ch == NULL)
		goto broken;
	CONN_LOOP(c, deadline, rc, libssh2_channel_exec(ch, cmd), cause,
	    timeout_msg(c, _("starting a command"), timeout_ms));
	if (rc == LIBSSH2_ERROR_TIMEOUT)
		goto fail;
	if (rc != 0)
		goto broken;
	obuf = xstrdup("");
	ebuf = xstrdup("");
	osize = esize = 1;
	for (;;) {
		int progress = 0;

		if (!eof_sent && off < inlen) {
			n = libssh2_channel_write(ch, in + off, inlen - off);
			if (n > 0) {
				off += (size_t)n;
				progress = 1;
			} else if (n != LIBSSH2_ERROR_EAGAIN)
				goto broken;
		}
		if (!eof_sent && off == inlen) {
			rc = libssh2_channel_send_eof(ch);
			if (rc == 0)
				eof_sent = progress = 1;
			else if (rc != LIBSSH2_ERROR_EAGAIN)
				goto broken;
		}
		n = drain(ch, 0, &obuf, &olen, &osize);
		m = drain(ch, SSH_EXTENDED_DATA_STDERR, &ebuf, &elen, &esize);
		if ((n < 0 && n != LIBSSH2_ERROR_EAGAIN) ||
		    (m < 0 && m != LIBSSH2_ERROR_EAGAIN))
			goto broken;
		if (olen > SSH_MAX_OUTPUT || elen > SSH_MAX_OUTPUT) {
			*cause = xprintf(_("%s: a command printed more than "
			    "%d bytes"), c->spec, SSH_MAX_OUTPUT);
			goto fail;
		}
		if (n > 0 || m > 0)
			progress = 1;
		if (n > 0 && c->first_output == 0)
			c->first_output = wall_now();
		if (n <= 0 && m <= 0 && libssh2_channel_eof(ch))
			break;
		if (!progress && conn_wait(c, deadline, cause) != 0)
			goto timeout;
	}
	CONN_LOOP(c, deadline, rc, libssh2_channel_close(ch), cause,
	    timeout_msg(c, _("closing a command"), timeout_ms));
	if (rc == 0)
		CONN_LOOP(c, deadline, rc, libssh2_channel_wait_closed(ch),
		    cause, timeout_msg(c, _("closing a command"),
		    timeout_ms));
	if (rc == LIBSSH2_ERROR_TIMEOUT)
		goto fail;
	*status = libssh2_channel_get_exit_status(ch);
	while (libssh2_channel_free(ch) == LIBSSH2_ERROR_EAGAIN &&
	    conn_wait(c, deadline, cause) == 0)
		;
	free(*cause);
	*cause = NULL;
	*out = obuf;
	if (outlen != NULL)
		*outlen = olen;
	if (err != NULL)
		*err = ebuf;
	else
		free(ebuf);
	return 0;

timeout:
	if (*cause == NULL)
		*cause = timeout_msg(c, _("running a command"), timeout_ms);
	goto fail;
broken:
	{
		char *e = last_error(c->s);

		*cause = xprintf(_("%s: the connection broke: %s"), c->spec,
		    e);
		free(e);
	}
fail:
	/* The channel goes with the session; it cannot be reused now. */
	free(obuf);
	free(ebuf);
	return -1;
}

int
ssh_scan_hostkey(const struct ssh_conf *conf, struct ssh_report *rep,
    char **cause)
{
	struct ssh_conn *c;

	ssh_global_init();
	c = conn_start(conf, rep, 0, now_ms() + conf->timeout_ms, cause);
	if (c == NULL)
		return -1;
	conn_free(c);
	free(*cause);	/* a changed key: the caller looks at rep */
	*cause = NULL;
	return 0;
}

int
ssh_trust_hostkey(const struct ssh_conf *conf, const struct ssh_report *rep,
    char **cause)
{
	LIBSSH2_SESSION *s;
	int rc;

	ssh_global_init();
	s = libssh2_session_init();
	if (s == NULL) {
		*cause = xstrdup(_("cannot start an SSH session"));
		return -1;
	}
	rc = known_record(s, conf, rep, cause);
	libssh2_session_free(s);
	return rc;
}
