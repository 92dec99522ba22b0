/*
 * hash.h: 64-bit hashing for the tables keyed by strings: FNV-1a over
 * the bytes, then a finalizer that spreads every input bit over the word
 * (FNV alone leaves the low bits, which pick the bucket, weak).
 */
#ifndef COFETCH_HASH_H
#define COFETCH_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED	14695981039346656037ULL

static inline uint64_t
hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static inline uint64_t
hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

#endif
