/*
 * Where the program's data (templates/, bundles/) and its message
 * catalogs are.  An installed wbinstall uses the directories it was
 * installed with; the program still in its build tree (/proc/self/exe
 * lies there), started from any directory, uses the tree's own: the data
 * of its source tree and the catalogs laid out in BUILDDIR/locale.
 * WBINSTALL_DATADIR and WBINSTALL_LOCALEDIR override either.
 */
#ifndef WB_PATHS_H
#define WB_PATHS_H

/* The directory that holds templates/ and bundles/. */
const char *paths_datadir(void);
/* The directory that holds LL/LC_MESSAGES/wbinstall.mo. */
const char *paths_localedir(void);
/* NAME in the state directory: $XDG_STATE_HOME/wbinstall/NAME, else
 * ~/.local/state/wbinstall/NAME (a new string). */
char *paths_state(const char *name);

#endif
