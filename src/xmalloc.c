/*
 * xmalloc.c: allocation wrappers that abort with the size on failure, so
 * callers never check.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "xmalloc.h"

static void
xmalloc_fail(size_t size)
{
	msg_fatal("out of memory (%zu bytes)", size);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(n * size);
	return p;
}

void *
xrealloc(void *old, size_t size)
{
	void	*p;

	if ((p = realloc(old, size == 0 ? 1 : size)) == NULL)
		xmalloc_fail(size);
	return p;
}

/* A copy with a terminating NUL, whatever bytes (NULs included) it holds. */
char *
xmemdup(const void *s, size_t len)
{
	char	*p;

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}
