/*
 * container.h: from a member embedded in a struct back to the struct,
 * the way every embedded waiter (DNS, permits, transfers) finds its task.
 */
#ifndef COFETCH_CONTAINER_H
#define COFETCH_CONTAINER_H

#include <stddef.h>

#define CONTAINER_OF(p, type, member)					\
	((type *)(void *)((char *)(p) - offsetof(type, member)))

#endif
