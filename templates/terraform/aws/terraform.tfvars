# Written by 'wbinstall render'.  It holds the license: keep it private.
namespace                 = {{namespace}}
license                   = {{license}}
subdomain                 = {{subdomain}}
domain_name               = {{domain_name}}
zone_id                   = {{zone_id}}
allowed_inbound_cidr      = {{allowed_inbound_cidr}}
allowed_inbound_ipv6_cidr = {{allowed_inbound_ipv6_cidr}}
eks_cluster_version       = {{eks_cluster_version}}
