/*
 * fdio.c: the write loop files need (the spool, -o): short writes are
 * continued, EINTR retried, and a write that makes no progress is a full
 * disk.  Standard output has its own loop in sink.c, which also waits on
 * pipes and notices a reader that went away.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "fdio.h"

/* 0, or -1 with errno once the bytes cannot all be written. */
int
fd_write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
