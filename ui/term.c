/*
 * The terminal: set up, restored on every way out (exit, fatal error,
 * signal), colours with NO_COLOR honoured, and keys.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "i18n.h"
#include "ui.h"
#include "xmalloc.h"

/*
 * Curses is up.  Read and cleared by ui_restore, which the signal handler
 * calls, in whichever thread the signal lands (a task's too), and the
 * fatal hook, in whichever thread runs out of memory: an atomic_int, as a
 * volatile sig_atomic_t may only be assigned by a handler, not read, and
 * does not cross threads.  The exchange lets only one of them end curses.
 */
static atomic_int ui_up;
/* The terminal's, one per process: ui_fatal and the signal handler reach
 * them without a view. */
static SCREEN *ui_screen;
static int ui_styles[S_NSTYLES];
static const char *msg_interrupted, *msg_fatal;

static void
ui_restore(void)
{
	if (atomic_exchange(&ui_up, 0))
		endwin();
}

static void
ui_write_msg(const char *msg)
{
	size_t len = strlen(msg);
	ssize_t n;

	while (len > 0 && (n = write(STDERR_FILENO, msg, len)) > 0) {
		msg += n;
		len -= (size_t)n;
	}
}

/*
 * A signal: restore the terminal first, then say why.  endwin() is not
 * async-signal-safe, but it is what curses programs do on the way out and
 * the alternative is a terminal left in raw mode.
 */
static void
ui_on_signal(int sig)
{
	ui_restore();
	switch (sig) {
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
		ui_write_msg(msg_interrupted);
		_exit(128 + sig);
	default:
		ui_write_msg(msg_fatal);
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

void
ui_fatal(int code, const char *fmt, ...)
{
	va_list ap;

	ui_restore();
	fputs("wbinstall: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Sequences terminals send that the terminfo entry may not list. */
static void
ui_define_keys(void)
{
	static const struct {
		const char *seq;
		int code;
	} extra[] = {
		{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) },
		{ "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
		{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) },
		{ "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
		{ "\033[[A", KEY_F(1) }, { "\033[[B", KEY_F(2) },
		{ "\033[[C", KEY_F(3) }, { "\033[[D", KEY_F(4) },
		{ "\033[[E", KEY_F(5) }, { "\033[15~", KEY_F(5) },
		{ "\033[17~", KEY_F(6) }, { "\033[18~", KEY_F(7) },
		{ "\033[19~", KEY_F(8) }, { "\033[20~", KEY_F(9) },
		{ "\033[21~", KEY_F(10) }, { "\033[Z", KEY_BTAB },
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
		{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN },
		{ "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
		{ "\033OA", KEY_UP }, { "\033OB", KEY_DOWN },
		{ "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
		{ "\033[3~", KEY_DC }, { "\033[5~", KEY_PPAGE },
		{ "\033[6~", KEY_NPAGE },
	};
	size_t i;

	for (i = 0; i < sizeof extra / sizeof extra[0]; i++)
		if (key_defined(extra[i].seq) == 0)
			define_key(extra[i].seq, extra[i].code);
}

static void
ui_colours(void)
{
	const char *no_color = getenv("NO_COLOR");
	static const struct {
		enum ui_style s;
		short fg, bg;
		int attr, mono;
	} map[] = {
		{ S_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE|A_BOLD },
		{ S_BAR, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		{ S_BARKEY, -1, -1, A_BOLD, A_BOLD },
		{ S_FOCUS, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		{ S_ERROR, COLOR_RED, -1, A_BOLD, A_BOLD },
		{ S_DIM, COLOR_BLUE, -1, A_BOLD, A_DIM },
		{ S_OK, COLOR_GREEN, -1, A_BOLD, A_BOLD },
		{ S_DIALOG, COLOR_BLACK, COLOR_WHITE, 0, A_NORMAL },
	};
	size_t i;
	int colour;

	colour = has_colors() && (no_color == NULL || *no_color == '\0');
	if (colour) {
		start_color();
		if (use_default_colors() == ERR)
			colour = COLORS >= 8;
	}
	ui_styles[S_NORMAL] = A_NORMAL;
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (!colour) {
			ui_styles[map[i].s] = map[i].mono;
			continue;
		}
		init_pair((short)(i + 1), map[i].fg, map[i].bg);
		ui_styles[map[i].s] = (int)COLOR_PAIR(i + 1) | map[i].attr;
	}
}

int
ui_term_init(char **cause)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV,
		SIGBUS, SIGFPE, SIGABRT, SIGILL };
	struct sigaction sa;
	size_t i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup(_("the wizard needs a terminal; use the "
		    "headless commands with --answers instead"));
		return -1;
	}
	ui_screen = newterm(NULL, stdout, stdin);
	if (ui_screen == NULL) {
		*cause = xprintf(_("cannot use the terminal type '%s'"),
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		return -1;
	}
	ui_up = 1;
	atexit(ui_restore);
	xmalloc_set_fatal_hook(ui_restore);
	msg_interrupted = _("wbinstall: interrupted; the answers were not "
	    "saved\n");
	msg_fatal = _("wbinstall: fatal signal; the terminal was restored\n");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);

	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui_define_keys();
	ui_colours();
	return 0;
}

void
ui_term_done(void)
{
	ui_restore();
	if (ui_screen != NULL) {
		delscreen(ui_screen);
		ui_screen = NULL;
	}
}

int
ui_attr(enum ui_style s)
{
	return ui_styles[s];
}

int
ui_too_small(void)
{
	return LINES < UI_MIN_ROWS || COLS < UI_MIN_COLS;
}

/*
 * One key.  Esc followed at once by a digit is F1..F10, for terminals that
 * have no function keys (vt100); Esc alone is Esc.
 */
struct ui_key
ui_getkey(void)
{
	struct ui_key k = { 1, 0 };
	wint_t c, c2;
	int r, r2;

	r = get_wch(&c);
	if (r == ERR)
		return k;
	k.fkey = r == KEY_CODE_YES;
	k.ch = c;
	if (k.fkey || c != UI_ESC)
		return k;
	timeout(40);
	r2 = get_wch(&c2);
	timeout(-1);
	if (r2 == OK && c2 >= '0' && c2 <= '9') {
		k.fkey = 1;
		k.ch = KEY_F(c2 == '0' ? 10 : (int)(c2 - '0'));
	} else if (r2 == OK)
		unget_wch((wchar_t)c2);
	else if (r2 == KEY_CODE_YES)
		ungetch((int)c2);
	return k;
}
