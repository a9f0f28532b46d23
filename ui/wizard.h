/*
 * The wizard: the state that lives while it runs (struct wiz), its main
 * view, and the secrets typed into it.  The screens (screens.h) and their
 * widgets (form.h) are data over this state; the views (*-view.h) are
 * called from the screens' keys.
 *
 * Every value goes through answers_set() and every screen through
 * answers_check(), so the wizard and the answers file cannot disagree.
 */
#ifndef WB_UI_WIZARD_H
#define WB_UI_WIZARD_H

#include <stddef.h>
#include <sys/stat.h>

#include "check.h"
#include "ui.h"

struct answers;
struct answers_errors;
struct answers_resolver;
struct form;
struct sdlg;

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

/* secret-dialog.c: the secrets typed, and paths as the answers see them. */
/* PATH as the answers file being written sees it (relative to it). */
char *wiz_path(struct wiz *, const char *path);
/* The value of secret KEY: typed in the wizard and not yet saved, else
 * resolved from its reference; free with xfree_secret. */
char *wiz_secret(struct wiz *, const char *key, char **cause);
/* wiz_secret and wiz_path, for the core's operations (secret.h). */
struct answers_resolver wiz_resolver(struct wiz *);
void pending_free(struct wiz *);

#endif
