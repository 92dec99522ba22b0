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
	} else
		t->port = strtol(port, NULL, 10);
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
