/*
 * F4 on SSH, Targets and Preflight: the live host preflight, a row per
 * target while it runs, then the table.
 */
#ifndef WB_UI_PREFLIGHT_VIEW_H
#define WB_UI_PREFLIGHT_VIEW_H

struct check_list;
struct wiz;

void wiz_preflight_hosts(struct wiz *);
/* The same, then the license family. */
void wiz_preflight_screen(struct wiz *);
/* The results of the last complete run, or NULL. */
const struct check_list *wiz_last_host_checks(const struct wiz *);

#endif
