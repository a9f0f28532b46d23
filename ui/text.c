/*
 * Text measured by display width: a Hangul syllable or a Kanji takes two
 * columns, so labels and borders are laid out with wcwidth(), never with
 * strlen().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "curses.h"
#include "ui.h"
#include "xmalloc.h"

/* The next character of S: its length in bytes and its width. */
static size_t
ui_next(const char *s, mbstate_t *ps, int *width)
{
	wchar_t wc;
	size_t n;

	n = mbrtowc(&wc, s, strlen(s), ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(ps, 0, sizeof *ps);
		*width = 1;
		return 1;
	}
	*width = wcwidth(wc);
	if (*width < 0)
		*width = 1;
	return n;
}

int
ui_width(const char *s)
{
	mbstate_t ps;
	int w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (*s != '\0') {
		s += ui_next(s, &ps, &cw);
		w += cw;
	}
	return w;
}

size_t
ui_fit(const char *s, int w)
{
	const char *p = s;
	mbstate_t ps;
	size_t n;
	int used = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (*p != '\0') {
		n = ui_next(p, &ps, &cw);
		if (used + cw > w)
			break;
		used += cw;
		p += n;
	}
	return (size_t)(p - s);
}

int
ui_put(int y, int x, int w, const char *s, int attr)
{
	size_t n;
	char *part;
	int used;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	n = ui_fit(s, w);
	part = xstrndup(s, n);
	used = ui_width(part);
	attron(attr);
	mvaddstr(y, x, part);
	attroff(attr);
	free(part);
	return used;
}

void
ui_put_pad(int y, int x, int w, const char *s, int attr)
{
	int used;

	used = ui_put(y, x, w, s, attr);
	if (x + w > COLS)
		w = COLS - x;
	if (used < w && y >= 0 && y < LINES) {
		attron(attr);
		mvhline(y, x + used, ' ', w - used);
		attroff(attr);
	}
}

/* Add IND spaces and LEN bytes of S as a line. */
static void
ui_lines_add(char ***lines, size_t *n, int ind, const char *s, size_t len)
{
	char *l = xmalloc((size_t)ind + len + 1);

	memset(l, ' ', (size_t)ind);
	memcpy(l + ind, s, len);
	l[(size_t)ind + len] = '\0';
	*lines = xreallocarray(*lines, *n + 2, sizeof **lines);
	(*lines)[(*n)++] = l;
	(*lines)[*n] = NULL;
}

/*
 * Where the text of a line starts: past its indentation and a mark (one
 * character that is not a letter or a digit, then spaces: a check's ✔,
 * a "- " bullet).  Returns the byte offset; *cols gets the columns.
 */
static size_t
ui_text_start(const char *s, size_t len, int *cols)
{
	size_t b = 0, k;
	mbstate_t ps;
	wchar_t wc;
	int cw;

	while (b < len && s[b] == ' ')
		b++;
	*cols = (int)b;
	memset(&ps, 0, sizeof ps);
	k = mbrtowc(&wc, s + b, len - b, &ps);
	if (k == 0 || k >= (size_t)-2 || iswalnum((wint_t)wc) || wc == L' ' ||
	    b + k >= len || s[b + k] != ' ')
		return b;
	cw = wcwidth(wc);
	*cols += cw > 0 ? cw : 1;
	for (b += k; b < len && s[b] == ' '; b++)
		(*cols)++;
	return b;
}

/*
 * Japanese and Chinese put no spaces between words: a line may break
 * before or after a wide character that is not Hangul (Korean has
 * spaces), except before closing punctuation or small kana, and after
 * an opening bracket.
 */
static int
ui_cjk(wchar_t c)
{
	return wcwidth(c) == 2 && !(c >= 0x1100 && c <= 0x11ff) &&
	    !(c >= 0x3130 && c <= 0x318f) && !(c >= 0xac00 && c <= 0xd7a3);
}

static int
ui_may_break(wchar_t prev, wchar_t c)
{
	static const wchar_t no_start[] = L"、。，．・：；？！ー」』）〕］｝〉》】"
	    L"ぁぃぅぇぉっゃゅょァィゥェォッャュョ)]},.:;!?%";
	static const wchar_t no_end[] = L"「『（〔［｛〈《【([{";

	if (prev == 0 || c == 0 || c == L' ' || prev == L' ')
		return 0;
	if (!ui_cjk(prev) && !ui_cjk(c))
		return 0;
	return wcschr(no_start, c) == NULL && wcschr(no_end, prev) == NULL;
}

/*
 * Wrap one paragraph (no newline in it): at spaces, and between Japanese
 * or Chinese characters (ui_may_break).  The lines it wraps onto start
 * under its text (ui_text_start: a check's message under its row, a row
 * under its target), unless that leaves less than half the width.
 */
static void
ui_wrap_para(char ***lines, size_t *n, const char *s, size_t len, int w)
{
	const char *p = s, *end = s + len, *start = s, *cut = NULL;
	mbstate_t ps;
	wchar_t wc, prev = 0;
	int used = 0, cw, ind, lim = w, cont = 0;
	size_t step, text = ui_text_start(s, len, &ind);

	if (ind > w / 2 || text == len)
		ind = 0;
	memset(&ps, 0, sizeof ps);
	while (p < end) {
		step = mbrtowc(&wc, p, (size_t)(end - p), &ps);
		if (step == 0 || step >= (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			step = 1;
			wc = 0;
		}
		cw = wc != 0 ? wcwidth(wc) : 1;
		if (cw < 0)
			cw = 1;
		if ((size_t)(p - s) >= text && p > start &&
		    (*p == ' ' || ui_may_break(prev, wc)))
			cut = p;
		if (used + cw > lim && p > start) {
			if (cut == NULL || cut <= start)
				cut = p;
			ui_lines_add(lines, n, cont ? ind : 0, start,
			    (size_t)(cut - start));
			for (start = cut; start < end && *start == ' '; start++)
				;
			p = start;
			cut = NULL;
			prev = 0;
			used = 0;
			cont = 1;
			lim = w - ind;
			memset(&ps, 0, sizeof ps);
			continue;
		}
		used += cw;
		prev = wc;
		p += step;
	}
	ui_lines_add(lines, n, cont ? ind : 0, start, (size_t)(end - start));
}

char **
ui_wrap(const char *s, int w)
{
	char **lines = xcalloc(1, sizeof *lines);
	const char *nl;
	size_t n = 0;

	if (w < 1)
		w = 1;
	for (;;) {
		nl = strchr(s, '\n');
		ui_wrap_para(&lines, &n, s, nl != NULL ? (size_t)(nl - s) :
		    strlen(s), w);
		if (nl == NULL || nl[1] == '\0')
			break;
		s = nl + 1;
	}
	return lines;
}

size_t
ui_lines_count(char *const *lines)
{
	size_t n = 0;

	while (lines[n] != NULL)
		n++;
	return n;
}

void
ui_lines_free(char **lines)
{
	size_t i;

	if (lines == NULL)
		return;
	for (i = 0; lines[i] != NULL; i++)
		free(lines[i]);
	free(lines);
}
