/*
 * json.h: the pieces of a JSON line that need care: strings (escaped and
 * repaired to valid UTF-8) and durations.  Keys and punctuation are
 * written by the caller as literals.
 */
#ifndef COFETCH_JSON_H
#define COFETCH_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

void	json_str(struct buf *, const char *, size_t);
void	json_strz(struct buf *, const char *);
void	json_seconds(struct buf *, int64_t);
void	json_base64(struct buf *, const void *, size_t);
void	json_utc_ms(struct buf *, int64_t);

#endif
