/*
 * url.c: URL validation and the host:port a URL connects to, with
 * libcurl's URL API.  The host is spelled the way libcurl will look it up
 * in CURLOPT_RESOLVE entries: lower case, IDN as punycode.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"
#include "xmalloc.h"

static char *
url_host(CURLU *u)
{
	char	*h = NULL, *copy, *p;

	/* Without IDN support in libcurl, ask again for the host as is. */
	if (curl_url_get(u, CURLUPART_HOST, &h, CURLU_PUNYCODE) != CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
		return NULL;
	copy = xstrdup(h);
	curl_free(h);
	for (p = copy; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return copy;
}

/*
 * NULL if s is an http or https URL, with its host and port in t (which
 * the caller clears); otherwise why not, in why.
 */
const char *
url_parse(const char *s, struct url_target *t, char *why, size_t whylen)
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
	} else {
		t->port = strtol(port, NULL, 10);
		t->https = strcasecmp(scheme, "https") == 0;
	}
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
