/*
 * utf8.h: UTF-8 decoding that replaces each maximal invalid subpart with
 * U+FFFD, the rule Python's bytes.decode('utf-8', 'replace') follows.
 */
#ifndef COFETCH_UTF8_H
#define COFETCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define UTF8_REPLACEMENT "\xef\xbf\xbd"

size_t	utf8_next(const unsigned char *, size_t, int32_t *);
size_t	utf8_put(struct buf *, const unsigned char *, size_t);
void	utf8_repair(struct buf *, const char *, size_t);
void	utf8_encode(struct buf *, int32_t);
int	utf8_valid(const unsigned char *, size_t);

#endif
