/*
 * The seed sizing tables, as data: what each kind of host needs, by
 * platform, products, environment and role.
 */
#ifndef WB_SIZING_H
#define WB_SIZING_H

struct sizing {
	const char *platform;	/* kubernetes | baremetal (aws-terraform: kubernetes) */
	const char *products;	/* models | weave | models+weave | NULL: any */
	const char *environment; /* test | production | NULL: any */
	const char *role;	/* app | db */
	const char *what;	/* "Kubernetes worker node", ... (N_) */
	int cores;		/* logical cores */
	int mem_gb;		/* memory, GB as the seeds give it */
	int disk_gb;		/* root disk */
	int disk_mbit;		/* root disk write bandwidth, Mbit/s; 0: none */
	int nic_mbit;		/* recommended NIC speed, Mbit/s; 0: none */
	const char *source;	/* which seed table */
};

extern const struct sizing sizing_table[];

/* The requirement for a host, or NULL when the role has none (control). */
const struct sizing *sizing_for(const char *platform, const char *products,
    const char *environment, const char *role);

#endif
