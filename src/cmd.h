/*
 * The command table: one struct cmd_entry per command, each in its own
 * cmd-*.c file, listed in cmd.c.  Adding a command is adding a file.
 */
#ifndef WB_CMD_H
#define WB_CMD_H

/* Exit codes for every command. */
#define EXIT_OK		0	/* success */
#define EXIT_FAIL	1	/* a check or an operation failed */
#define EXIT_USAGE	2	/* bad usage or invalid input */

struct cmd_entry {
	const char *name;
	const char *usage;	/* after "wbinstall NAME " */
	const char *summary;	/* one line, N_() */
	const char *help;	/* option lines, N_() */
	int (*exec)(int argc, char **argv);	/* argv[0] is the name */
};

extern const struct cmd_entry *const cmd_table[];

/* A subcommand ("mysql bootstrap"): argv[0] is the subcommand's name. */
struct cmd_sub {
	const char *name;
	int (*exec)(int argc, char **argv);
};

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
