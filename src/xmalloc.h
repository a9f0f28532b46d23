/* Allocation that never returns NULL: out of memory is fatal. */
#ifndef WB_XMALLOC_H
#define WB_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) __attribute__((format(printf, 2, 3)));
int xvasprintf(char **, const char *, va_list) __attribute__((format(printf, 2, 0)));
/* Returns a new string; convenient for building error causes. */
char *xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Called before the out-of-memory message, e.g. to restore the terminal. */
void xmalloc_set_fatal_hook(void (*)(void));
/* Zero then free: for buffers that held secrets. */
void xfree_secret(char *);

#endif
