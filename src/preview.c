/*
 * preview.c: splits a streaming body into lines and keeps the first N
 * that are not blank.  Memory is bounded by N lines of PREVIEW_LINE_MAX
 * bytes whatever the body.  Pure: no I/O.
 */
#include "config.h"

#include <string.h>

#include "preview.h"

void
preview_init(struct preview *p, size_t want)
{
	p->want = want;
	buf_init(&p->lines);
	buf_init(&p->cur);
	preview_reset(p);
}

void
preview_free(struct preview *p)
{
	buf_free(&p->lines);
	buf_free(&p->cur);
}

/* Forgets what was collected: a new body (the next redirect hop). */
void
preview_reset(struct preview *p)
{
	p->have = 0;
	p->cut = 0;
	buf_reset(&p->lines);
	buf_reset(&p->cur);
}

static int
preview_blank(const char *s, size_t len)
{
	for (; len > 0; s++, len--)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\f' &&
		    *s != '\v')
			return 0;
	return 1;
}

/* The current line is complete: keep it unless it is blank. */
static void
preview_take_line(struct preview *p)
{
	size_t	len = p->cur.len;

	if (len > 0 && p->cur.data[len - 1] == '\r')
		len--;
	if (!preview_blank(p->cur.data, len)) {
		buf_add(&p->lines, p->cur.data, len);
		buf_addc(&p->lines, '\n');
		p->have++;
	}
	buf_reset(&p->cur);
	p->cut = 0;
}

/* Takes more of the body; 1 once all wanted lines are in. */
int
preview_feed(struct preview *p, const char *data, size_t len)
{
	const char	*nl;
	size_t		 n, room;

	while (len > 0 && p->have < p->want) {
		nl = memchr(data, '\n', len);
		n = nl != NULL ? (size_t)(nl - data) : len;
		room = PREVIEW_LINE_MAX - p->cur.len;
		if (!p->cut)
			buf_add(&p->cur, data, n < room ? n : room);
		if (n >= room)
			p->cut = 1;
		if (nl == NULL)
			break;
		preview_take_line(p);
		data += n + 1;
		len -= n + 1;
	}
	return p->have >= p->want;
}

/* The body ended: a last line without a newline counts too. */
void
preview_end(struct preview *p)
{
	if (p->have < p->want && p->cur.len > 0)
		preview_take_line(p);
}
