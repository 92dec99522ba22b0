/*
 * fuzz_jsonl.c: one --input-format jsonl line.  Whatever it holds, what
 * comes out is safe to send (a method and header names that are tokens,
 * no line break in a header) and to echo (an id that is valid JSON in
 * valid UTF-8, the same number the line gave), accepted or not.
 */
#include <string.h>

#include <cJSON.h>

#include "../../src/http.h"
#include "../../src/jsonl.h"
#include "fuzz.h"

static void
fuzz_check_id(const char *id, const char *line, size_t len)
{
	cJSON		*echo, *o;
	const cJSON	*given;

	FUZZ_CHECK(fuzz_utf8_ok((const unsigned char *)id, strlen(id)));
	FUZZ_CHECK((echo = cJSON_Parse(id)) != NULL);
	o = cJSON_ParseWithLength(line, len);
	given = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (cJSON_IsNumber(given))
		FUZZ_CHECK(cJSON_IsNumber(echo) &&
		    echo->valuedouble == given->valuedouble);
	cJSON_Delete(o);
	cJSON_Delete(echo);
}

static void
fuzz_check_header(const char *h)
{
	size_t	name = strcspn(h, ":;");
	char	tok[256];

	FUZZ_CHECK(strpbrk(h, "\r\n") == NULL);
	FUZZ_CHECK(h[name] != '\0' && name > 0);
	if (name < sizeof tok) {
		memcpy(tok, h, name);
		tok[name] = '\0';
		FUZZ_CHECK(http_token(tok));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request_line	 r;
	const char		*line = (const char *)data;
	size_t			 i;

	if (jsonl_parse(line, size, &r) == NULL) {
		FUZZ_CHECK(r.url != NULL);
		FUZZ_CHECK(r.method == NULL || http_token(r.method));
		for (i = 0; i < r.nheaders; i++)
			fuzz_check_header(r.headers[i]);
	}
	if (r.id != NULL)
		fuzz_check_id(r.id, line, size);
	jsonl_clear(&r);
	return 0;
}
