/*
 * charset.c: conversion to UTF-8.  Labels are mapped as the WHATWG
 * Encoding standard does (iso-8859-1 and us-ascii mean windows-1252,
 * gb2312 and gbk mean GB18030, shift_jis means Microsoft's CP932, big5
 * means Big5-HKSCS), since that is what pages labelled so really hold.
 * Bytes iconv cannot convert become U+FFFD and the rest goes on.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "charset.h"
#include "utf8.h"
#include "xmalloc.h"

static const struct {
	const char	*label;
	const char	*iconv_name;
} charset_aliases[] = {
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
	/* A page that says UTF-16 in ASCII bytes is not UTF-16. */
	{ "utf-16", "UTF-8" }, { "utf-16le", "UTF-8" },
	{ "utf-16be", "UTF-8" },
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "gb_2312-80", "GB18030" }, { "chinese", "GB18030" },
	{ "csgb2312", "GB18030" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" },
	{ "sjis", "CP932" }, { "x-sjis", "CP932" }, { "ms_kanji", "CP932" },
	{ "csshiftjis", "CP932" }, { "ms932", "CP932" },
	{ "big5", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
};

/*
 * The charset parameter of a Content-Type value into out (lower-cased,
 * unquoted); 0 if there is none that fits.
 */
int
charset_of_content_type(const char *ct, char *out, size_t outlen)
{
	const char	*p;
	size_t		 n = 0;

	if (ct == NULL || (p = strcasestr(ct, "charset")) == NULL)
		return 0;
	p += 7;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
		p++;
	while (*p != '\0' && strchr("\"'; \t,", *p) == NULL) {
		if (n + 1 >= outlen)
			return 0;
		out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		p++;
	}
	out[n] = '\0';
	return n > 0;
}

static const char *
charset_iconv_name(const char *label)
{
	size_t	i;

	for (i = 0; i < sizeof charset_aliases / sizeof charset_aliases[0];
	    i++)
		if (strcasecmp(label, charset_aliases[i].label) == 0)
			return charset_aliases[i].iconv_name;
	return label;
}

int
charset_is_utf8(const char *label)
{
	return label == NULL || label[0] == '\0' ||
	    strcmp(charset_iconv_name(label), "UTF-8") == 0;
}

static void
charset_iconv(struct buf *b, iconv_t cd, const char *in, size_t len)
{
	char	*src = (char *)(uintptr_t)in, *dst;
	size_t	 room;

	while (len > 0) {
		buf_grow(b, len * 4 + 16);
		dst = b->data + b->len;
		room = b->cap - b->len;
		if (iconv(cd, &src, &len, &dst, &room) != (size_t)-1) {
			b->len = (size_t)(dst - b->data);
			break;
		}
		b->len = (size_t)(dst - b->data);
		if (errno == E2BIG)
			continue;
		/* EILSEQ or a sequence cut at the end (EINVAL). */
		buf_add(b, UTF8_REPLACEMENT, 3);
		src++;
		len--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
}

/*
 * in (len bytes, in charset label; NULL or unknown: UTF-8) as UTF-8,
 * NUL-terminated; *outlen gets its length.  The caller frees it.
 */
char *
charset_to_utf8(const char *label, const char *in, size_t len,
    size_t *outlen)
{
	struct buf	b;
	iconv_t		cd = (iconv_t)-1;

	buf_init(&b);
	if (!charset_is_utf8(label))
		cd = iconv_open("UTF-8", charset_iconv_name(label));
	if (cd == (iconv_t)-1)
		utf8_repair(&b, in, len);
	else {
		charset_iconv(&b, cd, in, len);
		iconv_close(cd);
	}
	buf_addc(&b, '\0');
	*outlen = b.len - 1;
	return b.data;
}
