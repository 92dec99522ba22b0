/*
 * dnscache.c: a chained hash table of DNS entries with TTL expiry, a size
 * bound (the oldest idle entry goes first; an entry being resolved or
 * waited on never does) and waiter lists, so any number of tasks waiting
 * for one name share one query.  Pure: no I/O, no clock of its own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnscache.h"
#include "xmalloc.h"

static size_t
dnscache_hash(const char *name, size_t nbuckets)
{
	uint64_t	h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)(*name | 0x20);
		h *= 1099511628211ULL;
	}
	return (size_t)(h & (nbuckets - 1));
}

void
dnscache_init(struct dnscache *c, size_t max)
{
	c->nbuckets = 256;
	c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
	c->count = 0;
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
	free(c->buckets);
	c->buckets = NULL;
}

static void
dnscache_grow(struct dnscache *c)
{
	struct dns_entry	**old = c->buckets, *e, *next;
	size_t			  n = c->nbuckets, i, h;

	c->nbuckets *= 2;
	c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->chain;
			h = dnscache_hash(e->name, c->nbuckets);
			e->chain = c->buckets[h];
			c->buckets[h] = e;
		}
	}
	free(old);
}

void
dnscache_remove(struct dnscache *c, struct dns_entry *e)
{
	struct dns_entry	**p;

	if (!e->cached)
		return;
	for (p = &c->buckets[dnscache_hash(e->name, c->nbuckets)]; *p != e;
	    p = &(*p)->chain)
		;
	*p = e->chain;
	TAILQ_REMOVE(&c->age, e, age);
	c->count--;
	e->cached = 0;
}

/* The live entry for name; an expired one is dropped on the way. */
struct dns_entry *
dnscache_get(struct dnscache *c, const char *name, int64_t now)
{
	struct dns_entry	*e;

	for (e = c->buckets[dnscache_hash(name, c->nbuckets)]; e != NULL;
	    e = e->chain) {
		if (strcasecmp(e->name, name) != 0)
			continue;
		if (e->state == DNS_RESOLVING || now < e->expires)
			return e;
		dnscache_remove(c, e);
		dns_entry_free(e);
		return NULL;
	}
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
	size_t			 h;

	if (c->count >= c->max)
		dnscache_evict(c);
	if (c->count >= c->nbuckets)
		dnscache_grow(c);
	e = xcalloc(1, sizeof *e);
	e->name = xstrdup(name);
	e->state = DNS_RESOLVING;
	TAILQ_INIT(&e->waiters);
	h = dnscache_hash(name, c->nbuckets);
	e->chain = c->buckets[h];
	c->buckets[h] = e;
	TAILQ_INSERT_TAIL(&c->age, e, age);
	c->count++;
	e->cached = 1;
	return e;
}

void
dns_entry_free(struct dns_entry *e)
{
	free(e->name);
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
