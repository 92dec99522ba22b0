/*
 * urlset.h: a set of URLs kept as 64-bit hashes, never as strings, in an
 * open-addressing table at most three quarters full (11 to 21 bytes a
 * URL).  --skip-done's done URLs and --unique's seen ones.  Pure.
 */
#ifndef COFETCH_URLSET_H
#define COFETCH_URLSET_H

#include <stddef.h>

struct urlset;

struct urlset	*urlset_new(void);
void		 urlset_free(struct urlset *);
int		 urlset_add(struct urlset *, const char *, size_t);
int		 urlset_has(const struct urlset *, const char *, size_t);
size_t		 urlset_count(const struct urlset *);

#endif
