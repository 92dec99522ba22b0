/*
 * fuzz_url.c: a URL from an input line or a redirect's Location.
 * url_parse reads the common shape itself and must agree with libcurl's
 * parser on everything (accepted or why not, host, port, scheme); what it
 * accepts is http or https, with a lower-case host and a real port.  A
 * line without "://" is fetched only with the default scheme in front,
 * and then with that scheme, whichever it is.
 */
#include "config.h"

#include <string.h>

#include "../../src/schemeless.h"
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

/* The line as a line without a scheme would be taken, with scheme. */
static void
fuzz_check_schemeless(const char *s, size_t len, const char *scheme)
{
	struct url_target	 t;
	char			*full, why[256];
	const char		*bad;
	size_t			 n;

	bad = schemeless_url(scheme, s, len, &full, &n);
	if (memmem(s, len, "://", 3) != NULL) {
		FUZZ_CHECK(bad == NULL && full == NULL);
		return;
	}
	FUZZ_CHECK((bad == NULL) == (full != NULL));
	if (full == NULL)
		return;
	FUZZ_CHECK(n == strlen(scheme) + 3 + len &&
	    strncmp(full + strlen(scheme), "://", 3) == 0);
	if (url_parse(full, &t, why, sizeof why) == NULL)
		FUZZ_CHECK(t.https == (strcmp(scheme, "https") == 0));
	url_target_clear(&t);
	free(full);
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
	fuzz_check_schemeless(s, size, "http");
	fuzz_check_schemeless(s, size, "https");
	free(s);
	return 0;
}
