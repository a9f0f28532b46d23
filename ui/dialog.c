/* Dialogs: yes/no, and the pager for help and for the log (F1, F2). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "curses.h"
#include "i18n.h"
#include "log.h"
#include "ui.h"
#include "xmalloc.h"

#define LOG_TAIL (256 * 1024)	/* the pager shows the end of a long log */

struct confirm {
	const char *question;
	int ctrl_c_yes;		/* the quit question: Ctrl-C twice quits */
};

static void
confirm_draw(struct view *v)
{
	struct confirm *c = v->data;
	char **lines;
	size_t i, n;
	int y, x, w = 56;

	lines = ui_wrap(c->question, w - 4);
	n = ui_lines_count(lines);
	ui_box((int)n + 4, w, &y, &x, NULL);
	for (i = 0; i < n; i++)
		ui_put(y + 1 + (int)i, x + 2, w - 4, lines[i],
		    ui_attr(S_DIALOG) | A_BOLD);
	ui_put(y + 2 + (int)n, x + 2, w - 4, _("y: yes   n: no"),
	    ui_attr(S_DIALOG));
	ui_lines_free(lines);
}

static int
confirm_key(struct view *v, struct ui_key k)
{
	if (k.fkey)
		return UI_IGNORED;
	switch (k.ch) {
	case 'y':
	case 'Y':
		v->result = 1;
		return UI_BREAK;
	case UI_CTRL('c'):
		v->result = ((struct confirm *)v->data)->ctrl_c_yes;
		return UI_BREAK;
	case 'n':
	case 'N':
	case UI_ESC:
		v->result = 0;
		return UI_BREAK;
	}
	return UI_IGNORED;
}

int
ui_confirm(struct view *under, const char *question)
{
	struct confirm c = { question, 1 };
	struct view v = { confirm_draw, confirm_key, under, &c, 0 };

	return ui_loop(&v);
}

int
ui_ask(struct view *under, const char *question)
{
	struct confirm c = { question, 0 };
	struct view v = { confirm_draw, confirm_key, under, &c, 0 };

	return ui_loop(&v);
}

struct pager {
	const char *title;
	const char *text;
	char **lines;		/* wrapped for the current width */
	int width;
	size_t top;
	int at_end;
};

/* The pager's box is the screen less a border; one row tells where. */
static int
pager_rows(void)
{
	return LINES - 5;
}

static void
pager_draw(struct view *v)
{
	struct pager *p = v->data;
	int y, x, rows = pager_rows(), i;
	size_t n;
	char *where;

	if (p->lines == NULL || p->width != COLS - 6) {
		ui_lines_free(p->lines);
		p->width = COLS - 6;
		p->lines = ui_wrap(p->text, p->width);
	}
	n = ui_lines_count(p->lines);
	if (p->at_end) {
		p->top = n > (size_t)rows ? n - (size_t)rows : 0;
		p->at_end = 0;
	}
	if (p->top + (size_t)rows > n)
		p->top = n > (size_t)rows ? n - (size_t)rows : 0;
	ui_box(LINES - 2, COLS - 2, &y, &x, p->title);
	for (i = 0; i < rows && p->top + (size_t)i < n; i++)
		ui_put(y + 1 + i, x + 2, p->width, p->lines[p->top + (size_t)i],
		    ui_attr(S_DIALOG));
	where = xprintf(_("lines %zu-%zu of %zu"), n ? p->top + 1 : 0,
	    p->top + (size_t)rows < n ? p->top + (size_t)rows : n, n);
	ui_put(y + 1 + rows, x + 2, p->width, where, ui_attr(S_DIM));
	free(where);
	ui_keybar((const char *const[]){ "Esc", N_("Close"), "Up/Down",
	    N_("Scroll"), "PgUp/PgDn", N_("Page"), NULL });
}

static int
pager_key(struct view *v, struct ui_key k)
{
	struct pager *p = v->data;
	size_t page = (size_t)pager_rows();

	if (!k.fkey) {
		switch (k.ch) {
		case 'q':
		case UI_ESC:
		case '\r':
		case '\n':
			return UI_BREAK;
		case 'j':
			p->top++;
			return UI_HANDLED;
		case 'k':
			p->top -= p->top > 0;
			return UI_HANDLED;
		case ' ':
			p->top += page;
			return UI_HANDLED;
		}
		return UI_IGNORED;
	}
	switch (k.ch) {
	case KEY_END:
		p->at_end = 1;
		return UI_HANDLED;
	case KEY_F(1):
	case KEY_F(2):
		return UI_BREAK;
	}
	return ui_scroll_key(k, &p->top, page);
}

int
ui_scroll_key(struct ui_key k, size_t *top, size_t page)
{
	if (!k.fkey)
		return UI_IGNORED;
	switch (k.ch) {
	case KEY_DOWN:
		(*top)++;
		break;
	case KEY_UP:
		*top -= *top > 0;
		break;
	case KEY_NPAGE:
		*top += page;
		break;
	case KEY_PPAGE:
		*top = *top > page ? *top - page : 0;
		break;
	case KEY_HOME:
		*top = 0;
		break;
	default:
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

void
ui_pager(struct view *under, const char *title, const char *text,
    int at_end)
{
	struct pager p = { title, text, NULL, 0, 0, at_end };
	struct view v = { pager_draw, pager_key, under, &p, 0 };

	ui_loop(&v);
	ui_lines_free(p.lines);
}

/* The end of the log, with tabs and control characters made visible. */
static char *
log_tail(const char *path, char **cause)
{
	FILE *f;
	struct stat sb;
	char *buf, *p;
	size_t n;

	if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &sb) != 0) {
		*cause = xprintf(_("%s: cannot read the log: %s"), path,
		    strerror(errno));
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	if (sb.st_size > LOG_TAIL)
		fseek(f, sb.st_size - LOG_TAIL, SEEK_SET);
	buf = xmalloc(LOG_TAIL + 1);
	n = fread(buf, 1, LOG_TAIL, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; p < buf + n; p++)
		if ((unsigned char)*p < ' ' && *p != '\n')
			*p = ' ';
	if (sb.st_size > LOG_TAIL && (p = strchr(buf, '\n')) != NULL)
		memmove(buf, p + 1, strlen(p + 1) + 1);
	return buf;
}

void
ui_log_pager(struct view *under)
{
	const char *path = log_path();
	char *text, *cause = NULL, *title;

	if (path == NULL) {
		ui_pager(under, _("Log"), _("No log file is open."), 0);
		return;
	}
	text = log_tail(path, &cause);
	title = xprintf(_("Log: %s"), path);
	ui_pager(under, title, text != NULL ? text : cause, 1);
	free(title);
	free(text);
	free(cause);
}

/* Draw VIEW with a box saying MSG, now: what follows may take a while. */
void
ui_busy(struct view *v, const char *msg)
{
	int y, x, w = ui_width(msg) + 6;

	ui_draw_view(v);
	ui_box(3, w, &y, &x, NULL);
	ui_put(y + 1, x + 2, w - 4, msg, ui_attr(S_DIALOG) | A_BOLD);
	curs_set(0);
	refresh();
}
