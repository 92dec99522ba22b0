/*
 * json.c: JSON string and number writing.  Every string is valid UTF-8 on
 * the way out whatever bytes came in (servers send anything), which is why
 * this is not cJSON: cJSON 1.7 copies invalid bytes through.
 */
#include "config.h"

#include <string.h>

#include "json.h"
#include "utf8.h"

static const char json_hex[] = "0123456789abcdef";

static void
json_escape_ctl(struct buf *b, unsigned char c)
{
	char	esc[6] = { '\\', 'u', '0', '0', 0, 0 };

	switch (c) {
	case '\b': buf_add(b, "\\b", 2); return;
	case '\f': buf_add(b, "\\f", 2); return;
	case '\n': buf_add(b, "\\n", 2); return;
	case '\r': buf_add(b, "\\r", 2); return;
	case '\t': buf_add(b, "\\t", 2); return;
	}
	esc[4] = json_hex[c >> 4];
	esc[5] = json_hex[c & 0xf];
	buf_add(b, esc, 6);
}

/* A quoted JSON string of len bytes at s; invalid UTF-8 becomes U+FFFD. */
void
json_str(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run;

	buf_grow(b, len + 2);
	buf_addc(b, '"');
	while (i < len) {
		/* Copy the longest run of plain ASCII at once. */
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x80 &&
		    p[run] != '"' && p[run] != '\\'; run++)
			;
		buf_add(b, p + i, run - i);
		if ((i = run) == len)
			break;
		if (p[i] == '"' || p[i] == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)p[i++]);
		} else if (p[i] < 0x20) {
			json_escape_ctl(b, p[i++]);
		} else
			i += utf8_put(b, p + i, len - i);
	}
	buf_addc(b, '"');
}

/* A NUL-terminated string, or null. */
void
json_strz(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_add(b, "null", 4);
	else
		json_str(b, s, strlen(s));
}

/*
 * Microseconds as seconds with up to six decimals and no trailing zeros
 * (1500000 -> 1.5, 300 -> 0.0003, 0 -> 0.0); negative means unknown.
 */
void
json_seconds(struct buf *b, int64_t us)
{
	char	frac[7];
	int	i, end;

	if (us < 0) {
		buf_add(b, "null", 4);
		return;
	}
	buf_add_u64(b, (uint64_t)(us / 1000000));
	buf_addc(b, '.');
	us %= 1000000;
	for (i = 5; i >= 0; i--, us /= 10)
		frac[i] = (char)('0' + us % 10);
	for (end = 6; end > 1 && frac[end - 1] == '0'; end--)
		;
	buf_add(b, frac, (size_t)end);
}

/* Bytes as base64 (RFC 4648, no line breaks), quoted. */
void
json_base64(struct buf *b, const void *data, size_t len)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = data;
	uint32_t		 v;
	size_t			 i;

	buf_grow(b, len / 3 * 4 + 6);
	buf_addc(b, '"');
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, alphabet[v >> 18]);
		buf_addc(b, alphabet[v >> 12 & 63]);
		buf_addc(b, alphabet[v >> 6 & 63]);
		buf_addc(b, alphabet[v & 63]);
	}
	if (i < len) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		buf_addc(b, alphabet[v >> 18]);
		buf_addc(b, alphabet[v >> 12 & 63]);
		buf_addc(b, i + 1 < len ? alphabet[v >> 6 & 63] : '=');
		buf_addc(b, '=');
	}
	buf_addc(b, '"');
}

/* n as width digits, zero-padded. */
static void
json_digits(struct buf *b, unsigned n, int width)
{
	char	d[8];
	int	i;

	for (i = width - 1; i >= 0; i--, n /= 10)
		d[i] = (char)('0' + n % 10);
	buf_add(b, d, (size_t)width);
}

/*
 * Milliseconds since 1970 as RFC 3339 in UTC with milliseconds,
 * "2026-12-02T21:02:12.345Z", quoted; negative means unknown (null).
 * The civil date comes from the day number by integer arithmetic (the
 * proleptic Gregorian calendar, in 400-year eras): gmtime_r and printf
 * took as long as the rest of the line.
 */
void
json_utc_ms(struct buf *b, int64_t ms)
{
	int64_t		days, era, doe, yoe, doy, mp, secs;
	unsigned	year, month, day;

	if (ms < 0) {
		buf_add(b, "null", 4);
		return;
	}
	days = ms / 86400000 + 719468;	/* from 0000-03-01 */
	secs = ms / 1000 % 86400;
	era = days / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	year = (unsigned)(yoe + era * 400 + (month <= 2));
	buf_addc(b, '"');
	json_digits(b, year, 4);
	buf_addc(b, '-');
	json_digits(b, month, 2);
	buf_addc(b, '-');
	json_digits(b, day, 2);
	buf_addc(b, 'T');
	json_digits(b, (unsigned)(secs / 3600), 2);
	buf_addc(b, ':');
	json_digits(b, (unsigned)(secs / 60 % 60), 2);
	buf_addc(b, ':');
	json_digits(b, (unsigned)(secs % 60), 2);
	buf_addc(b, '.');
	json_digits(b, (unsigned)(ms % 1000), 3);
	buf_add(b, "Z\"", 2);
}
