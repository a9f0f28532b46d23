#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

/*
 * 1 when this process is the program of the build tree configure ran in:
 * /proc/self/exe lies directly in WB_ABS_BUILDDIR.  An installed copy, or
 * a test program in a subdirectory, is not.
 */
static int
uninstalled(void)
{
	static int known, result;
	char exe[PATH_MAX], *dir, *slash;
	ssize_t n;

	if (known)
		return result;
	known = 1;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return result;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return result;
	*slash = '\0';
	if ((dir = realpath(WB_ABS_BUILDDIR, NULL)) == NULL)
		return result;
	result = strcmp(dir, exe[0] != '\0' ? exe : "/") == 0;
	free(dir);
	return result;
}

static const char *
env_dir(const char *name)
{
	const char *d = getenv(name);

	return d != NULL && *d != '\0' ? d : NULL;
}

const char *
paths_datadir(void)
{
	const char *d = env_dir("WBINSTALL_DATADIR");

	if (d != NULL)
		return d;
	return uninstalled() ? WB_ABS_SRCDIR : PKGDATADIR;
}

const char *
paths_localedir(void)
{
	const char *d = env_dir("WBINSTALL_LOCALEDIR");

	if (d != NULL)
		return d;
	return uninstalled() ? WB_ABS_BUILDDIR "/locale" : LOCALEDIR;
}

char *
paths_state(const char *name)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (state != NULL && *state == '/')
		return xprintf("%s/wbinstall/%s", state, name);
	if (home == NULL || *home == '\0')
		home = "/tmp";
	return xprintf("%s/.local/state/wbinstall/%s", home, name);
}
