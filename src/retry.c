/*
 * retry.c: the wait before another attempt.  A server that says when to
 * come back (Retry-After) is obeyed; otherwise the wait is drawn uniformly
 * from [0, ceiling], the ceiling doubling with each attempt ("full
 * jitter"), so tasks that failed together do not return together.  Pure.
 */
#include "config.h"

#include "retry.h"

/*
 * Microseconds to wait after the given attempt (1 for the first) failed,
 * or -1 when the server asked for longer than RETRY_AFTER_MAX_S: waiting
 * less would be rude, waiting that long is not what a retry is for.
 */
int64_t
retry_delay_us(unsigned attempt, int64_t retry_after_s, uint64_t rnd)
{
	int64_t	ceiling = RETRY_BASE_US;

	if (retry_after_s > RETRY_AFTER_MAX_S)
		return -1;
	if (retry_after_s > 0)
		return retry_after_s * 1000000;
	while (attempt > 1 && ceiling < RETRY_CAP_US) {
		ceiling *= 2;
		attempt--;
	}
	if (ceiling > RETRY_CAP_US)
		ceiling = RETRY_CAP_US;
	return (int64_t)(rnd % (uint64_t)(ceiling + 1));
}

/* xorshift64*: plenty for jitter; the state must not be 0. */
uint64_t
retry_random(uint64_t *state)
{
	uint64_t	x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}
