/* The screen table: the order the wizard walks.  Later issues add theirs. */
#include "config.h"

#include <string.h>

#include "answers.h"
#include "screens.h"
#include "wizard.h"

extern const struct screen screen_welcome, screen_deployment, screen_domain,
    screen_license, screen_targets, screen_ssh, screen_database,
    screen_storage, screen_airgap, screen_aws, screen_preflight,
    screen_review;

const struct screen *const screen_table[] = {
	&screen_welcome,
	&screen_deployment,
	&screen_domain,
	&screen_license,
	&screen_targets,
	&screen_ssh,
	&screen_database,
	&screen_storage,
	&screen_airgap,
	&screen_aws,
	&screen_preflight,
	&screen_review,
	NULL
};

int
wiz_platform_is(const struct wiz *z, const char *platform)
{
	return strcmp(answers_get(z->a, "deployment.platform"), platform) == 0;
}

/* Terraform creates the database and the bucket itself. */
int
wiz_not_aws(const struct wiz *z)
{
	return !wiz_platform_is(z, "aws-terraform");
}
