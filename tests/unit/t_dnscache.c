/*
 * t_dnscache.c: the DNS cache alone: TTL clamping, expiry, one entry per
 * name whatever its case, every waiter handed its own copy of the answer,
 * cancelled waiters skipped, growth, and eviction that never drops an
 * entry still being resolved.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/dnscache.h"
#include "unit.h"

static int woken;

static void
done(struct dns_waiter *w)
{
	(void)w;
	woken++;
}

static void
waiter_init(struct dns_waiter *w)
{
	memset(w, 0, sizeof *w);
	w->done = done;
}

int
main(void)
{
	struct dnscache		 c;
	struct dns_entry	*e, *r;
	struct dns_waiter	 w[3];
	char			 name[32];
	int			 i, kept;

	CHECK("ttl 0 is the hosts default", dns_ttl_us(0) ==
	    DNS_TTL_HOSTS_S * 1000000LL);
	CHECK("ttl clamped low", dns_ttl_us(-5) == DNS_TTL_HOSTS_S * 1000000LL);
	CHECK("ttl clamped high", dns_ttl_us(86400) ==
	    DNS_TTL_MAX_S * 1000000LL);
	CHECK("ttl kept", dns_ttl_us(30) == 30000000LL);

	dnscache_init(&c, 100);
	e = dnscache_add(&c, "a.test");
	CHECK("found while resolving", dnscache_get(&c, "A.Test", 0) == e);
	for (i = 0; i < 3; i++) {
		waiter_init(&w[i]);
		dns_entry_wait(e, &w[i]);
	}
	dns_waiter_cancel(&w[1]);
	dns_entry_settle(e, DNS_OK, "127.0.0.1", NULL, 1000);
	CHECK("waiters woken, cancelled one skipped", woken == 2);
	CHECK("each waiter has its own copy", w[0].addrs != NULL &&
	    w[2].addrs != NULL && w[0].addrs != w[2].addrs &&
	    strcmp(w[2].addrs, "127.0.0.1") == 0);
	CHECK("cancelled waiter got nothing", w[1].addrs == NULL);
	CHECK("waiters are off the entry", w[0].on == NULL && w[2].on == NULL);
	for (i = 0; i < 3; i++)
		dns_waiter_clear(&w[i]);
	CHECK("alive before expiry", dnscache_get(&c, "a.test", 999) == e);
	CHECK("gone at expiry", dnscache_get(&c, "a.test", 1000) == NULL);
	CHECK("count back to 0", dnscache_count(&c) == 0);

	e = dnscache_add(&c, "nx.test");
	dns_entry_settle(e, DNS_MISSING, NULL, "no such name", 5000);
	r = dnscache_get(&c, "nx.test", 10);
	CHECK("negative entry kept", r == e && r->state == DNS_MISSING &&
	    strcmp(r->error, "no such name") == 0);

	/* Past the bound the oldest settled entry goes, never a resolving. */
	r = dnscache_add(&c, "resolving.test");
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "n%d.test", i);
		e = dnscache_add(&c, name);
		dns_entry_settle(e, DNS_OK, "127.0.0.1", NULL, 1000000);
	}
	CHECK("bounded", dnscache_count(&c) <= 100);
	CHECK("resolving entry kept", dnscache_get(&c, "resolving.test", 0) == r);
	CHECK("newest kept", dnscache_get(&c, "n199.test", 0) != NULL);
	CHECK("oldest evicted", dnscache_get(&c, "n0.test", 0) == NULL);
	for (kept = 0, i = 100; i < 200; i++) {
		snprintf(name, sizeof name, "n%d.test", i);
		kept += dnscache_get(&c, name, 0) != NULL;
	}
	CHECK("growth keeps every entry findable", kept == 99);
	dnscache_remove(&c, r);
	dns_entry_free(r);
	dnscache_free(&c);
	return unit_done("t_dnscache");
}
