/*
 * shard.h: which shard of a run a line belongs to (--shard, --shard-by),
 * and which shard this run is when a job-array scheduler says so
 * (--shard auto).  Pure: the environment is read through the caller's
 * lookup, so the unit test can hand it any.
 */
#ifndef COFETCH_SHARD_H
#define COFETCH_SHARD_H

#include <stddef.h>
#include <stdint.h>

enum shard_by {
	SHARD_BY_INDEX,		/* index mod N */
	SHARD_BY_HOST		/* FNV-1a-64 of the host mod N */
};

/* The value of an environment variable, or NULL when it is not set. */
typedef const char	*shard_lookup_fn(const char *, void *);

uint64_t	shard_host_hash(const char *);
int		shard_keeps(uint64_t, uint64_t, uint64_t, const char *);
int		shard_auto(shard_lookup_fn *, void *, uint64_t, uint64_t *,
		    uint64_t *, char *, size_t);

#endif
