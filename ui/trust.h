/* After the host preflight: the unknown host keys, each trusted on y. */
#ifndef WB_UI_TRUST_H
#define WB_UI_TRUST_H

struct check_list;
struct wiz;

/* Offer to trust each host whose key L found unknown. */
void wiz_trust_hosts(struct wiz *, const struct check_list *l);

#endif
