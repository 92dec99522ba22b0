/*
 * fdio.h: writing the whole of a buffer to a descriptor.
 */
#ifndef COFETCH_FDIO_H
#define COFETCH_FDIO_H

#include <stddef.h>

int	fd_write_all(int, const void *, size_t);

#endif
