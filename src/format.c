/*
 * format.c: renders a result as a text or JSON line (newline included).
 * The JSON field order and names are the contract's; unknown values are
 * null, never missing.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "format.h"
#include "json.h"
#include "utf8.h"

/* Where the line at p ends: its newline, or the end of the text. */
static const char *
format_line_end(const char *p, const char *end)
{
	const char	*nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl : end;
}

/* The line after the one at p. */
static const char *
format_next_line(const char *p, const char *end)
{
	const char	*e = format_line_end(p, end);

	return e < end ? e + 1 : end;
}

/* Text fields are tab-separated: control bytes would break the columns. */
static void
format_text_field(struct buf *b, const char *s, size_t len)
{
	size_t	i;

	buf_grow(b, len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_addc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

/*
 * Text for a terminal: valid UTF-8, and no control character (C0 but
 * tab, DEL, C1) that could move the cursor or recolour the screen.
 */
static void
format_harmless(struct buf *b, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	int32_t			 cp;

	buf_grow(b, len);
	while (i < len) {
		n = utf8_next(p + i, len - i, &cp);
		if (cp < 0)
			buf_add(b, UTF8_REPLACEMENT, 3);
		else if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
			buf_addc(b, '?');
		else
			buf_add(b, p + i, n);
		i += n;
	}
}

static void
format_head_lines(struct buf *b, const struct result *r)
{
	const char	*p = r->head, *end = r->head + r->head_len;

	for (; p < end; p = format_next_line(p, end)) {
		format_harmless(b, p, (size_t)(format_line_end(p, end) - p));
		buf_addc(b, '\n');
	}
}

/* ==> URL <==, the preview lines or one ERROR line, a blank line. */
static void
format_head(struct buf *b, const struct result *r)
{
	buf_add(b, "==> ", 4);
	format_harmless(b, r->url, r->url_len);
	buf_add(b, " <==\n", 5);
	if (r->error != ERR_NONE) {
		buf_printf(b, "ERROR: %s: ", err_name(r->error));
		if (r->message != NULL)
			format_harmless(b, r->message, strlen(r->message));
		buf_addc(b, '\n');
	} else if (r->head != NULL)
		format_head_lines(b, r);
	buf_addc(b, '\n');
}

/* "head": the preview lines as an array; null if nothing came back. */
static void
format_json_head(struct buf *b, const struct result *r)
{
	const char	*p, *end;

	buf_adds(b, ",\"head\":");
	if (r->head == NULL) {
		buf_add(b, "null", 4);
		return;
	}
	p = r->head;
	end = r->head + r->head_len;
	buf_addc(b, '[');
	for (; p < end; p = format_next_line(p, end)) {
		if (p != r->head)
			buf_addc(b, ',');
		json_str(b, p, (size_t)(format_line_end(p, end) - p));
	}
	buf_addc(b, ']');
}

/* The name of the header line at p (up to its colon), lower-cased. */
static size_t
format_header_name(const char *p, const char *end, char *name, size_t max)
{
	size_t	n = 0;

	while (p + n < end && p[n] != ':' && p[n] != '\n' && n < max - 1) {
		name[n] = (char)(p[n] >= 'A' && p[n] <= 'Z' ? p[n] + 32 : p[n]);
		n++;
	}
	name[n] = '\0';
	return n;
}

static int
format_header_is(const char *p, const char *end, const char *name)
{
	char	other[256];

	format_header_name(p, end, other, sizeof other);
	return strcmp(name, other) == 0;
}

/* The values of every line from p on named name, as JSON strings. */
static void
format_header_values(struct buf *b, const char *p, const char *end,
    const char *name)
{
	const char	*v, *vend;
	int		 n = 0;

	for (; p < end; p = format_next_line(p, end)) {
		if (!format_header_is(p, end, name))
			continue;
		vend = format_line_end(p, end);
		/* Past the colon: a name may be longer than the one kept. */
		v = memchr(p, ':', (size_t)(vend - p));
		for (v = v != NULL ? v + 1 : vend; v < vend && (*v == ' ' ||
		    *v == '\t'); v++)
			;
		if (n++ > 0)
			buf_addc(b, ',');
		json_str(b, v, (size_t)(vend - v));
	}
}

/*
 * "headers": {"name": ["value", ...]} in order of first appearance; a
 * name sent twice keeps both values.  Responses have few headers: the
 * quadratic scan costs less than building a table would.
 */
static void
format_json_headers(struct buf *b, const struct result *r)
{
	const char	*start = r->headers, *end, *p, *q;
	char		 name[256];
	size_t		 n;
	int		 first = 1;

	buf_adds(b, ",\"headers\":");
	if (r->headers == NULL) {
		buf_add(b, "null", 4);
		return;
	}
	end = start + r->headers_len;
	buf_addc(b, '{');
	for (p = start; p < end; p = format_next_line(p, end)) {
		n = format_header_name(p, end, name, sizeof name);
		for (q = start; q < p && !format_header_is(q, end, name);
		    q = format_next_line(q, end))
			;
		if (q < p)
			continue;		/* listed with its first */
		if (!first)
			buf_addc(b, ',');
		first = 0;
		json_str(b, name, n);
		buf_add(b, ":[", 2);
		format_header_values(b, p, end, name);
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

static void
format_text(struct buf *b, const struct result *r)
{
	int64_t	ms;

	if (r->error == ERR_NONE || r->error == ERR_HTTP) {
		buf_add_u64(b, (uint64_t)r->status);
		buf_addc(b, '\t');
		format_text_field(b, r->url, r->url_len);
		buf_addc(b, '\t');
		buf_add_u64(b, r->bytes);
		buf_addc(b, '\t');
		ms = r->time.total < 0 ? 0 : (r->time.total + 500) / 1000;
		buf_printf(b, "%lld.%03lld\n", (long long)(ms / 1000),
		    (long long)(ms % 1000));
		return;
	}
	buf_add(b, "ERR\t", 4);
	format_text_field(b, r->url, r->url_len);
	buf_addc(b, '\t');
	buf_adds(b, err_name(r->error));
	buf_addc(b, '\t');
	if (r->message != NULL)
		format_text_field(b, r->message, strlen(r->message));
	buf_addc(b, '\n');
}

static void
format_json_long(struct buf *b, long v)
{
	if (v <= 0)
		buf_add(b, "null", 4);
	else
		buf_add_u64(b, (uint64_t)v);
}

static const struct {
	const char	*key;
	size_t		 offset;
} format_time_fields[] = {
	{ "{\"queued\":", offsetof(struct result_times, queued) },
	{ ",\"dns\":", offsetof(struct result_times, dns) },
	{ ",\"connect\":", offsetof(struct result_times, connect) },
	{ ",\"tls\":", offsetof(struct result_times, tls) },
	{ ",\"ttfb\":", offsetof(struct result_times, ttfb) },
	{ ",\"total\":", offsetof(struct result_times, total) },
};

static void
format_json_times(struct buf *b, const struct result_times *t)
{
	size_t	i;

	buf_adds(b, "\"time\":");
	for (i = 0; i < sizeof format_time_fields /
	    sizeof format_time_fields[0]; i++) {
		buf_adds(b, format_time_fields[i].key);
		json_seconds(b, *(const int64_t *)(const void *)
		    ((const char *)t + format_time_fields[i].offset));
	}
	buf_addc(b, '}');
}

/* "chain": [{"url", "status", "location"}, ...], the final response last. */
static void
format_json_chain(struct buf *b, const struct result *r)
{
	size_t	i;

	buf_adds(b, ",\"chain\":[");
	for (i = 0; i < r->nchain; i++) {
		buf_adds(b, i > 0 ? ",{\"url\":" : "{\"url\":");
		json_strz(b, r->chain[i].url);
		buf_adds(b, ",\"status\":");
		format_json_long(b, r->chain[i].status);
		buf_adds(b, ",\"location\":");
		json_strz(b, r->chain[i].location);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* What --with-chain, --with-body, --hash and --revalidate add. */
static void
format_json_record(struct buf *b, const struct result *r, int parts)
{
	if (parts & FORMAT_CHAIN)
		format_json_chain(b, r);
	if (parts & FORMAT_BODY) {
		buf_adds(b, ",\"body\":");
		if (r->body_kind == RESULT_BODY_TEXT)
			json_str(b, r->body_data != NULL ? r->body_data : "",
			    r->body_len);
		else if (r->body_kind == RESULT_BODY_BYTES)
			json_base64(b, r->body_data, r->body_len);
		else
			buf_add(b, "null", 4);
	}
	if (parts & FORMAT_SHA256) {
		buf_adds(b, ",\"sha256\":");
		json_strz(b, r->sha256[0] != '\0' ? r->sha256 : NULL);
	}
	if (parts & FORMAT_UNCHANGED)
		buf_adds(b, r->unchanged ? ",\"unchanged\":true" :
		    ",\"unchanged\":false");
}

static void
format_json(struct buf *b, const struct result *r, int parts)
{
	buf_adds(b, "{\"index\":");
	buf_add_u64(b, r->index);
	buf_adds(b, ",\"url\":");
	json_str(b, r->url, r->url_len);
	if (parts & FORMAT_ID) {
		buf_adds(b, ",\"id\":");
		if (r->id != NULL)
			buf_adds(b, r->id);
		else
			buf_add(b, "null", 4);
	}
	buf_adds(b, result_ok(r) ? ",\"ok\":true" : ",\"ok\":false");
	buf_adds(b, ",\"status\":");
	format_json_long(b, r->status);
	buf_adds(b, ",\"error\":");
	json_strz(b, r->error == ERR_NONE ? NULL : err_name(r->error));
	buf_adds(b, ",\"message\":");
	json_strz(b, r->message);
	buf_adds(b, ",\"effective_url\":");
	json_strz(b, r->effective_url);
	buf_adds(b, ",\"redirects\":");
	if (r->redirects < 0)
		buf_add(b, "null", 4);
	else
		buf_add_u64(b, (uint64_t)r->redirects);
	buf_adds(b, ",\"http_version\":");
	json_strz(b, r->http_version);
	buf_adds(b, ",\"content_type\":");
	json_strz(b, r->content_type);
	buf_adds(b, ",\"bytes\":");
	buf_add_u64(b, r->bytes);
	buf_adds(b, r->truncated ? ",\"truncated\":true" :
	    ",\"truncated\":false");
	buf_adds(b, ",\"attempts\":");
	buf_add_u64(b, (uint64_t)r->attempts);
	buf_adds(b, ",\"title\":");
	json_strz(b, r->title);
	buf_adds(b, ",\"remote_ip\":");
	json_strz(b, r->remote_ip);
	buf_adds(b, ",\"started\":");
	json_utc_ms(b, r->started_ms);
	buf_adds(b, ",\"etag\":");
	json_strz(b, r->etag);
	buf_adds(b, ",\"last_modified\":");
	json_strz(b, r->last_modified);
	buf_addc(b, ',');
	format_json_times(b, &r->time);
	if (parts & FORMAT_HEAD)
		format_json_head(b, r);
	if (parts & FORMAT_HEADERS)
		format_json_headers(b, r);
	if (parts & FORMAT_PATH) {
		buf_adds(b, ",\"path\":");
		json_strz(b, r->path);
	}
	format_json_record(b, r, parts);
	buf_add(b, "}\n", 2);
}

/* parts: FORMAT_* bits, what a json line carries beyond the fixed fields. */
void
format_result(struct buf *b, const struct result *r, enum format fmt,
    int parts)
{
	switch (fmt) {
	case FMT_JSON:
		format_json(b, r, parts);
		break;
	case FMT_HEAD:
		format_head(b, r);
		break;
	case FMT_TEXT:
		format_text(b, r);
		break;
	case FMT_BODY:
		break;		/* the sink writes the body itself */
	}
}
