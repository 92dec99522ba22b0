/*
 * preview.h: the first N non-empty lines of a body, collected as it
 * streams in, so the transfer can stop as soon as they are all there.
 */
#ifndef COFETCH_PREVIEW_H
#define COFETCH_PREVIEW_H

#include <stddef.h>

#include "buf.h"

#define PREVIEW_LINE_MAX	4096	/* longer lines are cut */

struct preview {
	size_t		want;		/* lines wanted */
	size_t		have;		/* lines kept */
	struct buf	lines;		/* kept lines, each ending in '\n' */
	struct buf	cur;		/* the line being read */
	int		cut;		/* cur reached PREVIEW_LINE_MAX */
};

void	preview_init(struct preview *, size_t);
void	preview_free(struct preview *);
void	preview_reset(struct preview *);
int	preview_feed(struct preview *, const char *, size_t);
void	preview_end(struct preview *);

#endif
