/*
 * The checks of a preflight family: run as `wbinstall preflight --checks
 * FAMILY` runs them, and shown as it prints them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers-resolve.h"
#include "check.h"
#include "checks-view.h"
#include "i18n.h"
#include "log.h"
#include "preflight.h"
#include "run-flags.h"
#include "wizard.h"
#include "xmalloc.h"

/* The table checks_print() writes (the one `preflight` prints). */
char *
wiz_checks_text(const struct check_list *l)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		return xstrdup(_("The results cannot be shown."));
	checks_print(f, l, 0);
	fclose(f);
	return text;
}

/* Run FAMILY on the answers with O (NULL: the defaults); the results are
 * added to L. */
void
wiz_run_family(struct wiz *z, const char *family,
    const struct preflight_opts *o, struct check_list *l)
{
	const struct preflight_family *fam = preflight_family_find(family);
	struct answers_resolver res = wiz_resolver(z);
	struct run_flags f;
	struct preflight_opts po;

	if (fam == NULL)
		return;
	memset(&f, 0, sizeof f);
	f.no_disk_bench = 1;
	preflight_opts_from_flags(&res, &f, &po);
	ui_busy(&z->view, _("Testing…"));
	log_info("wizard: testing %s", family);
	fam->run(z->a, o != NULL ? o : &po, l);
}

/* Run FAMILY on the answers and show its results in the pager. */
void
wiz_test_family(struct wiz *z, const char *family)
{
	struct check_list l = { NULL, 0 };

	wiz_run_family(z, family, NULL, &l);
	wiz_show_checks(z, family, &l);
	checks_free(&l);
}

/* The result of check ID in L, or NULL. */
const struct check *
wiz_check_find(const struct check_list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

/* Sum the results of FAMILY up on the status line and show them. */
void
wiz_show_checks(struct wiz *z, const char *family, const struct check_list *l)
{
	wiz_show_checks_after(z, family, l, NULL);
}

/* The same, with FIRST (NULL: nothing) above the table. */
void
wiz_show_checks_after(struct wiz *z, const char *family,
    const struct check_list *l, const char *first)
{
	char *text, *title, *all;

	text = wiz_checks_text(l);
	all = first != NULL ? xprintf("%s\n\n%s", first, text) : NULL;
	title = xprintf(_("Test: %s"), family);
	wiz_status(z, checks_count(l, CHECK_FAIL) != 0, _("%s: %zu pass, "
	    "%zu warn, %zu fail"), family, checks_count(l, CHECK_PASS),
	    checks_count(l, CHECK_WARN), checks_count(l, CHECK_FAIL));
	ui_pager(&z->view, title, all != NULL ? all : text, 0);
	free(title);
	free(all);
	free(text);
}
