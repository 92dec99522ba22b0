/*
 * buf.c: growable byte buffer.  Growth doubles so appending a line costs
 * amortised O(length); buffers are reused (buf_reset) rather than freed on
 * hot paths.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "xmalloc.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Make room for at least extra more bytes. */
void
buf_grow(struct buf *b, size_t extra)
{
	size_t	cap;

	if (b->cap - b->len >= extra)
		return;
	/* A size that cannot be had is a bug, not a reason to spin. */
	if (extra > SIZE_MAX / 2 - b->len)
		msg_fatal("cannot grow a buffer by %zu bytes", extra);
	cap = b->cap == 0 ? 256 : b->cap;
	while (cap - b->len < extra)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, p, len);
	b->len += len;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_add_u64(struct buf *b, uint64_t v)
{
	char	tmp[20];
	size_t	n = 0;

	do {
		tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_add(b, tmp + sizeof tmp - n, n);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
