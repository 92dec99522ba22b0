/*
 * result.c: life cycle of a result and the names of error kinds as the
 * contract spells them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "spool.h"
#include "xmalloc.h"

static const char *const err_names[ERR__COUNT] = {
	[ERR_NONE] = "none",
	[ERR_DNS] = "dns",
	[ERR_CONNECT] = "connect",
	[ERR_TLS] = "tls",
	[ERR_TIMEOUT] = "timeout",
	[ERR_HTTP] = "http",
	[ERR_TOO_MANY_REDIRECTS] = "too_many_redirects",
	[ERR_PROTOCOL] = "protocol",
	[ERR_RESET] = "reset",
	[ERR_BAD_INPUT] = "bad_input",
	[ERR_CANCELLED] = "cancelled",
	[ERR_TOO_LARGE] = "too_large",
	[ERR_BLOCKED] = "blocked",
	[ERR_OTHER] = "other",
};

const char *
err_name(enum err_kind e)
{
	return err_names[e];
}

void
result_init(struct result *r, uint64_t index, const char *url, size_t len)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->url = url;
	r->url_len = len;
	r->redirects = -1;
	r->started_ms = -1;
	r->time.queued = r->time.dns = r->time.connect = TIME_UNKNOWN;
	r->time.tls = r->time.ttfb = r->time.total = TIME_UNKNOWN;
}

static void
result_chain_clear(struct result *r)
{
	size_t	i;

	for (i = 0; i < r->nchain; i++) {
		free(r->chain[i].url);
		free(r->chain[i].location);
	}
	free(r->chain);
	r->chain = NULL;
	r->nchain = 0;
}

/* One more response in the attempt's chain (url and location copied). */
void
result_hop_add(struct result *r, const char *url, long status,
    const char *location)
{
	struct result_hop	*h;

	r->chain = xrealloc(r->chain, (r->nchain + 1) * sizeof *r->chain);
	h = &r->chain[r->nchain++];
	h->url = xstrdup(url);
	h->status = status;
	h->location = location != NULL ? xstrdup(location) : NULL;
}

/* Frees what the result owns; the url belongs to whoever set it. */
void
result_clear(struct result *r)
{
	free(r->message);
	free(r->effective_url);
	free(r->content_type);
	free(r->title);
	free(r->head);
	free(r->headers);
	free(r->path);
	free(r->remote_ip);
	free(r->etag);
	free(r->last_modified);
	free(r->body_data);
	result_chain_clear(r);
	body_free(r->body);
	r->body = NULL;
	r->path = NULL;
	r->remote_ip = r->etag = r->last_modified = r->body_data = NULL;
	r->body_kind = RESULT_BODY_NONE;
	r->body_len = 0;
	r->sha256[0] = '\0';
	r->message = r->effective_url = r->content_type = r->title = NULL;
	r->head = r->headers = NULL;
	r->head_len = r->headers_len = 0;
}

/* Ready for another attempt: only the line and the attempts so far stay. */
void
result_retry(struct result *r)
{
	struct result	keep = *r;

	result_clear(r);
	result_init(r, keep.index, keep.url, keep.url_len);
	r->attempts = keep.attempts;
	r->id = keep.id;
}

/* Marks the result failed with kind e; the message replaces any earlier. */
void
result_fail(struct result *r, enum err_kind e, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	free(r->message);
	r->message = xstrdup(msg);
	r->error = e;
}
