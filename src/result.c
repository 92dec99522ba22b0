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
	r->time.queued = r->time.dns = r->time.connect = TIME_UNKNOWN;
	r->time.tls = r->time.ttfb = r->time.total = TIME_UNKNOWN;
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
	body_free(r->body);
	r->body = NULL;
	r->path = NULL;
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
