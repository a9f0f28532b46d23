/*
 * Options declared once: each command has one table of struct cmd_opt, and
 * getopt_long's structures, the usage line and the option lines of --help
 * all come from it (as tmux's args tables and curl's option table do).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "xmalloc.h"

#define CMD_HELP_KEY	(CMD_LONG + 4095)	/* --help, -h: every command */

/* The option's word for SUB in o->where: 0 absent, 1 present, 2 required. */
static int
opt_in(const struct cmd_opt *o, const char *sub)
{
	const char *p = o->where;
	size_t n;

	if (p == NULL)
		return sub == NULL ? 1 : 0;
	if (sub == NULL)
		return strcmp(p, "!") == 0 ? 2 : 0;
	n = strlen(sub);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, sub, n) == 0 && (p[n] == '\0' || p[n] == ' ' ||
		    p[n] == '!'))
			return p[n] == '!' ? 2 : 1;
		p += strcspn(p, " ");
	}
	return 0;
}

/* The options of SUB (NULL: the command's own), in table order. */
static size_t
opts_of(const struct cmd_entry *c, const char *sub,
    const struct cmd_opt **v, size_t max)
{
	const struct cmd_opt *o;
	size_t n = 0;

	for (o = c->opts; o != NULL && o->name != NULL; o++) {
		if (c->subs != NULL && sub == NULL) {
			if (n < max)
				v[n] = o;	/* help: all of them */
			n++;
		} else if (opt_in(o, sub) && n < max)
			v[n++] = o;
	}
	return n;
}

void
cmd_parse_init(struct cmd_parse *p, const struct cmd_entry *c,
    const char *sub)
{
	const struct cmd_opt *v[CMD_OPTS_MAX];
	size_t i, n, k = 0;
	char *s;

	memset(p, 0, sizeof *p);
	p->cmd = c;
	p->sub = sub;
	n = opts_of(c, sub, v, CMD_OPTS_MAX);
	if (n > CMD_OPTS_MAX) {
		fprintf(stderr, "wbinstall: %s: more than %d options\n",
		    c->name, CMD_OPTS_MAX);
		abort();	/* a programming error */
	}
	p->lo = xcalloc(n + 2, sizeof *p->lo);
	s = p->so = xmalloc(3 * n + 3);
	*s++ = ':';	/* a missing argument is ':' */
	for (i = 0; i < n; i++) {
		p->lo[k].name = v[i]->name;
		p->lo[k].has_arg = v[i]->arg != NULL ? required_argument :
		    no_argument;
		p->lo[k].val = v[i]->key;
		k++;
		if (v[i]->key < CMD_LONG) {
			*s++ = (char)v[i]->key;
			if (v[i]->arg != NULL)
				*s++ = ':';
		}
		p->req[i] = opt_in(v[i], sub) == 2 ? v[i] : NULL;
	}
	p->lo[k].name = "help";
	p->lo[k].val = CMD_HELP_KEY;
	*s++ = 'h';
	*s = '\0';
	optind = 0;
	opterr = 0;
}

void
cmd_parse_free(struct cmd_parse *p)
{
	free(p->lo);
	free(p->so);
	p->lo = NULL;
	p->so = NULL;
}

/* The option as the user typed it, for messages. */
static const char *
typed(char **argv)
{
	return argv[optind - 1] != NULL ? argv[optind - 1] : "";
}

int
cmd_parse_next(struct cmd_parse *p, int argc, char **argv)
{
	size_t i;
	int c;

	c = getopt_long(argc, argv, p->so, p->lo, NULL);
	if (c == -1) {
		for (i = 0; i < CMD_OPTS_MAX; i++) {
			if (p->req[i] == NULL)
				continue;
			p->rc = cmd_usage_error(p->cmd, _("--%s %s is "
			    "required"), p->req[i]->name, p->req[i]->arg);
			return -1;
		}
		return 0;
	}
	if (c == 'h' || c == CMD_HELP_KEY) {
		cmd_print_help(p->cmd);
		p->rc = EXIT_OK;
		return -1;
	}
	if (c == '?' || c == ':') {
		if (c == ':')
			p->rc = cmd_usage_error(p->cmd, _("%s needs an "
			    "argument"), typed(argv));
		else if (p->sub != NULL)
			p->rc = cmd_usage_error(p->cmd, _("%s %s: unknown or "
			    "misplaced option '%s'"), p->cmd->name, p->sub,
			    typed(argv));
		else
			p->rc = cmd_usage_error(p->cmd, _("unknown option "
			    "'%s'"), typed(argv));
		return -1;
	}
	for (i = 0; i < CMD_OPTS_MAX; i++)
		if (p->req[i] != NULL && p->req[i]->key == c)
			p->req[i] = NULL;
	return c;
}

/* " --name ARG" or " [--name ARG]" for each option of SUB, appended. */
static void
usage_opts(char **out, const struct cmd_entry *c, const char *sub)
{
	const struct cmd_opt *v[CMD_OPTS_MAX];
	size_t i, n;
	char *s;
	int req;

	n = opts_of(c, sub, v, CMD_OPTS_MAX);
	for (i = 0; i < n && i < CMD_OPTS_MAX; i++) {
		req = opt_in(v[i], sub) == 2;
		xasprintf(&s, "%s %s--%s%s%s%s", *out, req ? "" : "[",
		    v[i]->name, v[i]->arg != NULL ? " " : "",
		    v[i]->arg != NULL ? v[i]->arg : "", req ? "" : "]");
		free(*out);
		*out = s;
	}
}

char *
cmd_usage_line(const struct cmd_entry *c, const char *sub)
{
	const struct cmd_sub *s;
	char *out, *t;

	if (c->subs == NULL || sub == NULL) {
		if (c->subs != NULL)
			xasprintf(&out, "%s", _(c->usage));
		else {
			out = xstrdup("");
			usage_opts(&out, c, NULL);
			if (c->usage != NULL && *c->usage != '\0') {
				xasprintf(&t, "%s %s", out, _(c->usage));
				free(out);
				out = t;
			}
		}
	} else {
		for (s = c->subs; s->name != NULL; s++)
			if (strcmp(s->name, sub) == 0)
				break;
		xasprintf(&out, " %s%s%s", sub, s->name != NULL &&
		    s->args != NULL ? " " : "", s->name != NULL &&
		    s->args != NULL ? s->args : "");
		usage_opts(&out, c, sub);
	}
	t = xstrdup(out[0] == ' ' ? out + 1 : out);
	free(out);
	return t;
}

/* Print TEXT after INDENT columns, wrapped at 79 columns under itself. */
static void
print_wrapped(FILE *f, const char *text, int indent, int col)
{
	const char *p = text, *sp;
	int width = 79 - indent, n;

	if (width < 20)
		width = 20;
	while (*p != '\0') {
		n = (int)strlen(p);
		if (n > width - col) {
			/* The last space that fits, else the first one. */
			for (sp = p + width - col; sp > p && *sp != ' '; sp--)
				;
			if (sp == p)
				sp = strchr(p, ' ');
			if (sp != NULL)
				n = (int)(sp - p);
		}
		fprintf(f, "%.*s\n", n, p);
		p += n;
		while (*p == ' ')
			p++;
		if (*p != '\0')
			fprintf(f, "%*s", indent, "");
		col = 0;
	}
}

void
cmd_print_options(FILE *f, const struct cmd_entry *c)
{
	const struct cmd_opt *o;
	char head[96], *where;
	size_t i;
	int n;

	if (c->subs != NULL) {
		for (i = 0; c->subs[i].name != NULL; i++) {
			where = cmd_usage_line(c, c->subs[i].name);
			fprintf(f, "  ");
			print_wrapped(f, where, 4, 0);
			free(where);
		}
		fprintf(f, "\n");
	}
	if (c->opts == NULL || c->opts[0].name == NULL)
		return;
	fprintf(f, "%s", _("Options:\n"));
	for (o = c->opts; o->name != NULL; o++) {
		if (o->key < CMD_LONG)
			n = snprintf(head, sizeof head, "  -%c, --%s%s%s",
			    o->key, o->name, o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		else
			n = snprintf(head, sizeof head, "      --%s%s%s",
			    o->name, o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		if (n < 0 || (size_t)n >= sizeof head)
			n = (int)strlen(head);
		if (n < 24)
			fprintf(f, "%-24s", head);
		else
			fprintf(f, "%s\n%24s", head, "");
		print_wrapped(f, _(o->help), 24, 0);
	}
}
