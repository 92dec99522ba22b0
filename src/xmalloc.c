/*
 * xmalloc.c: allocation wrappers, and the reserve that turns running out
 * of memory into failed transfers and a lower -j instead of a crash (see
 * xmalloc.h).  Transfer threads allocate too (libcurl, libevent), so the
 * reserve is shared under a lock, and its level and the shortage count
 * are atomics that the common path only reads.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "xmalloc.h"

/*
 * The reserve: blocks small enough to come from the heap, so what tasks
 * free can fill it again block by block, and together big enough for the
 * results of a few thousand transfers failing at once.
 */
#define RESERVE_BLOCK	(4u << 10)
#define RESERVE_BLOCKS	256

static pthread_mutex_t	 reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void		*reserve[RESERVE_BLOCKS];
static atomic_uint	 reserve_held;
static atomic_uint	 shortages;

/*
 * Takes back what is missing of the reserve, as far as it can: 1 if it is
 * whole.  Plain malloc, so a failure here is no shortage, just not yet.
 */
int
xmalloc_reserve(void)
{
	unsigned	held;

	pthread_mutex_lock(&reserve_lock);
	held = atomic_load(&reserve_held);
	while (held < RESERVE_BLOCKS &&
	    (reserve[held] = malloc(RESERVE_BLOCK)) != NULL)
		atomic_store(&reserve_held, ++held);
	pthread_mutex_unlock(&reserve_lock);
	return held == RESERVE_BLOCKS;
}

/* How many allocations have failed so far; the scheduler watches it. */
unsigned
xmalloc_shortages(void)
{
	return atomic_load(&shortages);
}

/* One of ours failed: give back a block, 1 if that is worth a retry. */
static int
xmalloc_shortage(void)
{
	unsigned	held;
	void		*block = NULL;

	atomic_fetch_add(&shortages, 1);
	pthread_mutex_lock(&reserve_lock);
	if ((held = atomic_load(&reserve_held)) > 0) {
		block = reserve[--held];
		atomic_store(&reserve_held, held);
	}
	pthread_mutex_unlock(&reserve_lock);
	free(block);
	return block != NULL;
}

/*
 * The libraries get nothing once half the reserve is gone: the rest is
 * for writing results, and libcurl starting a thousand connections in one
 * call would use it all up.  One transfer, query or line fails instead,
 * and the scheduler lowers -j.
 */
static int
xmalloc_lib_may(void)
{
	if (atomic_load_explicit(&reserve_held, memory_order_relaxed) >=
	    RESERVE_BLOCKS / 2)
		return 1;
	xmalloc_reserve();
	if (atomic_load(&reserve_held) >= RESERVE_BLOCKS / 2)
		return 1;
	atomic_fetch_add(&shortages, 1);
	return 0;
}

void *
xmalloc_try(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	while ((p = malloc(size)) == NULL && xmalloc_shortage())
		;
	return p;
}

/* realloc(p, 0) may free p; nobody here means that, so it asks for 1. */
void *
xrealloc_try(void *old, size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	while ((p = realloc(old, size)) == NULL && xmalloc_shortage())
		;
	return p;
}

/* What a library's allocation returned, a failure counted. */
static void *
xmalloc_lib_got(void *p)
{
	if (p == NULL)
		atomic_fetch_add(&shortages, 1);
	return p;
}

void *
xmalloc_lib(size_t size)
{
	return xmalloc_lib_may() ? xmalloc_lib_got(malloc(size)) : NULL;
}

void *
xcalloc_lib(size_t n, size_t size)
{
	return xmalloc_lib_may() ? xmalloc_lib_got(calloc(n, size)) : NULL;
}

/* realloc(p, 0) frees p and returns NULL: no shortage, always allowed. */
void *
xrealloc_lib(void *old, size_t size)
{
	if (size == 0)
		return realloc(old, size);
	return xmalloc_lib_may() ? xmalloc_lib_got(realloc(old, size)) : NULL;
}

char *
xstrdup_lib(const char *s)
{
	return xmalloc_lib_may() ? xmalloc_lib_got(strdup(s)) : NULL;
}

static void *
xmalloc_sure(void *p, size_t size)
{
	if (p == NULL)
		msg_fatal("out of memory (%zu bytes)", size);
	return p;
}

void *
xmalloc(size_t size)
{
	return xmalloc_sure(xmalloc_try(size), size);
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	while ((p = calloc(n, size)) == NULL && xmalloc_shortage())
		;
	return xmalloc_sure(p, n * size);
}

void *
xrealloc(void *old, size_t size)
{
	return xmalloc_sure(xrealloc_try(old, size), size);
}

/* A copy with a terminating NUL, whatever bytes (NULs included) it holds. */
char *
xmemdup(const void *s, size_t len)
{
	char	*p;

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}
