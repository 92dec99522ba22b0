/*
 * doneset.h: --skip-done, the URLs a previous run's -f json output
 * records as ok, kept as 64-bit hashes (urlset.h).
 */
#ifndef COFETCH_DONESET_H
#define COFETCH_DONESET_H

#include <stddef.h>

struct doneset;

struct doneset	*doneset_load(const char *, const char *);
void		 doneset_free(struct doneset *);
int		 doneset_has(const struct doneset *, const char *, size_t);
int		 doneset_cut(const struct doneset *);

#endif
