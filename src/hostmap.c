/*
 * hostmap.c: a chained hash table of host:port entries.  It grows as
 * entries come, so a lookup stays short however many hosts are live; it
 * holds only what its owner keeps in it, never the input's hosts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "hostmap.h"
#include "xmalloc.h"

#define HOSTMAP_BUCKETS	64	/* at first */

/* A host:port's hash, its name folded to lower case as names compare. */
uint64_t
hostmap_hash(const char *name, long port)
{
	uint64_t	h = HASH_SEED;
	unsigned char	c;

	for (; *name != '\0'; name++) {
		c = (unsigned char)*name;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = hash_bytes(h, &c, 1);
	}
	return hash_mix(hash_bytes(h, &port, sizeof port));
}

void
hostmap_init(struct hostmap *m)
{
	m->nbuckets = HOSTMAP_BUCKETS;
	m->buckets = xcalloc(m->nbuckets, sizeof *m->buckets);
	m->count = 0;
}

/* Whatever is still in the map is its owners' to free. */
void
hostmap_free(struct hostmap *m)
{
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = m->count = 0;
}

static void
hostmap_grow(struct hostmap *m)
{
	struct hostmap_entry	**old = m->buckets, *e, *next;
	size_t			  n = m->nbuckets, i, b;

	m->nbuckets *= 2;
	m->buckets = xcalloc(m->nbuckets, sizeof *m->buckets);
	for (i = 0; i < n; i++)
		for (e = old[i]; e != NULL; e = next) {
			next = e->chain;
			b = (size_t)(e->hash & (m->nbuckets - 1));
			e->chain = m->buckets[b];
			m->buckets[b] = e;
		}
	free(old);
}

struct hostmap_entry *
hostmap_find(const struct hostmap *m, const char *name, long port)
{
	struct hostmap_entry	*e;
	uint64_t		 h = hostmap_hash(name, port);

	for (e = m->buckets[h & (m->nbuckets - 1)]; e != NULL; e = e->chain)
		if (e->hash == h && e->port == port &&
		    strcasecmp(e->name, name) == 0)
			return e;
	return NULL;
}

/*
 * A new entry for name:port, in the map with one reference: size bytes
 * (the caller's struct, this entry first), zeroed, and the name after
 * them.  An entry already there for the key stays, found first.
 */
struct hostmap_entry *
hostmap_add(struct hostmap *m, const char *name, long port, size_t size)
{
	struct hostmap_entry	*e;
	size_t			 len = strlen(name), b;

	if (m->count >= m->nbuckets * 2)
		hostmap_grow(m);
	e = xcalloc(1, size + len + 1);
	e->name = (char *)e + size;
	memcpy(e->name, name, len + 1);
	e->port = port;
	e->hash = hostmap_hash(name, port);
	e->refs = 1;
	e->in_map = 1;
	b = (size_t)(e->hash & (m->nbuckets - 1));
	e->chain = m->buckets[b];
	m->buckets[b] = e;
	m->count++;
	return e;
}

/* Out of the map (once); the block stays its owner's, freed with free(). */
void
hostmap_remove(struct hostmap *m, struct hostmap_entry *e)
{
	struct hostmap_entry	**p;

	if (!e->in_map)
		return;
	for (p = &m->buckets[e->hash & (m->nbuckets - 1)]; *p != e;
	    p = &(*p)->chain)
		;
	*p = e->chain;
	e->in_map = 0;
	m->count--;
}

/* The entry for name:port, referenced once more, made if missing. */
struct hostmap_entry *
hostmap_ref(struct hostmap *m, const char *name, long port, size_t size)
{
	struct hostmap_entry	*e;

	if ((e = hostmap_find(m, name, port)) == NULL)
		return hostmap_add(m, name, port, size);
	e->refs++;
	return e;
}

/* Drops a reference: 1 when it was the last, and the entry is freed. */
int
hostmap_unref(struct hostmap *m, struct hostmap_entry *e)
{
	if (--e->refs > 0)
		return 0;
	hostmap_remove(m, e);
	free(e);
	return 1;
}
