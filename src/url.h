/*
 * url.h: is an input line a URL cofetch may fetch, and where does it go?
 * Only http and https are allowed.  The common shape is read directly,
 * the rest by libcurl's own parser (CURLU); the unit test t_url holds the
 * two to the same answers, so what passes here is what the transfer sees.
 */
#ifndef COFETCH_URL_H
#define COFETCH_URL_H

#include <stddef.h>

struct url_target {
	char	*host;		/* lower case, IDN as punycode, IPv6 in [] */
	long	 port;
	int	 https;
};

const char	*url_parse(const char *, struct url_target *, char *, size_t);
const char	*url_parse_curl(const char *, struct url_target *, char *,
		    size_t);
const char	*url_parse_proxy(const char *, struct url_target *, char *,
		    size_t);
void		 url_target_clear(struct url_target *);

#endif
