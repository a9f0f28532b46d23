/*
 * F5 on Review: save the answers, show the plan as `wbinstall install
 * --dry-run` prints it, ask, then run it live (run-view.c) and end with
 * the verify table.  The same core as the install command: plan_for,
 * plan_describe, plan_run, under the journal beside the answers file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "cmd.h"
#include "i18n.h"
#include "install-view.h"
#include "journal.h"
#include "log.h"
#include "plan-session.h"
#include "run-view.h"
#include "runner.h"
#include "wizard.h"
#include "xmalloc.h"

/* The dry run's text, or NULL with *cause. */
static char *
describe(struct wiz *z, const struct answers *a, const struct plan *p,
    char **cause)
{
	struct run_flags f;
	struct plan_ctx c;
	struct journal j;
	struct runner r;
	char *text = NULL;
	size_t len = 0;
	int ok = 0;

	wiz_run_flags(z, &f);
	f.dry_run = 1;
	if ((f.out = open_memstream(&text, &len)) == NULL) {
		*cause = xstrdup(_("The plan cannot be shown."));
		return NULL;
	}
	/* As install --dry-run: bad input is refused, no plan shown.  The
	 * answers were just saved: their secrets resolve the file's way. */
	if (plan_ctx_from_answers(a, NULL, &f, &c, cause) == 0 &&
	    plan_check_input(&c, cause) == 0 &&
	    plan_open(&c, z->out, &j, &r, cause) == 0) {
		plan_describe(&c, p);
		plan_close(&c);
		ok = 1;
	}
	plan_ctx_free(&c);
	fclose(f.out);
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

struct job {
	struct wiz *z;
	const struct answers *a;
	const struct plan *p;
	int force;
};

/* In the worker: what `wbinstall install --yes` does after asking. */
static int
install_body(struct run_view *rv)
{
	struct job *jb = rv->arg;
	struct run_flags f;
	struct plan_ctx c;
	struct journal j;
	struct runner r;
	char *cause = NULL;
	int rc = EXIT_FAIL;

	wiz_run_flags(jb->z, &f);
	f.force = jb->force;
	if (plan_ctx_from_answers(jb->a, NULL, &f, &c, &cause) != 0 ||
	    plan_check_input(&c, &cause) != 0) {
		rc = EXIT_USAGE;
		fprintf(rv->out, "wbinstall: %s\n", cause);
		free(cause);
		plan_ctx_free(&c);
		return rc;
	}
	rv_attach(rv, &c);
	if (plan_open(&c, jb->z->out, &j, &r, &cause) != 0) {
		fprintf(rv->out, "wbinstall: %s\n", cause);
		free(cause);
	} else {
		log_info("wizard: install: %s plan for %s, on %s",
		    jb->p->name, jb->z->out, r.where);
		rc = plan_run(&c, jb->p);
		plan_close(&c);
	}
	plan_ctx_free(&c);
	return rc;
}

static int
preflight_failed(struct run_view *rv)
{
	size_t i;

	for (i = 0; i < rv->n; i++)
		if (rv->rows[i].st == PS_FAILED &&
		    strcmp(rv->rows[i].act->name, "preflight") == 0)
			return 1;
	return 0;
}

void
wiz_install(struct wiz *z)
{
	struct run_view rv;
	struct answers *a;
	struct job jb;
	const struct plan *p;
	char *cause = NULL, *text, *q;
	int rc, again;

	if (wiz_save(z, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		free(cause);
		return;
	}
	z->saved = 1;
	if ((a = wiz_load_saved(z, &text)) == NULL) {
		ui_pager(&z->view, _("The answers are not valid"), text, 0);
		free(text);
		return;
	}
	if ((p = plan_for(a)) == NULL) {
		wiz_status(z, 1, _("deployment.platform %s is installed with "
		    "Terraform: run `wbinstall render` and `terraform apply` in "
		    "the rendered directory"), "aws-terraform");
		answers_free(a);
		return;
	}
	ui_busy(&z->view, _("Planning…"));
	if ((text = describe(z, a, p, &cause)) == NULL) {
		ui_pager(&z->view, _("The plan cannot be made"), cause, 0);
		free(cause);
		answers_free(a);
		return;
	}
	ui_pager(&z->view, _("Install plan (dry run)"), text, 0);
	free(text);
	q = xprintf(_("Install W&B (%s) at https://%s?"), p->name,
	    answers_get(a, "domain.fqdn"));
	if (!ui_confirm(&z->view, q)) {
		wiz_status(z, 0, "%s", _("Nothing was installed."));
		free(q);
		answers_free(a);
		return;
	}
	free(q);
	memset(&jb, 0, sizeof jb);
	jb.z = z;
	jb.a = a;
	jb.p = p;
	jb.force = z->run.force;
	for (;;) {
		memset(&rv, 0, sizeof rv);
		rv.title = N_("Install");
		rv.body = install_body;
		rv.arg = &jb;
		rc = rv_run(&rv, &z->view);
		/* Failed checks stop it, unless the operator says go on. */
		again = rc != EXIT_OK && !jb.force && !rv.t.cancel &&
		    preflight_failed(&rv) && ui_confirm(&z->view,
		    _("The preflight failed (see its checks with F4 in the "
		    "run's view).  Install anyway, past the failed checks "
		    "(--force)?"));
		rv_free(&rv);
		if (!again)
			break;
		jb.force = 1;
	}
	if (rc == EXIT_OK)
		wiz_status(z, 0, _("Installed: https://%s"), answers_get(a,
		    "domain.fqdn"));
	else
		wiz_status(z, 1, "%s", _("The install did not finish; F5 runs "
		    "it again from where it stopped."));
	answers_free(a);
}
