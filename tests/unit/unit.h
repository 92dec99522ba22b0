/*
 * unit.h: the unit tests' few helpers.  Each check prints "ok - name" or
 * "not ok - name"; unit_done() prints "N passed, M failed" and gives the
 * exit status.
 */
#ifndef COFETCH_UNIT_H
#define COFETCH_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(name, cond) do {						\
	if (cond) {							\
		unit_passed++;						\
		printf("ok - %s\n", (name));				\
	} else {							\
		unit_failed++;						\
		printf("not ok - %s (%s:%d)\n", (name), __FILE__, __LINE__); \
	}								\
} while (0)

#define CHECK_MEM(name, got, glen, want, wlen)				\
	CHECK(name, (glen) == (wlen) && memcmp((got), (want), (wlen)) == 0)

static inline int
unit_done(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}

#endif
