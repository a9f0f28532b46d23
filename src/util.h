/* Small helpers shared by the core. */
#ifndef WB_UTIL_H
#define WB_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Write DATA to PATH atomically (temp file in the same dir, fsync, rename). */
int write_file_atomic(const char *path, const void *data, size_t len,
    mode_t mode, char **cause);
/* Read a whole file (at most max bytes); NUL-terminated. */
char *read_file(const char *path, size_t max, size_t *lenp, char **cause);
/* "~/x" -> "$HOME/x"; new string. */
char *expand_home(const char *path);
/* mkdir -p */
int mkdir_p(const char *path, mode_t mode, char **cause);
/* LEN bytes as 2*LEN lower-case hex digits and a NUL. */
void hex_encode(const unsigned char *in, size_t len, char *out);
/* The lower-case hex SHA-256 of DATA: 65 bytes with the NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* Levenshtein distance (for suggestions). */
size_t edit_distance(const char *, const char *);
/* Is S (LEN bytes) well-formed UTF-8: shortest forms, no surrogates, at
 * most U+10FFFF? */
int utf8_valid(const char *s, size_t len);
/* TEXT from a file or a server, safe to print on a terminal: control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 written as \n,
 * \t, \r, \xNN or \u00NN; other UTF-8 kept.  New string. */
char *text_printable(const char *text);

#endif
