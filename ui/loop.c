/* The one event loop, and what every view draws: boxes and the key bar. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "curses.h"
#include "i18n.h"
#include "ui.h"
#include "xmalloc.h"

/* The terminal's, as curses' own cursor is: one per process. */
static int cursor_y = -1, cursor_x;

void
ui_cursor_at(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

static void
ui_draw_too_small(void)
{
	char *msg;
	char **lines;
	size_t i;

	msg = xprintf(_("The terminal is %dx%d. The wizard needs at least "
	    "%dx%d: please make it bigger."), COLS, LINES, UI_MIN_COLS,
	    UI_MIN_ROWS);
	lines = ui_wrap(msg, COLS > 2 ? COLS - 2 : 1);
	for (i = 0; lines[i] != NULL; i++)
		ui_put(LINES / 2 - 1 + (int)i, 1, COLS - 2, lines[i],
		    ui_attr(S_ERROR));
	ui_lines_free(lines);
	free(msg);
}

void
ui_draw_view(struct view *v)
{
	if (v->under != NULL)
		ui_draw_view(v->under);
	else {
		erase();
		if (ui_too_small()) {
			ui_draw_too_small();
			return;
		}
	}
	v->draw(v);
}

int
ui_loop(struct view *v)
{
	struct ui_key k;
	int flags = UI_REDRAW;

	for (;;) {
		if (flags & UI_BREAK)
			return v->result;
		if (flags & (UI_REDRAW | UI_RESIZE)) {
			cursor_y = -1;
			ui_draw_view(v);
			if (cursor_y >= 0 && !ui_too_small()) {
				curs_set(1);
				move(cursor_y, cursor_x);
			} else
				curs_set(0);
			refresh();
		}
		k = ui_getkey();
		if (k.fkey && k.ch == 0)
			continue;
		if (k.fkey && k.ch == KEY_RESIZE) {
			flags = UI_RESIZE;
			continue;
		}
		/* Too small: nothing but Ctrl-C until there is room. */
		if (ui_too_small() && !(!k.fkey && k.ch == UI_CTRL('c'))) {
			flags = UI_IGNORED;
			continue;
		}
		flags = v->key(v, k);
		if (flags & UI_HANDLED)
			flags |= UI_REDRAW;
	}
}

void
ui_keybar(const char *const *pairs)
{
	int x = 0, y = LINES - 1;
	size_t i;

	move(y, 0);
	attron(ui_attr(S_BAR));
	hline(' ', COLS);
	attroff(ui_attr(S_BAR));
	for (i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2) {
		x += ui_put(y, x, COLS - x, pairs[i], ui_attr(S_BARKEY));
		x += ui_put(y, x, COLS - x, " ", ui_attr(S_BAR));
		x += ui_put(y, x, COLS - x, _(pairs[i + 1]), ui_attr(S_BAR));
		x += ui_put(y, x, COLS - x, "  ", ui_attr(S_BAR));
	}
}

void
ui_box(int h, int w, int *y, int *x, const char *title)
{
	int i, attr = ui_attr(S_DIALOG);

	if (h > LINES - 2)
		h = LINES - 2;
	if (w > COLS - 2)
		w = COLS - 2;
	if (h < 3)
		h = 3;
	if (w < 4)
		w = 4;
	*y = (LINES - h) / 2;
	*x = (COLS - w) / 2;
	attron(attr);
	for (i = 0; i < h; i++)
		mvhline(*y + i, *x, ' ', w);
	/* WACS_*: line drawing in UTF-8, the ACS charset elsewhere. */
	mvhline_set(*y, *x + 1, WACS_HLINE, w - 2);
	mvhline_set(*y + h - 1, *x + 1, WACS_HLINE, w - 2);
	mvvline_set(*y + 1, *x, WACS_VLINE, h - 2);
	mvvline_set(*y + 1, *x + w - 1, WACS_VLINE, h - 2);
	mvadd_wch(*y, *x, WACS_ULCORNER);
	mvadd_wch(*y, *x + w - 1, WACS_URCORNER);
	mvadd_wch(*y + h - 1, *x, WACS_LLCORNER);
	mvadd_wch(*y + h - 1, *x + w - 1, WACS_LRCORNER);
	attroff(attr);
	if (title != NULL) {
		ui_put(*y, *x + 2, w - 4, " ", attr | A_BOLD);
		ui_put(*y, *x + 3, w - 6, title, attr | A_BOLD);
		ui_put(*y, *x + 3 + ui_width(title), 1, " ", attr | A_BOLD);
	}
}
