/*
 * validators.h: --revalidate, the validators (ETag, Last-Modified) a
 * previous -f json output records for each URL it fetched ok, to be
 * sent back as If-None-Match and If-Modified-Since.
 */
#ifndef COFETCH_VALIDATORS_H
#define COFETCH_VALIDATORS_H

#include <stddef.h>

/* What a URL's newest record said; NULL: not recorded, or not usable. */
struct validator {
	const char	*etag;
	const char	*last_modified;
};

struct validators;

struct validators	*validators_load(const char *, const char *);
void			 validators_free(struct validators *);
int			 validators_get(const struct validators *,
			    const char *, size_t, struct validator *);
int			 validators_cut(const struct validators *);

#endif
