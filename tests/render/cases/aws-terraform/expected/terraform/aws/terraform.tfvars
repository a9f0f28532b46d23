# Written by 'wbinstall render'.  It holds the license: keep it private.
namespace                 = "wandb"
license                   = "test-license-aws"
subdomain                 = "wandb-aws"
domain_name               = "example.com"
zone_id                   = "Z0000000000000"
allowed_inbound_cidr      = ["0.0.0.0/0"]
allowed_inbound_ipv6_cidr = ["::/0"]
eks_cluster_version       = "1.30"
