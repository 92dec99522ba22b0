/*
 * utf8.c: UTF-8 validation by the Unicode "maximal subpart" rule (Unicode
 * 15, section 3.9, table 3-7).  Pure: no I/O, fuzzed and unit tested.
 */
#include "config.h"

#include "utf8.h"

/*
 * Length of the sequence at s (1 to 4 bytes, never more than len).  *cp is
 * its code point, or -1 when those bytes are a maximal invalid subpart:
 * the longest prefix of a well-formed sequence that is not complete, or a
 * single byte that cannot start one.  Each such subpart becomes exactly
 * one U+FFFD, so "E2 82 41" is U+FFFD then "A", and "F0 9F 98" at the end
 * of input is one U+FFFD.
 */
size_t
utf8_next(const unsigned char *s, size_t len, int32_t *cp)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		need, i;
	int32_t		c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (c == 0xed)
			hi = 0x9f;		/* surrogates */
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;		/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
		c &= 0x07;
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = -1;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return need + 1;
}

/*
 * Appends the sequence at s to b, or U+FFFD if it is an invalid subpart;
 * returns how many bytes of s it used.
 */
size_t
utf8_put(struct buf *b, const unsigned char *s, size_t len)
{
	size_t	n;
	int32_t	cp;

	n = utf8_next(s, len, &cp);
	if (cp < 0)
		buf_add(b, UTF8_REPLACEMENT, 3);
	else
		buf_add(b, s, n);
	return n;
}

/* Appends s with every invalid subpart replaced by U+FFFD. */
void
utf8_repair(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;

	buf_grow(b, len);
	while (i < len)
		i += utf8_put(b, p + i, len - i);
}

/* Appends code point cp; U+FFFD for a surrogate or one beyond U+10FFFF. */
void
utf8_encode(struct buf *b, int32_t cp)
{
	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		buf_add(b, UTF8_REPLACEMENT, 3);
	} else if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (char)(0xc0 | (cp >> 6)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xe0 | (cp >> 12)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | (cp >> 18)));
		buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t	i = 0;
	int32_t	cp;

	while (i < len) {
		i += utf8_next(s + i, len - i, &cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}
