/*
 * hostmap.h: a table of entries keyed by host name (compared without
 * case) and port.  The entry is the first member of the caller's struct,
 * allocated here with room for the name; it is referenced by whoever
 * uses it and goes with its last reference, or is taken out and freed by
 * its owner.  Pure: --per-host's hosts, libcurl's DNS entries and the DNS
 * cache are all kept in one.
 */
#ifndef COFETCH_HOSTMAP_H
#define COFETCH_HOSTMAP_H

#include <stddef.h>
#include <stdint.h>

struct hostmap_entry {
	struct hostmap_entry	*chain;		/* hash bucket */
	uint64_t		 hash;
	size_t			 refs;
	long			 port;
	char			*name;		/* in the same block */
	int			 in_map;
};

struct hostmap {
	struct hostmap_entry	**buckets;
	size_t			  nbuckets;	/* a power of two */
	size_t			  count;
};

uint64_t		 hostmap_hash(const char *, long);
void			 hostmap_init(struct hostmap *);
void			 hostmap_free(struct hostmap *);
struct hostmap_entry	*hostmap_find(const struct hostmap *, const char *,
			    long);
struct hostmap_entry	*hostmap_add(struct hostmap *, const char *, long,
			    size_t);
void			 hostmap_remove(struct hostmap *,
			    struct hostmap_entry *);
struct hostmap_entry	*hostmap_ref(struct hostmap *, const char *, long,
			    size_t);
int			 hostmap_unref(struct hostmap *,
			    struct hostmap_entry *);

static inline size_t
hostmap_count(const struct hostmap *m)
{
	return m->count;
}

#endif
