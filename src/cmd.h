/*
 * The command table: one struct cmd_entry per command, each in its own
 * cmd-*.c file, listed in cmd.c.  Adding a command is adding a file.
 */
#ifndef WB_CMD_H
#define WB_CMD_H

#include <stdio.h>

#include "exitcode.h"

/*
 * An option of a command: one row of its table, from which getopt_long's
 * structures, the usage line and --help's option lines are made.
 */
#define CMD_LONG	256	/* keys from here on have no short letter */
#define CMD_OPTS_MAX	40
struct cmd_opt {
	const char *name;	/* the long name, without "--" */
	int key;		/* its short letter, or CMD_LONG + n */
	const char *arg;	/* its argument's name, or NULL: a flag */
	const char *help;	/* one line, N_() */
	/* Where it belongs: NULL the command itself ("!": required there);
	 * or the subcommands, space-separated, each with a "!" after it
	 * where it is required ("create! push"). */
	const char *where;
};

struct cmd_sub;

struct cmd_entry {
	const char *name;
	/* After "wbinstall NAME ": with an option table, only what follows
	 * the options (its arguments); else the whole usage. */
	const char *usage;
	const char *summary;	/* one line, N_() */
	const char *help;	/* notes after the options, N_() */
	int (*exec)(int argc, char **argv);	/* argv[0] is the name */
	const struct cmd_opt *opts;	/* ended by a NULL name; or NULL */
	const struct cmd_sub *subs;	/* ended by a NULL name; or NULL */
};

extern const struct cmd_entry *const cmd_table[];

/* A subcommand ("mysql bootstrap"): argv[0] is the subcommand's name. */
struct cmd_sub {
	const char *name;
	int (*exec)(int argc, char **argv);	/* or NULL */
	const char *args;	/* its arguments in the usage line, or NULL */
};

/* Parsing a command's (or subcommand's) options with its table. */
struct cmd_parse {
	const struct cmd_entry *cmd;
	const char *sub;
	struct option *lo;
	char *so;
	const struct cmd_opt *req[CMD_OPTS_MAX];	/* still missing */
	int rc;		/* when cmd_parse_next returned -1 */
};
void cmd_parse_init(struct cmd_parse *, const struct cmd_entry *,
    const char *sub);
/* The next option's key (optarg holds its argument); 0 after the last
 * one, when every required option was given; -1 when the command must
 * return p->rc: --help was printed (0), or a usage error (2). */
int cmd_parse_next(struct cmd_parse *, int argc, char **argv);
void cmd_parse_free(struct cmd_parse *);
/* "--answers FILE [--json] ARGS" from the table (a new string). */
char *cmd_usage_line(const struct cmd_entry *, const char *sub);
/* The option lines of --help (and a subcommand's usage lines). */
void cmd_print_options(FILE *, const struct cmd_entry *);

/* Run the subcommand argv[1] of SUBS (ended by a NULL name); handles
 * --help and unknown or missing subcommands. */
int cmd_dispatch(const struct cmd_entry *, const struct cmd_sub *subs,
    int argc, char **argv);

const struct cmd_entry *cmd_find(const char *name);
/* Print "Usage: ..." and the help of a command to stdout. */
void cmd_print_help(const struct cmd_entry *);
/* Print a usage error to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd_entry *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* After getopt: no stray argument, and --answers FILE given; otherwise
 * print a usage error and return -1. */
int cmd_answers_args(const struct cmd_entry *, int argc, char **argv,
    const char *file);
/* --wait-timeout SECONDS (1-86400) into *out; -1 after a usage error. */
int cmd_wait_timeout(const struct cmd_entry *, const char *arg, int *out);
/* --ca-file PEM must be readable; -1 after a usage error. */
int cmd_ca_file(const struct cmd_entry *, const char *path);
/* --connect-to HOST:PORT:ADDR:PORT[,...] (NULL: not given) is well
 * formed; -1 after a usage error. */
int cmd_connect_to(const struct cmd_entry *, const char *arg);
/* A run that changes things and may ask: without --yes, stdin must be a
 * terminal; -1 after a usage error. */
int cmd_need_yes(const struct cmd_entry *, int dry_run, int yes);
/* Colour for check tables: stdout is a terminal and NO_COLOR is unset. */
int cmd_color(void);
/* Print "wbinstall: message" to stderr and log it; returns code. */
int cmd_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Load and validate an answers file, printing every error to stderr.
 * Returns NULL (and prints) when it is invalid. */
struct answers *cmd_load_answers(const char *path, int resolve);

#endif
