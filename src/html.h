/*
 * html.h: a streaming scan of an HTML body's first 64 KiB for what a
 * result reports of it: the <title> and the charset a <meta> declares.
 */
#ifndef COFETCH_HTML_H
#define COFETCH_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "charset.h"

#define HTML_SCAN_MAX	(64 * 1024)	/* bytes of a body looked at */
#define HTML_TITLE_MAX	1024		/* bytes of a title reported */

/* Whether the body is HTML, from its Content-Type. */
enum html_kind {
	HTML_NOT,
	HTML_YES,		/* labelled HTML, or sniffed to be */
	HTML_SNIFF		/* no type: HTML if it starts with '<' */
};

enum html_title {
	HTML_TITLE_UNSEEN,
	HTML_TITLE_READING,
	HTML_TITLE_READ
};

struct html {
	enum html_kind	 kind;
	int		 state;
	uint64_t	 seen;
	struct buf	 tag;		/* the tag being read */
	char		 quote;		/* inside an attribute value */
	const char	*until;		/* what ends the text being skipped */
	size_t		 matched;	/* of until, or of "</title" */
	enum html_title	 title_state;
	struct buf	 title;		/* its bytes as sent, bounded */
	uint64_t	 title_total;
	int		 head_over;	/* <body> or </head>: no more meta */
	char		 header_cs[CHARSET_NAME_MAX];
	char		 meta_cs[CHARSET_NAME_MAX];
};

void	 html_init(struct html *);
void	 html_free(struct html *);
void	 html_begin(struct html *, const char *);
int	 html_feed(struct html *, const char *, size_t);
void	 html_end(struct html *);
int	 html_done(const struct html *);
const char *html_charset(const struct html *);
char	*html_title(const struct html *);

#endif
