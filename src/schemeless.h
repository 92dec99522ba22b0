/*
 * schemeless.h: a line that is a URL without its scheme, the way curl
 * takes one: a host name, an IPv4 address or a bracketed IPv6 address,
 * an optional :PORT of digits, then '/', '?', '#' or the end.  Such a
 * line is fetched with the default scheme put in front; any other line
 * without "://" is not a URL.  Pure.
 */
#ifndef COFETCH_SCHEMELESS_H
#define COFETCH_SCHEMELESS_H

#include <stddef.h>

int		 schemeless(const char *, size_t);
const char	*schemeless_url(const char *, const char *, size_t, char **,
	    size_t *);

#endif
