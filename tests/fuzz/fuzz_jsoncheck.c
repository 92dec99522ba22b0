/*
 * fuzz_jsoncheck.c: the scan --merge reads records with.  A line cut
 * short is never an object (the merge must not take a killed shard's
 * last line); white space after a line changes nothing; and an index it
 * reads is the one cJSON reads from the same line.
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../../src/jsoncheck.h"
#include "fuzz.h"

/* Where s[0..len) ends, white space after it left out. */
static size_t
fuzz_trimmed(const char *s, size_t len)
{
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL &&
	    s[len - 1] != '\0')
		len--;
	return len;
}

static void
fuzz_check_cuts(const char *s, size_t len)
{
	size_t	cuts[3] = { len - 1, len / 2, len * 7 / 11 }, i;
	size_t	whole = fuzz_trimmed(s, len);
	uint64_t v;

	for (i = 0; i < 3; i++)
		if (cuts[i] < whole)
			FUZZ_CHECK(jsoncheck_object(s, cuts[i], "index", &v) ==
			    JSONCHECK_NOT_OBJECT);
}

static void
fuzz_check_cjson(const char *s, size_t len, uint64_t v)
{
	cJSON		*o = cJSON_ParseWithLength(s, len);
	const cJSON	*ix = cJSON_GetObjectItemCaseSensitive(o, "index");

	if (cJSON_IsNumber(ix) && ix->valuedouble < 9007199254740992.0)
		FUZZ_CHECK((double)v == ix->valuedouble);
	cJSON_Delete(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	char		*spaced;
	enum jsoncheck	 r, r2;
	uint64_t	 v = 0, v2 = 0;

	r = jsoncheck_object(s, size, "index", &v);
	spaced = malloc(size + 2);
	memcpy(spaced, s, size);
	memcpy(spaced + size, " \n", 2);
	r2 = jsoncheck_object(spaced, size + 2, "index", &v2);
	FUZZ_CHECK(r == r2 && (r != JSONCHECK_OK || v == v2));
	free(spaced);
	if (r == JSONCHECK_NOT_OBJECT)
		return 0;
	fuzz_check_cuts(s, size);
	if (r == JSONCHECK_OK)
		fuzz_check_cjson(s, size, v);
	return 0;
}
