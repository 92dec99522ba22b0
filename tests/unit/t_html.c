/*
 * t_html.c: the title scanner is a stream parser, so every way of cutting
 * a page into reads must give the same title and charset; and it says it
 * is done only once the title is read and the charset settled.
 */
#include <stdlib.h>

#include "../../src/html.h"
#include "unit.h"

static const char page[] = "<!DOCTYPE html><!-- <title>x</title> -->"
    "<html><head><script>t='</title>'</script>"
    "<meta content='text/html; charset=koi8-r' http-equiv=Content-Type>"
    "<title class=\"a>b\">\n Tit&amp;le &#x263A;</title ></head><body>";

/* Scans page in reads of n bytes; returns the title, sets *cs. */
static char *
scan(const char *ct, size_t n, char *cs, size_t cslen)
{
	struct html	h;
	size_t		off, len = sizeof page - 1;
	char		*title;

	html_init(&h);
	html_begin(&h, ct);
	for (off = 0; off < len; off += n)
		html_feed(&h, page + off, len - off < n ? len - off : n);
	html_end(&h);
	snprintf(cs, cslen, "%s", html_charset(&h) ? html_charset(&h) : "-");
	title = html_title(&h);
	html_free(&h);
	return title;
}

int
main(void)
{
	char	*title, cs[64], name[64];
	size_t	 n;
	int	 same = 1;

	title = scan("text/html", sizeof page, cs, sizeof cs);
	CHECK("the title, decoded", title != NULL &&
	    strcmp(title, "Tit&le \xe2\x98\xba") == 0);
	CHECK("the meta's charset", strcmp(cs, "koi8-r") == 0);
	free(title);
	for (n = 1; n < sizeof page; n++) {
		title = scan("text/html", n, cs, sizeof cs);
		if (title == NULL || strcmp(title, "Tit&le \xe2\x98\xba") != 0 ||
		    strcmp(cs, "koi8-r") != 0)
			same = 0;
		free(title);
	}
	snprintf(name, sizeof name, "reads of every size 1..%zu agree",
	    sizeof page - 1);
	CHECK(name, same);

	title = scan("text/html; charset=UTF-8", 7, cs, sizeof cs);
	CHECK("the header's charset wins", strcmp(cs, "utf-8") == 0);
	free(title);
	title = scan("image/png", 7, cs, sizeof cs);
	CHECK("not HTML: no title", title == NULL);
	free(title);

	{
		struct html	h;
		static const char early[] = "<title>t</title>";

		html_init(&h);
		html_begin(&h, "text/html");
		CHECK("not done after the title alone (a meta may follow)",
		    html_feed(&h, early, sizeof early - 1) == 0);
		CHECK("done at <body>", html_feed(&h, "<body>", 6) == 1);
		html_begin(&h, "text/html; charset=utf-8");
		CHECK("done at </title> when the header gave the charset",
		    html_feed(&h, early, sizeof early - 1) == 1);
		html_free(&h);
	}
	return unit_done("t_html");
}
