/*
 * Preflight: before anything is installed, every target is checked over
 * SSH.  F4 runs the host preflight live (preflight-view.c: a row per host
 * with a progress marker, then the table), and the license family after
 * it; this screen keeps the last results, one line per target (and one
 * for the license).  It does not hold the wizard back: a site
 * may fill its answers in before its hosts are reachable.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "check.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "preflight-view.h"
#include "screens.h"
#include "xmalloc.h"

/* One line per target of the last run, in the order they reported. */
static void
results_draw(struct widget *w, struct wiz *z, int y, int x, int width,
    int h, int focused)
{
	const struct check_list *l = wiz_last_host_checks(z);
	size_t i, j, n[4];
	int row = 0, attr;
	const char *mark, *why;
	char *line;

	(void)w;
	if (l == NULL) {
		ui_put(y, x, width, _("Not run yet: F4 checks every target."),
		    ui_attr(focused ? S_OK : S_DIM));
		return;
	}
	for (i = 0; i < l->n && row < h; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(l->v[j].target, l->v[i].target) == 0)
				break;
		if (j < i)
			continue;	/* that target has its line */
		memset(n, 0, sizeof n);
		why = NULL;
		for (j = i; j < l->n; j++) {
			if (strcmp(l->v[j].target, l->v[i].target) != 0)
				continue;
			n[l->v[j].status]++;
			if (why == NULL && l->v[j].status == CHECK_FAIL)
				why = l->v[j].id;
		}
		mark = n[CHECK_FAIL] ? "✘" : n[CHECK_WARN] ? "⚠" : "✔";
		attr = ui_attr(n[CHECK_FAIL] ? S_ERROR : S_OK);
		line = xprintf(_("%s %-24s %zu pass, %zu warn, %zu fail%s%s"),
		    mark, l->v[i].target, n[CHECK_PASS], n[CHECK_WARN],
		    n[CHECK_FAIL], why != NULL ? _("; first: ") : "",
		    why != NULL ? why : "");
		ui_put(y + row++, x, width, line, attr);
		free(line);
	}
}

static int
results_height(struct widget *w, struct wiz *z, int width)
{
	(void)w;
	(void)z;
	(void)width;
	return -1;
}

static int
results_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	(void)w;
	(void)z;
	(void)k;
	return UI_IGNORED;
}

static const struct widget_class results_class = {
	1, 0, results_height, results_draw, results_key, NULL, NULL
};

static const struct action_field results = { &results_class, 4,
    wiz_preflight_screen };

static const struct field_spec fields[] = {
	{ NULL, N_("F4 checks every target over SSH, live, as `wbinstall "
	    "preflight --checks hosts` does: architecture, cores, memory, "
	    "disk, NIC, clock, and what each host can reach; then the license "
	    "(its form, expiry and claims, never its text). The database and "
	    "the bucket have their own F4 on their screens."), NULL, NULL,
	    NULL },
	{ "@preflight-results", N_("Results"), NULL, &action_field_class,
	    &results },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_preflight = {
	"preflight", N_("Preflight"),
	N_("Every target, checked before anything is installed: each result "
	"is held against the sizing the seeds give for its role."),
	fields, NULL, NULL
};
