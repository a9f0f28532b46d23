/*
 * The screens, as data: each screen-*.c declares one (name, title, help,
 * fields, visible(), leave()), and screens.c lists them in order.
 */
#ifndef WB_UI_SCREENS_H
#define WB_UI_SCREENS_H

struct field_spec;
struct wiz;

struct screen {
	const char *name;
	const char *title;	/* N_() */
	const char *help;	/* N_(): shown at the top and under F1 */
	const struct field_spec *fields;	/* ends with a NULL label */
	int (*visible)(const struct wiz *);	/* NULL: always */
	/* On Next, once the fields are valid; -1 and *cause stays here. */
	int (*leave)(struct wiz *, char **cause);
};

/* The screens, in order (screens.c); later issues add theirs. */
extern const struct screen *const screen_table[];

/* Visibility rules shared by screens. */
int wiz_platform_is(const struct wiz *, const char *);
int wiz_not_aws(const struct wiz *);

#endif
