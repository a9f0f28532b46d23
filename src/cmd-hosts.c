/*
 * wbinstall hosts trust HOST[:PORT] --answers FILE [--yes]
 *     [--fingerprint SHA256:...]
 *
 * Fetches the host key, shows its SHA256 fingerprint and records it in
 * ssh.known_hosts once the operator confirms (or --yes / a matching
 * --fingerprint).  A changed key is never overwritten here.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "ssh.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_hosts_entry;

static int
confirm(const char *spec)
{
	char line[64];

	printf(_("Trust this key for %s? [y/N] "), spec);
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

static int
hosts_trust(const struct answers *a, const char *arg, int yes,
    const char *want_fp)
{
	struct ssh_conf conf;
	struct ssh_report rep;
	const char *user;
	char *host, *cause = NULL, *spec;
	int port, rc;

	if (hosts_target_parse(a, arg, &host, &port, &user) != 0)
		return cmd_usage_error(&cmd_hosts_entry, _("'%s' is not "
		    "HOST[:PORT]"), arg);
	if (ssh_conf_init(&conf, a, host, port, user, NULL, &cause) != 0) {
		rc = cmd_fail(EXIT_USAGE, "%s", cause);
		free(cause);
		free(host);
		return rc;
	}
	spec = ssh_hostspec(host, port);
	if (ssh_scan_hostkey(&conf, &rep, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out;
	}
	printf(_("%s offers the %s host key\n  %s\n"), spec, rep.key_type,
	    rep.fingerprint);
	rc = EXIT_OK;
	switch (rep.key_state) {
	case SSH_KEY_MATCH:
		printf(_("It is already trusted in %s.\n"), conf.known_hosts);
		goto out;
	case SSH_KEY_CHANGED:
		rc = cmd_fail(EXIT_FAIL, _("%s already has ANOTHER key in %s: "
		    "the host key changed.  If that is expected, remove the "
		    "old one first (ssh-keygen -R '%s' -f %s)"), spec,
		    conf.known_hosts, spec, conf.known_hosts);
		goto out;
	default:
		break;
	}
	if (want_fp != NULL) {
		if (strcmp(want_fp, rep.fingerprint) != 0) {
			rc = cmd_fail(EXIT_FAIL, _("%s: the fingerprint is %s, "
			    "not %s; nothing was recorded"), spec,
			    rep.fingerprint, want_fp);
			goto out;
		}
	} else if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			rc = cmd_usage_error(&cmd_hosts_entry, _("not a "
			    "terminal: check the fingerprint, then pass --yes "
			    "or --fingerprint"));
			goto out;
		}
		if (!confirm(spec)) {
			printf(_("Nothing was recorded.\n"));
			rc = EXIT_FAIL;
			goto out;
		}
	}
	if (ssh_trust_hostkey(&conf, &rep, &cause) != 0) {
		rc = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		goto out;
	}
	printf(_("Recorded in %s.\n"), conf.known_hosts);
out:
	ssh_report_free(&rep);
	ssh_conf_free(&conf);
	free(spec);
	free(host);
	return rc;
}

static const struct cmd_opt hosts_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file (ssh.* settings)"),
	    "trust!" },
	{ "yes", 'y', NULL, N_("record without asking"), "trust" },
	{ "fingerprint", 'f', "SHA256:...", N_("record only if the key's "
	    "fingerprint is this one, as ssh-keygen -l prints it"), "trust" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct cmd_sub hosts_subs[] = {
	{ "trust", NULL, "HOST[:PORT]" },
	{ NULL, NULL, NULL }
};

static int
cmd_hosts_exec(int argc, char **argv)
{
	const struct cmd_entry *self = &cmd_hosts_entry;
	const char *file = NULL, *fp = NULL;
	struct answers *a;
	struct cmd_parse cp;
	int c, yes = 0, rc;

	cmd_parse_init(&cp, self, "trust");
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'y':
			yes = 1;
			break;
		case 'f':
			fp = optarg;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (optind >= argc)
		return cmd_usage_error(self, _("a subcommand is required"));
	if (strcmp(argv[optind], "trust") != 0)
		return cmd_usage_error(self, _("unknown subcommand '%s'"),
		    argv[optind]);
	if (optind + 2 != argc)
		return cmd_usage_error(self, _("trust takes one HOST[:PORT]"));
	if (file == NULL)
		return cmd_usage_error(self, _("--answers FILE is required"));
	if (fp != NULL && strncmp(fp, "SHA256:", 7) != 0)
		return cmd_usage_error(self, _("--fingerprint takes "
		    "SHA256:..., as ssh-keygen -l prints it"));
	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	rc = hosts_trust(a, argv[optind + 1], yes, fp);
	answers_free(a);
	return rc;
}

const struct cmd_entry cmd_hosts_entry = {
	"hosts",
	N_("trust [OPTIONS]"),
	N_("Record a host's SSH key in ssh.known_hosts after showing its "
	   "fingerprint."),
	N_("On a terminal it asks before recording.  A key that differs "
	   "from a\nrecorded one is never replaced.\n"
	   "Exit status: 0 recorded or already trusted, 1 not recorded, 2 bad "
	   "usage.\n"),
	cmd_hosts_exec,
	hosts_opts,
	hosts_subs,
};
