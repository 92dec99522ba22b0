/*
 * schemeless.c: which lines get the default scheme (CLI.md's rule for
 * domain lists: "example.com", "10.0.0.1:8080/x", "[::1]/"), and the URL
 * they then name.  Everything else is left to the URL parser, which
 * refuses it, so "file:/etc/passwd" or "mailto:a@b" can never become a
 * URL with a scheme of their own.
 */
#include "config.h"

#include <string.h>

#include "schemeless.h"
#include "xmalloc.h"

/* A byte of a host name: ASCII letters, digits, '-', '_', '.', or UTF-8. */
static int
schemeless_name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c >= 0x80;
}

static int
schemeless_v6_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

/* Past the host at s (NULL: none there). */
static const char *
schemeless_host(const char *s, const char *end)
{
	const char	*p = s;

	if (p < end && *p == '[') {
		for (p++; p < end && schemeless_v6_byte((unsigned char)*p); p++)
			;
		if (p == s + 1 || p >= end || *p != ']')
			return NULL;
		return p + 1;
	}
	while (p < end && schemeless_name_byte((unsigned char)*p))
		p++;
	if (p == s || *s == '.' || *s == '-')
		return NULL;
	return p;
}

/* Whether the line is a URL without its scheme (see schemeless.h). */
int
schemeless(const char *s, size_t len)
{
	const char	*end = s + len, *p, *digits;

	if (len >= 3 && memmem(s, len, "://", 3) != NULL)
		return 0;
	if ((p = schemeless_host(s, end)) == NULL)
		return 0;
	if (p < end && *p == ':') {
		for (digits = ++p; p < end && *p >= '0' && *p <= '9'; p++)
			;
		if (p == digits || p - digits > 5)
			return 0;
	}
	return p == end || *p == '/' || *p == '?' || *p == '#';
}

/*
 * The URL a line names.  NULL when it has a scheme of its own ("://": the
 * URL parser has the last word) or none at all (the reason is returned,
 * for a bad_input result); else scheme "://" line, NUL-terminated, the
 * caller's to free, in *out.
 */
const char *
schemeless_url(const char *scheme, const char *s, size_t len, char **out,
    size_t *outlen)
{
	size_t	 n = strlen(scheme);
	char	*u;

	*out = NULL;
	if (len >= 3 && memmem(s, len, "://", 3) != NULL)
		return NULL;
	if (!schemeless(s, len))
		return "not a URL: no scheme, and not a host name or address "
		    "with an optional port";
	u = xmalloc(n + 3 + len + 1);
	memcpy(u, scheme, n);
	memcpy(u + n, "://", 3);
	memcpy(u + n + 3, s, len);
	u[n + 3 + len] = '\0';
	*out = u;
	*outlen = n + 3 + len;
	return NULL;
}
