/*
 * lines.h: splits a byte stream into input lines: trimmed, blank and '#'
 * lines skipped, CRLF accepted, over-long lines cut and flagged rather
 * than buffered.  The reader fills the buffer; this only splits.
 */
#ifndef COFETCH_LINES_H
#define COFETCH_LINES_H

#include <stddef.h>

#define LINE_MAX_BYTES	8192		/* longer lines are bad input */
#define LINES_BUFSIZE	65536

enum {
	LINE_TOO_LONG = 1,
	LINE_HAS_NUL = 2
};

struct line {
	const char	*s;		/* valid until the next lines_*() call */
	size_t		 len;
	unsigned	 flags;
};

struct lines {
	char	*buf;
	size_t	 start, end;		/* unread bytes: buf[start..end) */
	int	 skipping;		/* inside an over-long line */
	int	 eof;
};

void	 lines_init(struct lines *);
void	 lines_free(struct lines *);
void	 lines_reset(struct lines *);
int	 lines_next(struct lines *, struct line *);
char	*lines_space(struct lines *, size_t *);
void	 lines_fill(struct lines *, size_t);
void	 lines_set_eof(struct lines *);
void	 line_trim(struct line *);

#endif
