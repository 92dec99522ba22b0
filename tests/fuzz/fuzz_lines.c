/*
 * fuzz_lines.c: input line splitting.  The input is read in steps the
 * first byte picks (1 byte to 64 KiB), and the lines must be those of a
 * plain split of the whole input: however the reads fall, whatever the
 * line lengths, nothing is lost, joined or grown past LINE_MAX_BYTES.
 */
#include <string.h>

#include "../../src/buf.h"
#include "../../src/lines.h"
#include "fuzz.h"

static void
fuzz_line_out(struct buf *out, const char *s, size_t len, unsigned flags)
{
	FUZZ_CHECK(len <= LINE_MAX_BYTES);
	FUZZ_CHECK(memchr(s, '\n', len) == NULL);
	buf_add(out, s, len);
	buf_printf(out, "|%u\n", flags);
}

/* The same rules as lines.c, over the whole input at once. */
static void
fuzz_split_whole(const char *p, size_t n, struct buf *out)
{
	const char	*end = p + n, *nl;
	struct line	 ln;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ln.s = p;
		ln.len = (size_t)((nl != NULL ? nl : end) - p);
		ln.flags = 0;
		p = nl != NULL ? nl + 1 : end;
		if (ln.len > LINE_MAX_BYTES) {
			ln.len = LINE_MAX_BYTES;
			ln.flags = LINE_TOO_LONG;
		}
		line_trim(&ln);
		if (ln.len == 0 || ln.s[0] == '#')
			continue;
		if (memchr(ln.s, '\0', ln.len) != NULL)
			ln.flags |= LINE_HAS_NUL;
		fuzz_line_out(out, ln.s, ln.len, ln.flags);
	}
}

static void
fuzz_split_read(const char *p, size_t n, size_t step, struct buf *out)
{
	struct lines	 l;
	struct line	 ln;
	size_t		 off = 0, room, k;
	char		*space;

	lines_init(&l);
	for (;;) {
		while (lines_next(&l, &ln))
			fuzz_line_out(out, ln.s, ln.len, ln.flags);
		if (l.eof)
			break;
		if (off == n) {
			lines_set_eof(&l);
			continue;
		}
		space = lines_space(&l, &room);
		FUZZ_CHECK(room > 0);
		k = n - off < step ? n - off : step;
		k = k < room ? k : room;
		memcpy(space, p + off, k);
		lines_fill(&l, k);
		off += k;
	}
	lines_free(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	whole, read;
	size_t		step;

	if (size == 0)
		return 0;
	step = 1 + (size_t)data[0] * data[0];
	buf_init(&whole);
	buf_init(&read);
	fuzz_split_whole((const char *)data + 1, size - 1, &whole);
	fuzz_split_read((const char *)data + 1, size - 1, step, &read);
	FUZZ_CHECK(whole.len == read.len && (whole.len == 0 ||
	    memcmp(whole.data, read.data, whole.len) == 0));
	buf_free(&whole);
	buf_free(&read);
	return 0;
}
