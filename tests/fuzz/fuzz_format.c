/*
 * fuzz_format.c: the JSON writer and the other output formats, given a
 * result whose strings are whatever a server or an input line may hold.
 * A json line is one line of valid UTF-8 that parses, with the URL as
 * given (repaired); a text line has exactly four columns; a head block
 * has no control character but tab and newline, and ends blank.
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

static void
fuzz_check_json(const char *line, size_t len, const struct result *r)
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
	cJSON_Delete(o);
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
	buf_init(&out);
	switch (how % 3) {
	case 0:
		format_result(&out, &r, FMT_JSON, how >> 2 & 0xf);
		FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
		FUZZ_CHECK(memchr(out.data, '\n', out.len) ==
		    out.data + out.len - 1);
		fuzz_check_json(out.data, out.len - 1, &r);
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
