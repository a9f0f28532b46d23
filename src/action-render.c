/* Action "render": every file, into <state dir>/rendered. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"
#include "xmalloc.h"

static int
render_apply(struct plan_ctx *c, char **cause)
{
	int n;

	if (plan_files(c, cause) == NULL)
		return -1;
	n = render_write(&c->files, c->render_dir, cause);
	if (n < 0)
		return -1;
	fprintf(c->out, _("      %d of %zu files changed in %s\n"), n,
	    c->files.n + 1, c->render_dir);
	return 0;
}

static void
render_describe(struct plan_ctx *c, FILE *f)
{
	char *cause = NULL;
	size_t i;

	if (plan_files(c, &cause) == NULL) {
		fprintf(f, "      %s\n", cause);
		free(cause);
		return;
	}
	fprintf(f, _("      write into %s:\n"), c->render_dir);
	for (i = 0; i < c->files.n; i++)
		fprintf(f, "        %s%s\n", c->files.v[i].path,
		    c->files.v[i].secret ? _(" (0600, holds secrets)") : "");
}

const struct action action_render = {
	"render",
	N_("render the files"),
	N_("make every secret reference resolve (wbinstall validate "
	   "--resolve), and check that the state directory is writable"),
	NULL,
	plan_deployed_inputs,
	render_apply,
	NULL,
	NULL,
	render_describe,
};
