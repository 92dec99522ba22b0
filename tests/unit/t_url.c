/*
 * t_url.c: url_parse reads the common URL shape itself and leaves the
 * rest to libcurl; whatever the path, it must say what libcurl's parser
 * says (accepted or not, host, port, scheme).  Known shapes first, then
 * random strings built from the characters that matter, then random
 * numeric hosts.
 */
#include <stdint.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "../../src/url.h"
#include "unit.h"

/* Whether url_parse and url_parse_curl agree on s. */
static int
agrees(const char *s)
{
	struct url_target	a, b;
	char			wa[256], wb[256];
	const char		*ba, *bb;
	int			same;

	ba = url_parse(s, &a, wa, sizeof wa);
	bb = url_parse_curl(s, &b, wb, sizeof wb);
	if (ba != NULL || bb != NULL)
		same = ba != NULL && bb != NULL && strcmp(ba, bb) == 0;
	else
		same = strcmp(a.host, b.host) == 0 && a.port == b.port &&
		    a.https == b.https;
	if (!same)
		printf("# differs: %s\n", s);
	url_target_clear(&a);
	url_target_clear(&b);
	return same;
}

static void
check_shapes(void)
{
	static const char *const urls[] = {
		"http://example.com", "http://example.com/", "https://a.b/c?d#e",
		"http://a.test:8080/x", "https://a.test:1/", "http://a.test:65535",
		"http://a.test:65536/", "http://a.test:0/", "http://a.test:08/",
		"http://a.test:/", "http://a.test:80x/", "http://127.0.0.1:9/",
		"http://127.1/", "http://0x7f.1/", "http://2130706433/",
		"http://a.0x1/", "http://1.a/", "http://a.1/", "http://a./",
		"http://.a/", "http://a..b/", "http://-a-.b-/", "http://A.test/",
		"HTTP://a.test/", "http://a_b.test/", "http://user@a.test/",
		"http://a.test/ space", "http://a.test/\x7f", "http://a.test/\x01",
		"http://a.test/caf\xc3\xa9", "http://caf\xc3\xa9.test/",
		"http://[::1]:8080/", "http://a.test?q", "http://a.test#f",
		"http://a.test\\x", "ftp://a.test/", "file:///etc/passwd",
		"http:/a.test/", "http:///a", "http://", "https://", "a.test",
		"http://a.test/%zz", "http://a.test/\"<>{}|^`", "http://xn--e.test/",
		"http://localhost/", "http://a.test:99999999999999999999/",
		"http://0.0.0.0/", "http://255.255.255.255/", "http://256.1.1.1/",
		"http://1.2.3.4.5/", "http://1.2.3/", "http://01.2.3.4/",
		"http://1.2.3.4./", "http://1.2.3.a/", "http://1.2..3/",
		"http://1234.1.1.1/", "http://10.0.0.1:443/",
	};
	size_t	i;

	for (i = 0; i < sizeof urls / sizeof urls[0]; i++)
		CHECK(urls[i], agrees(urls[i]));
}

/* Random URLs: a scheme, then bytes drawn mostly from URL syntax. */
static void
check_random(void)
{
	static const char	alpha[] = "ab0925.-:/?#@[]%_Ax \x01\x7f\xc3";
	static const char *const heads[] = { "http://", "https://", "http:/",
	    "HTTPS://", "" };
	uint64_t		state = 7;
	char			s[40];
	int			i, j, n, bad = 0;

	for (i = 0; i < 200000; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		strcpy(s, heads[state % 5]);
		n = (int)strlen(s);
		for (j = 0; j < (int)(state >> 8) % 24; j++)
			s[n + j] = alpha[(state >> (j % 48)) * 2654435761u %
			    (sizeof alpha - 1)];
		s[n + j] = '\0';
		bad += !agrees(s);
	}
	CHECK("200,000 random URLs parse as libcurl parses them", bad == 0);
}

/* Random numeric hosts: only canonical dotted quads are kept as written. */
static void
check_numeric(void)
{
	static const char *const parts[] = { "0", "1", "9", "10", "25", "255",
	    "256", "01", "300", "0x1", "a", "" };
	uint64_t		state = 11;
	char			s[80];
	int			i, j, bad = 0;

	for (i = 0; i < 20000; i++) {
		strcpy(s, "http://");
		for (j = 0; j < 1 + (int)(state % 5); j++) {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			if (j > 0)
				strcat(s, ".");
			strcat(s, parts[(state >> 3) % 12]);
		}
		strcat(s, state & 1 ? "/" : ":8/");
		bad += !agrees(s);
	}
	CHECK("20,000 numeric hosts parse as libcurl parses them", bad == 0);
}

int
main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	check_shapes();
	check_random();
	check_numeric();
	curl_global_cleanup();
	return unit_done("t_url");
}
