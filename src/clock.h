/*
 * clock.h: monotonic time in microseconds, for every duration cofetch
 * measures itself (queue time, the summary), and durations as timers
 * want them.
 */
#ifndef COFETCH_CLOCK_H
#define COFETCH_CLOCK_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

static inline int64_t
clock_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The time of day, for what is reported as a date: ms since 1970. */
static inline int64_t
clock_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A duration in microseconds as the timeval libevent's timers take. */
static inline struct timeval
clock_timeval(int64_t us)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)(us / 1000000);
	tv.tv_usec = (suseconds_t)(us % 1000000);
	return tv;
}

#endif
