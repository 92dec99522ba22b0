/*
 * retry.h: how long a task waits before its next attempt: the server's
 * Retry-After, else exponential backoff with full jitter.  Pure.
 */
#ifndef COFETCH_RETRY_H
#define COFETCH_RETRY_H

#include <stdint.h>

#define RETRY_BASE_US		250000		/* the first ceiling */
#define RETRY_CAP_US		30000000	/* no ceiling above this */
#define RETRY_AFTER_MAX_S	120		/* longer asks are not waited */

int64_t		retry_delay_us(unsigned, int64_t, uint64_t);
uint64_t	retry_random(uint64_t *);

#endif
