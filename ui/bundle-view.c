/*
 * The Air gap screen's bundle: beneath the Bundle field, a summary of what
 * `bundle inspect` shows; F3 shows all of it; F4 verifies the bundle, F5
 * unpacks it and F6 pushes its images to the registry of the answers.
 * They call the same functions as `wbinstall bundle`, as a ui_task (in
 * their own thread) behind a progress bar; Esc or Ctrl-C cancels, and the
 * core stops at its next block, cleans up and reports nothing done.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "answers.h"
#include "bundle-view.h"
#include "bundle.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "plan.h"
#include "wizard.h"
#include "xmalloc.h"

/* The bundle file of the answers, or NULL (with the status set). */
static char *
bundle_file(struct wiz *z, int complain)
{
	const char *p = answers_get(z->a, "airgap.bundle");

	if (*p != '\0')
		return wiz_path(z, p);
	if (complain)
		wiz_status(z, 1, "%s", _("airgap.bundle: give the bundle file "
		    "first"));
	return NULL;
}

/*
 * The summary (z->mem.summary), read again only when the file or its size
 * or time change: the screen is drawn at every key.  It is kept as it is
 * while verify, unpack or push runs (unpacking changes the working
 * directory).
 */
static void
summary_set(struct wiz_summary *sum, const char *file, const struct stat *st,
    int error, char *text)
{
	free(sum->file);
	free(sum->text);
	sum->file = file != NULL ? xstrdup(file) : NULL;
	if (st != NULL)
		sum->st = *st;
	else
		memset(&sum->st, 0, sizeof sum->st);
	sum->error = error;
	sum->text = text;
}

static char *
summary_of(const struct bundle_manifest *m, int sig)
{
	char sz[32], *req = xstrdup(""), *n;
	size_t i;

	for (i = 0; i < m->nreq; i++) {
		n = xprintf("%s%s%s %s", req, i > 0 ? ", " : "",
		    m->req[i].key, m->req[i].value);
		free(req);
		req = n;
	}
	bundle_size_text(sz, sizeof sz, bundle_manifest_total(m));
	n = xprintf(_("%s %s, %s. Images: %zu, charts: %zu, %s in %zu "
	    "files. Requires %s."), m->name, m->version, sig ? _("signed") :
	    _("not signed"), m->nimages, m->ncharts, sz, m->nfiles,
	    *req != '\0' ? req : _("nothing"));
	free(req);
	return n;
}

static void
summary_load(struct wiz *z)
{
	struct wiz_summary *sum = &z->mem.summary;
	struct bundle_manifest *m;
	struct stat st;
	char *file = bundle_file(z, 0), *cause = NULL;
	int sig;

	if (sum->frozen && sum->text != NULL) {
		free(file);
		return;
	}
	if (file == NULL) {
		if (sum->file != NULL || sum->text == NULL)
			summary_set(sum, NULL, NULL, 0, xstrdup(_("No "
			    "bundle yet: give its file above.")));
		return;
	}
	if (stat(file, &st) != 0) {
		summary_set(sum, file, NULL, 1, xprintf("%s: %s", file,
		    strerror(errno)));
		free(file);
		return;
	}
	if (sum->file != NULL && strcmp(sum->file, file) == 0 &&
	    sum->st.st_ino == st.st_ino && sum->st.st_size == st.st_size &&
	    sum->st.st_mtime == st.st_mtime) {
		free(file);
		return;
	}
	if ((m = bundle_inspect(file, &sig, NULL, &cause)) == NULL)
		summary_set(sum, file, &st, 1, cause);
	else {
		summary_set(sum, file, &st, 0, summary_of(m, sig));
		bundle_manifest_free(m);
	}
	free(file);
}

static int
summary_height(struct widget *w, struct wiz *z, int width)
{
	char **lines;
	int n;

	(void)w;
	summary_load(z);
	lines = ui_wrap(z->mem.summary.text, width);
	n = (int)ui_lines_count(lines);
	ui_lines_free(lines);
	return n > 4 ? 4 : n;
}

static void
summary_draw(struct widget *w, struct wiz *z, int y, int x, int width,
    int h, int focused)
{
	char **lines;
	int i;

	(void)w;
	(void)focused;
	summary_load(z);
	lines = ui_wrap(z->mem.summary.text, width);
	for (i = 0; lines[i] != NULL && i < h; i++)
		ui_put(y + i, x, width, lines[i], z->mem.summary.error ?
		    ui_attr(S_ERROR) : ui_attr(S_OK));
	ui_lines_free(lines);
}

const struct widget_class bundle_summary_class = {
	0, 1, summary_height, summary_draw, NULL, NULL, NULL
};

/* F3: all that `bundle inspect` shows, in the pager. */
void
wiz_bundle_inspect(struct wiz *z)
{
	struct bundle_manifest *m;
	char *file, *cause = NULL, *text = NULL, *title;
	size_t len = 0;
	FILE *f;
	int sig;

	if ((file = bundle_file(z, 1)) == NULL)
		return;
	if ((m = bundle_inspect(file, &sig, NULL, &cause)) == NULL) {
		wiz_status(z, 1, "%s", cause);
		ui_pager(&z->view, _("Bundle"), cause, 0);
		free(cause);
		free(file);
		return;
	}
	if ((f = open_memstream(&text, &len)) != NULL) {
		fprintf(f, _("file:     %s\n"), file);
		bundle_manifest_print(f, m, sig);
		fclose(f);
		title = xprintf(_("Bundle: %s %s"), m->name, m->version);
		ui_pager(&z->view, title, text, 0);
		free(title);
		free(text);
	}
	bundle_manifest_free(m);
	free(file);
}

/* Verify, unpack and push: one view with a progress bar. */
enum bv_op { BV_VERIFY, BV_UNPACK, BV_PUSH };

struct bv {
	struct ui_task t;
	enum bv_op op;
	char *file;
	char *dir;		/* unpack: into this */
	struct bundle_progress pr;
	struct bundle_push_opts po;
	struct plan_push pp;	/* what po was made from */
	char *key;		/* airgap.bundle_pubkey, or NULL */
	/* under t.lock */
	char what[256];
	int64_t done, total;
	/* once finished */
	int rc;
	char *result;
};

static const char *const bv_names[] = {
	N_("Verify"), N_("Unpack"), N_("Push")
};

/* From the worker: what the core is at. */
static void
bv_update(void *arg, const char *what, int64_t done, int64_t total)
{
	struct bv *b = arg;

	pthread_mutex_lock(&b->t.lock);
	snprintf(b->what, sizeof b->what, "%s", what != NULL ? what : "");
	b->done = done;
	b->total = total;
	pthread_mutex_unlock(&b->t.lock);
}

static void
bv_work(struct ui_task *t)
{
	struct bv *b = t->arg;
	struct bundle_read_opts ro;
	struct bundle_manifest *m = NULL;
	struct bundle_push_stats st;
	char *cause = NULL;

	memset(&ro, 0, sizeof ro);
	memset(&st, 0, sizeof st);
	ro.progress = &b->pr;
	ro.pubkey = b->po.pubkey = b->key;
	ro.require_sig = b->po.require_sig = b->key != NULL;
	switch (b->op) {
	case BV_VERIFY:
		b->rc = bundle_read(b->file, &ro, &m, &cause);
		if (b->rc == 0 && b->key != NULL)
			b->result = xprintf(_("%s %s verified: signed by the "
			    "key in %s, and %zu files, each as the manifest "
			    "says."), m->name, m->version, b->key, m->nfiles);
		else if (b->rc == 0)
			b->result = xprintf(_("%s %s verified: %zu files, each "
			    "as the manifest says."), m->name, m->version,
			    m->nfiles);
		break;
	case BV_UNPACK:
		ro.dir = b->dir;
		b->rc = bundle_read(b->file, &ro, &m, &cause);
		if (b->rc == 0)
			b->result = xprintf(_("%s %s verified and unpacked "
			    "into %s."), m->name, m->version, b->dir);
		break;
	case BV_PUSH:
		b->rc = bundle_push(b->file, &b->po, &st, &cause);
		if (b->rc != 0)
			break;
		b->result = bundle_push_summary(&st, b->po.registry);
		break;
	}
	bundle_manifest_free(m);
	if (b->rc != 0)
		b->result = cause != NULL ? cause : xstrdup(_("failed"));
}

static void
bv_draw(struct view *v)
{
	struct bv *b = v->data;
	int y, x, w, h = 11, i, n, pct, finished;
	char *line, d[32], t[32], **lines;

	ui_box(h, COLS - 6, &y, &x, _(bv_names[b->op]));
	w = COLS - 10;
	x += 2;
	line = xprintf(_("Bundle:   %s"), b->file);
	ui_put(y + 1, x, w, line, ui_attr(S_DIALOG));
	free(line);
	line = b->op == BV_UNPACK ? xprintf(_("Into:     %s"), b->dir) :
	    b->op == BV_PUSH ? xprintf(_("Registry: %s"), b->po.registry) :
	    NULL;
	if (line != NULL)
		ui_put(y + 2, x, w, line, ui_attr(S_DIALOG));
	free(line);

	pthread_mutex_lock(&b->t.lock);
	finished = b->t.finished;
	pct = b->total > 0 ? (int)(b->done * 100 / b->total) : 0;
	if (pct > 100)
		pct = 100;
	if (finished && b->rc == 0)
		pct = 100;
	bundle_size_text(d, sizeof d, b->done);
	bundle_size_text(t, sizeof t, b->total);
	line = xprintf("%3d%%  %s / %s", pct, d, t);
	n = w - ui_width(line) - 3;
	ui_put(y + 4, x, 1, "[", ui_attr(S_DIALOG));
	for (i = 0; i < n; i++)
		ui_put(y + 4, x + 1 + i, 1, i < n * pct / 100 ? "#" : "-",
		    i < n * pct / 100 ? ui_attr(S_OK) : ui_attr(S_DIM));
	ui_put(y + 4, x + 1 + n, 1, "]", ui_attr(S_DIALOG));
	ui_put(y + 4, x + n + 3, w - n - 3, line, ui_attr(S_DIALOG));
	free(line);
	if (!finished) {
		line = xprintf("%c %s", ui_spin(b->t.tick), b->what[0] !=
		    '\0' ? b->what : _("Starting…"));
		ui_put(y + 5, x, w, line, ui_attr(S_DIM));
		free(line);
	}
	pthread_mutex_unlock(&b->t.lock);

	if (finished && b->result != NULL) {
		lines = ui_wrap(b->result, w);
		for (i = 0; lines[i] != NULL && y + 7 + i < y + h - 1; i++)
			ui_put(y + 7 + i, x, w, lines[i], b->rc == 0 ?
			    ui_attr(S_OK) | A_BOLD : ui_attr(S_ERROR) | A_BOLD);
		ui_lines_free(lines);
	} else if (b->t.cancel)
		ui_put(y + 7, x, w, _("Cancelling…"), ui_attr(S_ERROR));
	if (finished)
		ui_keybar((const char *const[]){ "Enter", N_("Close"), "Esc",
		    N_("Close"), NULL });
	else
		ui_keybar((const char *const[]){ "Esc", N_("Cancel"), NULL });
}

/* Once finished: Enter or Esc closes the view. */
static int
bv_key(struct view *v, struct ui_key k)
{
	(void)v;
	if (!k.fkey && (k.ch == UI_ESC || k.ch == '\r' || k.ch == '\n' ||
	    k.ch == 'q' || k.ch == UI_CTRL('c')))
		return UI_BREAK;
	return k.fkey && k.ch == KEY_RESIZE ? UI_REDRAW : UI_IGNORED;
}

/* The push as the install makes it (plan_push_from_answers: registry,
 * chart repository, TLS, credentials), with the wizard's unsaved secrets
 * and paths; -1 with status. */
static int
bv_push_opts(struct wiz *z, struct bv *b)
{
	struct answers_resolver res = wiz_resolver(z);
	char *cause = NULL;

	if (*answers_get(z->a, "airgap.registry") == '\0') {
		wiz_status(z, 1, "%s", _("airgap.registry: give the registry "
		    "to push to first"));
		return -1;
	}
	if (plan_push_from_answers(z->a, &res, &b->pp, &cause) != 0) {
		wiz_status(z, 1, "%s", cause);
		free(cause);
		return -1;
	}
	b->po = b->pp.o;
	b->po.progress = &b->pr;
	return 0;
}

/* The signing key of the answers, if any; -1 with status. */
static int
bv_signing_key(struct wiz *z, struct bv *b)
{
	const char *key = answers_get(z->a, "airgap.bundle_pubkey");

	if (*key == '\0')
		return 0;
	b->key = wiz_path(z, key);
	if (access(b->key, R_OK) != 0) {
		wiz_status(z, 1, "airgap.bundle_pubkey: %s: %s", b->key,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
bv_run(struct wiz *z, enum bv_op op)
{
	struct bv b;
	struct view v = { bv_draw, bv_key, &z->view, &b, 0 };
	const char *name = bv_names[op];
	int rc;

	memset(&b, 0, sizeof b);
	b.op = op;
	if ((b.file = bundle_file(z, 1)) == NULL)
		return;
	if (bv_signing_key(z, &b) != 0)
		goto out;
	if (op == BV_UNPACK)
		b.dir = bundle_unpack_dir(b.file);
	if (op == BV_PUSH && bv_push_opts(z, &b) != 0)
		goto out;
	ui_task_init(&b.t, bv_work, &b);
	b.pr.update = bv_update;
	b.pr.arg = &b;
	b.pr.cancel = &b.t.cancel;
	log_info("wizard: bundle %s %s", name, b.file);
	summary_load(z);
	z->mem.summary.frozen = 1;
	rc = ui_task_run(&b.t, &v, name);
	z->mem.summary.frozen = 0;
	if (rc < 0)
		wiz_status(z, 1, "%s", _("The work cannot be started."));
	else {
		/* A cancel that came too late leaves the work done. */
		if (rc == 1 && b.rc != 0)
			wiz_status(z, 1, _("%s: cancelled"), _(name));
		else
			wiz_status(z, b.rc != 0, "%s: %s", _(name), b.result);
		ui_loop(&v);
	}
	ui_task_free(&b.t);
out:
	free(b.result);
	free(b.file);
	free(b.dir);
	free(b.key);
	plan_push_free(&b.pp);
	/* Read the bundle again. */
	summary_set(&z->mem.summary, NULL, NULL, 0, NULL);
}

void
wiz_bundle_verify(struct wiz *z)
{
	bv_run(z, BV_VERIFY);
}

void
wiz_bundle_unpack(struct wiz *z)
{
	bv_run(z, BV_UNPACK);
}

void
wiz_bundle_push(struct wiz *z)
{
	bv_run(z, BV_PUSH);
}
