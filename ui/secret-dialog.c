/*
 * The secret dialog.  The secret is typed masked, and the user chooses
 * where it is kept: a 0600 file beside the answers file (written on
 * save), an environment variable, or - only when asked - the answers file
 * itself.  What was typed is never shown again.
 */
#include "config.h"

#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers-resolve.h"
#include "answers.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "secret.h"
#include "util.h"
#include "wizard.h"
#include "xmalloc.h"

enum { SD_FILE, SD_ENV, SD_VALUE };

struct sdlg {
	struct form_dialog d;	/* first: the dialog hands it back */
	struct widget *field;	/* the secret field of the screen */
	size_t kind;
	char *path, *env;	/* what each kind's name field held */
};

static const char *const kind_labels[] = {
	N_("file beside the answers (0600)"),
	N_("environment variable"),
	N_("in the answers file"),
	NULL
};

static size_t
kind_get(struct wiz *z, void *ctx)
{
	(void)ctx;
	return z->secret->kind;
}

static void
kind_set(struct wiz *z, void *ctx, size_t v)
{
	struct sdlg *d = z->secret;
	struct widget *name = &d->d.form.w[1];
	char **keep;

	(void)ctx;
	/* Each kind keeps its own name. */
	keep = d->kind == SD_ENV ? &d->env : &d->path;
	if (d->kind != SD_VALUE) {
		free(*keep);
		*keep = xstrdup(name->text);
	}
	d->kind = v;
	if (v == SD_ENV)
		widget_set_text(name, d->env);
	else if (v == SD_FILE)
		widget_set_text(name, d->path);
}

static const struct ui_choice kind_choice = {
	kind_labels, kind_get, kind_set
};

static int
name_visible(const struct wiz *z)
{
	return z->secret->kind != SD_VALUE;
}

static int
value_visible(const struct wiz *z)
{
	return z->secret->kind != SD_ENV;
}

static const struct field_spec fields[] = {
	{ "@kind", N_("Keep it in"), NULL, &choice_class, &kind_choice },
	{ "@name", N_("Name or path"), name_visible, &text_class, NULL },
	{ "@value", N_("Secret"), value_visible, &text_class, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* "license.value" -> "WB_LICENSE", "mysql.password" -> "WB_MYSQL_PASSWORD" */
static char *
default_env(const char *key)
{
	char *s = xprintf("WB_%s", key), *p;
	size_t len;

	for (p = s; *p != '\0'; p++)
		*p = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
	len = strlen(s);
	if (len > 6 && strcmp(s + len - 6, "_VALUE") == 0)
		s[len - 6] = '\0';
	return s;
}

/* "mysql.password" -> "mysql-password.secret", beside the answers. */
static char *
default_path(const char *key)
{
	char *s = xprintf("%s.secret", key), *p;

	for (p = s; p[7] != '\0'; p++)
		if (*p == '.')
			*p = '-';
	return s;
}

/* A relative path is relative to the answers file being written. */
char *
wiz_path(struct wiz *z, const char *path)
{
	char *full = expand_home(path), *dup, *joined;

	if (full[0] == '/')
		return full;
	dup = xstrdup(z->out);
	joined = xprintf("%s/%s", dirname(dup), full);
	free(dup);
	free(full);
	return joined;
}

static void
pending_drop(struct wiz *z, const char *key)
{
	size_t i;

	for (i = 0; i < z->npending; i++) {
		if (strcmp(z->pending[i].key, key) != 0)
			continue;
		free(z->pending[i].key);
		free(z->pending[i].path);
		xfree_secret(z->pending[i].value);
		z->pending[i] = z->pending[--z->npending];
		return;
	}
}

void
pending_free(struct wiz *z)
{
	while (z->npending > 0)
		pending_drop(z, z->pending[0].key);
	free(z->pending);
	z->pending = NULL;
}

static const struct pending_secret *
pending_find(struct wiz *z, const char *key)
{
	size_t i;

	for (i = 0; i < z->npending; i++)
		if (strcmp(z->pending[i].key, key) == 0)
			return &z->pending[i];
	return NULL;
}

char *
wiz_secret(struct wiz *z, const char *key, char **cause)
{
	const struct pending_secret *p = pending_find(z, key);

	if (p != NULL)
		return xstrdup(p->value);
	return answers_resolve(z->a, key, cause);
}

char *
secret_display(struct wiz *z, const char *key)
{
	const struct secret_ref *ref = answers_get_secret(z->a, key);
	char *s, *n;

	if (ref == NULL || ref->kind == SECRET_NONE)
		return NULL;
	s = secret_format_masked(ref);
	if (ref->kind == SECRET_FILE && pending_find(z, key) != NULL) {
		n = xprintf("%s %s", s, _("(written on save)"));
		free(s);
		s = n;
	}
	return s;
}

/* Set the reference from the dialog; -1 leaves an error on a field. */
static int
sdlg_apply(struct form_dialog *fd)
{
	struct sdlg *d = (struct sdlg *)fd;
	struct wiz *z = fd->z;
	struct widget *name = &fd->form.w[1], *value = &fd->form.w[2];
	const char *key = d->field->key;
	char *ref, *cause = NULL, *full;
	int exists;

	widget_set_error(name, NULL);
	widget_set_error(value, NULL);
	if (d->kind != SD_VALUE && *name->text == '\0') {
		widget_set_error(name, xstrdup(d->kind == SD_ENV ?
		    _("give the name of the variable") :
		    _("give the path of the file")));
		return -1;
	}
	if (d->kind != SD_ENV && *value->text == '\0') {
		full = wiz_path(z, name->text);
		exists = d->kind == SD_FILE && access(full, R_OK) == 0;
		free(full);
		if (!exists) {
			widget_set_error(value, xstrdup(d->kind == SD_FILE ?
			    _("type the secret, or give a file that exists") :
			    _("type the secret")));
			return -1;
		}
	}
	if (d->kind == SD_ENV)
		ref = xprintf("{env: %s}", name->text);
	else if (d->kind == SD_FILE)
		ref = xprintf("{file: %s}", name->text);
	else
		ref = xprintf("{value: %s}", value->text);
	if (answers_set(z->a, key, ref, &cause) != AE_OK) {
		widget_set_error(d->kind == SD_VALUE ? value : name, cause);
		xfree_secret(ref);
		return -1;
	}
	xfree_secret(ref);
	pending_drop(z, key);
	if (d->kind == SD_FILE && *value->text != '\0') {
		z->pending = xreallocarray(z->pending, z->npending + 1,
		    sizeof *z->pending);
		z->pending[z->npending].key = xstrdup(key);
		z->pending[z->npending].path = xstrdup(name->text);
		z->pending[z->npending++].value = xstrdup(value->text);
	}
	return 0;
}

int
secret_dialog(struct wiz *z, struct widget *field, const char *first)
{
	const struct secret_ref *ref = answers_get_secret(z->a, field->key);
	struct sdlg d;
	struct form *f = &d.d.form;
	int r;

	memset(&d, 0, sizeof d);
	d.d.z = z;
	d.d.title = xprintf("%s (%s)", _(field->label), field->key);
	d.d.hint = N_("Space: change   Enter: done   Esc: cancel");
	d.d.w = 72;
	d.d.h = 10;
	d.d.done = sdlg_apply;
	d.field = field;
	d.path = default_path(field->key);
	d.env = default_env(field->key);
	d.kind = SD_FILE;
	if (ref != NULL && ref->kind == SECRET_ENV) {
		d.kind = SD_ENV;
		free(d.env);
		d.env = xstrdup(ref->arg);
	} else if (ref != NULL && ref->kind == SECRET_FILE) {
		free(d.path);
		d.path = xstrdup(ref->arg);
	} else if (ref != NULL && ref->kind == SECRET_VALUE)
		d.kind = SD_VALUE;
	z->secret = &d;
	form_init(f, fields, z);
	f->w[2].masked = 1;
	widget_set_text(&f->w[1], d.kind == SD_ENV ? d.env : d.path);
	/* Typing on the field starts the secret: go straight to it. */
	if (first != NULL && *first != '\0' && d.kind != SD_ENV) {
		widget_set_text(&f->w[2], first);
		f->focus = 2;
	}
	r = form_dialog_run(&d.d);
	form_free(f);
	free(d.d.title);
	free(d.path);
	free(d.env);
	z->secret = NULL;
	return r;
}

static char *
wiz_resolve_secret(void *arg, const char *key, char **cause)
{
	return wiz_secret(arg, key, cause);
}

static char *
wiz_resolve_path(void *arg, const char *key)
{
	struct wiz *z = arg;

	return wiz_path(z, answers_get(z->a, key));
}

struct answers_resolver
wiz_resolver(struct wiz *z)
{
	struct answers_resolver r = { wiz_resolve_secret, wiz_resolve_path,
	    z };

	return r;
}
