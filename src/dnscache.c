/*
 * dnscache.c: DNS entries in a host table (hostmap.c) with TTL expiry, a size
 * bound (the oldest idle entry goes first; an entry being resolved or
 * waited on never does) and waiter lists, so any number of tasks waiting
 * for one name share one query.  Pure: no I/O, no clock of its own.
 */
#include "config.h"

#include <stdlib.h>

#include "dnscache.h"
#include "xmalloc.h"

void
dnscache_init(struct dnscache *c, size_t max)
{
	hostmap_init(&c->map);
	c->max = max;
	TAILQ_INIT(&c->age);
}

/* Entries still resolving belong to their query and are not freed here. */
void
dnscache_free(struct dnscache *c)
{
	struct dns_entry	*e;

	while ((e = TAILQ_FIRST(&c->age)) != NULL) {
		dnscache_remove(c, e);
		if (e->state != DNS_RESOLVING)
			dns_entry_free(e);
	}
	hostmap_free(&c->map);
}

void
dnscache_remove(struct dnscache *c, struct dns_entry *e)
{
	if (!e->key.in_map)
		return;
	hostmap_remove(&c->map, &e->key);
	TAILQ_REMOVE(&c->age, e, age);
}

/* The live entry for name; an expired one is dropped on the way. */
struct dns_entry *
dnscache_get(struct dnscache *c, const char *name, int64_t now)
{
	struct dns_entry	*e;

	e = (struct dns_entry *)(void *)hostmap_find(&c->map, name, 0);
	if (e == NULL || e->state == DNS_RESOLVING || now < e->expires)
		return e;
	dnscache_remove(c, e);
	dns_entry_free(e);
	return NULL;
}

/* Makes room by dropping the oldest entry nobody waits for. */
static void
dnscache_evict(struct dnscache *c)
{
	struct dns_entry	*e;

	TAILQ_FOREACH(e, &c->age, age) {
		if (e->state != DNS_RESOLVING) {
			dnscache_remove(c, e);
			dns_entry_free(e);
			return;
		}
	}
}

/* A new entry for name, resolving, with no waiters yet. */
struct dns_entry *
dnscache_add(struct dnscache *c, const char *name)
{
	struct dns_entry	*e;

	if (dnscache_count(c) >= c->max)
		dnscache_evict(c);
	e = (struct dns_entry *)(void *)hostmap_add(&c->map, name, 0,
	    sizeof *e);
	e->state = DNS_RESOLVING;
	TAILQ_INIT(&e->waiters);
	TAILQ_INSERT_TAIL(&c->age, e, age);
	return e;
}

void
dns_entry_free(struct dns_entry *e)
{
	free(e->addrs);
	free(e->error);
	free(e);
}

void
dns_entry_wait(struct dns_entry *e, struct dns_waiter *w)
{
	w->on = e;
	TAILQ_INSERT_TAIL(&e->waiters, w, link);
}

/* Hands the waiter its own copy of a settled entry's answer. */
void
dns_waiter_answer(struct dns_waiter *w, const struct dns_entry *e)
{
	w->addrs = e->addrs ? xstrdup(e->addrs) : NULL;
	w->error = e->error ? xstrdup(e->error) : NULL;
	w->lasting = e->state == DNS_MISSING;
}

/*
 * The answer (addrs) or the failure (error) is in: record it until
 * expires and hand a copy to every waiter.
 */
void
dns_entry_settle(struct dns_entry *e, enum dns_state st, const char *addrs,
    const char *error, int64_t expires)
{
	struct dns_waiter	*w;

	e->state = st;
	e->addrs = addrs ? xstrdup(addrs) : NULL;
	e->error = error ? xstrdup(error) : NULL;
	e->expires = expires;
	while ((w = TAILQ_FIRST(&e->waiters)) != NULL) {
		TAILQ_REMOVE(&e->waiters, w, link);
		w->on = NULL;
		dns_waiter_answer(w, e);
		w->done(w);
	}
}

/* Stops waiting; the query goes on and still fills the cache. */
void
dns_waiter_cancel(struct dns_waiter *w)
{
	if (w->on == NULL)
		return;
	TAILQ_REMOVE(&w->on->waiters, w, link);
	w->on = NULL;
}

/* Frees what a settled waiter was handed, ready to wait again. */
void
dns_waiter_clear(struct dns_waiter *w)
{
	dns_waiter_cancel(w);
	free(w->addrs);
	free(w->error);
	w->addrs = w->error = NULL;
	w->lasting = 0;
}

/* An answer's TTL in microseconds, clamped; 0 (hosts file) is a default. */
int64_t
dns_ttl_us(int ttl)
{
	if (ttl <= 0)
		ttl = DNS_TTL_HOSTS_S;
	if (ttl < DNS_TTL_MIN_S)
		ttl = DNS_TTL_MIN_S;
	if (ttl > DNS_TTL_MAX_S)
		ttl = DNS_TTL_MAX_S;
	return (int64_t)ttl * 1000000;
}
