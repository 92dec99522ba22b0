/*
 * hosts.c: the per-host semaphores, in a chained hash table keyed by
 * host name and port.  Only hosts with live tasks have an entry, so the
 * table is bounded by what the scheduler admits, not by the input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "hosts.h"
#include "xmalloc.h"

struct hosts {
	struct host	**buckets;
	size_t		  nbuckets;	/* a power of two */
	size_t		  count;
	unsigned	  cap;		/* permits of a new host */
};

struct hosts *
hosts_new(unsigned cap)
{
	struct hosts	*h = xcalloc(1, sizeof *h);

	h->nbuckets = 64;
	h->buckets = xcalloc(h->nbuckets, sizeof *h->buckets);
	h->cap = cap;
	return h;
}

/* Every reference must be gone. */
void
hosts_free(struct hosts *h)
{
	free(h->buckets);
	free(h);
}

static size_t
hosts_hash(const char *name, long port, size_t nbuckets)
{
	uint64_t	h = hash_bytes(HASH_SEED, name, strlen(name));

	h = hash_mix(hash_bytes(h, &port, sizeof port));
	return (size_t)(h & (nbuckets - 1));
}

static void
hosts_grow(struct hosts *h)
{
	struct host	**old = h->buckets, *e, *next;
	size_t		  n = h->nbuckets, i, b;

	h->nbuckets *= 2;
	h->buckets = xcalloc(h->nbuckets, sizeof *h->buckets);
	for (i = 0; i < n; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->chain;
			b = hosts_hash(e->name, e->port, h->nbuckets);
			e->chain = h->buckets[b];
			h->buckets[b] = e;
		}
	}
	free(old);
}

/* The entry for name:port (names are lower case already), referenced. */
struct host *
hosts_get(struct hosts *h, const char *name, long port)
{
	struct host	*e;
	size_t		 b, len;

	b = hosts_hash(name, port, h->nbuckets);
	for (e = h->buckets[b]; e != NULL; e = e->chain) {
		if (e->port == port && strcmp(e->name, name) == 0) {
			e->refs++;
			return e;
		}
	}
	if (h->count >= h->nbuckets * 2) {
		hosts_grow(h);
		b = hosts_hash(name, port, h->nbuckets);
	}
	len = strlen(name);
	e = xmalloc(sizeof *e + len + 1);
	memcpy(e->name, name, len + 1);
	e->port = port;
	e->refs = 1;
	sema_init(&e->sema, h->cap);
	e->chain = h->buckets[b];
	h->buckets[b] = e;
	h->count++;
	return e;
}

/* Drops a reference; the last one frees the entry (no permit is out). */
void
hosts_put(struct hosts *h, struct host *e)
{
	struct host	**pp;

	if (--e->refs > 0)
		return;
	pp = &h->buckets[hosts_hash(e->name, e->port, h->nbuckets)];
	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	h->count--;
	free(e);
}

size_t
hosts_count(const struct hosts *h)
{
	return h->count;
}
