/* The log file: timestamped lines, secrets redacted.  Never the terminal. */
#ifndef WB_LOG_H
#define WB_LOG_H

#include <stdarg.h>

extern int log_verbose;

/* Open PATH (NULL: $XDG_STATE_HOME/wbinstall/wbinstall.log). */
int log_open(const char *path, char **cause);
void log_close(void);
const char *log_path(void);
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Every later log line has S replaced by "***". */
void log_add_secret(const char *s);
/* Replace registered secrets in S; returns a new string. */
char *log_redact(const char *s);

#endif
