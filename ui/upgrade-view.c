/*
 * The Upgrade mode's last step, F5 on Review: save the answers, ask for
 * the new release's bundle and the backup (a checked mysqldump, or a
 * recent backup the operator confirms), show what upgrade_prepare()
 * finds (current → target, a pre-operator install and its migration,
 * the requirements, the images, the diff of the rendered files) and the
 * steps, as `wbinstall upgrade --dry-run` prints them; then apply it in
 * the live view (run-view.c), rollback report included.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "bundle.h"
#include "cmd.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "plan-session.h"
#include "run-view.h"
#include "screens.h"
#include "upgrade-run.h"
#include "upgrade-view.h"
#include "wizard.h"
#include "xmalloc.h"

/* A one-line text prompt: the text widget, on its own. */
struct prompt {
	const char *title;
	const char *question;
	struct widget w;
	struct wiz *z;
};

static void
prompt_draw(struct view *v)
{
	struct prompt *p = v->data;
	char **lines;
	size_t i, n;
	int y, x, w = COLS - 10;

	lines = ui_wrap(p->question, w - 4);
	n = ui_lines_count(lines);
	ui_box((int)n + 5, w, &y, &x, p->title);
	for (i = 0; i < n; i++)
		ui_put(y + 1 + (int)i, x + 2, w - 4, lines[i],
		    ui_attr(S_DIALOG));
	ui_lines_free(lines);
	text_class.draw(&p->w, p->z, y + 2 + (int)n, x + 2, w - 4, 1, 1);
	ui_keybar((const char *const[]){ "Enter", N_("OK"), "Esc",
	    N_("Cancel"), NULL });
}

static int
prompt_key(struct view *v, struct ui_key k)
{
	struct prompt *p = v->data;

	if (!k.fkey && k.ch == UI_ESC) {
		v->result = 0;
		return UI_BREAK;
	}
	if (!k.fkey && (k.ch == '\r' || k.ch == '\n')) {
		v->result = 1;
		return UI_BREAK;
	}
	return text_class.key(&p->w, p->z, k);
}

/* The text typed, or NULL after Esc. */
static char *
prompt(struct wiz *z, const char *title, const char *question,
    const char *initial)
{
	struct prompt p;
	struct view v = { prompt_draw, prompt_key, &z->view, &p, 0 };
	char *s = NULL;

	memset(&p, 0, sizeof p);
	p.title = title;
	p.question = question;
	p.z = z;
	p.w.cls = &text_class;
	widget_set_text(&p.w, initial != NULL ? initial : "");
	p.w.cur = strlen(p.w.text);
	if (ui_loop(&v) == 1)
		s = xstrdup(p.w.text);
	free(p.w.text);
	return s;
}

static void
remember(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

struct job {
	struct wiz *z;
	struct run_flags f;	/* `wizard`'s, then what the user chose */
	const char *bundle;
	const struct bundle_manifest *m;
};

/* The dry run: the text `upgrade --dry-run` prints; *stop says why it
 * stops short, if it does. */
static char *
look(struct job *jb, enum upgrade_stop *stop, char **from,
    atomic_int *cancel)
{
	struct upgrade_run u;
	struct upgrade_opts o;
	struct run_flags rf;
	struct plan_ctx c;
	struct answers *a;
	char *text = NULL, *cause = NULL, *errs;
	size_t len = 0;
	FILE *f;

	*stop = US_ERROR;
	*from = NULL;
	if ((a = wiz_load_saved(jb->z, &errs)) == NULL)
		return errs;
	if ((f = open_memstream(&text, &len)) == NULL) {
		answers_free(a);
		return xstrdup(_("The plan cannot be shown."));
	}
	rf = jb->f;
	rf.dry_run = 1;
	rf.out = f;
	rf.cancel = cancel;
	upgrade_opts_from_answers(a, &rf, jb->bundle, &o);
	memset(&u, 0, sizeof u);
	u.stop = US_ERROR;
	if (plan_ctx_from_answers(a, NULL, &rf, &c, &cause) == 0)
		upgrade_prepare(&u, &o, &c, a, jb->m, f, &cause);
	if (cause != NULL)
		fprintf(f, "\nwbinstall: %s\n", cause);
	else if (u.stop == US_NONE)
		plan_describe(&c, u.p);
	*stop = u.stop;
	*from = xstrdup(upgrade_from(&u));
	free(cause);
	upgrade_run_free(&u);
	plan_ctx_free(&c);
	fclose(f);
	answers_free(a);
	return text;
}

/* look() in a ui_task: the site is asked over SSH, which may take a
 * while; Esc stops it. */
struct looking {
	struct ui_task t;
	struct job *jb;
	enum upgrade_stop stop;
	char *from, *text;
	struct rv_helm helm;	/* the manifests' renders */
};

static void
looking_work(struct ui_task *t)
{
	struct looking *l = t->arg;

	rv_helm_listen(&l->helm);
	l->text = look(l->jb, &l->stop, &l->from, &t->cancel);
	rv_helm_stop();
}

static void
looking_draw(struct view *v)
{
	struct looking *l = v->data;
	const char *msg = l->t.cancel ? _("Cancelling…") :
	    _("Looking at what is installed…");
	char sp[2] = { ui_spin(l->t.tick), '\0' };
	char *helm = rv_helm_line(&l->helm);
	int y, x, w = ui_width(msg) + 8;

	/* While helm renders the manifests (seconds, more on a slow
	 * control host), a line says so. */
	if (helm != NULL && ui_width(helm) + 8 > w)
		w = ui_width(helm) + 8;
	if (w > COLS - 4)
		w = COLS - 4;
	ui_box(helm != NULL ? 4 : 3, w, &y, &x, NULL);
	ui_put(y + 1, x + 2, 2, sp, ui_attr(S_DIALOG) | A_BOLD);
	ui_put(y + 1, x + 4, w - 6, msg, ui_attr(S_DIALOG) | A_BOLD);
	if (helm != NULL)
		ui_put(y + 2, x + 4, w - 6, helm, ui_attr(S_DIALOG));
	free(helm);
	ui_keybar((const char *const[]){ "Esc", N_("Cancel"), NULL });
}

/* 1 with l->text and the rest, 0 when cancelled or not started. */
static int
looking_run(struct wiz *z, struct job *jb, struct looking *l)
{
	struct view v = { looking_draw, NULL, &z->view, l, 0 };
	int rc;

	memset(l, 0, sizeof *l);
	l->jb = jb;
	l->stop = US_ERROR;
	ui_task_init(&l->t, looking_work, l);
	l->helm.t = &l->t;
	rc = ui_task_run(&l->t, &v, "upgrade: looking");
	ui_task_free(&l->t);
	rv_helm_free(&l->helm);
	if (rc != 0) {
		free(l->text);
		free(l->from);
		l->text = l->from = NULL;
		return 0;
	}
	return 1;
}

/* In the worker: what `wbinstall upgrade --yes` does. */
static int
upgrade_body(struct run_view *rv)
{
	struct job *jb = rv->arg;
	struct upgrade_run u;
	struct upgrade_opts o;
	struct run_flags f;
	struct plan_ctx c;
	struct answers *a;
	char *cause = NULL;
	int rc = EXIT_USAGE;

	if ((a = wiz_load_saved(jb->z, &cause)) == NULL) {
		fprintf(rv->out, "%s", cause);
		free(cause);
		return EXIT_USAGE;
	}
	f = jb->f;
	upgrade_opts_from_answers(a, &f, jb->bundle, &o);
	memset(&u, 0, sizeof u);
	if (plan_ctx_from_answers(a, NULL, &f, &c, &cause) == 0) {
		rv_attach(rv, &c);
		rc = upgrade_prepare(&u, &o, &c, a, jb->m, rv->out, &cause);
	}
	if (cause != NULL)
		fprintf(rv->out, "\nwbinstall: %s\n", cause);
	free(cause);
	if (rc == EXIT_OK && u.stop == US_NONE)
		rc = upgrade_apply(&u, rv->out);
	upgrade_run_free(&u);
	plan_ctx_free(&c);
	answers_free(a);
	return rc;
}

/* Which backup: 0 a dump (in f->backup_dir), 1 confirmed, -1 none. */
static int
ask_backup(struct wiz *z, struct run_flags *f)
{
	const char *last = z->mem.backup_dir;
	char *dir;

	if (ui_confirm(&z->view, _("Back up the database first, with "
	    "mysqldump --single-transaction (checked: it must exist, be "
	    "non-empty and pass gzip -t)?"))) {
		dir = prompt(z, _("Upgrade"), _("Where the dump goes, on the "
		    "db target (else the control host):"), last != NULL ?
		    last : UPGRADE_BACKUP_DIR_DEFAULT);
		if (dir == NULL)
			return -1;
		if (*dir != '/') {
			wiz_status(z, 1, "%s", _("The backup directory must be "
			    "an absolute path on the host where the dump "
			    "runs."));
			free(dir);
			return -1;
		}
		remember(&z->mem.backup_dir, dir);
		free(dir);
		f->backup_dir = z->mem.backup_dir;
		return 0;
	}
	if (ui_confirm(&z->view, _("Is there a recent backup of the database? "
	    "The seeds call for a daily backup kept for a week."))) {
		f->backup_confirmed = 1;
		return 1;
	}
	return -1;
}

/* After the dry run: go on (1), look again with a changed option (0), or
 * stop (-1). */
static int
decide(struct wiz *z, struct job *jb, enum upgrade_stop stop,
    const char *from)
{
	char *q;
	int yes;

	switch (stop) {
	case US_NONE:
		q = xprintf(_("Upgrade W&B from %s to %s?"), from,
		    jb->m->version);
		yes = ui_confirm(&z->view, q);
		free(q);
		return yes ? 1 : -1;
	case US_PRE_OPERATOR:
		if (!ui_confirm(&z->view, _("A pre-operator install: move it "
		    "to the operator, as its own plan?")))
			return -1;
		jb->f.migrate = 1;
		return 0;
	case US_DOWNGRADE:
		if (!ui_confirm(&z->view, _("Go to the older release anyway "
		    "(--allow-downgrade)?")))
			return -1;
		jb->f.allow_downgrade = 1;
		return 0;
	case US_REQUIREMENTS:
		if (!ui_confirm(&z->view, _("The site does not meet the "
		    "release's requirements.  Go on anyway (--force)?")))
			return -1;
		jb->f.force = 1;
		return 0;
	case US_NOTHING:
		wiz_status(z, 0, "%s", _("That release is installed already: "
		    "nothing to do."));
		return -1;
	case US_ERROR:
		break;
	}
	return -1;
}

void
wiz_upgrade(struct wiz *z)
{
	struct bundle_manifest *m;
	struct run_view rv;
	struct job jb;
	struct looking lk;
	enum upgrade_stop stop;
	char *cause = NULL, *path, *text, *from = NULL;
	int sig, d;

	if (wiz_save(z, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		free(cause);
		return;
	}
	z->saved = 1;
	if (!wiz_platform_is(z, "kubernetes")) {
		wiz_status(z, 1, "%s", _("The upgrade supports "
		    "deployment.platform kubernetes only."));
		return;
	}
	path = prompt(z, _("Upgrade"), _("The bundle of the release to "
	    "upgrade to (wbinstall bundle create makes one):"),
	    z->mem.bundle != NULL ? z->mem.bundle : "");
	if (path == NULL)
		return;
	remember(&z->mem.bundle, path);
	ui_busy(&z->view, _("Reading the bundle…"));
	if ((m = bundle_inspect(path, &sig, NULL, &cause)) == NULL) {
		wiz_status(z, 1, "%s: %s", path, cause);
		free(cause);
		free(path);
		return;
	}
	memset(&jb, 0, sizeof jb);
	jb.z = z;
	jb.m = m;
	wiz_run_flags(z, &jb.f);
	jb.bundle = path;
	if (ask_backup(z, &jb.f) < 0) {
		wiz_status(z, 0, "%s", _("Nothing was upgraded."));
		goto out;
	}
	for (;;) {
		log_info("wizard: upgrade to %s: looking", m->version);
		if (!looking_run(z, &jb, &lk)) {
			wiz_status(z, 0, "%s", _("Nothing was upgraded."));
			goto out;
		}
		text = lk.text;
		stop = lk.stop;
		from = lk.from;
		ui_pager(&z->view, _("Upgrade plan (dry run)"), text, 0);
		free(text);
		d = decide(z, &jb, stop, from);
		free(from);
		from = NULL;
		if (d != 0)
			break;
	}
	if (d < 0) {
		if (stop != US_NOTHING)
			wiz_status(z, stop == US_ERROR, "%s",
			    _("Nothing was upgraded."));
		goto out;
	}
	memset(&rv, 0, sizeof rv);
	rv.title = N_("Upgrade");
	rv.body = upgrade_body;
	rv.arg = &jb;
	if (rv_run(&rv, &z->view) == EXIT_OK) {
		/* As upgrade_apply() recorded it in the file. */
		answers_set(z->a, "deployment.wandb_version",
		    upgrade_pinned_version(m), NULL);
		wiz_status(z, 0, _("Upgraded to %s."), m->version);
	}
	else
		wiz_status(z, 1, "%s", _("The upgrade did not finish: see its "
		    "report (F2 shows the log)."));
	rv_free(&rv);
out:
	bundle_manifest_free(m);
	free(path);
}
