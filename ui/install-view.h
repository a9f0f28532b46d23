/* F5 on Review: save, show the install plan, ask, run it live. */
#ifndef WB_UI_INSTALL_VIEW_H
#define WB_UI_INSTALL_VIEW_H

struct wiz;

void wiz_install(struct wiz *);

#endif
