/*
 * Targets as `hosts trust` and the checks name them: "HOST[:PORT]".
 * Shared by the command and the wizard's trust dialog.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "i18n.h"
#include "ssh.h"
#include "xmalloc.h"

/*
 * "host", "host:port", "[v6]:port" or "[v6]".  The port defaults to the
 * matching target's, else ssh.port.  Returns 0 or -1.
 */
int
hosts_target_parse(const struct answers *a, const char *arg, char **host, int *port,
    const char **user)
{
	const char *colon, *rb;
	char *end;
	size_t i;
	long p = -1;

	if (arg[0] == '[') {
		rb = strchr(arg, ']');
		if (rb == NULL || (rb[1] != '\0' && rb[1] != ':'))
			return -1;
		*host = xstrndup(arg + 1, (size_t)(rb - arg - 1));
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = strchr(arg, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address */
		*host = colon != NULL ? xstrndup(arg, (size_t)(colon - arg)) :
		    xstrdup(arg);
	}
	if (colon != NULL) {
		p = strtol(colon + 1, &end, 10);
		if (*end != '\0' || p < 1 || p > 65535 || **host == '\0') {
			free(*host);
			return -1;
		}
	}
	*user = answers_get(a, "ssh.user");
	*port = (int)answers_get_int(a, "ssh.port");
	for (i = 0; i < a->ntargets; i++) {
		if (strcmp(answers_target_get(a, i, "host"), *host) != 0)
			continue;
		if (p != -1 && atoi(answers_target_get(a, i, "port")) != p)
			continue;
		*port = atoi(answers_target_get(a, i, "port"));
		*user = answers_target_get(a, i, "user");
		break;
	}
	if (p != -1)
		*port = (int)p;
	return 0;
}


int
hosts_scan(const struct answers *a, const char *target, struct ssh_conf *conf,
    struct ssh_report *rep, char **host, char **cause)
{
	const char *user;
	int port;

	memset(rep, 0, sizeof *rep);
	if (hosts_target_parse(a, target, host, &port, &user) != 0) {
		*cause = xprintf(_("'%s' is not HOST[:PORT]"), target);
		return -1;
	}
	/* conf points at *host: it lives until the caller is done */
	if (ssh_conf_init(conf, a, *host, port, user, NULL, cause) != 0)
		goto fail;
	if (ssh_scan_hostkey(conf, rep, cause) != 0) {
		ssh_conf_free(conf);
		goto fail;
	}
	return 0;
fail:
	free(*host);
	*host = NULL;
	return -1;
}
