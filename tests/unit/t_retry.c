/*
 * t_retry.c: the backoff (a Retry-After is obeyed up to its cap; else
 * uniform jitter under a ceiling that doubles per attempt up to 30 s)
 * and the per-host table (one entry per host:port, freed with its last
 * reference, permits counted per host).
 */
#include <stdint.h>

#include "../../src/hosts.h"
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

static void
check_hosts(void)
{
	struct hosts		*h = hosts_new(2);
	struct host		*a1, *a2, *b, *a80, *e[300];
	struct sema_waiter	 w;
	char			 name[32];
	int			 i;

	a1 = hosts_get(h, "a.test", 443);
	a2 = hosts_get(h, "a.test", 443);
	b = hosts_get(h, "b.test", 443);
	a80 = hosts_get(h, "a.test", 80);
	CHECK("one entry per host:port", a1 == a2 && a1 != b && a1 != a80 &&
	    hosts_count(h) == 3);
	CHECK("each host has its own permits",
	    sema_acquire(&a1->sema, &w) && sema_acquire(&a1->sema, &w) &&
	    sema_available(&a1->sema) == 0 && sema_available(&b->sema) == 2);
	sema_release(&a1->sema);
	sema_release(&a1->sema);
	hosts_put(h, a1);
	CHECK("kept while referenced", hosts_count(h) == 3);
	hosts_put(h, a2);
	hosts_put(h, b);
	hosts_put(h, a80);
	CHECK("freed with the last reference", hosts_count(h) == 0);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "h%d.test", i);
		e[i] = hosts_get(h, name, 80);
	}
	CHECK("the table grows", hosts_count(h) == 300 &&
	    hosts_get(h, "h7.test", 80) == e[7]);
	hosts_put(h, e[7]);
	for (i = 0; i < 300; i++)
		hosts_put(h, e[i]);
	CHECK("and empties", hosts_count(h) == 0);
	hosts_free(h);
}

int
main(void)
{
	check_backoff();
	check_hosts();
	return unit_done("t_retry");
}
