/*
 * Widgets bound to answers keys, in a column (a form: a screen's, or a
 * dialog's).  A screen's rows are data (struct field_spec); each widget
 * is a class (a const vtable, as htop's panels) over the wizard's state.
 */
#ifndef WB_UI_FORM_H
#define WB_UI_FORM_H

#include <stddef.h>

#include "ui.h"

struct answers_errors;
struct answers_key;
struct widget;
struct widget_class;
struct wiz;

/* A choice that is not an answers key (language, mode, secret storage). */
struct ui_choice {
	const char *const *labels;	/* shown through gettext */
	size_t (*get)(struct wiz *, void *ctx);
	void (*set)(struct wiz *, void *ctx, size_t);
};

/* One row of a screen, as data. */
struct field_spec {
	const char *key;	/* answers key; NULL for a note */
	const char *label;	/* N_(); the text itself for a note */
	int (*visible)(const struct wiz *);
	const struct widget_class *cls;	/* NULL: from the key's type */
	const void *arg;	/* for cls: a struct ui_choice, ... */
};

struct widget_class {
	int focusable;
	int labelled;		/* the form draws the label to its left */
	/* Rows it takes in W columns; -1: all that is left. */
	int (*height)(struct widget *, struct wiz *, int w);
	void (*draw)(struct widget *, struct wiz *, int y, int x, int w,
	    int h, int focused);
	/* A key while focused; UI_IGNORED lets the form move the focus. */
	int (*key)(struct widget *, struct wiz *, struct ui_key);
	/* The focus arrives, or the screen is shown: reload the model. */
	void (*enter)(struct widget *, struct wiz *);
	/* The focus leaves: validate; -1 leaves w->error set. */
	int (*leave)(struct widget *, struct wiz *);
};

struct widget {
	const struct widget_class *cls;
	const struct field_spec *spec;
	char *key;		/* "domain.fqdn", "targets[1].host", or NULL */
	const struct answers_key *k;
	const char *label;	/* N_() */
	const struct ui_choice *choice;
	void *ctx;		/* for choice */
	int masked;		/* typed text shown as '*' */
	char *text;		/* what is shown and edited (UTF-8) */
	size_t cur;		/* cursor, in characters */
	char *error;		/* the message beneath the field */
	int claimed;		/* error came from answers_check() */
	size_t sel, top;	/* lists: selected row, first row shown */
};

struct form {
	struct widget *w;
	size_t n;
	size_t focus;		/* n: nothing focusable */
	int top;		/* first row shown, when it scrolls */
	int labelw;		/* label column, in display columns */
};

/* form.c: a column of widgets (a screen, or a dialog). */
void form_init(struct form *, const struct field_spec *, struct wiz *);
void form_add(struct form *, const struct field_spec *, const char *key,
    struct wiz *);
void form_free(struct form *);
void form_enter(struct form *, struct wiz *);
int form_visible(const struct form *, size_t, const struct wiz *);
/* Move the focus by DIR (validating the field left); 0 at the edge. */
int form_move(struct form *, struct wiz *, int dir);
void form_draw(struct form *, struct wiz *, int y, int x, int w, int h);
struct widget *form_focused(struct form *);
/* Map answers_check() errors to the fields; returns how many. */
size_t form_claim(struct form *, struct wiz *, const struct answers_errors *);
size_t form_errors(const struct form *, const struct wiz *);
void form_focus_first_error(struct form *, struct wiz *);
/* Tab, Shift-Tab, Up and Down move the focus; UI_IGNORED otherwise. */
int form_nav(struct form *, struct wiz *, struct ui_key);

/* A dialog holding a form: the secret and the target editors. */
struct form_dialog {
	struct form form;
	struct wiz *z;
	char *title;
	const char *hint;	/* N_(): its last line */
	int w, h;
	/* Enter on the last field: 0 closes the dialog with result 1. */
	int (*done)(struct form_dialog *);
	/* Esc closes it with result 0, after this (if not NULL). */
	void (*esc)(struct form_dialog *);
};
int form_dialog_run(struct form_dialog *);

/* widget.c: the classes. */
extern const struct widget_class text_class, choice_class, secret_class,
    note_class, button_class;
/* screen-targets.c: the targets list, the class of an AT_TARGETS key. */
extern const struct widget_class targets_class;
void widget_set_text(struct widget *, const char *);
void widget_set_error(struct widget *, char *);
/* The model's text for a key ("" when unset and no default). */
const char *widget_model(struct widget *, struct wiz *);

/* secret-dialog.c: the masked secret dialog; 1 when a reference was set. */
int secret_dialog(struct wiz *, struct widget *, const char *first);
/* The reference as shown: masked, and marked when written on save. */
char *secret_display(struct wiz *, const char *key);

#endif
