/*
 * html.c: the title scanner.  A byte-at-a-time state machine, so a tag or
 * an entity split across network reads is no different from one that is
 * not.  It knows just enough HTML not to be fooled: comments, CDATA,
 * declarations and script/style text are skipped, quoted attribute values
 * may hold '>', the title is RCDATA (tags inside it are text) and ends
 * only at "</title" followed by a delimiter.  Bytes are kept as sent and
 * converted to UTF-8 only at the end, once the charset is known: every
 * charset this has to handle keeps '<', '>', '&' and ASCII letters where
 * ASCII has them, so scanning the raw bytes is safe.  Pure: no I/O.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "utf8.h"
#include "xmalloc.h"

#define HTML_TAG_MAX	1024	/* a longer tag is skipped, not parsed */
#define HTML_RAW_MAX	4096	/* title bytes kept as sent */
#define HTML_PRESCAN	1024	/* a meta charset must come this early */

enum {
	HS_TEXT,
	HS_LT,			/* after '<' */
	HS_BANG,		/* after "<!" */
	HS_TAG,			/* inside a tag, up to its '>' */
	HS_SKIP,		/* text until html->until */
	HS_TITLE,		/* the title's text */
	HS_TITLE_END		/* after "</title" */
};

static const char html_title_end[] = "</title";

void
html_init(struct html *h)
{
	memset(h, 0, sizeof *h);
	buf_init(&h->tag);
	buf_init(&h->title);
}

void
html_free(struct html *h)
{
	buf_free(&h->tag);
	buf_free(&h->title);
}

/* An unlabelled body is HTML if it starts, after white space, with '<'. */
static enum html_kind
html_kind_of(const char *ct)
{
	size_t	n;

	if (ct == NULL)
		return HTML_SNIFF;
	n = strcspn(ct, "; \t");
	if ((n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
	    (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0))
		return HTML_YES;
	return HTML_NOT;
}

/* A new body, with its response's Content-Type (or NULL). */
void
html_begin(struct html *h, const char *content_type)
{
	h->kind = html_kind_of(content_type);
	h->state = HS_TEXT;
	h->seen = 0;
	h->quote = 0;
	h->until = NULL;
	h->matched = 0;
	h->title_state = HTML_TITLE_UNSEEN;
	h->title_total = 0;
	h->head_over = 0;
	buf_reset(&h->tag);
	buf_reset(&h->title);
	h->meta_cs[0] = '\0';
	if (!charset_of_content_type(content_type, h->header_cs,
	    sizeof h->header_cs))
		h->header_cs[0] = '\0';
}

static unsigned char
html_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * The length of term matched after c, given m bytes were: the longest
 * prefix of term that ends the text seen, so "--->" still ends a comment.
 */
static size_t
html_match(const char *term, size_t m, unsigned char c)
{
	char	seen[16];
	size_t	k;

	c = html_lower(c);
	if ((unsigned char)term[m] == c)
		return m + 1;
	memcpy(seen, term, m);
	seen[m] = (char)c;
	for (k = m; k > 0; k--)
		if (memcmp(term, seen + m + 1 - k, k) == 0)
			return k;
	return 0;
}

static void
html_skip(struct html *h, const char *until)
{
	h->state = HS_SKIP;
	h->until = until;
	h->matched = 0;
}

/* The tag's name, lower-cased, after an optional '/'; 1 if an end tag. */
static int
html_tag_name(const struct buf *tag, char *name, size_t max, size_t *after)
{
	size_t	i = 0, n = 0;
	int	end = 0;

	if (tag->len > 0 && tag->data[0] == '/') {
		end = 1;
		i = 1;
	}
	for (; i < tag->len; i++) {
		unsigned char c = html_lower((unsigned char)tag->data[i]);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			break;
		if (n + 1 < max)
			name[n++] = (char)c;
	}
	name[n] = '\0';
	*after = i;
	return end;
}

/* One attribute from p: its lower-cased name and its value. */
static const char *
html_attr(const char *p, const char *end, char *name, size_t nmax,
    const char **val, size_t *vlen)
{
	size_t	n = 0;
	char	q;

	while (p < end && strchr(" \t\n\r\f/", *p) != NULL)
		p++;
	while (p < end && strchr(" \t\n\r\f/=", *p) == NULL) {
		if (n + 1 < nmax)
			name[n++] = (char)html_lower((unsigned char)*p);
		p++;
	}
	name[n] = '\0';
	*val = p;
	*vlen = 0;
	while (p < end && strchr(" \t\n\r\f", *p) != NULL)
		p++;
	if (p == end || *p != '=')
		return p;
	for (p++; p < end && strchr(" \t\n\r\f", *p) != NULL; p++)
		;
	if (p < end && (*p == '"' || *p == '\'')) {
		q = *p++;
		*val = p;
		while (p < end && *p != q)
			p++;
		*vlen = (size_t)(p - *val);
		return p < end ? p + 1 : p;
	}
	*val = p;
	while (p < end && strchr(" \t\n\r\f", *p) == NULL)
		p++;
	*vlen = (size_t)(p - *val);
	return p;
}

/* <meta charset=X> or <meta http-equiv=content-type content="...; charset=X">. */
static void
html_meta(struct html *h, const char *p, const char *end)
{
	char		 name[16], cs[CHARSET_NAME_MAX], content[256];
	const char	*val;
	size_t		 vlen;
	int		 equiv = 0;

	cs[0] = content[0] = '\0';
	while (p < end) {
		p = html_attr(p, end, name, sizeof name, &val, &vlen);
		if (name[0] == '\0')
			break;
		if (strcmp(name, "charset") == 0 && vlen < sizeof cs) {
			memcpy(cs, val, vlen);
			cs[vlen] = '\0';
		} else if (strcmp(name, "http-equiv") == 0)
			equiv = vlen == 12 && strncasecmp(val, "content-type",
			    12) == 0;
		else if (strcmp(name, "content") == 0 &&
		    vlen < sizeof content) {
			memcpy(content, val, vlen);
			content[vlen] = '\0';
		}
	}
	if (cs[0] == '\0' && equiv)
		charset_of_content_type(content, cs, sizeof cs);
	if (cs[0] != '\0' && h->meta_cs[0] == '\0')
		memcpy(h->meta_cs, cs, sizeof cs);
}

static void
html_tag_done(struct html *h)
{
	char	name[16];
	size_t	after;
	int	end;

	end = html_tag_name(&h->tag, name, sizeof name, &after);
	h->state = HS_TEXT;
	if (h->tag.len >= HTML_TAG_MAX)
		return;		/* cut: not to be trusted */
	if (!end && strcmp(name, "title") == 0 &&
	    h->title_state == HTML_TITLE_UNSEEN) {
		h->title_state = HTML_TITLE_READING;
		h->state = HS_TITLE;
		h->matched = 0;
	} else if (!end && strcmp(name, "script") == 0)
		html_skip(h, "</script");
	else if (!end && strcmp(name, "style") == 0)
		html_skip(h, "</style");
	else if (!end && strcmp(name, "meta") == 0 && !h->head_over)
		html_meta(h, h->tag.data + after, h->tag.data + h->tag.len);
	else if ((!end && strcmp(name, "body") == 0) ||
	    (end && strcmp(name, "head") == 0))
		h->head_over = 1;
}

static void
html_tag_byte(struct html *h, char c)
{
	if (h->quote != 0) {
		if (c == h->quote)
			h->quote = 0;
	} else if (c == '"' || c == '\'')
		h->quote = c;
	else if (c == '>') {
		html_tag_done(h);
		return;
	}
	if (h->tag.len < HTML_TAG_MAX)
		buf_addc(&h->tag, c);
}

static void
html_start_tag(struct html *h, char first)
{
	buf_reset(&h->tag);
	h->quote = 0;
	h->state = HS_TAG;
	if (first != '\0')
		buf_addc(&h->tag, first);
}

/* After "<!": a comment, CDATA, or a declaration such as DOCTYPE. */
static void
html_bang_byte(struct html *h, char c)
{
	static const char	cdata[] = "[CDATA[";

	buf_addc(&h->tag, c);
	if (h->tag.len == 2 && memcmp(h->tag.data, "--", 2) == 0)
		html_skip(h, "-->");
	else if (h->tag.len == 7 && memcmp(h->tag.data, cdata, 7) == 0)
		html_skip(h, "]]>");
	else if (c == '>')
		h->state = HS_TEXT;
	else if (!(h->tag.len < 2 && c == '-') &&
	    memcmp(h->tag.data, cdata, h->tag.len) != 0)
		html_skip(h, ">");
}

static void
html_title_byte(struct html *h, unsigned char c)
{
	if (h->title.len < HTML_RAW_MAX)
		buf_addc(&h->title, (char)c);
	h->title_total++;
	h->matched = html_match(html_title_end, h->matched, c);
	if (h->matched == sizeof html_title_end - 1)
		h->state = HS_TITLE_END;
}

/* "</title" was read: a delimiter ends the title, anything else is text. */
static void
html_title_end_byte(struct html *h, unsigned char c)
{
	uint64_t	len;

	if (c != '>' && c != '/' && strchr(" \t\n\r\f", c) == NULL) {
		h->state = HS_TITLE;
		h->matched = 0;
		html_title_byte(h, c);
		return;
	}
	len = h->title_total - (sizeof html_title_end - 1);
	if (len < h->title.len)
		h->title.len = (size_t)len;
	h->title_state = HTML_TITLE_READ;
	if (c == '>')
		h->state = HS_TEXT;
	else
		html_start_tag(h, '\0');
}

static void
html_byte(struct html *h, unsigned char c)
{
	switch (h->state) {
	case HS_TEXT:
		if (c == '<')
			h->state = HS_LT;
		break;
	case HS_LT:
		if (c == '!') {
			buf_reset(&h->tag);
			h->state = HS_BANG;
		} else if (c == '/' || (html_lower(c) >= 'a' &&
		    html_lower(c) <= 'z'))
			html_start_tag(h, (char)c);
		else if (c == '?')
			html_skip(h, ">");
		else if (c != '<')
			h->state = HS_TEXT;
		break;
	case HS_BANG:
		html_bang_byte(h, (char)c);
		break;
	case HS_TAG:
		html_tag_byte(h, (char)c);
		break;
	case HS_SKIP:
		h->matched = html_match(h->until, h->matched, c);
		if (h->until[h->matched] != '\0')
			break;
		/* The rest of an end tag, as in "</script >", is a tag. */
		if (h->until[0] == '<')
			html_start_tag(h, '\0');
		else
			h->state = HS_TEXT;
		break;
	case HS_TITLE:
		html_title_byte(h, c);
		break;
	case HS_TITLE_END:
		html_title_end_byte(h, c);
		break;
	}
}

/*
 * Whether scanning can stop: the title is read and the charset settled
 * (declared, or no <meta> can declare one any more), or 64 KiB are seen.
 */
int
html_done(const struct html *h)
{
	if (h->kind == HTML_NOT || h->seen >= HTML_SCAN_MAX)
		return 1;
	return h->title_state == HTML_TITLE_READ && (h->header_cs[0] != '\0' ||
	    h->meta_cs[0] != '\0' || h->head_over || h->seen >= HTML_PRESCAN);
}

/* Scans more of the body; 1 once html_done(). */
int
html_feed(struct html *h, const char *data, size_t len)
{
	size_t	i;

	while (h->kind == HTML_SNIFF && len > 0) {
		if (strchr(" \t\n\r\f", *data) == NULL) {
			h->kind = *data == '<' ? HTML_YES : HTML_NOT;
			break;
		}
		data++;
		len--;
	}
	if (html_done(h))
		return 1;
	if (len > HTML_SCAN_MAX - h->seen)
		len = (size_t)(HTML_SCAN_MAX - h->seen);
	for (i = 0; i < len && !html_done(h); i++) {
		h->seen++;
		html_byte(h, (unsigned char)data[i]);
	}
	return html_done(h);
}

/* The body ended (or was cut): a title still open is what was read. */
void
html_end(struct html *h)
{
	if (h->title_state == HTML_TITLE_READING)
		h->title_state = HTML_TITLE_READ;
}

/* The charset the body is in, as declared; NULL if it says nothing. */
const char *
html_charset(const struct html *h)
{
	if (h->header_cs[0] != '\0')
		return h->header_cs;
	return h->meta_cs[0] != '\0' ? h->meta_cs : NULL;
}

static const struct {
	const char	*name;
	int32_t		 cp;
} html_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "laquo", 0xab }, { "raquo", 0xbb },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201c },
	{ "rdquo", 0x201d }, { "middot", 0xb7 }, { "bull", 0x2022 },
	{ "euro", 0x20ac }, { "pound", 0xa3 }, { "yen", 0xa5 },
	{ "cent", 0xa2 }, { "sect", 0xa7 }, { "deg", 0xb0 },
	{ "times", 0xd7 }, { "eacute", 0xe9 }, { "egrave", 0xe8 },
	{ "agrave", 0xe0 }, { "aacute", 0xe1 }, { "ccedil", 0xe7 },
	{ "auml", 0xe4 }, { "ouml", 0xf6 }, { "uuml", 0xfc },
	{ "szlig", 0xdf }, { "ntilde", 0xf1 },
};

/* A numeric reference after "&#": its code point, or -1. */
static int32_t
html_numeric(const char *p, const char *end, const char **next)
{
	int	base = 10, digits = 0, d;
	int32_t	cp = 0;

	if (p < end && (*p == 'x' || *p == 'X')) {
		base = 16;
		p++;
	}
	for (; p < end; p++, digits++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && html_lower((unsigned char)*p) >= 'a' &&
		    html_lower((unsigned char)*p) <= 'f')
			d = html_lower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (cp <= 0x10ffff)
			cp = cp * base + d;
	}
	if (digits == 0)
		return -1;
	if (p < end && *p == ';')
		p++;
	*next = p;
	return cp == 0 ? 0xfffd : cp;	/* utf8_encode repairs the rest */
}

/* A named reference after '&' (';' needed): its code point, or -1. */
static int32_t
html_named(const char *p, const char *end, const char **next)
{
	size_t	i, n;

	for (i = 0; i < sizeof html_entities / sizeof html_entities[0]; i++) {
		n = strlen(html_entities[i].name);
		if ((size_t)(end - p) > n && memcmp(p, html_entities[i].name,
		    n) == 0 && p[n] == ';') {
			*next = p + n + 1;
			return html_entities[i].cp;
		}
	}
	return -1;
}

/*
 * White space, in a title: the control characters too (raw or as
 * references), which a title is never meant to hold and a terminal
 * would obey.
 */
static int
html_blank(int32_t c)
{
	return (c >= 0 && c <= ' ') || c == 0x7f;
}

/* UTF-8 text with references decoded and white space collapsed. */
static void
html_clean(struct buf *b, const char *p, const char *end)
{
	const char	*next;
	int32_t		 cp;
	int		 space = 0;

	/* One byte past the bound, so html_cut sees where a character ends. */
	for (; p < end && b->len <= HTML_TITLE_MAX; p = next) {
		next = p + 1;
		cp = -1;
		if (*p == '&' && p + 1 < end && p[1] == '#')
			cp = html_numeric(p + 2, end, &next);
		else if (*p == '&')
			cp = html_named(p + 1, end, &next);
		if (cp < 0)
			next = p + 1;
		if (html_blank(cp < 0 ? (unsigned char)*p : cp)) {
			space = b->len > 0;
			continue;
		}
		if (space)
			buf_addc(b, ' ');
		space = 0;
		if (cp >= 0)
			utf8_encode(b, cp);
		else
			buf_addc(b, *p);
	}
}

/* Keeps whole code points within HTML_TITLE_MAX. */
static void
html_cut(struct buf *b)
{
	if (b->len <= HTML_TITLE_MAX)
		return;
	b->len = HTML_TITLE_MAX;
	while (b->len > 0 && ((unsigned char)b->data[b->len] & 0xc0) == 0x80)
		b->len--;
}

/*
 * The title as UTF-8 (the caller's), or NULL if there is none.  With no
 * declared charset, bytes that are not valid UTF-8 are windows-1252, the
 * default browsers use for unlabelled pages.
 */
char *
html_title(const struct html *h)
{
	const char	*cs = html_charset(h);
	struct buf	 b;
	char		*text;
	size_t		 len;

	if (h->title_state != HTML_TITLE_READ)
		return NULL;
	if (cs == NULL && !utf8_valid((const unsigned char *)h->title.data,
	    h->title.len))
		cs = "windows-1252";
	text = charset_to_utf8(cs, h->title.len ? h->title.data : "",
	    h->title.len, &len);
	buf_init(&b);
	html_clean(&b, text, text + len);
	free(text);
	html_cut(&b);
	buf_addc(&b, '\0');
	return b.data;
}
