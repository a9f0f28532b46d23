/*
 * Verify a running W&B: DNS, TLS (name, chain, days left), /healthz and
 * /ready, the proxy body size, the bucket's CORS preflight from the W&B
 * origin, a presigned round trip, then `wandb verify` where the wandb CLI
 * is.  Results use the preflight schema (check.h).
 *
 * --connect-to "HOST:PORT:ADDR:PORT[,...]" (curl's) sends the HTTPS
 * requests for HOST:PORT to ADDR:PORT, keeping the name for SNI, the
 * certificate and the Host header: a site checked before its DNS is in
 * place, and the tests, which cannot make DNS answer for a name.
 */
#ifndef WB_VERIFY_H
#define WB_VERIFY_H

#include "answers.h"
#include "check.h"
#include "runner.h"

/* The body the proxy must accept (wandb verify sends as much). */
#define VERIFY_BODY_SIZE	(10 * 1024 * 1024)
/* Fewer days left than this warns. */
#define VERIFY_TLS_WARN_DAYS	14

struct verify_opts {
	const char *ca_file;	/* also trust this CA; NULL: system CAs */
	int wandb;		/* run `wandb verify` when present */
	struct runner *run;	/* where wandb runs; NULL: this machine */
	const char *connect_to;	/* HOST:PORT:ADDR:PORT[,...], or NULL */
};

/* The options for the front end's flags F (--ca-file, --connect-to,
 * --no-wandb); RUN: where wandb runs (the control host's runner), or NULL
 * for this machine.  The one place that says it, for `verify`, the
 * install's verify step and the support bundle. */
struct run_flags;
void verify_opts_from_flags(const struct run_flags *f, struct runner *run,
    struct verify_opts *o);

/* Append every check to L.  *wandb_status: the exit status of `wandb
 * verify`, or -1 when it did not run. */
void verify_run(const struct answers *, const struct verify_opts *,
    struct check_list *, int *wandb_status);

/*
 * Is HOST (a rendered global.host) the origin ORIGIN (the URL users
 * type)?  Scheme and host compare without case, the port with the
 * scheme's default filled in; a path other than "/" differs.  0 when
 * they are the same origin, else -1 and *why names the part.
 */
int verify_origin_cmp(const char *origin, const char *host, char **why);

/* One line of `wandb verify`: 1 and the check when it holds a ✅, ❌ or
 * ⚠ mark, else 0.  *id gets "wandb.SLUG", *text the line without dots
 * and mark. */
int verify_wandb_line(const char *line, enum check_status *, char **id,
    char **text);

#endif
