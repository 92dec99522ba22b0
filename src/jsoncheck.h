/*
 * jsoncheck.h: is a line one JSON object, and what whole number does one
 * of its top-level members hold?  A validating scan that builds nothing,
 * for --merge, which copies records and only needs their index.
 */
#ifndef COFETCH_JSONCHECK_H
#define COFETCH_JSONCHECK_H

#include <stddef.h>
#include <stdint.h>

/* Nested deeper is refused, as cJSON (which reads jsonl ids) refuses it. */
#define JSONCHECK_DEPTH_MAX	1000

enum jsoncheck {
	JSONCHECK_OK,		/* an object, the member a whole number */
	JSONCHECK_NOT_OBJECT,	/* not JSON, or not an object */
	JSONCHECK_NO_MEMBER	/* an object without the member as a
				   whole number */
};

enum jsoncheck	jsoncheck_object(const char *, size_t, const char *,
		    uint64_t *);
int		jsoncheck_true(const char *, size_t, const char *);

#endif
