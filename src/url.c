/*
 * url.c: URL validation with libcurl's URL API.  Returns why a line is not
 * a fetchable URL, so the bad line becomes a bad_input result with a
 * message a person can act on.
 */
#include "config.h"

#include <stdio.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"

/* NULL if s is an http or https URL; otherwise a message in why. */
const char *
url_check(const char *s, char *why, size_t whylen)
{
	CURLU		*u;
	CURLUcode	 rc;
	char		*scheme = NULL;
	const char	*bad = NULL;

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
	}
	curl_free(scheme);
	curl_url_cleanup(u);
	return bad;
}
