/* F5 on Review in the Upgrade mode: save, the bundle, the backup, the
 * dry run, then the upgrade live. */
#ifndef WB_UI_UPGRADE_VIEW_H
#define WB_UI_UPGRADE_VIEW_H

struct wiz;

void wiz_upgrade(struct wiz *);

#endif
