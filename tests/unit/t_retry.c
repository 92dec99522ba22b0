/*
 * t_retry.c: the backoff (a Retry-After is obeyed up to its cap; else
 * uniform jitter under a ceiling that doubles per attempt up to 30 s).
 */
#include <stdint.h>

#include "../../src/retry.h"
#include "unit.h"

static void
check_backoff(void)
{
	uint64_t	state = 42, lo, hi;
	int64_t		d, max[8] = { 0 }, min[8];
	unsigned	a, i;

	CHECK("Retry-After 3 is 3 s", retry_delay_us(1, 3, 0) == 3000000);
	CHECK("Retry-After 120 is waited", retry_delay_us(5, 120, 7) ==
	    120000000);
	CHECK("Retry-After 121 is not", retry_delay_us(1, 121, 0) == -1);
	CHECK("random 0 waits 0", retry_delay_us(1, 0, 0) == 0);
	for (a = 1; a < 8; a++)
		min[a] = INT64_MAX;
	for (i = 0; i < 20000; i++) {
		for (a = 1; a < 8; a++) {
			d = retry_delay_us(a, 0, retry_random(&state));
			if (d > max[a])
				max[a] = d;
			if (d < min[a])
				min[a] = d;
		}
	}
	for (a = 1, lo = RETRY_BASE_US; a < 8; a++, lo *= 2) {
		hi = lo < RETRY_CAP_US ? lo : RETRY_CAP_US;
		CHECK("jitter stays under the attempt's ceiling",
		    max[a] <= (int64_t)hi);
		CHECK("jitter reaches near the ceiling",
		    max[a] > (int64_t)hi * 99 / 100);
		CHECK("jitter reaches near 0", min[a] < (int64_t)hi / 100);
	}
	CHECK("the ceiling stops at 30 s",
	    retry_delay_us(40, 0, UINT64_MAX - 5) <= RETRY_CAP_US);
}

int
main(void)
{
	check_backoff();
	return unit_done("t_retry");
}
