/*
 * reqhdr.c: which header lines go with a request.  A line is "Name:
 * value", "Name;" (sent empty) or "Name:" (the default header removed),
 * as curl's -H takes them; a later line of the same name replaces an
 * earlier one, and Authorization, Cookie and Proxy-Authorization never
 * follow a redirect to another host:port.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reqhdr.h"
#include "xmalloc.h"

/* Headers that must not follow a redirect to another host. */
static int
reqhdr_credential(const char *h)
{
	static const char *const names[] = { "authorization", "cookie",
	    "proxy-authorization" };
	size_t	i, n;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		n = strlen(names[i]);
		if (strncasecmp(h, names[i], n) == 0 && (h[n] == ':' ||
		    h[n] == ';'))
			return 1;
	}
	return 0;
}

/* A header line's name: up to its ':', or ';' for an empty one. */
static size_t
reqhdr_name_len(const char *h)
{
	return strcspn(h, ":;");
}

/* Whether hs has a header of h's name. */
static int
reqhdr_named(const char *const *hs, size_t n, const char *h)
{
	size_t	i, len = reqhdr_name_len(h);

	for (i = 0; i < n; i++)
		if (reqhdr_name_len(hs[i]) == len &&
		    strncasecmp(hs[i], h, len) == 0)
			return 1;
	return 0;
}

/* "Name: value", or "Name;" for an empty value; the caller's to free. */
char *
reqhdr_line(const char *name, const char *value)
{
	size_t	 len = strlen(name) + strlen(value) + 3;
	char	*h = xmalloc(len);

	memcpy(h, name, strlen(name) + 1);
	if (value[0] == '\0')
		strcat(h, ";");
	else {
		strcat(h, ": ");
		strcat(h, value);
	}
	return h;
}

/*
 * ua is the User-Agent, ae the Accept-Encoding value (NULL: none); -H's
 * lines (h, n) stay the caller's and replace cofetch's of the same name.
 */
void
reqhdr_init(struct reqhdr *r, const char *ua, const char *ae,
    const char **h, size_t n)
{
	size_t	i;

	r->std[0] = reqhdr_line("User-Agent", ua);
	r->std[1] = ae != NULL ? reqhdr_line("Accept-Encoding", ae) : NULL;
	r->user = h;
	r->nuser = n;
	for (i = 0; i < REQHDR_STD; i++)
		if (r->std[i] != NULL && reqhdr_named(h, n, r->std[i])) {
			free(r->std[i]);
			r->std[i] = NULL;
		}
}

void
reqhdr_free(struct reqhdr *r)
{
	size_t	i;

	for (i = 0; i < REQHDR_STD; i++)
		free(r->std[i]);
}

/*
 * Calls add() with each line to send, in order: cofetch's, -H's, then
 * the input line's own (own, nown), which replace the others of the same
 * name; with foreign (a hop to another host:port), no credentials.
 */
void
reqhdr_each(const struct reqhdr *r, char *const *own, size_t nown,
    int foreign, reqhdr_add *add, void *arg)
{
	const char *const	*mine = (const char *const *)own;
	size_t			 i;

	for (i = 0; i < REQHDR_STD; i++)
		if (r->std[i] != NULL && !reqhdr_named(mine, nown, r->std[i]))
			add(arg, r->std[i]);
	for (i = 0; i < r->nuser; i++)
		if (!(foreign && reqhdr_credential(r->user[i])) &&
		    !reqhdr_named(mine, nown, r->user[i]))
			add(arg, r->user[i]);
	for (i = 0; i < nown; i++)
		if (!(foreign && reqhdr_credential(own[i])))
			add(arg, own[i]);
}
