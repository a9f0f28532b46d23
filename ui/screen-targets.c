/* Targets: a list editor for the hosts, each with host, port, user, roles. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "answers.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "preflight-view.h"
#include "screens.h"
#include "wizard.h"
#include "xmalloc.h"

/* The columns of the list, in display columns. */
#define COL_HOST	4
#define COL_PORT	34
#define COL_USER	42
#define COL_ROLES	56

static const struct field_spec target_fields[] = {
	{ "targets[].host", N_("Host"), NULL, NULL, NULL },
	{ "targets[].port", N_("Port"), NULL, NULL, NULL },
	{ "targets[].user", N_("User"), NULL, NULL, NULL },
	{ "targets[].roles", N_("Roles"), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* Enter on the last field: the target's own rules must hold. */
static int
tdlg_done(struct form_dialog *d)
{
	struct answers_errors errs = { NULL, 0 };

	answers_check(d->z->a, &errs);
	form_claim(&d->form, d->z, &errs);
	answers_errors_clear(&errs);
	if (form_errors(&d->form, d->z) == 0)
		return 0;
	form_focus_first_error(&d->form, d->z);
	return -1;
}

/* Esc keeps what the field being edited holds, when it is valid. */
static void
tdlg_esc(struct form_dialog *d)
{
	struct widget *w = form_focused(&d->form);

	if (w != NULL)
		w->cls->leave(w, d->z);
}

/* Edit target N in a dialog of four fields bound to targets[N].*. */
static void
target_dialog(struct wiz *z, size_t n)
{
	struct form_dialog d;
	const struct field_spec *s;
	char *key;
	int empty;

	memset(&d, 0, sizeof d);
	d.z = z;
	d.title = xprintf(_("Target %zu"), n + 1);
	d.hint = N_("Roles: app, db, control. Enter on the last field: done.  "
	    "Esc: close.");
	d.w = 74;
	d.h = 12;
	d.done = tdlg_done;
	d.esc = tdlg_esc;
	for (s = target_fields; s->key != NULL; s++) {
		key = xprintf("targets[%zu].%s", n, strchr(s->key, '.') + 1);
		form_add(&d.form, s, key, z);
		free(key);
	}
	form_dialog_run(&d);
	form_free(&d.form);
	free(d.title);
	/* A target left with nothing set (a new one, cancelled) is dropped. */
	for (s = target_fields; s->key != NULL; s++) {
		key = xprintf("targets[%zu].%s", n, strchr(s->key, '.') + 1);
		empty = !answers_is_set(z->a, key);
		free(key);
		if (!empty)
			return;
	}
	answers_target_remove(z->a, n);
}

static int
targets_height(struct widget *w, struct wiz *z, int width)
{
	(void)w;
	(void)width;
	return (int)z->a->ntargets + 3;
}

static void
targets_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	size_t i, n = z->a->ntargets;
	char *s, *roles;
	int attr;

	(void)h;
	ui_put(y, x, width, "#", A_BOLD);
	ui_put(y, x + COL_HOST, width - COL_HOST, _("Host"), A_BOLD);
	ui_put(y, x + COL_PORT, width - COL_PORT, _("Port"), A_BOLD);
	ui_put(y, x + COL_USER, width - COL_USER, _("User"), A_BOLD);
	ui_put(y, x + COL_ROLES, width - COL_ROLES, _("Roles"), A_BOLD);
	for (i = 0; i <= n; i++) {
		attr = focused && w->sel == i ? ui_attr(S_FOCUS) : 0;
		if (i == n) {
			ui_put_pad(y + 1 + (int)i, x, width, _("+ Add a target"),
			    attr);
			break;
		}
		s = xprintf("%zu", i + 1);
		ui_put_pad(y + 1 + (int)i, x, width, s, attr);
		free(s);
		ui_put(y + 1 + (int)i, x + COL_HOST, COL_PORT - COL_HOST - 1,
		    answers_target_get(z->a, i, "host"), attr);
		ui_put(y + 1 + (int)i, x + COL_PORT, COL_USER - COL_PORT - 1,
		    answers_target_get(z->a, i, "port"), attr);
		ui_put(y + 1 + (int)i, x + COL_USER, COL_ROLES - COL_USER - 1,
		    answers_target_get(z->a, i, "user"), attr);
		roles = xprintf("targets[%zu].roles", i);
		ui_put(y + 1 + (int)i, x + COL_ROLES, width - COL_ROLES,
		    answers_get(z->a, roles), attr);
		free(roles);
	}
	ui_put(y + 2 + (int)n, x, width, _("Enter: edit or add   "
	    "Del: remove"), ui_attr(S_DIM));
}

static int
targets_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	size_t n = z->a->ntargets;
	char *q;

	if (k.fkey && k.ch == KEY_UP && w->sel > 0) {
		w->sel--;
		return UI_HANDLED;
	}
	if (k.fkey && k.ch == KEY_DOWN && w->sel < n) {
		w->sel++;
		return UI_HANDLED;
	}
	if ((k.fkey && k.ch == KEY_IC) || (!k.fkey && k.ch == 'a'))
		w->sel = n;
	else if (!(!k.fkey && (k.ch == '\r' || k.ch == '\n'))) {
		if (!((k.fkey && k.ch == KEY_DC) || (!k.fkey && k.ch == 'd')) ||
		    w->sel >= n)
			return UI_IGNORED;
		q = xprintf(_("Remove target %zu (%s)?"), w->sel + 1,
		    answers_target_get(z->a, w->sel, "host"));
		if (ui_ask(&z->view, q))
			answers_target_remove(z->a, w->sel);
		free(q);
		widget_set_error(w, NULL);
		return UI_HANDLED;
	}
	if (w->sel == n)
		answers_target_add(z->a);
	target_dialog(z, w->sel);
	widget_set_error(w, NULL);
	return UI_HANDLED;
}

static void
targets_enter(struct widget *w, struct wiz *z)
{
	if (w->sel > z->a->ntargets)
		w->sel = z->a->ntargets;
}

const struct widget_class targets_class = {
	1, 0, targets_height, targets_draw, targets_key, targets_enter, NULL
};

static const struct action_field targets = { &targets_class, 4,
    wiz_preflight_hosts };

static const struct field_spec fields[] = {
	{ "targets", N_("Targets"), NULL, &action_list_class, &targets },
	{ NULL, N_("Port and user default to those on the SSH screen."),
	    NULL, NULL, NULL },
	{ "@continue", N_("Continue"), NULL, &button_class, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_targets = {
	"targets", N_("Targets"),
	N_("The hosts wbinstall checks over SSH before anything is installed: "
	"application servers or Kubernetes workers (app), a self-managed "
	"MySQL host (db), and the host that runs helm and kubectl "
	"(control)."),
	fields, NULL, NULL
};
