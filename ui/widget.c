/*
 * The widgets of a form: a text field, a choice (enums and booleans cycle
 * through their values), a masked secret, a note and a button.  A field
 * bound to an answers key validates through answers_set() when the focus
 * leaves it; the text typed stays in the field when it is refused.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "answers.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "secret.h"
#include "wizard.h"
#include "xmalloc.h"

void
widget_set_text(struct widget *w, const char *s)
{
	char *old = w->text;

	w->text = xstrdup(s);
	if (w->masked)
		xfree_secret(old);
	else
		free(old);
	w->cur = mbstowcs(NULL, w->text, 0);
	if (w->cur == (size_t)-1)
		w->cur = strlen(w->text);
}

void
widget_set_error(struct widget *w, char *error)
{
	free(w->error);
	w->error = error;
	w->claimed = 0;
}

const char *
widget_model(struct widget *w, struct wiz *z)
{
	if (w->key == NULL)
		return w->text;
	return answers_get(z->a, w->key);
}

/* Text editing works on wide characters. */

static wchar_t *
to_wide(const char *s, size_t *n)
{
	wchar_t *ws;
	size_t i, len = mbstowcs(NULL, s, 0);

	if (len == (size_t)-1) {
		len = strlen(s);
		ws = xcalloc(len + 2, sizeof *ws);
		for (i = 0; i < len; i++)
			ws[i] = (unsigned char)s[i];
	} else {
		ws = xcalloc(len + 2, sizeof *ws);
		mbstowcs(ws, s, len + 1);
	}
	*n = len;
	return ws;
}

static void
from_wide(struct widget *w, wchar_t *ws, size_t n, size_t cur)
{
	size_t len = wcstombs(NULL, ws, 0);
	char *s;

	if (len != (size_t)-1) {
		s = xmalloc(len + 1);
		wcstombs(s, ws, len + 1);
		widget_set_text(w, s);
		if (w->masked)
			xfree_secret(s);
		else
			free(s);
	}
	w->cur = cur;
	explicit_bzero(ws, (n + 2) * sizeof *ws);
	free(ws);
}

static int
text_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	size_t n, cur;
	wchar_t *ws = to_wide(w->text, &n);

	(void)z;
	cur = w->cur > n ? n : w->cur;
	if (!k.fkey && k.ch >= ' ' && k.ch != 127 && iswprint(k.ch)) {
		ws = xreallocarray(ws, n + 3, sizeof *ws);
		memmove(ws + cur + 1, ws + cur, (n - cur + 1) * sizeof *ws);
		ws[cur] = (wchar_t)k.ch;
		from_wide(w, ws, n + 1, cur + 1);
		return UI_HANDLED;
	}
	if (k.fkey ? k.ch == KEY_BACKSPACE : k.ch == 127 || k.ch == 8) {
		if (cur > 0) {
			memmove(ws + cur - 1, ws + cur, (n - cur + 1) *
			    sizeof *ws);
			cur--;
		}
	} else if (k.fkey ? k.ch == KEY_DC : k.ch == UI_CTRL('d')) {
		if (cur < n)
			memmove(ws + cur, ws + cur + 1, (n - cur) *
			    sizeof *ws);
	} else if (k.fkey && k.ch == KEY_LEFT)
		cur -= cur > 0;
	else if (k.fkey && k.ch == KEY_RIGHT)
		cur += cur < n;
	else if (k.fkey ? k.ch == KEY_HOME : k.ch == UI_CTRL('a'))
		cur = 0;
	else if (k.fkey ? k.ch == KEY_END : k.ch == UI_CTRL('e'))
		cur = n;
	else if (!k.fkey && k.ch == UI_CTRL('u')) {
		ws[0] = L'\0';
		cur = 0;
	} else if (!k.fkey && k.ch == UI_CTRL('k'))
		ws[cur] = L'\0';
	else {
		explicit_bzero(ws, (n + 2) * sizeof *ws);
		free(ws);
		return UI_IGNORED;
	}
	from_wide(w, ws, n, cur);
	return UI_HANDLED;
}

/* Where a target inherits port and user from ssh.*, say so. */
static char *
text_placeholder(struct widget *w, struct wiz *z)
{
	const char *dot;

	if (w->key == NULL || strncmp(w->key, "targets[", 8) != 0 ||
	    (dot = strchr(w->key, '.')) == NULL)
		return NULL;
	if (strcmp(dot, ".port") == 0)
		return xprintf(_("default: %s (ssh.port)"),
		    answers_get(z->a, "ssh.port"));
	if (strcmp(dot, ".user") == 0)
		return xprintf(_("default: %s (ssh.user)"),
		    answers_get(z->a, "ssh.user"));
	return NULL;
}

static void
text_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	size_t n, i, first, cur;
	wchar_t *ws;
	int used, cw, attr = focused ? ui_attr(S_FOCUS) : 0;
	char *shown, *ph;

	(void)h;
	if (width > 2)
		width--;
	if (!focused && *w->text == '\0' &&
	    (ph = text_placeholder(w, z)) != NULL) {
		ui_put(y, x, width, ph, ui_attr(S_DIM));
		free(ph);
		return;
	}
	ws = to_wide(w->text, &n);
	if (w->masked)
		for (i = 0; i < n; i++)
			ws[i] = L'*';
	cur = w->cur > n ? n : w->cur;
	/* Scroll sideways so the cursor stays in view. */
	first = 0;
	for (;;) {
		used = 0;
		for (i = first; i < cur; i++)
			used += (cw = wcwidth(ws[i])) > 0 ? cw : 1;
		if (used < width || first >= cur)
			break;
		first++;
	}
	shown = xmalloc((n - first) * MB_CUR_MAX + 1);
	if (wcstombs(shown, ws + first, (n - first) * MB_CUR_MAX + 1) ==
	    (size_t)-1)
		shown[0] = '\0';
	if (focused) {
		ui_put_pad(y, x, width, shown, attr);
		ui_cursor_at(y, x + used);
	} else
		ui_put(y, x, width, shown, attr);
	explicit_bzero(shown, strlen(shown));
	free(shown);
	explicit_bzero(ws, (n + 2) * sizeof *ws);
	free(ws);
}

static void
text_enter(struct widget *w, struct wiz *z)
{
	if (w->key != NULL)
		widget_set_text(w, widget_model(w, z));
}

static int
text_leave(struct widget *w, struct wiz *z)
{
	char *cause = NULL;

	if (w->key == NULL)
		return 0;
	if (strcmp(w->text, widget_model(w, z)) == 0) {
		if (!w->claimed)
			widget_set_error(w, NULL);
		return 0;
	}
	widget_set_error(w, NULL);
	if (*w->text == '\0') {
		answers_unset(z->a, w->key);
		widget_set_text(w, widget_model(w, z));
		return 0;
	}
	if (answers_set(z->a, w->key, w->text, &cause) != AE_OK) {
		widget_set_error(w, cause);
		return -1;
	}
	widget_set_text(w, widget_model(w, z));
	return 0;
}

const struct widget_class text_class = {
	1, 1, NULL, text_draw, text_key, text_enter, text_leave
};

/* Choices: an enum, a boolean, or a struct ui_choice of the wizard. */

static const char *const bool_values[] = { "false", "true", NULL };
static const char *const bool_labels[] = { N_("no"), N_("yes"), NULL };

static const char *const *
choice_values(struct widget *w)
{
	if (w->choice != NULL)
		return w->choice->labels;
	return w->k->type == AT_BOOL ? bool_values : w->k->choices;
}

static const char *
choice_label(struct widget *w, size_t i)
{
	if (w->choice != NULL)
		return _(w->choice->labels[i]);
	if (w->k->type == AT_BOOL)
		return _(bool_labels[i]);
	return w->k->choices[i];
}

static size_t
choice_get(struct widget *w, struct wiz *z)
{
	const char *const *v = choice_values(w);
	const char *cur;
	size_t i;

	if (w->choice != NULL)
		return w->choice->get(z, w->ctx);
	cur = answers_get(z->a, w->key);
	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], cur) == 0)
			return i;
	return 0;
}

/* Every choice in a row; when they do not fit, only the current one. */
static void
choice_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	const char *const *v = choice_values(w);
	size_t i, n, cur = choice_get(w, z);
	int end = x + width, total = 0;
	char *item;

	(void)h;
	for (n = 0; v[n] != NULL; n++)
		total += ui_width(choice_label(w, n)) + 6;
	if (total > width) {
		item = xprintf("< %s >  %zu/%zu", choice_label(w, cur),
		    cur + 1, n);
		ui_put(y, x, width, item, focused ? ui_attr(S_FOCUS) : 0);
		free(item);
		return;
	}
	for (i = 0; i < n; i++) {
		item = xprintf("(%s) %s", i == cur ? "*" : " ",
		    choice_label(w, i));
		x += ui_put(y, x, end - x, item, i == cur && focused ?
		    ui_attr(S_FOCUS) : i == cur ? (int)A_BOLD : 0);
		x += ui_put(y, x, end - x, "  ", 0);
		free(item);
	}
}

static int
choice_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	const char *const *v = choice_values(w);
	size_t n = 0, cur = choice_get(w, z), next;
	char *cause = NULL;

	while (v[n] != NULL)
		n++;
	if ((!k.fkey && (k.ch == ' ' || k.ch == '+')) ||
	    (k.fkey && k.ch == KEY_RIGHT))
		next = (cur + 1) % n;
	else if ((!k.fkey && k.ch == '-') || (k.fkey && k.ch == KEY_LEFT))
		next = (cur + n - 1) % n;
	else
		return UI_IGNORED;
	if (w->choice != NULL)
		w->choice->set(z, w->ctx, next);
	else if (answers_set(z->a, w->key, v[next], &cause) != AE_OK) {
		widget_set_error(w, cause);
		return UI_HANDLED;
	}
	widget_set_error(w, NULL);
	return UI_HANDLED;
}

const struct widget_class choice_class = {
	1, 1, NULL, choice_draw, choice_key, NULL, NULL
};

/* A secret: shown masked; Space (or typing) opens the secret dialog. */

static void
secret_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	char *shown = secret_display(z, w->key);

	(void)h;
	if (shown == NULL)
		ui_put(y, x, width, focused ? _("not set: press Space to enter "
		    "it") : _("not set"), focused ? ui_attr(S_FOCUS) :
		    ui_attr(S_DIM));
	else
		ui_put(y, x, width, shown, focused ? ui_attr(S_FOCUS) : 0);
	free(shown);
}

static int
secret_key(struct widget *w, struct wiz *z, struct ui_key k)
{
	char first[8];
	mbstate_t ps;
	size_t n;

	if (k.fkey && k.ch == KEY_DC) {
		answers_unset(z->a, w->key);
		widget_set_error(w, NULL);
		return UI_HANDLED;
	}
	if (k.fkey || k.ch < ' ' || k.ch == 127 || !iswprint(k.ch))
		return UI_IGNORED;
	memset(&ps, 0, sizeof ps);
	n = k.ch == ' ' ? 0 : wcrtomb(first, (wchar_t)k.ch, &ps);
	first[n == (size_t)-1 ? 0 : n] = '\0';
	if (secret_dialog(z, w, first))
		widget_set_error(w, NULL);
	explicit_bzero(first, sizeof first);
	return UI_HANDLED;
}

const struct widget_class secret_class = {
	1, 1, NULL, secret_draw, secret_key, NULL, NULL
};

/* A note: text of the screen, wrapped. */

static int
note_height(struct widget *w, struct wiz *z, int width)
{
	char **lines = ui_wrap(_(w->label), width);
	int n = (int)ui_lines_count(lines);

	(void)z;
	ui_lines_free(lines);
	return n;
}

static void
note_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	char **lines = ui_wrap(_(w->label), width);
	int i;

	(void)z;
	(void)focused;
	for (i = 0; lines[i] != NULL && i < h; i++)
		ui_put(y + i, x, width, lines[i], ui_attr(S_DIM));
	ui_lines_free(lines);
}

const struct widget_class note_class = {
	0, 0, note_height, note_draw, NULL, NULL, NULL
};

/* A button: a place for the focus; Enter on it goes on. */

static void
button_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	char *s = xprintf("[ %s ]", _(w->label));

	(void)z;
	(void)h;
	ui_put(y, x, width, s, focused ? ui_attr(S_FOCUS) : (int)A_BOLD);
	free(s);
}

const struct widget_class button_class = {
	1, 0, NULL, button_draw, NULL, NULL, NULL
};
