/*
 * t_utf8.c: UTF-8 repair, through json_str(), the one path cofetch's
 * output takes.  Fixed cases from Unicode's table 3-7 and its "maximal
 * subpart" examples; with --filter, writes each hex line of stdin as a
 * JSON string, so t-utf8.sh can check thousands of random strings
 * against Python.
 */
#include <stdlib.h>

#include "../../src/json.h"
#include "../../src/utf8.h"
#include "unit.h"

#define R UTF8_REPLACEMENT

struct utf8_case {
	const char	*name;
	const char	*in;
	size_t		 inlen;
	const char	*out;
	size_t		 outlen;
};

#define C(name, in, out) { name, in, sizeof(in) - 1, out, sizeof(out) - 1 }

static const struct utf8_case cases[] = {
	C("ascii", "plain", "plain"),
	C("valid 2-4 bytes", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
	C("lone continuation", "a\x80z", "a" R "z"),
	C("ff fe", "\xff\xfe", R R),
	C("truncated 3-byte then ascii", "\xe2\x82" "A", R "A"),
	C("truncated 4-byte at end", "\xf0\x9f\x98", R),
	C("surrogate ED A0 80", "\xed\xa0\x80", R R R),
	C("overlong C0 AF", "\xc0\xaf", R R),
	C("overlong E0 80 AF", "\xe0\x80\xaf", R R R),
	C("above U+10FFFF", "\xf4\x90\x80\x80", R R R R),
	C("F5 lead", "\xf5\x80", R R),
	C("max code point", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),
	C("NUL kept", "a\0b", "a\0b"),
	C("lead then lead", "\xc3\xc3\xa9", R "\xc3\xa9"),
};

static int
unhex(const char *s, char *out)
{
	int	n = 0;
	unsigned v;

	for (; s[0] && s[1] && sscanf(s, "%2x", &v) == 1; s += 2)
		out[n++] = (char)v;
	return n;
}

/* Reads one hex string a line, writes it as a JSON string a line. */
static int
filter(void)
{
	char		line[8192], bytes[4096];
	struct buf	b;
	int		n;

	buf_init(&b);
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		n = unhex(line, bytes);
		buf_reset(&b);
		json_str(&b, bytes, (size_t)n);
		printf("%.*s\n", (int)b.len, b.data);
	}
	buf_free(&b);
	return 0;
}

/* What json_str() makes of s, without the quotes and escapes. */
static void
repaired(struct buf *b, const char *s, size_t len)
{
	struct buf	j;
	size_t		i;

	buf_init(&j);
	json_str(&j, s, len);
	buf_reset(b);
	for (i = 1; i + 1 < j.len; i++) {
		if (j.data[i] == '\\' && j.data[i + 1] == 'u') {
			buf_addc(b, (char)strtol((char[]){ j.data[i + 4],
			    j.data[i + 5], 0 }, NULL, 16));
			i += 5;
		} else
			buf_addc(b, j.data[i]);
	}
	buf_free(&j);
}

int
main(int argc, char **argv)
{
	struct buf	b;
	size_t		i;

	if (argc > 1 && strcmp(argv[1], "--filter") == 0)
		return filter();
	buf_init(&b);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		repaired(&b, cases[i].in, cases[i].inlen);
		CHECK_MEM(cases[i].name, b.data, b.len, cases[i].out,
		    cases[i].outlen);
	}
	buf_free(&b);
	return unit_done("t_utf8");
}
