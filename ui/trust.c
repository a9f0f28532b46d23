/*
 * After the live host preflight: each host whose key is not in
 * known_hosts yet (ssh.hostkey failed under `strict`) is scanned again and
 * its fingerprint shown; the key is recorded only when the operator says
 * yes, and only if it is still the key the preflight saw.  A changed key
 * is never offered here (it takes `ssh-keygen -R` first, as the check's
 * hint says).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "i18n.h"
#include "log.h"
#include "ssh.h"
#include "trust.h"
#include "wizard.h"
#include "xmalloc.h"

/* Offer to trust C's host; returns 1 when a key was recorded. */
static int
trust_one(struct wiz *z, const struct check *c)
{
	struct ssh_conf conf;
	struct ssh_report rep;
	char *cause = NULL, *q, *host;
	int rc = 0;

	if (hosts_scan(z->a, c->target, &conf, &rep, &host, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		free(cause);
		return 0;
	}
	if (rep.key_state != SSH_KEY_UNKNOWN || rep.fingerprint == NULL ||
	    strcmp(rep.fingerprint, c->observed) != 0) {
		if (rep.key_state != SSH_KEY_MATCH)
			wiz_status(z, 1, _("%s: its host key is not the one the "
			    "preflight saw; nothing was recorded"), c->target);
		goto out;
	}
	xasprintf(&q, _("%s offers the %s host key\n%s\nIt is not in %s. "
	    "Check the fingerprint with the host's administrator.\nTrust "
	    "this key?"), c->target, rep.key_type, rep.fingerprint,
	    conf.known_hosts);
	if (ui_ask(&z->view, q)) {
		if (ssh_trust_hostkey(&conf, &rep, &cause) != 0) {
			wiz_status(z, 1, "%s", cause);
			free(cause);
		} else {
			log_info("wizard: trusted the %s key %s of %s",
			    rep.key_type, rep.fingerprint, c->target);
			rc = 1;
		}
	} else
		wiz_status(z, 0, _("%s: not trusted; nothing was recorded"),
		    c->target);
	free(q);
out:
	ssh_report_free(&rep);
	ssh_conf_free(&conf);
	free(host);
	return rc;
}

void
wiz_trust_hosts(struct wiz *z, const struct check_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		const struct check *c = &l->v[i];

		if (strcmp(c->id, "ssh.hostkey") == 0 &&
		    c->status == CHECK_FAIL && c->observed != NULL &&
		    strncmp(c->observed, "SHA256:", 7) == 0)
			n += (size_t)trust_one(z, c);
	}
	if (n > 0)
		wiz_status(z, 0, ngettext("%zu host key recorded; F4 checks "
		    "again", "%zu host keys recorded; F4 checks again", n), n);
}
