/*
 * The Air gap screen's bundle: its summary beneath the Bundle field, F3
 * inspect, F4 verify, F5 unpack, F6 push.
 */
#ifndef WB_UI_BUNDLE_VIEW_H
#define WB_UI_BUNDLE_VIEW_H

struct widget_class;
struct wiz;

extern const struct widget_class bundle_summary_class;
void wiz_bundle_inspect(struct wiz *);
void wiz_bundle_verify(struct wiz *);
void wiz_bundle_unpack(struct wiz *);
void wiz_bundle_push(struct wiz *);

#endif
