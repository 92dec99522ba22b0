/*
 * xmalloc.h: allocation, and what happens when memory runs out.  Every
 * failure counts as a shortage, which the scheduler answers by lowering
 * -j.  A reserve taken at start gives back a block on each failure of
 * ours, so results still get written: the x* calls end the process only
 * when it is all gone, the *_try calls (libevent's) return NULL.  The
 * *_lib calls (libcurl's, c-ares', cJSON's) return NULL, failing one
 * transfer, as long as the reserve is short.
 */
#ifndef COFETCH_XMALLOC_H
#define COFETCH_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xmemdup(const void *, size_t);

void	*xmalloc_try(size_t);
void	*xrealloc_try(void *, size_t);

void	*xmalloc_lib(size_t);
void	*xcalloc_lib(size_t, size_t);
void	*xrealloc_lib(void *, size_t);
char	*xstrdup_lib(const char *);

int		xmalloc_reserve(void);
unsigned	xmalloc_shortages(void);

#endif
