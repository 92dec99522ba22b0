/*
 * url.c: URL validation and the host:port a URL connects to: the common
 * shape read directly, anything else with libcurl's URL API.  The host is
 * spelled the way libcurl will look it up in CURLOPT_RESOLVE entries:
 * lower case, IDN as punycode.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"
#include "xmalloc.h"

static char *
url_host(CURLU *u)
{
	char	*h = NULL, *copy, *p;

	/*
	 * Without IDN support in libcurl, or where the locale is not UTF-8,
	 * ask again for the host as is.  libcurl 7.88 may fill in h even
	 * when it fails.
	 */
	if (curl_url_get(u, CURLUPART_HOST, &h, CURLU_PUNYCODE) != CURLUE_OK) {
		curl_free(h);
		h = NULL;
		if (curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
			return NULL;
	}
	copy = xstrdup(h);
	curl_free(h);
	for (p = copy; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return copy;
}

/*
 * Whether [h, end) is an IPv4 address the way libcurl writes one: four
 * decimal numbers to 255 without leading zeros.  Any other numeric host
 * (127.1, 0x7f.1, 010.0.0.1) is one libcurl rewrites.
 */
static int
url_dotted_quad(const char *h, const char *end)
{
	int	parts = 0, digits, v;

	for (;;) {
		for (digits = 0, v = 0; h < end && *h >= '0' && *h <= '9' &&
		    digits <= 3; h++, digits++)
			v = v * 10 + (*h - '0');
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && h[-digits] == '0'))
			return 0;
		if (++parts == 4 || h == end || *h != '.')
			break;
		h++;
	}
	return parts == 4 && h == end;
}

/*
 * The common shape, read without libcurl: "http://" or "https://", a
 * lower-case ASCII name whose last label starts with a letter, or an IPv4
 * address as libcurl would write it, an optional port, then only
 * printable ASCII.  libcurl accepts all of these and spells the host and
 * port the same; anything else is left to it (and t is left untouched).
 * Its parser costs more than the rest of admitting a line, and it parses
 * the URL again anyway.
 */
static int
url_parse_plain(const char *s, struct url_target *t)
{
	const char	*p, *host, *label, *end;
	long		 port;
	int		 https;

	if (strncmp(s, "http://", 7) == 0)
		https = 0;
	else if (strncmp(s, "https://", 8) == 0)
		https = 1;
	else
		return 0;
	host = label = p = s + 7 + https;
	for (; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
	    *p == '-' || *p == '.'; p++)
		if (*p == '.')
			label = p + 1;
	if (p == host || ((*label < 'a' || *label > 'z') &&
	    !url_dotted_quad(host, p)))
		return 0;
	end = p;
	port = https ? 443 : 80;
	if (*p == ':') {
		if (*++p < '1' || *p > '9')
			return 0;
		for (port = 0; *p >= '0' && *p <= '9' && port <= 65535; p++)
			port = port * 10 + (*p - '0');
		if (port > 65535)
			return 0;
	}
	if (*p != '\0' && *p != '/' && *p != '?' && *p != '#')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	t->host = xmemdup(host, (size_t)(end - host));
	t->port = port;
	t->https = https;
	return 1;
}

/*
 * NULL if s is an http or https URL, with its host and port in t (which
 * the caller clears); otherwise why not, in why.
 */
const char *
url_parse(const char *s, struct url_target *t, char *why, size_t whylen)
{
	if (url_parse_plain(s, t))
		return NULL;
	return url_parse_curl(s, t, why, whylen);
}

/* url_parse, all of it done by libcurl's URL API. */
const char *
url_parse_curl(const char *s, struct url_target *t, char *why, size_t whylen)
{
	CURLU		*u;
	CURLUcode	 rc;
	char		*scheme = NULL, *port = NULL;
	const char	*bad = NULL;

	t->host = NULL;
	t->port = 0;
	t->https = 0;
	if ((u = curl_url()) == NULL)
		return "out of memory";
	rc = curl_url_set(u, CURLUPART_URL, s, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		snprintf(why, whylen, "not a valid URL: %s",
		    curl_url_strerror(rc));
		bad = why;
	} else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) !=
	    CURLUE_OK || (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0)) {
		snprintf(why, whylen, "scheme '%s' is not allowed "
		    "(only http and https)", scheme ? scheme : "");
		bad = why;
	} else if ((t->host = url_host(u)) == NULL || t->host[0] == '\0' ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		snprintf(why, whylen, "not a valid URL: no host");
		bad = why;
	} else if ((t->port = strtol(port, NULL, 10)) == 0) {
		/* libcurl 7.88 takes ":0", which nothing can connect to. */
		snprintf(why, whylen, "not a valid URL: port 0");
		bad = why;
	} else
		t->https = strcasecmp(scheme, "https") == 0;
	curl_free(scheme);
	curl_free(port);
	curl_url_cleanup(u);
	return bad;
}

void
url_target_clear(struct url_target *t)
{
	free(t->host);
	t->host = NULL;
}

/*
 * A --proxy URL, and the host:port libcurl will connect to for it (its
 * default proxy port is 1080, 443 for https).  Only proxies that resolve
 * the target's name themselves are allowed, so that cofetch resolves the
 * proxy's name and libcurl resolves nothing.
 */
const char *
url_parse_proxy(const char *s, struct url_target *t, char *why,
    size_t whylen)
{
	static const char *const schemes[] = { "http", "https", "socks4a",
	    "socks5h" };
	CURLU		*u;
	char		*scheme = NULL, *port = NULL;
	const char	*bad = NULL;
	size_t		 i = 0;

	t->host = NULL;
	t->port = 0;
	if ((u = curl_url()) == NULL)
		return "out of memory";
	if (curl_url_set(u, CURLUPART_URL, s, CURLU_NON_SUPPORT_SCHEME |
	    CURLU_DEFAULT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (t->host = url_host(u)) == NULL || t->host[0] == '\0')
		bad = "not a proxy URL";
	else {
		for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
			if (strcasecmp(scheme, schemes[i]) == 0)
				break;
		if (i == sizeof schemes / sizeof schemes[0])
			bad = "the proxy must be http, https, socks4a or "
			    "socks5h (the proxy resolves names)";
	}
	if (bad == NULL && curl_url_get(u, CURLUPART_PORT, &port, 0) ==
	    CURLUE_OK)
		t->port = strtol(port, NULL, 10);
	else if (bad == NULL)
		t->port = i == 1 ? 443 : 1080;
	if (bad != NULL)
		snprintf(why, whylen, "%s", bad);
	curl_free(scheme);
	curl_free(port);
	curl_url_cleanup(u);
	return bad != NULL ? why : NULL;
}
