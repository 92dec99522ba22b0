/*
 * clock.h: monotonic time in microseconds, for every duration cofetch
 * measures itself (queue time, the summary).
 */
#ifndef COFETCH_CLOCK_H
#define COFETCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
clock_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
