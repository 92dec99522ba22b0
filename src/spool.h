/*
 * spool.h: bodies held until they may be written whole (-f body).  Every
 * held body shares one memory budget; past it, bytes go to one temporary
 * file, unlinked as soon as it is made, so no exit path leaves it behind.
 */
#ifndef COFETCH_SPOOL_H
#define COFETCH_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct spool;

struct spool_extent {
	uint64_t	off;
	uint64_t	len;
};

struct body {
	struct spool		*spool;
	struct buf		 mem;		/* the first bytes */
	struct spool_extent	*ext;		/* then these, in the file */
	size_t			 next;
	size_t			 cap;
	uint64_t		 len;		/* mem.len + every extent */
};

struct spool	*spool_new(size_t);
void		 spool_free(struct spool *);
struct body	*body_new(struct spool *);
void		 body_free(struct body *);
void		 body_reset(struct body *);
int		 body_add(struct body *, const void *, size_t);
ssize_t		 body_read(const struct body *, uint64_t, void *, size_t);

#endif
