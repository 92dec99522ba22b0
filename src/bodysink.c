/*
 * bodysink.c: one task's response as it streams in: header lines for
 * --with-headers, body bytes for -f body, -o, the title and the preview,
 * and the decision to stop a transfer early.  Runs on whichever thread
 * runs the transfer; its parts are made and committed on the main one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bodysink.h"
#include "buf.h"
#include "charset.h"
#include "conf.h"
#include "digest.h"
#include "html.h"
#include "http.h"
#include "preview.h"
#include "result.h"
#include "save.h"
#include "spool.h"
#include "utf8.h"
#include "xmalloc.h"

/* More header bytes than this in one response are not kept. */
#define BODYSINK_HEADERS_MAX	(256 * 1024)

/* The run's policy; spool and saver are set by their owner. */
void
bodysink_policy_init(struct bodysink_policy *p, const struct config *c)
{
	memset(p, 0, sizeof *p);
	p->max_bytes = c->max_bytes;
	p->max_decoded = c->max_decoded;
	if (c->format == FMT_HEAD || c->lines_given)
		p->lines = c->lines;
	p->title = c->format == FMT_JSON;
	p->title_only = c->title_only;
	p->headers = c->with_headers;
	p->follow = c->follow;
	p->json_body = c->with_body;
	p->sha256 = c->hash_sha256;
}

void
bodysink_init(struct bodysink *b, const struct bodysink_policy *pol)
{
	memset(b, 0, sizeof *b);
	b->pol = pol;
}

void
bodysink_free(struct bodysink *b)
{
	if (b->preview != NULL) {
		preview_free(b->preview);
		free(b->preview);
	}
	if (b->html != NULL) {
		html_free(b->html);
		free(b->html);
	}
	if (b->headers != NULL) {
		buf_free(b->headers);
		free(b->headers);
	}
	body_free(b->content);
	if (b->file != NULL) {
		save_discard(b->file);
		free(b->file);
	}
	if (b->json_body != NULL) {
		buf_free(b->json_body);
		free(b->json_body);
	}
	digest_free(b->digest);
	free(b->io_error);
	memset(b, 0, sizeof *b);
}

/* What the output needs of every hop, made once. */
static void
bodysink_make(struct bodysink *b)
{
	const struct bodysink_policy	*pol = b->pol;

	b->made = 1;
	if (pol->lines > 0) {
		b->preview = xmalloc(sizeof *b->preview);
		preview_init(b->preview, pol->lines);
	}
	if (pol->title || b->preview != NULL) {
		b->html = xmalloc(sizeof *b->html);
		html_init(b->html);
	}
	if (pol->headers) {
		b->headers = xmalloc(sizeof *b->headers);
		buf_init(b->headers);
	}
	if (pol->json_body != RESULT_BODY_NONE) {
		b->json_body = xmalloc(sizeof *b->json_body);
		buf_init(b->json_body);
	}
	if (pol->sha256)
		b->digest = digest_new();
}

/*
 * A hop's transfer is about to start: everything of the last one goes.
 * -1 (errno set) when the file the body is saved to cannot be emptied.
 */
int
bodysink_open(struct bodysink *b, uint64_t index, const char *url)
{
	const struct bodysink_policy	*pol = b->pol;

	if (!b->made)
		bodysink_make(b);
	b->hop = HOP_BODY_NONE;
	b->bytes = 0;
	b->truncated = b->stopped = b->over_decoded = 0;
	free(b->io_error);
	b->io_error = NULL;
	if (b->preview != NULL)
		preview_reset(b->preview);
	if (b->headers != NULL)
		buf_reset(b->headers);
	if (b->json_body != NULL)
		buf_reset(b->json_body);
	if (b->digest != NULL)
		digest_reset(b->digest);
	if (pol->spool != NULL && b->content == NULL)
		b->content = body_new(pol->spool);
	else if (b->content != NULL)
		body_reset(b->content);
	if (pol->saver != NULL && b->file == NULL) {
		b->file = xmalloc(sizeof *b->file);
		save_begin(pol->saver, b->file, index, url);
	}
	return b->file != NULL ? save_truncate(b->file) : 0;
}

/*
 * A header line as libcurl passes it: only the latest response's are
 * kept (a status line starts a new one: 1xx, then the final, and every
 * redirect hop); a folded line continues the one before.
 */
void
bodysink_header(struct bodysink *b, const char *data, size_t len)
{
	struct buf	*h = b->headers;

	if (h == NULL)
		return;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		buf_reset(h);
		return;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len == 0 || h->len + len + 1 > BODYSINK_HEADERS_MAX)
		return;
	if ((data[0] == ' ' || data[0] == '\t') && h->len > 0) {
		h->len--;			/* obsolete folding */
		buf_addc(h, ' ');
	} else if (memchr(data, ':', len) == NULL)
		return;
	buf_add(h, data, len);
	buf_addc(h, '\n');
}

/* Whether a response of this status is a redirect the task follows. */
int
bodysink_follows(const struct bodysink_policy *pol, long status)
{
	return pol->follow && http_redirects(status);
}

/*
 * A hop's first body bytes are coming, from a response with this status,
 * Content-Type (or NULL), and whether it is compressed: what the body is
 * for is decided once per hop, not per chunk.
 */

void
bodysink_begin(struct bodysink *b, long status, const char *ctype,
    int compressed)
{
	/* Only a compressed body can decode to more than was sent. */
	b->decode_left = UINT64_MAX;
	if (compressed && b->pol->max_decoded > 0)
		b->decode_left = b->pol->max_decoded;
	if (bodysink_follows(b->pol, status)) {
		b->hop = HOP_BODY_DRAINED;
		return;
	}
	b->hop = HOP_BODY_KEPT;
	if (b->html != NULL)
		html_begin(b->html, ctype);
}

static enum bodysink_status
bodysink_failed(struct bodysink *b, const char *what)
{
	char	msg[256];

	snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
	free(b->io_error);
	b->io_error = xstrdup(msg);
	return BODYSINK_FAILED;
}

/*
 * Whether the output has all it wants of the body, so the transfer may
 * end early: only for a preview or --title-only, never for a body kept
 * whole, and in json not before the title is known.
 */
static int
bodysink_has_enough(const struct bodysink *b, int lines_in)
{
	if (b->content != NULL || b->file != NULL || b->json_body != NULL)
		return 0;
	if (b->preview != NULL ? !lines_in : !b->pol->title_only)
		return 0;
	return !b->pol->title || b->html == NULL || html_done(b->html);
}

/* A chunk of the hop's decoded body, after bodysink_begin(). */
enum bodysink_status
bodysink_write(struct bodysink *b, const char *data, size_t len)
{
	uint64_t	max = b->pol->max_bytes;
	int		lines_in = 0;

	/*
	 * A few kilobytes of gzip can inflate to gigabytes; drained or not,
	 * such a body ends once it passes the bound.
	 */
	if (len > b->decode_left) {
		b->over_decoded = 1;
		return BODYSINK_FAILED;
	}
	b->decode_left -= len;
	/*
	 * A redirect about to be followed: drain its body, keep nothing.
	 * Ending it early would lose the Location, which libcurl works out
	 * only once the body is complete.
	 */
	if (b->hop == HOP_BODY_DRAINED)
		return BODYSINK_MORE;
	if (max > 0 && b->bytes + len > max) {
		len = (size_t)(max - b->bytes);
		b->stopped = 1;
	}
	b->bytes += len;
	if (b->content != NULL && body_add(b->content, data, len) != 0)
		return bodysink_failed(b, "cannot hold the body");
	if (b->file != NULL && save_write(b->file, data, len) != 0)
		return bodysink_failed(b, "cannot save the body");
	if (b->json_body != NULL)
		buf_add(b->json_body, data, len);
	if (b->digest != NULL)
		digest_update(b->digest, data, len);
	if (b->html != NULL)
		html_feed(b->html, data, len);
	if (b->preview != NULL)
		lines_in = preview_feed(b->preview, data, len);
	if (bodysink_has_enough(b, lines_in))
		b->stopped = 1;
	if (!b->stopped)
		return BODYSINK_MORE;
	b->truncated = 1;
	return BODYSINK_ENOUGH;
}

/*
 * Text of the body (data, len) in UTF-8: from the declared charset, or
 * for an HTML page that declares none and is not valid UTF-8, from
 * windows-1252.  A body without a Content-Type is only repaired.
 */
static char *
bodysink_utf8(const struct bodysink *b, const struct result *r,
    const char *data, size_t len, size_t *outlen)
{
	const char	*cs = NULL;

	if (b->html != NULL && b->hop == HOP_BODY_KEPT) {
		cs = html_charset(b->html);
		if (cs == NULL && b->html->kind == HTML_YES &&
		    r->content_type != NULL && len > 0 &&
		    !utf8_valid((const unsigned char *)data, len))
			cs = "windows-1252";
	}
	if (!charset_is_utf8(cs))
		return charset_to_utf8(cs, data, len, outlen);
	*outlen = len;
	return xmemdup(len ? data : "", len);
}

static void
bodysink_head_lines(const struct bodysink *b, struct result *r)
{
	const struct buf	*l = &b->preview->lines;

	free(r->head);
	r->head = bodysink_utf8(b, r, l->data, l->len, &r->head_len);
}

/* --with-body and --hash: the kept body, as text or bytes, and its hash. */
static void
bodysink_record(struct bodysink *b, struct result *r)
{
	const struct buf	*j = b->json_body;

	if (j != NULL) {
		free(r->body_data);
		r->body_kind = (enum result_body)b->pol->json_body;
		if (r->body_kind == RESULT_BODY_TEXT)
			r->body_data = bodysink_utf8(b, r, j->data, j->len,
			    &r->body_len);
		else {
			r->body_data = xmemdup(j->len ? j->data : "", j->len);
			r->body_len = j->len;
		}
	}
	if (b->digest != NULL)
		digest_hex(b->digest, r->sha256);
}

/*
 * The transfer ended (complete: it ran to its end, or was stopped on
 * purpose): once a response came, what the output shows of it goes to
 * the result: headers, preview lines and, in json, the title.
 */
void
bodysink_end(struct bodysink *b, struct result *r, int complete)
{
	if (r->status == 0)
		return;
	if (b->headers != NULL) {
		free(r->headers);
		r->headers = xmemdup(b->headers->len ? b->headers->data : "",
		    b->headers->len);
		r->headers_len = b->headers->len;
	}
	if (b->html != NULL && b->hop == HOP_BODY_KEPT &&
	    b->html->kind != HTML_NOT && b->pol->title) {
		html_end(b->html);
		free(r->title);
		r->title = html_title(b->html);
	}
	bodysink_record(b, r);
	if (b->preview == NULL)
		return;
	if (complete)
		preview_end(b->preview);
	bodysink_head_lines(b, r);
}

/*
 * The result is final (it will not be tried again): the final
 * response's body goes to it (-f body), and its file gets its name (-o);
 * error statuses included, transport failures not.
 */
void
bodysink_keep(struct bodysink *b, struct result *r)
{
	char	err[512];
	int	has_body;

	/* A 304 has no body, and leaves the file of the last run alone. */
	has_body = r->status > 0 && r->status != 304 &&
	    (r->error == ERR_NONE || r->error == ERR_HTTP);
	if (b->file != NULL && has_body &&
	    (r->path = save_commit(b->file, err, sizeof err)) == NULL) {
		result_fail(r, ERR_OTHER, "%s", err);
		has_body = 0;
	}
	if (b->content != NULL && has_body) {
		r->body = b->content;
		b->content = NULL;
	}
}
