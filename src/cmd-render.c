/* wbinstall render --answers FILE --out DIR [--diff] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "answers.h"
#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "log.h"
#include "render.h"

static const struct cmd_opt render_opts[] = {
	{ "answers", 'a', "FILE", N_("the answers file"), "!" },
	{ "out", 'o', "DIR", N_("the output directory (created if needed)"),
	    "!" },
	{ "diff", 'd', NULL, N_("show what would change in DIR as a unified "
	    "diff, and change nothing"), NULL },
	{ "quiet", 'q', NULL, N_("print no summary"), NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static int
cmd_render_exec(int argc, char **argv)
{
	struct cmd_parse cp;
	extern const struct cmd_entry cmd_render_entry;
	const struct cmd_entry *self = &cmd_render_entry;
	const char *file = NULL, *dir = NULL;
	struct render_set set;
	struct answers *a;
	char *cause = NULL;
	int c, diff = 0, quiet = 0, n;

	cmd_parse_init(&cp, self, NULL);
	while ((c = cmd_parse_next(&cp, argc, argv)) > 0) {
		switch (c) {
		case 'a':
			file = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'd':
			diff = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		}
	}
	cmd_parse_free(&cp);
	if (c < 0)
		return cp.rc;
	if (cmd_answers_args(self, argc, argv, file) != 0)
		return EXIT_USAGE;
	if (dir == NULL || *dir == '\0')
		return cmd_usage_error(self, _("--out DIR is required"));

	a = cmd_load_answers(file, 0);
	if (a == NULL)
		return EXIT_USAGE;
	if ((n = bundle_render(a, 0, &set, &cause)) != 0) {
		answers_free(a);
		n = cmd_fail(n == RENDER_BAD_INPUT ? EXIT_USAGE : EXIT_FAIL,
		    "%s", cause);
		free(cause);
		return n;
	}
	answers_free(a);
	if (diff) {
		n = render_diff(&set, dir, stdout, &cause);
		if (n == 0 && !quiet)
			fprintf(stderr, _("%s: no changes\n"), dir);
	} else {
		n = render_write(&set, dir, &cause);
		if (n >= 0) {
			log_info("render: %s: %d of %zu files changed", dir,
			    n, set.n + 1);
			if (!quiet)
				printf(ngettext("%s: %d file written, %zu "
				    "rendered\n", "%s: %d files written, %zu "
				    "rendered\n", (unsigned long)n), dir, n,
				    set.n + 1);
		}
	}
	render_set_free(&set);
	if (n < 0) {
		n = cmd_fail(EXIT_FAIL, "%s", cause);
		free(cause);
		return n;
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_render_entry = {
	"render",
	NULL,
	N_("Write the files the install needs: Helm, MySQL, nginx, "
	   "Terraform."),
	N_("The files depend on deployment.platform; DIR/MANIFEST lists "
	   "each with its\nSHA-256.  Files that hold secrets are written mode "
	   "0600 and are never\nshown by --diff.  Every secret they need must "
	   "resolve, or nothing is\nwritten.  Templates come from "
	   "$WBINSTALL_DATADIR/templates when it is set.\n"
	   "\nExit status: 0 done, 1 a secret does not resolve or a file "
	   "cannot be\nwritten, 2 bad usage or invalid answers.\n"),
	cmd_render_exec,
	render_opts,
	NULL,
};
