/*
 * fuzz_url.c: a URL from an input line or a redirect's Location.
 * url_parse reads the common shape itself and must agree with libcurl's
 * parser on everything (accepted or why not, host, port, scheme); what it
 * accepts is http or https, with a lower-case host and a real port.
 */
#include <string.h>

#include "../../src/url.h"
#include "fuzz.h"

static void
fuzz_check_target(const struct url_target *t)
{
	const char	*h;

	FUZZ_CHECK(t->host != NULL && t->host[0] != '\0');
	FUZZ_CHECK(t->port >= 1 && t->port <= 65535);
	FUZZ_CHECK(t->https == 0 || t->https == 1);
	for (h = t->host; *h != '\0'; h++)
		FUZZ_CHECK(!(*h >= 'A' && *h <= 'Z') && (unsigned char)*h > 0x20);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct url_target	 a, b;
	char			*s, wa[256], wb[256];
	const char		*ba, *bb;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ba = url_parse(s, &a, wa, sizeof wa);
	bb = url_parse_curl(s, &b, wb, sizeof wb);
	FUZZ_CHECK((ba == NULL) == (bb == NULL));
	if (ba != NULL)
		FUZZ_CHECK(strcmp(ba, bb) == 0);
	else {
		fuzz_check_target(&a);
		FUZZ_CHECK(strcmp(a.host, b.host) == 0 && a.port == b.port &&
		    a.https == b.https);
	}
	url_target_clear(&a);
	url_target_clear(&b);
	free(s);
	return 0;
}
