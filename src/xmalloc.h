/*
 * xmalloc.h: allocation that never returns NULL.  Running out of memory is
 * not a per-URL failure cofetch can report, so it ends the process.
 */
#ifndef COFETCH_XMALLOC_H
#define COFETCH_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xmemdup(const void *, size_t);

#endif
