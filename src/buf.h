/*
 * buf.h: a growable byte buffer, the one way cofetch builds output lines.
 */
#ifndef COFETCH_BUF_H
#define COFETCH_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
void	buf_grow(struct buf *, size_t);
void	buf_add(struct buf *, const void *, size_t);
void	buf_adds(struct buf *, const char *);
void	buf_add_u64(struct buf *, uint64_t);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

static inline void
buf_addc(struct buf *b, char c)
{
	if (b->len == b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
}

static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
}

#endif
