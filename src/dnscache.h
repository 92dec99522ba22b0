/*
 * dnscache.h: the run's DNS cache.  One entry per name: resolving (with
 * the tasks waiting for it), answered until its TTL runs out, or failed
 * (NXDOMAIN, cached briefly).  No I/O: dns.c feeds it from c-ares.
 */
#ifndef COFETCH_DNSCACHE_H
#define COFETCH_DNSCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "hostmap.h"

#define DNS_TTL_MIN_S		1
#define DNS_TTL_MAX_S		3600
#define DNS_TTL_HOSTS_S		60	/* hosts-file answers carry TTL 0 */
#define DNS_TTL_NEGATIVE_S	5

enum dns_state {
	DNS_RESOLVING,
	DNS_OK,
	DNS_FAILED,		/* no answer, or a server failure: try again */
	DNS_MISSING		/* NXDOMAIN or no address: a lasting answer */
};

struct dns_entry;

/*
 * Embedded in whatever waits for a name.  When the entry settles, its
 * addresses (or the error) are copied into the waiter, which then owns
 * them, and done() is called: it may only schedule work.
 */
struct dns_waiter {
	TAILQ_ENTRY(dns_waiter)	  link;
	struct dns_entry	 *on;		/* entry waited on, or NULL */
	void			(*done)(struct dns_waiter *);
	char			 *addrs;	/* "a,b,[c]" */
	char			 *error;
	int			  lasting;	/* error is DNS_MISSING's */
};

struct dns_entry {
	struct hostmap_entry		 key;	/* the name; port 0 */
	TAILQ_ENTRY(dns_entry)		 age;	/* oldest first */
	enum dns_state			 state;
	char				*addrs;
	char				*error;
	int64_t				 expires;	/* monotonic us */
	TAILQ_HEAD(, dns_waiter)	 waiters;
	void				*query;	/* owner's data while resolving */
};

struct dnscache {
	struct hostmap			  map;
	size_t				  max;
	TAILQ_HEAD(, dns_entry)		  age;
};

void			 dnscache_init(struct dnscache *, size_t);
void			 dnscache_free(struct dnscache *);
struct dns_entry	*dnscache_get(struct dnscache *, const char *, int64_t);
struct dns_entry	*dnscache_add(struct dnscache *, const char *);
void			 dnscache_remove(struct dnscache *, struct dns_entry *);
void			 dns_entry_free(struct dns_entry *);
void			 dns_entry_wait(struct dns_entry *, struct dns_waiter *);
void			 dns_entry_settle(struct dns_entry *, enum dns_state,
			     const char *, const char *, int64_t);
void			 dns_waiter_answer(struct dns_waiter *,
			     const struct dns_entry *);
void			 dns_waiter_cancel(struct dns_waiter *);
void			 dns_waiter_clear(struct dns_waiter *);
int64_t			 dns_ttl_us(int);

static inline size_t
dnscache_count(const struct dnscache *c)
{
	return hostmap_count(&c->map);
}

#endif
