/*
 * t_json.c: JSON strings, durations and whole result lines.  Lines are
 * parsed back with cJSON, so a check fails if the writer ever produces
 * invalid JSON or a wrong value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cJSON.h>

#include "../../src/format.h"
#include "../../src/json.h"
#include "unit.h"

static int
str_is(const char *in, size_t inlen, const char *want)
{
	struct buf	b;
	int		ok;

	buf_init(&b);
	json_str(&b, in, inlen);
	ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
	if (!ok)
		printf("# got %.*s want %s\n", (int)b.len, b.data, want);
	buf_free(&b);
	return ok;
}

static int
seconds_is(int64_t us, const char *want)
{
	struct buf	b;
	int		ok;

	buf_init(&b);
	json_seconds(&b, us);
	ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
	buf_free(&b);
	return ok;
}

static void
check_strings(void)
{
	CHECK("plain", str_is("abc", 3, "\"abc\""));
	CHECK("quote and backslash", str_is("a\"b\\c", 5, "\"a\\\"b\\\\c\""));
	CHECK("short escapes", str_is("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\""));
	CHECK("other controls", str_is("\x01\x1f", 2, "\"\\u0001\\u001f\""));
	CHECK("NUL", str_is("a\0b", 3, "\"a\\u0000b\""));
	CHECK("invalid UTF-8 repaired", str_is("\xff" "a", 2,
	    "\"\xef\xbf\xbd" "a\""));
	CHECK("valid UTF-8 kept", str_is("\xc3\xa9", 2, "\"\xc3\xa9\""));
	CHECK("DEL kept", str_is("\x7f", 1, "\"\x7f\""));
}

static void
check_seconds(void)
{
	CHECK("seconds 0", seconds_is(0, "0.0"));
	CHECK("seconds 300us", seconds_is(300, "0.0003"));
	CHECK("seconds 1.5", seconds_is(1500000, "1.5"));
	CHECK("seconds 1us", seconds_is(1, "0.000001"));
	CHECK("seconds 12.345678", seconds_is(12345678, "12.345678"));
	CHECK("seconds unknown", seconds_is(TIME_UNKNOWN, "null"));
}

static const char *const keys[] = {
	"index", "url", "ok", "status", "error", "message", "effective_url",
	"redirects", "http_version", "content_type", "bytes", "truncated",
	"attempts", "title", "time",
};

static void
check_result_line(void)
{
	struct result	 r;
	struct buf	 b;
	cJSON		*j, *t;
	size_t		 i;
	int		 keys_ok = 1;

	result_init(&r, 42, "http://h/\xff", 10);
	result_fail(&r, ERR_TIMEOUT, "took \"too\" long");
	r.status = 200;
	r.bytes = 1234;
	r.time.total = 2500000;
	buf_init(&b);
	format_result(&b, &r, FMT_JSON, 0);
	CHECK("json line ends in newline", b.len > 0 &&
	    b.data[b.len - 1] == '\n');
	buf_addc(&b, '\0');
	j = cJSON_Parse(b.data);
	CHECK("json line parses", j != NULL);
	for (i = 0; j != NULL && i < sizeof keys / sizeof keys[0]; i++)
		keys_ok &= cJSON_HasObjectItem(j, keys[i]);
	CHECK("json line has every field", j != NULL && keys_ok);
	CHECK("index", j && cJSON_GetObjectItem(j, "index")->valuedouble == 42);
	CHECK("ok false", j && cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")));
	CHECK("error name", j && strcmp(cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "error")), "timeout") == 0);
	CHECK("message escaped", j && strcmp(cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "message")), "took \"too\" long") == 0);
	CHECK("url repaired", j && strcmp(cJSON_GetStringValue(
	    cJSON_GetObjectItem(j, "url")), "http://h/\xef\xbf\xbd") == 0);
	CHECK("unknown is null", j && cJSON_IsNull(
	    cJSON_GetObjectItem(j, "http_version")));
	t = j ? cJSON_GetObjectItem(j, "time") : NULL;
	CHECK("time.total", t && cJSON_GetObjectItem(t, "total")->valuedouble
	    == 2.5);
	CHECK("time.dns null", t && cJSON_IsNull(cJSON_GetObjectItem(t, "dns")));
	cJSON_Delete(j);

	buf_reset(&b);
	format_result(&b, &r, FMT_TEXT, 0);
	CHECK("text error line", b.len > 0 && strncmp(b.data,
	    "ERR\thttp://h/\xff\ttimeout\ttook \"too\" long\n", b.len) == 0);
	buf_free(&b);
	result_clear(&r);
}

/* started: the civil date by hand, held to gmtime_r and strftime. */
static void
check_utc(void)
{
	struct buf	b;
	struct tm	tm;
	char		want[96];
	time_t		secs;
	int64_t		ms;
	uint64_t	x = 88172645463325252ULL;
	int		i, bad = 0;

	buf_init(&b);
	json_utc_ms(&b, 1764583200123LL);
	CHECK_MEM("a known time", b.data, b.len, "\"2025-12-01T10:00:00.123Z\"",
	    26);
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* 1970 to 2400, leap days and century years included. */
		ms = (int64_t)(x % 13569465600000ULL);
		if (i < 4)
			ms = (int64_t[]){ 0, 951782400000LL, 951868799999LL,
			    4107542400000LL }[i];
		secs = (time_t)(ms / 1000);
		gmtime_r(&secs, &tm);
		snprintf(want, sizeof want, "\"%04d-%02d-%02dT%02d:%02d:%02d."
		    "%03dZ\"", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
		buf_reset(&b);
		json_utc_ms(&b, ms);
		bad += b.len != strlen(want) || memcmp(b.data, want, b.len) != 0;
	}
	CHECK("200,000 times as gmtime_r says (1970-2400)", bad == 0);
	buf_reset(&b);
	json_utc_ms(&b, -1);
	CHECK_MEM("unknown is null", b.data, b.len, "null", 4);
	buf_free(&b);
}

int
main(void)
{
	check_strings();
	check_seconds();
	check_result_line();
	check_utc();
	return unit_done("t_json");
}
