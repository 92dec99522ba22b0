/*
 * t_jsoncheck.c: the scan --merge reads records with: JSON objects
 * accepted whatever they hold, everything else refused (cut lines,
 * foreign text, each grammar rule broken), and the top-level member read
 * only as a whole number; cJSON agrees on every case it is strict about.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../../src/jsoncheck.h"
#include "unit.h"

static enum jsoncheck
scan(const char *s, uint64_t *v)
{
	return jsoncheck_object(s, strlen(s), "index", v);
}

/* An object, its index v. */
static int
index_is(const char *s, uint64_t want)
{
	uint64_t	v = 0;

	return scan(s, &v) == JSONCHECK_OK && v == want;
}

static int
refused(const char *s)
{
	uint64_t	v;

	return scan(s, &v) == JSONCHECK_NOT_OBJECT;
}

static int
no_index(const char *s)
{
	uint64_t	v;

	return scan(s, &v) == JSONCHECK_NO_MEMBER;
}

/* cJSON, strict about what follows the value, finds an object too. */
static int
cjson_object(const char *s)
{
	cJSON	*o = cJSON_ParseWithOpts(s, NULL, 1);
	int	 obj = cJSON_IsObject(o);

	cJSON_Delete(o);
	return obj;
}

static void
check_accepted(void)
{
	static const char	*good[] = {
		"{\"index\":0}",
		" {\"index\" : 7 , \"url\":\"http://h/\"}\r",
		"{\"url\":\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\","
		    "\"index\":3}",
		"{\"index\":5,\"id\":{\"index\":9,\"a\":[1,-2.5e+3,true,false,"
		    "null,{},[]]},\"t\":{\"x\":0.0003}}",
		"{\"index\":18446744073709551615}",
		"{\"index\":2,\"index\":3}",
		"{\"title\":\"\xc3\xa9t\xc3\xa9\",\"index\":1}",
	};
	size_t			 i;
	int			 agree = 1;

	CHECK("index 0", index_is(good[0], 0));
	CHECK("white space around tokens", index_is(good[1], 7));
	CHECK("every escape", index_is(good[2], 3));
	CHECK("nested values; only the top level's index counts",
	    index_is(good[3], 5));
	CHECK("the largest 64-bit index", index_is(good[4],
	    18446744073709551615ULL));
	CHECK("a name given twice: the first", index_is(good[5], 2));
	CHECK("UTF-8 in strings", index_is(good[6], 1));
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		agree &= cjson_object(good[i]);
	CHECK("cJSON reads each as an object", agree);
}

/* Broken lines cJSON also refuses. */
static const char *broken[] = {
	"",
	"   ",
	"200\thttp://h/\t5\t0.1",
	"[{\"index\":1}]",
	"\"index\"",
	"{\"index\":4,\"url\":\"http://h/p",
	"{\"index\":4,\"url\":\"http://h/p\"",
	"{\"index\":4,}",
	"{\"index\":4}{\"index\":5}",
	"{\"index\":4} x",
	"{index:4}",
	"{\"index\" 4}",
	"{\"index\":4,\"a\":[1,]}",
	"{\"index\":4,\"a\":[1 2]}",
	"{\"index\":4,\"a\":{\"b\"}}",
	"{\"index\":4,\"a\":]}",
	"{\"index\":4,\"a\":tru}",
	"{\"index\":4,\"a\":nul}",
	"{\"index\":4,\"a\":.5}",
	"{\"index\":4,\"a\":1e}",
	"{\"index\":4,\"a\":-}",
	"{\"index\":4,\"a\":+1}",
	"{\"index\":4,\"a\":\"\\x\"}",
	"{\"index\":4,\"a\":\"\\u12\"}",
	"{\"index\":4,\"a\":[}",
	"{\"index\":4",
};

/* Broken lines cJSON, laxer than RFC 8259, reads. */
static const char *broken_lax[] = {
	"{\"index\":4,\"a\":01}",
	"{\"index\":4,\"a\":1.}",
	"{\"index\":4,\"a\":\"tab\there\"}",
	"{\"index\":4,\"a\":\"\\u12g4\"}",
};

static int
all_refused(const char **lines, size_t n)
{
	size_t	i;
	int	all = 1;

	for (i = 0; i < n; i++)
		if (!refused(lines[i])) {
			all = 0;
			printf("# accepted: %s\n", lines[i]);
		}
	return all;
}

static void
check_refused(void)
{
	size_t	i;
	int	agree = 1;

	CHECK("each broken line is not an object",
	    all_refused(broken, sizeof broken / sizeof broken[0]));
	for (i = 0; i < sizeof broken / sizeof broken[0]; i++)
		agree &= !cjson_object(broken[i]);
	CHECK("cJSON refuses them too", agree);
	CHECK("what cJSON lets pass is refused: 01, 1., a raw tab, \\u12g4",
	    all_refused(broken_lax, sizeof broken_lax / sizeof broken_lax[0]));
}

static void
check_index(void)
{
	CHECK("no index", no_index("{\"url\":\"x\"}"));
	CHECK("an empty object has none", no_index("{}"));
	CHECK("a string index is not one", no_index("{\"index\":\"3\"}"));
	CHECK("a negative index is not one", no_index("{\"index\":-3}"));
	CHECK("a fraction is not one", no_index("{\"index\":3.0}"));
	CHECK("an exponent is not one", no_index("{\"index\":3e2}"));
	CHECK("an object is not one", no_index("{\"index\":{\"index\":1}}"));
	CHECK("past 64 bits is not one",
	    no_index("{\"index\":18446744073709551616}"));
	CHECK("a nested index is not the record's",
	    no_index("{\"id\":{\"index\":1}}"));
	CHECK("Index is not index", no_index("{\"Index\":1}"));
}

/* {"index":1,"a":[[...]]}: the object and d arrays in it. */
static char *
nested(size_t d)
{
	char	*s = malloc(2 * d + 32);
	size_t	 i, n;

	n = (size_t)sprintf(s, "{\"index\":1,\"a\":");
	for (i = 0; i < d; i++)
		s[n++] = '[';
	for (i = 0; i < d; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void
check_depth(void)
{
	char	*s;

	s = nested(JSONCHECK_DEPTH_MAX - 1);
	CHECK("nested to the limit", index_is(s, 1));
	free(s);
	s = nested(JSONCHECK_DEPTH_MAX);
	CHECK("nested past the limit is refused", refused(s));
	free(s);
}

int
main(void)
{
	check_accepted();
	check_refused();
	check_index();
	check_depth();
	return unit_done("t_jsoncheck");
}
