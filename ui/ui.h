/*
 * The terminal, text measured by display width, and the one event loop.
 *
 * Every view (the wizard, a dialog, the log pager) is a struct view with a
 * draw and a key handler; ui_loop() runs any of them.  Handlers return the
 * UI_* flags, as htop's panels do.
 */
#ifndef WB_UI_H
#define WB_UI_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <wchar.h>

/* Handler results: OR-ed flags. */
#define UI_IGNORED	0x00
#define UI_HANDLED	0x01	/* the key was used */
#define UI_BREAK	0x02	/* leave this loop */
#define UI_REDRAW	0x04	/* draw again */
#define UI_RESIZE	0x08	/* the terminal changed size */

#define UI_CTRL(c)	((c) & 0x1f)
#define UI_ESC		27

/* The smallest terminal the wizard draws in. */
#define UI_MIN_COLS	80
#define UI_MIN_ROWS	24

/* A key: a character, or a KEY_* code when fkey is set. */
struct ui_key {
	int fkey;
	wint_t ch;
};

struct view {
	void (*draw)(struct view *);
	int (*key)(struct view *, struct ui_key);
	struct view *under;	/* drawn first, when this one is a dialog */
	void *data;
	int result;		/* what the view hands back to its caller */
};

/* Colours (or attributes, without colour or with NO_COLOR). */
enum ui_style {
	S_NORMAL,
	S_TITLE,	/* the top bar */
	S_BAR,		/* the function-key bar */
	S_BARKEY,	/* a key in that bar */
	S_FOCUS,	/* the field being edited */
	S_ERROR,	/* a message beneath a field */
	S_DIM,		/* help text, defaults */
	S_OK,		/* "no problems" */
	S_DIALOG,	/* dialog boxes */
	S_NSTYLES
};

/* term.c */
int ui_term_init(char **cause);
void ui_term_done(void);
/* endwin() (if curses is up), print the message, exit with CODE. */
void ui_fatal(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
int ui_attr(enum ui_style);
struct ui_key ui_getkey(void);
int ui_too_small(void);

/* text.c: UTF-8 text measured with wcwidth. */
int ui_width(const char *);
/* Draw S at (y, x) in at most W columns; returns the columns used. */
int ui_put(int y, int x, int w, const char *s, int attr);
/* Draw S padded with spaces to exactly W columns. */
void ui_put_pad(int y, int x, int w, const char *s, int attr);
/* Split S into lines of at most W columns; NULL-terminated, free with
 * ui_lines_free.  A line wrapped onto the next keeps its indentation. */
char **ui_wrap(const char *s, int w);
void ui_lines_free(char **);
size_t ui_lines_count(char *const *);
/* The characters of S that fit in W columns (a prefix, in bytes). */
size_t ui_fit(const char *s, int w);

/* loop.c */
int ui_loop(struct view *);
/* Where the cursor goes once the views are drawn (else it is hidden). */
void ui_cursor_at(int y, int x);
void ui_draw_view(struct view *);
/* The function-key bar on the last line: pairs of key, label. */
void ui_keybar(const char *const *pairs);
/* A centred box of H x W; returns its top-left corner. */
void ui_box(int h, int w, int *y, int *x, const char *title);

/* dialog.c */
/* Ask QUESTION; 1 for yes (y, or Ctrl-C: for "quit?", a second Ctrl-C). */
int ui_confirm(struct view *under, const char *question);
/* Ask QUESTION; 1 only for y (n, Esc and Ctrl-C say no). */
int ui_ask(struct view *under, const char *question);
/* Show TEXT in a scrollable pager titled TITLE; AT_END starts at the end. */
void ui_pager(struct view *under, const char *title, const char *text,
    int at_end);
/* Show the log file. */
void ui_log_pager(struct view *under);
/* Up, Down, PgUp, PgDn and Home move *TOP; UI_IGNORED for other keys. */
int ui_scroll_key(struct ui_key, size_t *top, size_t page);
/* Draw V with a box saying MSG, now: what follows may take a while. */
void ui_busy(struct view *v, const char *msg);

/* task.c: work in a thread while a view is redrawn and keys polled. */
struct ui_task {
	void (*work)(struct ui_task *);	/* in the thread: no curses */
	void *arg;
	pthread_mutex_t lock;	/* what the work reports, for the view */
	atomic_int cancel;	/* set by Esc or Ctrl-C */
	unsigned tick;		/* for spinners */
	int finished;
};
void ui_task_init(struct ui_task *, void (*work)(struct ui_task *),
    void *arg);
void ui_task_free(struct ui_task *);
/*
 * Run the work, drawing V ten times a second until it has finished (also
 * after a cancel: the work is waited for).  1 when it was cancelled, 0
 * when not, -1 when no thread could be started.  WHAT names it in the log.
 */
int ui_task_run(struct ui_task *, struct view *v, const char *what);
/* The spinner's character at TICK (a task's t.tick). */
char ui_spin(unsigned tick);

#endif
