/*
 * fuzz_utf8.c: UTF-8 repair and charset conversion.  utf8_valid agrees
 * with an independent validator; a repair is valid, leaves valid input
 * as it was and changes nothing when done twice; a body in any charset a
 * server may declare comes out as valid UTF-8.
 */
#include <string.h>

#include "../../src/buf.h"
#include "../../src/charset.h"
#include "../../src/utf8.h"
#include "fuzz.h"

static const char *const fuzz_labels[] = {
	NULL, "utf-8", "windows-1252", "iso-8859-1", "shift_jis", "euc-jp",
	"gb18030", "big5", "utf-16le", "utf-16", "koi8-r", "iso-2022-jp",
	"x-user-defined", "no-such-charset", "", "UTF-8"
};

static void
fuzz_repair(const unsigned char *p, size_t n)
{
	struct buf	once, twice;
	int		valid = fuzz_utf8_ok(p, n);

	FUZZ_CHECK(utf8_valid(p, n) == valid);
	buf_init(&once);
	buf_init(&twice);
	utf8_repair(&once, (const char *)p, n);
	FUZZ_CHECK(fuzz_utf8_ok((unsigned char *)once.data, once.len));
	if (valid)
		FUZZ_CHECK(once.len == n && (n == 0 ||
		    memcmp(once.data, p, n) == 0));
	utf8_repair(&twice, once.data, once.len);
	FUZZ_CHECK(twice.len == once.len && (once.len == 0 ||
	    memcmp(twice.data, once.data, once.len) == 0));
	buf_free(&once);
	buf_free(&twice);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*label;
	char		*out;
	size_t		 len;

	fuzz_repair(data, size);
	if (size == 0)
		return 0;
	label = fuzz_labels[data[0] % (sizeof fuzz_labels /
	    sizeof fuzz_labels[0])];
	out = charset_to_utf8(label, (const char *)data + 1, size - 1, &len);
	FUZZ_CHECK(out[len] == '\0');
	FUZZ_CHECK(fuzz_utf8_ok((unsigned char *)out, len));
	free(out);
	return 0;
}
