/*
 * testd_cond.c: resources with validators, for --revalidate.  /cond/ID
 * sends an ETag and a Last-Modified that belong to the resource's
 * version, and answers 304 to a request whose If-None-Match or
 * If-Modified-Since names that version; /cond-change/N/G puts the IDs
 * below N at version G (all others stay at 0), so a test can change
 * some of many.  Query words make the validators odd: weak (W/"..."),
 * two (two ETag headers), ctl (a control byte in the ETag), badlm (a
 * Last-Modified that is not a date), noetag, nolm; kb=N pads the body to
 * N KiB.  /stats/cond counts
 * the answers and the validators seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "testd.h"

/* The versions' Last-Modified: a fixed day, one day later a version. */
#define COND_EPOCH	1764583200	/* Mon, 01 Dec 2025 10:00:00 GMT */

static int
cond_flag(const char *uri, const char *word)
{
	const char	*q = strchr(uri, '?');
	size_t		 n = strlen(word);

	for (; q != NULL; q = strpbrk(q + 1, "&"))
		if (strncmp(q + 1, word, n) == 0 &&
		    (q[1 + n] == '\0' || q[1 + n] == '&'))
			return 1;
	return 0;
}

/* Whether header names the value: exactly, or as one of a list. */
static int
cond_names(const char *header, const char *value)
{
	const char	*p;
	size_t		 n = strlen(value);

	if (header == NULL)
		return 0;
	for (p = header; (p = strstr(p, value)) != NULL; p += n)
		if ((p == header || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

/* The body, padded to kb=N KiB when asked. */
static void
cond_reply(struct server *srv, struct evhttp_request *req, const char *body,
    const char *uri)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*kb = strstr(uri, "kb=");
	long		 n = kb != NULL ? strtol(kb + 3, NULL, 10) : 0, i;
	static char	 pad[1024];

	memset(pad, '.', sizeof pad);
	evbuffer_add(b, body, strlen(body));
	for (i = 0; i < n && i < 10240; i++)
		evbuffer_add(b, pad, sizeof pad);
	reply_buffer(srv, req, 200, b);
}

void
route_cond(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	const char		*uri = evhttp_request_get_uri(req);
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	const char		*inm = evhttp_find_header(in, "If-None-Match");
	const char		*ims = evhttp_find_header(in, "If-Modified-Since");
	long			 gen = a->n[0] < srv->cond_changed ? srv->cond_gen : 0;
	char			 etag[96], lm[64], body[96];
	time_t			 when = COND_EPOCH + gen * 86400;

	snprintf(etag, sizeof etag, "%s\"%ld-v%ld%s\"", cond_flag(uri,
	    "weak") ? "W/" : "", a->n[0], gen, cond_flag(uri, "ctl") ?
	    "\x01" : "");
	strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&when));
	if (cond_flag(uri, "badlm"))
		snprintf(lm, sizeof lm, "yesterday, roughly");
	srv->cond_inm += inm != NULL;
	srv->cond_ims += ims != NULL;
	if (!cond_flag(uri, "noetag")) {
		evhttp_add_header(out, "ETag", etag);
		if (cond_flag(uri, "two"))
			evhttp_add_header(out, "ETag", "\"second\"");
	}
	if (!cond_flag(uri, "nolm"))
		evhttp_add_header(out, "Last-Modified", lm);
	if ((inm != NULL && !cond_flag(uri, "noetag") &&
	    cond_names(inm, etag)) || (inm == NULL && ims != NULL &&
	    strcmp(ims, lm) == 0)) {
		srv->cond_304++;
		reply_buffer(srv, req, 304, evbuffer_new());
		return;
	}
	srv->cond_200++;
	snprintf(body, sizeof body, "resource %ld, version %ld\n", a->n[0],
	    gen);
	cond_reply(srv, req, body, uri);
}

/* /cond-change/N/G: the IDs below N are at version G from now on. */
void
route_cond_change(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	srv->cond_changed = a->n[0];
	srv->cond_gen = a->n[1];
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, "changed\n");
}

void
route_stats_cond(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	char	body[160];

	(void)a;
	snprintf(body, sizeof body, "{\"200\":%ld,\"304\":%ld,"
	    "\"if_none_match\":%ld,\"if_modified_since\":%ld}\n",
	    srv->cond_200, srv->cond_304, srv->cond_inm, srv->cond_ims);
	srv->inflight++;
	reply_str(srv, req, 200, body);
}
