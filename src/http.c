/*
 * http.c: HTTP's tokens, redirect statuses and method kinds, decided
 * once for the option parser, the jsonl reader, the task and libcurl's
 * setup alike.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "http.h"

/* An HTTP token (RFC 9110): what a method or a header name may be. */
int
http_token(const char *s)
{
	static const char	tchar[] = "!#$%&'*+-.^_`|~";

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || strchr(tchar, *s) != NULL))
			return 0;
	return 1;
}

/* Whether a response with this status redirects (when it has a Location). */
int
http_redirects(long status)
{
	return status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308;
}

/*
 * What browsers and curl do: 307 and 308 repeat the request as it was;
 * 301, 302 and 303 turn it into a GET without a body (HEAD stays HEAD).
 */
int
http_redirect_keeps_method(long status)
{
	return status == 307 || status == 308;
}

/* A method, as sent (names are case-sensitive); NULL is the default GET. */
enum http_method
http_method_kind(const char *m)
{
	if (m == NULL || strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	return HTTP_OTHER;
}

/*
 * Whether a request may be sent twice without a second effect (RFC 9110
 * 9.2.2): GET, HEAD, PUT, DELETE, OPTIONS, TRACE.  A request with a body
 * and no method is a POST.
 */
int
http_idempotent(const char *m, int has_body)
{
	static const char *const safe[] = { "PUT", "DELETE", "OPTIONS",
	    "TRACE" };
	size_t	i;

	if (m == NULL)
		return !has_body;
	switch (http_method_kind(m)) {
	case HTTP_GET:
	case HTTP_HEAD:
		return 1;
	case HTTP_POST:
		return 0;
	case HTTP_OTHER:
		break;
	}
	for (i = 0; i < sizeof safe / sizeof safe[0]; i++)
		if (strcmp(m, safe[i]) == 0)
			return 1;
	return 0;
}
