/*
 * dns.h: name resolution for tasks, with c-ares on the loop.  Literal
 * addresses and --resolve entries answer at once, cached names too; a
 * miss joins (or starts) the one query for that name.
 */
#ifndef COFETCH_DNS_H
#define COFETCH_DNS_H

#include "dnscache.h"

struct event_base;
struct config;

enum dns_status {
	DNS_DONE,		/* the waiter holds the answer now */
	DNS_PENDING		/* done() runs when it does */
};

struct dns_stats {
	unsigned long	queries;	/* c-ares lookups started */
	unsigned long	hits;		/* answered from the cache */
};

struct dns		*dns_new(struct event_base *, const struct config *);
void			 dns_free(struct dns *);
enum dns_status		 dns_resolve(struct dns *, const char *, long,
			     struct dns_waiter *);
const struct dns_stats	*dns_stats(const struct dns *);

#endif
