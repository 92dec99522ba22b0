/*
 * fuzz_format.c: the JSON writer and the other output formats, given a
 * result whose strings are whatever a server or an input line may hold.
 * A json line is one line of valid UTF-8 that parses, with the URL as
 * given (repaired), and a base64 body that decodes to the bytes given;
 * a text line has exactly four columns; a head block has no control
 * character but tab and newline, and ends blank.  The record's fields
 * (chain, body, validators) hold whatever bytes came too.
 */
#include <string.h>

#include <cJSON.h>

#include "../../src/buf.h"
#include "../../src/format.h"
#include "../../src/utf8.h"
#include "fuzz.h"

struct fuzz_in {
	const uint8_t	*p;
	size_t		 n;
};

/* The next field: a two-byte length, then that many bytes (or the rest). */
static const char *
fuzz_take(struct fuzz_in *in, size_t *len)
{
	const char	*s;

	if (in->n < 2) {
		*len = 0;
		return "";
	}
	*len = (size_t)(in->p[0] | in->p[1] << 8);
	in->p += 2;
	in->n -= 2;
	if (*len > in->n)
		*len = in->n;
	s = (const char *)in->p;
	in->p += *len;
	in->n -= *len;
	return s;
}

/* A C string field (cut at a NUL, as a C string would be), or NULL. */
static char *
fuzz_str(struct fuzz_in *in)
{
	size_t		 len;
	const char	*s = fuzz_take(in, &len);
	char		*out;

	if (len == 0)
		return NULL;
	out = malloc(len + 1);
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Lines, each ending in '\n', as the transfer stores headers and head. */
static char *
fuzz_lines(struct fuzz_in *in, size_t *outlen)
{
	size_t		 len;
	const char	*s = fuzz_take(in, &len);
	char		*out;

	if (len == 0) {
		*outlen = 0;
		return NULL;
	}
	out = malloc(len + 1);
	memcpy(out, s, len);
	if (out[len - 1] != '\n')
		out[len++] = '\n';
	*outlen = len;
	return out;
}

/* A base64 string back to its bytes: 1 when they are r's body. */
static int
fuzz_base64_is(const char *s, const struct result *r)
{
	static const char	 abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 n = strlen(s), i, k = 0;
	unsigned char		*out;
	uint32_t		 v;
	int			 same;

	if (n % 4 != 0)
		return 0;
	out = malloc(n / 4 * 3 + 1);
	for (i = 0; i < n; i += 4) {
		v = (uint32_t)(strchr(abc, s[i]) - abc) << 18 |
		    (uint32_t)(strchr(abc, s[i + 1]) - abc) << 12;
		out[k++] = (unsigned char)(v >> 16);
		if (s[i + 2] != '=') {
			v |= (uint32_t)(strchr(abc, s[i + 2]) - abc) << 6;
			out[k++] = (unsigned char)(v >> 8 & 0xff);
		}
		if (s[i + 3] != '=') {
			v |= (uint32_t)(strchr(abc, s[i + 3]) - abc);
			out[k++] = (unsigned char)(v & 0xff);
		}
	}
	same = k == r->body_len && (k == 0 || memcmp(out, r->body_data, k) == 0);
	free(out);
	return same;
}

static void
fuzz_check_body(const cJSON *o, const struct result *r)
{
	const cJSON	*b = cJSON_GetObjectItemCaseSensitive(o, "body");

	FUZZ_CHECK(b != NULL);
	if (r->body_kind == RESULT_BODY_NONE)
		FUZZ_CHECK(cJSON_IsNull(b));
	else
		FUZZ_CHECK(cJSON_IsString(b));
	if (r->body_kind == RESULT_BODY_BYTES)
		FUZZ_CHECK(fuzz_base64_is(b->valuestring, r));
}

static void
fuzz_check_json(const char *line, size_t len, const struct result *r,
    int parts)
{
	cJSON		*o;
	const cJSON	*url;
	struct buf	 want;

	FUZZ_CHECK(fuzz_utf8_ok((const unsigned char *)line, len));
	FUZZ_CHECK((o = cJSON_ParseWithLength(line, len)) != NULL);
	FUZZ_CHECK(cJSON_IsObject(o));
	url = cJSON_GetObjectItemCaseSensitive(o, "url");
	FUZZ_CHECK(cJSON_IsString(url));
	if (memchr(r->url, '\0', r->url_len) == NULL) {
		buf_init(&want);
		utf8_repair(&want, r->url, r->url_len);
		FUZZ_CHECK(strlen(url->valuestring) == want.len &&
		    (want.len == 0 ||
		    memcmp(url->valuestring, want.data, want.len) == 0));
		buf_free(&want);
	}
	if (parts & FORMAT_BODY)
		fuzz_check_body(o, r);
	if (parts & FORMAT_CHAIN)
		FUZZ_CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		    o, "chain")) == (int)r->nchain);
	cJSON_Delete(o);
}

/* The record's fields: validators, a chain of hops, a body. */
static void
fuzz_record(struct fuzz_in *in, struct result *r, uint8_t how)
{
	const char	*s;
	char		*u, *l;
	size_t		 len, i;

	r->remote_ip = fuzz_str(in);
	r->etag = fuzz_str(in);
	r->last_modified = fuzz_str(in);
	r->started_ms = (int64_t)how * 86400007 - 1;
	for (i = 0; i < (size_t)(how & 3); i++) {
		u = fuzz_str(in);
		l = fuzz_str(in);
		result_hop_add(r, u != NULL ? u : "", (long)how * 2, l);
		free(u);
		free(l);
	}
	r->body_kind = (enum result_body)(how >> 2 & 3) % 3;
	s = fuzz_take(in, &len);
	if (r->body_kind != RESULT_BODY_NONE) {
		r->body_data = malloc(len + 1);
		memcpy(r->body_data, s, len);
		r->body_len = len;
	}
	r->unchanged = how >> 4 & 1;
}

static void
fuzz_check_text(const char *line, size_t len)
{
	size_t	i, tabs = 0;

	for (i = 0; i < len; i++)
		tabs += line[i] == '\t';
	FUZZ_CHECK(tabs == 3);
}

static void
fuzz_check_head(const char *out, size_t len)
{
	const unsigned char	*p = (const unsigned char *)out;
	size_t			 i;

	FUZZ_CHECK(len >= 2 && out[len - 2] == '\n');
	FUZZ_CHECK(strncmp(out, "==> ", 4) == 0);
	FUZZ_CHECK(fuzz_utf8_ok(p, len));
	for (i = 0; i < len; i++)
		FUZZ_CHECK(p[i] >= 0x20 || p[i] == '\t' || p[i] == '\n');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = { NULL, "1", "\"x\"", "[1,{}]" };
	struct fuzz_in	 in = { data, size };
	struct result	 r;
	struct buf	 out;
	const char	*url;
	size_t		 url_len;
	uint8_t		 how;
	int		 parts;

	if (size < 4)
		return 0;
	how = data[0];
	in.p += 4;
	in.n -= 4;
	url = fuzz_take(&in, &url_len);
	result_init(&r, data[1], url, url_len);
	r.error = (enum err_kind)(data[2] % ERR__COUNT);
	r.status = (long)data[3] * 3 - 100;
	r.redirects = (long)data[3] - 128;
	r.id = ids[how >> 6];
	r.message = fuzz_str(&in);
	r.effective_url = fuzz_str(&in);
	r.content_type = fuzz_str(&in);
	r.title = fuzz_str(&in);
	r.path = fuzz_str(&in);
	r.head = fuzz_lines(&in, &r.head_len);
	r.headers = fuzz_lines(&in, &r.headers_len);
	r.time.total = (int64_t)data[3] * 1000003 - 1000;
	fuzz_record(&in, &r, data[1]);
	parts = (how >> 2 & 0xf) | (data[1] >> 4 & 0xf) << 4;
	buf_init(&out);
	switch (how % 3) {
	case 0:
		format_result(&out, &r, FMT_JSON, parts);
		FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
		FUZZ_CHECK(memchr(out.data, '\n', out.len) ==
		    out.data + out.len - 1);
		fuzz_check_json(out.data, out.len - 1, &r, parts);
		break;
	case 1:
		format_result(&out, &r, FMT_TEXT, 0);
		FUZZ_CHECK(out.len > 0 && memchr(out.data, '\n', out.len) ==
		    out.data + out.len - 1);
		fuzz_check_text(out.data, out.len);
		break;
	default:
		format_result(&out, &r, FMT_HEAD, 0);
		fuzz_check_head(out.data, out.len);
	}
	buf_free(&out);
	result_clear(&r);
	return 0;
}
