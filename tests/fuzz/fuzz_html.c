/*
 * fuzz_html.c: the HTML title and charset scanner.  The body arrives in
 * pieces whose size the first byte picks, and must give the same title
 * and charset as in one piece; the title is valid UTF-8, bounded, and
 * holds no control character.
 */
#include <string.h>

#include "../../src/html.h"
#include "fuzz.h"

static const char *const fuzz_types[] = {
	"text/html", NULL, "text/html; charset=windows-1252",
	"application/xhtml+xml;charset=\"shift_jis\"", "text/plain",
	"text/html; charset=no-such"
};

/* Scans p in steps of step bytes; the title (or NULL) and charset. */
static char *
fuzz_scan(const char *type, const char *p, size_t n, size_t step,
    char *cs, size_t cslen)
{
	struct html	 h;
	const char	*label;
	char		*title;
	size_t		 k;

	html_init(&h);
	html_begin(&h, type);
	while (n > 0) {
		k = n < step ? n : step;
		if (html_feed(&h, p, k))
			break;
		p += k;
		n -= k;
	}
	html_end(&h);
	label = html_charset(&h);
	snprintf(cs, cslen, "%s", label != NULL ? label : "-");
	title = html_title(&h);
	html_free(&h);
	return title;
}

static void
fuzz_check_title(const char *t)
{
	const unsigned char	*p = (const unsigned char *)t;
	size_t			 len = strlen(t), i;

	FUZZ_CHECK(len <= HTML_TITLE_MAX);
	FUZZ_CHECK(fuzz_utf8_ok(p, len));
	for (i = 0; i < len; i++)
		FUZZ_CHECK(p[i] >= 0x20 && p[i] != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*type, *body = (const char *)data + 2;
	char		 cs1[64], cs2[64], *whole, *pieces;

	if (size < 2)
		return 0;
	type = fuzz_types[data[0] % (sizeof fuzz_types /
	    sizeof fuzz_types[0])];
	whole = fuzz_scan(type, body, size - 2, size, cs1, sizeof cs1);
	pieces = fuzz_scan(type, body, size - 2, 1 + data[1] % 64, cs2,
	    sizeof cs2);
	FUZZ_CHECK(strcmp(cs1, cs2) == 0);
	FUZZ_CHECK((whole == NULL) == (pieces == NULL));
	if (whole != NULL) {
		FUZZ_CHECK(strcmp(whole, pieces) == 0);
		fuzz_check_title(whole);
	}
	free(whole);
	free(pieces);
	return 0;
}
