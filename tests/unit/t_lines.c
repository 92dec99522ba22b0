/*
 * t_lines.c: input line splitting: trimming, CRLF, comments and blanks,
 * the last line without a newline, NUL bytes, over-long lines, and the
 * same result however the bytes are split across reads.
 */
#include <stdlib.h>

#include "../../src/buf.h"
#include "../../src/lines.h"
#include "unit.h"

/* Feeds data in reads of at most step bytes; lists the lines found. */
static void
split(const char *data, size_t len, size_t step, struct buf *out)
{
	struct lines	l;
	struct line	ln;
	size_t		off = 0, n, avail;
	char		*p;

	lines_init(&l);
	buf_reset(out);
	for (;;) {
		while (lines_next(&l, &ln)) {
			buf_add(out, ln.s, ln.len);
			buf_printf(out, "%s%s|", ln.flags & LINE_TOO_LONG ?
			    "<long>" : "", ln.flags & LINE_HAS_NUL ? "<nul>" :
			    "");
		}
		if (l.eof)
			break;
		if (off == len) {
			lines_set_eof(&l);
			continue;
		}
		p = lines_space(&l, &avail);
		n = len - off < step ? len - off : step;
		n = n < avail ? n : avail;
		memcpy(p, data + off, n);
		lines_fill(&l, n);
		off += n;
	}
	lines_free(&l);
}

static int
split_is(const char *data, size_t len, const char *want, size_t wantlen)
{
	static const size_t	steps[] = { 1, 2, 7, 4096, 65536 };
	struct buf		b;
	size_t			i;
	int			ok = 1;

	buf_init(&b);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		split(data, len, steps[i], &b);
		if (b.len != wantlen || (wantlen > 0 &&
		    memcmp(b.data, want, wantlen) != 0)) {
			printf("# step %zu: got %.*s\n", steps[i],
			    (int)(b.len > 200 ? 200 : b.len), b.data);
			ok = 0;
		}
	}
	buf_free(&b);
	return ok;
}

#define SPLIT_IS(data, want) \
	split_is(data, sizeof(data) - 1, want, sizeof(want) - 1)

int
main(void)
{
	struct buf	long_in, want;
	size_t		i;

	CHECK("simple", SPLIT_IS("a\nb\n", "a|b|"));
	CHECK("no final newline", SPLIT_IS("a\nb", "a|b|"));
	CHECK("crlf", SPLIT_IS("a\r\nb\r\n", "a|b|"));
	CHECK("trim", SPLIT_IS("  a \t\n\tb\r\n", "a|b|"));
	CHECK("blank and comment lines", SPLIT_IS("\n  \n#c\n  # d\na\n\n",
	    "a|"));
	CHECK("hash inside a line", SPLIT_IS("http://h/#frag\n",
	    "http://h/#frag|"));
	CHECK("nul flagged", SPLIT_IS("a\0b\nc\n", "a\0b<nul>|c|"));
	CHECK("empty input", SPLIT_IS("", ""));

	/* 20000 bytes, then a normal line: cut to the limit, flagged. */
	buf_init(&long_in);
	buf_init(&want);
	for (i = 0; i < 20000; i++)
		buf_addc(&long_in, 'x');
	buf_adds(&long_in, "\nnext\n#");
	for (i = 0; i < 70000; i++)
		buf_addc(&long_in, 'c');
	buf_adds(&long_in, "\nlast\n");
	for (i = 0; i < LINE_MAX_BYTES; i++)
		buf_addc(&want, 'x');
	buf_adds(&want, "<long>|next|last|");
	CHECK("long line cut, long comment skipped",
	    split_is(long_in.data, long_in.len, want.data, want.len));
	buf_free(&long_in);
	buf_free(&want);
	return unit_done("t_lines");
}
