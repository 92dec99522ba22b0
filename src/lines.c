/*
 * lines.c: line splitting over a fixed 64 KiB buffer.  A line longer than
 * LINE_MAX_BYTES is returned once, cut, with LINE_TOO_LONG, and the rest of
 * it is discarded as it arrives, so no input can make the buffer grow.
 * Pure: no I/O.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "xmalloc.h"

void
lines_init(struct lines *l)
{
	l->buf = xmalloc(LINES_BUFSIZE);
	lines_reset(l);
}

void
lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

void
lines_reset(struct lines *l)
{
	l->start = l->end = 0;
	l->skipping = 0;
	l->eof = 0;
}

static int
lines_space_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void
line_trim(struct line *ln)
{
	while (ln->len > 0 && lines_space_char(ln->s[0])) {
		ln->s++;
		ln->len--;
	}
	while (ln->len > 0 && lines_space_char(ln->s[ln->len - 1]))
		ln->len--;
}

/* Blank lines and '#' lines take no index. */
static int
line_is_comment(const struct line *ln)
{
	return ln->len == 0 || ln->s[0] == '#';
}

/*
 * The next line with a URL, or 0 when more input is needed (or, after
 * lines_set_eof, when there is none).
 */
int
lines_next(struct lines *l, struct line *out)
{
	char	*p, *nl;
	size_t	 avail;

	for (;;) {
		p = l->buf + l->start;
		if ((avail = l->end - l->start) == 0)
			return 0;
		nl = memchr(p, '\n', avail);
		if (l->skipping) {
			if (nl == NULL) {
				l->start = l->end;
				return 0;
			}
			l->start += (size_t)(nl - p) + 1;
			l->skipping = 0;
			continue;
		}
		out->s = p;
		out->flags = 0;
		if (nl != NULL) {
			out->len = (size_t)(nl - p);
			l->start += out->len + 1;
		} else if (avail > LINE_MAX_BYTES) {
			out->len = avail;
			l->start = l->end;
			l->skipping = 1;
		} else if (l->eof) {
			out->len = avail;
			l->start = l->end;
		} else
			return 0;
		if (out->len > LINE_MAX_BYTES) {
			out->len = LINE_MAX_BYTES;
			out->flags |= LINE_TOO_LONG;
		}
		line_trim(out);
		if (line_is_comment(out))
			continue;
		if (memchr(out->s, '\0', out->len) != NULL)
			out->flags |= LINE_HAS_NUL;
		return 1;
	}
}

/* Where the reader may put more bytes, and how many. */
char *
lines_space(struct lines *l, size_t *avail)
{
	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	*avail = LINES_BUFSIZE - l->end;
	return l->buf + l->end;
}

void
lines_fill(struct lines *l, size_t n)
{
	l->end += n;
}

void
lines_set_eof(struct lines *l)
{
	l->eof = 1;
}
