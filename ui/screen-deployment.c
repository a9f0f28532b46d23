/* Deployment: products, environment, platform, and the sizing they imply. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "curses.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "sizing.h"
#include "wizard.h"
#include "xmalloc.h"

static const char *const roles[] = { "app", "db" };

static int
sizing_height(struct widget *w, struct wiz *z, int width)
{
	(void)w;
	(void)width;
	/* Bare metal adds the disk and network line. */
	return wiz_platform_is(z, "baremetal") ? 6 : 5;
}

static void
sizing_draw(struct widget *w, struct wiz *z, int y, int x, int width, int h,
    int focused)
{
	const char *platform = answers_get(z->a, "deployment.platform");
	const char *products = answers_get(z->a, "deployment.products");
	const char *env = answers_get(z->a, "deployment.environment");
	const struct sizing *s[2];
	int whatw = 0, i, cx, row;
	char *line;

	(void)w;
	(void)h;
	(void)focused;
	line = xprintf(_("Sizing profile for %s, %s, %s:"), platform, products,
	    env);
	ui_put(y + 1, x, width, line, A_BOLD);
	free(line);
	for (i = 0; i < 2; i++) {
		s[i] = sizing_for(platform, products, env, roles[i]);
		if (s[i] != NULL && ui_width(_(s[i]->what)) > whatw)
			whatw = ui_width(_(s[i]->what));
	}
	for (i = 0; i < 2; i++) {
		if (s[i] == NULL)
			continue;
		cx = x + 2;
		cx += ui_put(y + 2 + i, cx, width - 2, roles[i], 0);
		cx = x + 8;
		ui_put(y + 2 + i, cx, whatw, _(s[i]->what), 0);
		cx += whatw + 2;
		line = xprintf(_("%d cores, %d GB memory, %d GB disk"),
		    s[i]->cores, s[i]->mem_gb, s[i]->disk_gb);
		ui_put(y + 2 + i, cx, x + width - cx, line, 0);
		free(line);
	}
	if (s[0] == NULL)
		return;
	row = y + 4;
	if (s[0]->disk_mbit != 0) {
		line = xprintf(_("Each disk writes at %d Mbit/s or more; the "
		    "network runs at %d Mbit/s."), s[0]->disk_mbit,
		    s[0]->nic_mbit);
		ui_put(row++, x + 2, width - 2, line, 0);
		free(line);
	}
	line = xprintf(_("From the seed tables (%s)."), s[0]->source);
	ui_put(row, x + 2, width - 2, line, ui_attr(S_DIM));
	free(line);
}

static const struct widget_class sizing_class = {
	0, 0, sizing_height, sizing_draw, NULL, NULL, NULL
};

static int
on_kubernetes(const struct wiz *z)
{
	return wiz_platform_is(z, "kubernetes");
}

static const struct field_spec fields[] = {
	{ "deployment.products", N_("Products"), NULL, NULL, NULL },
	{ "deployment.environment", N_("Environment"), NULL, NULL, NULL },
	{ "deployment.platform", N_("Platform"), NULL, NULL, NULL },
	{ "deployment.wandb_version", N_("W&B version"), NULL, NULL, NULL },
	{ "kubernetes.namespace", N_("Namespace"), on_kubernetes, NULL, NULL },
	{ "kubernetes.ingress_class", N_("Ingress class"), on_kubernetes, NULL,
	    NULL },
	{ "kubernetes.openshift", N_("OpenShift"), on_kubernetes, NULL, NULL },
	{ "kubernetes.tls_secret", N_("TLS secret"), on_kubernetes, NULL,
	    NULL },
	{ NULL, NULL, NULL, &sizing_class, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_deployment = {
	"deployment", N_("Deployment"),
	N_("What to install and where. Space changes a choice; the sizing "
	"below follows it."),
	fields, NULL, NULL
};
