/*
 * The checks of a preflight family, run as the `preflight` command runs
 * them and shown as it prints them: summed up on the status line, the
 * table in the pager.
 */
#ifndef WB_UI_CHECKS_VIEW_H
#define WB_UI_CHECKS_VIEW_H

struct check;
struct check_list;
struct preflight_opts;
struct wiz;

/* The table checks_print() writes (the one `preflight` prints). */
char *wiz_checks_text(const struct check_list *);
/* Run a preflight family ("mysql", "storage") and show its results. */
void wiz_test_family(struct wiz *, const char *family);
/* Run it with OPTS (NULL: the defaults), its results added to the list. */
void wiz_run_family(struct wiz *, const char *family,
    const struct preflight_opts *, struct check_list *);
/* The result of check ID, or NULL. */
const struct check *wiz_check_find(const struct check_list *, const char *id);
/* Sum checks up on the status line and show them in the pager. */
void wiz_show_checks(struct wiz *, const char *family,
    const struct check_list *);
/* The same, with FIRST above them (NULL: nothing). */
void wiz_show_checks_after(struct wiz *, const char *family,
    const struct check_list *, const char *first);

#endif
