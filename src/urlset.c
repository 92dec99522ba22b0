/*
 * urlset.c: the URL hash set.  Strings are not kept: two different URLs
 * share a 64-bit hash with odds of about n^2 / 2^65 (1 in 30 million for
 * a million URLs), the price of memory that does not grow with URL
 * length.  Linear probing; the table doubles past three quarters full.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "hash.h"
#include "urlset.h"
#include "xmalloc.h"

#define URLSET_SLOTS	1024	/* at first */

struct urlset {
	uint64_t	*slots;		/* 0: empty */
	size_t		 nslots;	/* a power of two */
	size_t		 count;
};

/* 0 marks an empty slot, so no URL may hash to it. */
static uint64_t
urlset_hash(const char *s, size_t len)
{
	uint64_t	h = hash_mix(hash_bytes(HASH_SEED, s, len));

	return h != 0 ? h : 1;
}

static size_t
urlset_find(const struct urlset *u, uint64_t h)
{
	size_t	i = (size_t)h & (u->nslots - 1);

	while (u->slots[i] != 0 && u->slots[i] != h)
		i = (i + 1) & (u->nslots - 1);
	return i;
}

struct urlset *
urlset_new(void)
{
	struct urlset	*u = xcalloc(1, sizeof *u);

	u->nslots = URLSET_SLOTS;
	u->slots = xcalloc(u->nslots, sizeof *u->slots);
	return u;
}

void
urlset_free(struct urlset *u)
{
	if (u == NULL)
		return;
	free(u->slots);
	free(u);
}

static void
urlset_grow(struct urlset *u)
{
	uint64_t	*old = u->slots;
	size_t		 n = u->nslots, i;

	u->nslots *= 2;
	u->slots = xcalloc(u->nslots, sizeof *u->slots);
	for (i = 0; i < n; i++)
		if (old[i] != 0)
			u->slots[urlset_find(u, old[i])] = old[i];
	free(old);
}

/* Adds the URL: 1 if it was not there yet. */
int
urlset_add(struct urlset *u, const char *s, size_t len)
{
	uint64_t	h = urlset_hash(s, len);
	size_t		i;

	if ((u->count + 1) * 4 > u->nslots * 3)
		urlset_grow(u);
	i = urlset_find(u, h);
	if (u->slots[i] != 0)
		return 0;
	u->slots[i] = h;
	u->count++;
	return 1;
}

int
urlset_has(const struct urlset *u, const char *s, size_t len)
{
	return u->slots[urlset_find(u, urlset_hash(s, len))] != 0;
}

size_t
urlset_count(const struct urlset *u)
{
	return u->count;
}
