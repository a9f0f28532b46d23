/*
 * The wizard: screens declared as data, widgets bound to answers keys, and
 * the state that lives while the wizard runs.
 *
 * Every value goes through answers_set() and every screen through
 * answers_check(), so the wizard and the answers file cannot disagree.
 */
#ifndef WB_UI_WIZARD_H
#define WB_UI_WIZARD_H

#include <stddef.h>
#include <sys/stat.h>

#include "answers.h"
#include "check.h"
#include "ui.h"

struct wiz;
struct widget;
struct widget_class;
struct check;
struct check_list;
struct preflight_opts;

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

struct screen {
	const char *name;
	const char *title;	/* N_() */
	const char *help;	/* N_(): shown at the top and under F1 */
	const struct field_spec *fields;	/* ends with a NULL label */
	int (*visible)(const struct wiz *);	/* NULL: always */
	/* On Next, once the fields are valid; -1 and *cause stays here. */
	int (*leave)(struct wiz *, char **cause);
};

/* The screens, in order (screens.c); later issues add theirs. */
extern const struct screen *const screen_table[];

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

/* A secret typed into the wizard, written to a 0600 file on save. */
struct pending_secret {
	char *key;
	char *path;		/* as in the reference */
	char *value;
};

/* wizard_run(): quit with Ctrl-C after F5 had saved the answers. */
#define WIZ_QUIT_SAVED	3

enum wiz_mode { MODE_NEW, MODE_AIRGAP, MODE_UPGRADE };

/* The options of `wizard` that its install and upgrade take. */
struct wiz_run_opts {
	const char *ca_file;	/* verify: also trust this CA */
	const char *connect_to;	/* verify: curl's --connect-to, or NULL */
	int wait_timeout_s;	/* 0: the install's default */
	int force;		/* go on when preflight checks fail */
};

/* The Air gap screen's summary of its bundle (bundle-view.c). */
struct wiz_summary {
	char *file;
	struct stat st;		/* read again when the file changes */
	char *text;
	int error;
	int frozen;		/* kept while verify, unpack or push runs */
};

/* What the views keep from one run to the next, for as long as the
 * wizard runs: what was last found or typed, offered or shown again. */
struct wiz_memory {
	struct check_list hosts;	/* the last complete host preflight */
	int have_hosts;
	char *bundle;			/* the Upgrade's bundle */
	char *backup_dir;		/* where its dump went */
	struct wiz_summary summary;
};

struct sdlg;

struct wiz {
	struct answers *a;
	const char *out;	/* where Save writes */
	char lang[3];
	enum wiz_mode mode;
	size_t cur;		/* current screen */
	size_t nscreens;
	struct form *forms;	/* one per screen, kept for the whole run */
	char *status;
	int status_error;
	struct pending_secret *pending;
	size_t npending;
	struct view view;
	int saved;
	struct wiz_run_opts run;
	struct wiz_memory mem;
	struct sdlg *secret;	/* the secret dialog open (it is modal) */
};

/* wizard.c */
int wizard_run(struct answers *, const char *out,
    const struct wiz_run_opts *);
/* Choose LANG (NULL: keep); catalogs from paths_localedir() (an installed
 * build, a build tree, or WBINSTALL_LOCALEDIR). */
void wiz_lang(const char *lang);
void wiz_status(struct wiz *, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Validate and write the answers (and pending secret files). */
int wiz_save(struct wiz *, char **cause);
/* Problems that block Save: answers_check() and fields in error. */
size_t wiz_problems(struct wiz *, struct answers_errors *);

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
void widget_set_text(struct widget *, const char *);
void widget_set_error(struct widget *, char *);
/* The model's text for a key ("" when unset and no default). */
const char *widget_model(struct widget *, struct wiz *);

/* secret.c: the masked secret dialog; 1 when a reference was set. */
int secret_dialog(struct wiz *, struct widget *, const char *first);
/* The reference as shown: masked, and marked when written on save. */
char *secret_display(struct wiz *, const char *key);
/* PATH as the answers file being written sees it (relative to it). */
char *wiz_path(struct wiz *, const char *path);
/* The value of secret KEY: typed in the wizard and not yet saved, else
 * resolved from its reference; free with xfree_secret. */
char *wiz_secret(struct wiz *, const char *key, char **cause);
/* wiz_secret and wiz_path, for the core's operations (secret.h). */
struct answers_resolver;
struct answers_resolver wiz_resolver(struct wiz *);
void pending_free(struct wiz *);

/* targets.c, sizing.c, review.c: widgets of one screen each. */
extern const struct widget_class targets_class, sizing_class, review_class;

/* action.c: function-key actions of a screen. */
struct check_list;
struct action_field {
	const struct widget_class *base;	/* text_class, ... */
	int fkey;			/* n of KEY_F(n) */
	void (*run)(struct wiz *);
};
/* A field (spec->arg: a struct action_field) whose key runs an action. */
extern const struct widget_class action_field_class;
/* The same for an unlabelled base class (the targets list). */
extern const struct widget_class action_list_class;
/* Several keys: spec->arg is an array of them ending with a NULL run. */
extern const struct widget_class action_fields_class;
char *wiz_checks_text(const struct check_list *);
void wiz_busy(struct view *, const char *msg);
/* Run a preflight family ("mysql", "storage") and show its results. */
void wiz_test_family(struct wiz *, const char *family);
/* Run it with OPTS (NULL: the defaults), its results added to the list. */
void wiz_run_family(struct wiz *, const char *family,
    const struct preflight_opts *, struct check_list *);
/* The result of check ID, or NULL. */
const struct check *wiz_check_find(const struct check_list *, const char *id);
/* Sum checks up on the status line and show them in the pager. */
void wiz_show_checks(struct wiz *, const char *family,
    const struct check_list *);
/* The same, with FIRST above them (NULL: nothing). */
void wiz_show_checks_after(struct wiz *, const char *family,
    const struct check_list *, const char *first);
/* preflight-view.c: F4 on SSH, Targets and Preflight, the live host
 * preflight; the results of its last complete run, or NULL. */
void wiz_preflight_hosts(struct wiz *);
void wiz_preflight_screen(struct wiz *);
const struct check_list *wiz_last_host_checks(const struct wiz *);
/* trust.c: offer to trust each host whose key L found unknown. */
void wiz_trust_hosts(struct wiz *, const struct check_list *l);
/* bundle-view.c: the Air gap screen's bundle: its summary, F3 inspect,
 * F4 verify, F5 unpack, F6 push. */
extern const struct widget_class bundle_summary_class;
void wiz_bundle_inspect(struct wiz *);
void wiz_bundle_verify(struct wiz *);
void wiz_bundle_unpack(struct wiz *);
void wiz_bundle_push(struct wiz *);
/* Visibility rules shared by screens. */
int wiz_platform_is(const struct wiz *, const char *);
int wiz_not_aws(const struct wiz *);

#endif
