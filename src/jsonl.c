/*
 * jsonl.c: reads one --input-format jsonl line with cJSON into the
 * request it names.  Whatever the line holds, what comes out is safe to
 * send (no line breaks in headers, methods that are HTTP tokens) and to
 * echo (the id is valid JSON in valid UTF-8).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "buf.h"
#include "http.h"
#include "jsonl.h"
#include "reqhdr.h"
#include "utf8.h"
#include "xmalloc.h"

static const char *
jsonl_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Past the string whose opening quote is at p. */
static const char *
jsonl_skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\')
			p++;
	return p < end ? p + 1 : end;
}

/* Past the value at p (the line is known to be valid JSON). */
static const char *
jsonl_skip_value(const char *p, const char *end)
{
	int	depth = 0;

	for (; p < end; p++) {
		if (*p == '"') {
			p = jsonl_skip_string(p, end) - 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 && (*p == ',' || *p == ' ' ||
		    *p == '\t' || *p == '\r' || *p == '\n')) {
			return p;
		}
	}
	return end;
}

/*
 * Whether the key (its quotes included) is "id" as cJSON reads it, which
 * may be spelt with escapes ("\u0069d").
 */
static int
jsonl_key_is_id(const char *key, size_t len)
{
	cJSON	*k;
	int	 is;

	if (memchr(key, '\\', len) == NULL)
		return len == 4 && memcmp(key, "\"id\"", 4) == 0;
	k = cJSON_ParseWithLength(key, len);
	is = cJSON_IsString(k) && strcmp(k->valuestring, "id") == 0;
	cJSON_Delete(k);
	return is;
}

/*
 * The text of the top-level member "id" as written, or NULL.  cJSON keeps
 * numbers as doubles, which would change ids past 2^53.
 */
static const char *
jsonl_raw_id(const char *p, const char *end, size_t *len)
{
	const char	*key, *key_end, *v;

	p = jsonl_skip_space(p, end);
	if (p == end || *p++ != '{')
		return NULL;
	for (;;) {
		p = jsonl_skip_space(p, end);
		if (p == end || *p != '"')
			return NULL;
		key = p;
		key_end = jsonl_skip_string(p, end);
		p = jsonl_skip_space(key_end, end);
		if (p == end || *p++ != ':')
			return NULL;
		v = jsonl_skip_space(p, end);
		p = jsonl_skip_value(v, end);
		if (jsonl_key_is_id(key, (size_t)(key_end - key))) {
			*len = (size_t)(p - v);
			return v;
		}
		p = jsonl_skip_space(p, end);
		if (p == end || *p++ != ',')
			return NULL;
	}
}

/* RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
jsonl_number(const char *s, size_t len)
{
	const char	*p = s, *end = s + len;

#define DIGITS(p)	while (p < end && *p >= '0' && *p <= '9') p++
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9') {
		DIGITS(p);
	} else
		return 0;
	if (p < end && *p == '.') {
		if (++p == end || *p < '0' || *p > '9')
			return 0;
		DIGITS(p);
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return 0;
		DIGITS(p);
	}
#undef DIGITS
	return p == end;
}

/*
 * The id as JSON to echo: numbers as written, the rest as cJSON prints.
 * NULL for a number that is not RFC 8259's, which cJSON takes (0123) but
 * could only echo changed.
 */
static char *
jsonl_id(const cJSON *id, const char *line, size_t len)
{
	const char	*raw;
	char		*printed, *out;
	size_t		 rawlen;
	struct buf	 b;

	if (cJSON_IsNumber(id)) {
		raw = jsonl_raw_id(line, line + len, &rawlen);
		return raw != NULL && jsonl_number(raw, rawlen) ?
		    xmemdup(raw, rawlen) : NULL;
	}
	if ((printed = cJSON_PrintUnformatted(id)) == NULL)
		return NULL;
	/* cJSON copies bytes >= 0x80 as they are, and only strings hold them. */
	buf_init(&b);
	utf8_repair(&b, printed, strlen(printed));
	free(printed);
	out = xmemdup(b.data, b.len);
	buf_free(&b);
	return out;
}

/* "headers": names that are tokens, values without line breaks. */
static const char *
jsonl_headers(const cJSON *h, struct request_line *r)
{
	const cJSON	*kv;
	size_t		 n = 0;

	if (h == NULL || cJSON_IsNull(h))
		return NULL;
	if (!cJSON_IsObject(h))
		return "\"headers\" is not an object";
	cJSON_ArrayForEach(kv, h)
		n++;
	r->headers = xcalloc(n + 1, sizeof *r->headers);
	cJSON_ArrayForEach(kv, h) {
		if (!cJSON_IsString(kv))
			return "a header's value is not a string";
		if (!http_token(kv->string))
			return "a header's name is not a token";
		if (strpbrk(kv->valuestring, "\r\n") != NULL)
			return "a header's value contains a line break";
		r->headers[r->nheaders++] = reqhdr_line(kv->string,
		    kv->valuestring);
	}
	return NULL;
}

/* A member that must be a string when present: -1 if it is not. */
static int
jsonl_string(const cJSON *o, const char *name, char **out)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	*out = xstrdup(v->valuestring);
	return 0;
}

static const char *
jsonl_fields(const cJSON *o, const char *line, size_t len,
    struct request_line *r)
{
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(o, "id");

	if (id != NULL && (r->id = jsonl_id(id, line, len)) == NULL)
		return "\"id\" is not a valid JSON number";
	if (jsonl_string(o, "url", &r->url) != 0 || r->url == NULL)
		return "no \"url\" string";
	if (jsonl_string(o, "method", &r->method) != 0 ||
	    (r->method != NULL && !http_token(r->method)))
		return "\"method\" is not an HTTP method";
	if (jsonl_string(o, "data", &r->data) != 0)
		return "\"data\" is not a string";
	return jsonl_headers(cJSON_GetObjectItemCaseSensitive(o, "headers"), r);
}

/*
 * Whether a string in the (valid JSON) line holds an escaped NUL: cJSON
 * would end it there, and a URL or a body would be sent cut short.
 */
static int
jsonl_has_nul(const char *line, size_t len)
{
	const char	*p, *q, *end = line + len;

	for (p = line + 1; p + 5 <= end; p++) {
		if (*p != 'u' || memcmp(p, "u0000", 5) != 0)
			continue;
		/* An escape only after an odd run of backslashes. */
		for (q = p; q > line && q[-1] == '\\'; q--)
			;
		if ((p - q) % 2 == 1)
			return 1;
	}
	return 0;
}

/*
 * Fills r from the line; NULL when it names a request, else why not (r
 * may still hold the id and url, for the bad_input result).
 */
const char *
jsonl_parse(const char *line, size_t len, struct request_line *r)
{
	cJSON		*o;
	const char	*bad, *after = NULL;

	memset(r, 0, sizeof *r);
	/* Where cJSON would end a key or a string early. */
	if (memchr(line, '\0', len) != NULL)
		return "a string holds a NUL byte, which cannot be sent as given";
	o = cJSON_ParseWithLengthOpts(line, len, &after, 0);
	if (o != NULL && jsonl_skip_space(after, line + len) != line + len) {
		cJSON_Delete(o);
		o = NULL;
	}
	if (o == NULL)
		return "not valid JSON";
	if (!cJSON_IsObject(o))
		bad = "not a JSON object";
	else if ((bad = jsonl_fields(o, line, len, r)) == NULL &&
	    jsonl_has_nul(line, len))
		bad = "a string holds a NUL (\\u0000), which cannot be sent "
		    "as given";
	cJSON_Delete(o);
	return bad;
}

void
jsonl_clear(struct request_line *r)
{
	size_t	i;

	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i]);
	free(r->headers);
	free(r->url);
	free(r->id);
	free(r->method);
	free(r->data);
	memset(r, 0, sizeof *r);
}
