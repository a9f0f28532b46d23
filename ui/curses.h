/*
 * The one place that includes the curses header (htop's ProvideCurses.h).
 * The wide-character API is used throughout, so Hangul and Kanji are
 * measured and drawn by their display width.
 */
#ifndef WB_UI_CURSES_H
#define WB_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
/* ui/ is on the include path, so name the directory of the real header. */
#include <ncursesw/curses.h>

#endif
