/*
 * Function keys that run an action from anywhere on a screen: a field
 * whose key (F4, ...) runs it, whichever field has the focus.
 */
#ifndef WB_UI_ACTION_H
#define WB_UI_ACTION_H

struct widget_class;
struct wiz;

struct action_field {
	const struct widget_class *base;	/* text_class, ... */
	int fkey;			/* n of KEY_F(n) */
	void (*run)(struct wiz *);
};
/* A field (spec->arg: a struct action_field) whose key runs an action. */
extern const struct widget_class action_field_class;
/* The same for an unlabelled base class (the targets list). */
extern const struct widget_class action_list_class;
/* Several keys: spec->arg is an array of them ending with a NULL run. */
extern const struct widget_class action_fields_class;

#endif
