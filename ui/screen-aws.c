/* AWS Terraform: only for the aws-terraform platform. */
#include "config.h"

#include "form.h"
#include "i18n.h"
#include "screens.h"

static int
on_aws(const struct wiz *z)
{
	return wiz_platform_is(z, "aws-terraform");
}

static const struct field_spec fields[] = {
	{ "aws.namespace", N_("Namespace"), NULL, NULL, NULL },
	{ "aws.subdomain", N_("Subdomain"), NULL, NULL, NULL },
	{ "aws.domain_name", N_("Domain name"), NULL, NULL, NULL },
	{ "aws.zone_id", N_("Route53 zone id"), NULL, NULL, NULL },
	{ "aws.region", N_("Region"), NULL, NULL, NULL },
	{ "aws.allowed_inbound_cidr", N_("IPv4 CIDRs"), NULL, NULL, NULL },
	{ "aws.allowed_inbound_ipv6_cidr", N_("IPv6 CIDRs"), NULL, NULL,
	    NULL },
	{ "aws.eks_cluster_version", N_("EKS version"), NULL, NULL, NULL },
	{ "aws.redis", N_("ElastiCache Redis"), NULL, NULL, NULL },
	{ "aws.external_queue", N_("SQS queue"), NULL, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct screen screen_aws = {
	"aws", N_("AWS Terraform"),
	N_("Terraform builds the cluster, the database and the bucket on AWS. "
	"The FQDN must be subdomain.domain_name."),
	fields, on_aws, NULL
};
