/*
 * testd_http.c: the test server's HTTP routes (evhttp), the same on its
 * plain and its TLS port; testd.h lists them.  Delayed and dripped
 * replies are held requests, each answered by its own timer.
 */
#include <stdint.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "serve.h"
#include "testd.h"

#define HOLD_MAX_MS	120000		/* /stall and /hang give up then */

/* A request answered later, by its own timer. */
struct held {
	struct server		*srv;
	struct evhttp_request	*req;
	struct event		*timer;
	void			(*tick)(struct held *);
	long			 left;		/* chunks to send */
	long			 interval_ms;
	long			 elapsed_ms;
	struct host_count	*host;		/* /hostdelay's */
};

static long
ms_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	    (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The request's Host (its name, no port) in the arrivals' table, or -1. */
static int
arrival_host(struct server *srv, struct evhttp_request *req)
{
	const char	*h = evhttp_find_header(
			    evhttp_request_get_input_headers(req), "Host");
	size_t		 i, n;

	if (h == NULL)
		return -1;
	n = strcspn(h, ":");
	for (i = 0; i < srv->narrival_hosts; i++)
		if (strlen(srv->arrival_hosts[i]) == n &&
		    strncmp(srv->arrival_hosts[i], h, n) == 0)
			return (int)i;
	if (srv->narrival_hosts == HOSTS_MAX ||
	    n >= sizeof srv->arrival_hosts[0])
		return -1;
	memcpy(srv->arrival_hosts[i], h, n);
	srv->arrival_hosts[i][n] = '\0';
	return (int)srv->narrival_hosts++;
}

static void
req_begin(struct server *srv, struct evhttp_request *req)
{
	struct arrival	*a;

	if (srv->narrivals < ARRIVALS_MAX) {
		a = &srv->arrivals[srv->narrivals++];
		a->ms = ms_since(&srv->t_reset);
		a->host = arrival_host(srv, req);
	}
	srv->requests++;
	if (++srv->inflight > srv->peak)
		srv->peak = srv->inflight;
}

/* Replaces the text/plain every reply starts with. */
void
content_type(struct evhttp_request *req, const char *type)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_remove_header(h, "Content-Type");
	evhttp_add_header(h, "Content-Type", type);
}

/* Sends b as the body, frees it, and counts the request out. */
void
reply_buffer(struct server *srv, struct evhttp_request *req, int code,
    struct evbuffer *b)
{
	evhttp_send_reply(req, code, code < 400 ? "OK" : "Error", b);
	evbuffer_free(b);
	srv->inflight--;
}

static void
reply(struct server *srv, struct evhttp_request *req, int code,
    const char *body, size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add(b, body, len);
	reply_buffer(srv, req, code, b);
}

void
reply_str(struct server *srv, struct evhttp_request *req, int code,
    const char *s)
{
	reply(srv, req, code, s, strlen(s));
}

static void
held_free(struct held *h)
{
	event_free(h->timer);
	free(h);
}

static void
held_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct held	*h = arg;

	(void)fd;
	(void)what;
	/* A client that went away leaves its request to us to free. */
	if (evhttp_request_get_connection(h->req) == NULL) {
		evhttp_request_free(h->req);
		h->srv->inflight--;
		if (h->host != NULL)
			h->host->inflight--;
		held_free(h);
		return;
	}
	h->tick(h);
}

static void
held_arm(struct held *h, long ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	h->elapsed_ms += ms;
	event_base_update_cache_time(h->srv->base);	/* see serve_base */
	evtimer_add(h->timer, &tv);
}

static struct held *
held_new(struct server *srv, struct evhttp_request *req,
    void (*tick)(struct held *), long first_ms)
{
	struct held	*h = calloc(1, sizeof *h);

	if (h == NULL)
		serve_fail("out of memory");
	h->srv = srv;
	h->req = req;
	h->tick = tick;
	if ((h->timer = evtimer_new(srv->base, held_timer_cb, h)) == NULL)
		serve_fail("evtimer_new");
	held_arm(h, first_ms);
	return h;
}

static void
tick_delay(struct held *h)
{
	char	body[64];

	snprintf(body, sizeof body, "delayed %ld ms\n", h->elapsed_ms);
	reply_str(h->srv, h->req, 200, body);
	held_free(h);
}

static void
tick_drip(struct held *h)
{
	struct evbuffer	*b;

	if (h->left-- <= 0) {
		evhttp_send_reply_end(h->req);
		h->srv->inflight--;
		held_free(h);
		return;
	}
	b = evbuffer_new();
	evbuffer_add_printf(b, "drip %ld\n", h->left);
	evhttp_send_reply_chunk(h->req, b);
	evbuffer_free(b);
	held_arm(h, h->interval_ms);
}

/* Sends another KiB whenever the last one has left the server. */
static void
tick_endless(struct held *h)
{
	struct evhttp_connection	*c = evhttp_request_get_connection(h->req);
	struct bufferevent		*bev = evhttp_connection_get_bufferevent(c);
	struct evbuffer			*b;
	char				 chunk[1024];

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		memset(chunk, 'e', sizeof chunk - 1);
		chunk[sizeof chunk - 1] = '\n';
		b = evbuffer_new();
		evbuffer_add(b, chunk, sizeof chunk);
		evhttp_send_reply_chunk(h->req, b);
		evbuffer_free(b);
		h->srv->endless_bytes += sizeof chunk;
	}
	held_arm(h, 1);
}

/* /endless: a body that never ends; /stats counts its bytes. */
static void
route_endless(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	evhttp_send_reply_start(req, 200, "OK");
	held_new(srv, req, tick_endless, 0);
}

/* /endless/html: a page whose head comes first. */
static void
route_endless_html(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	static const char	head[] = "<!doctype html><html><head>"
	    "<title>Endless &amp; more</title></head><body>\n";
	struct evbuffer		*b = evbuffer_new();

	(void)a;
	content_type(req, "text/html; charset=utf-8");
	evhttp_send_reply_start(req, 200, "OK");
	evbuffer_add(b, head, sizeof head - 1);
	evhttp_send_reply_chunk(req, b);
	evbuffer_free(b);
	held_new(srv, req, tick_endless, 0);
}

/* /stall and /hang: give up only after HOLD_MAX_MS. */
static void
tick_release(struct held *h)
{
	evhttp_send_reply_end(h->req);
	h->srv->inflight--;
	held_free(h);
}

static void
tick_hang_over(struct held *h)
{
	reply_str(h->srv, h->req, 503, "gave up hanging\n");
	held_free(h);
}

/* /stall: the headers, then silence until HOLD_MAX_MS. */
static void
route_stall(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	evhttp_send_reply_start(req, 200, "OK");
	held_new(srv, req, tick_release, HOLD_MAX_MS);
}

/* /hang: silence, then a 503 after HOLD_MAX_MS. */
static void
route_hang(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	held_new(srv, req, tick_hang_over, HOLD_MAX_MS);
}

/* /delay/MS: a reply after MS. */
static void
route_delay(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	held_new(srv, req, tick_delay, a->n[0]);
}

/* /drip/N/MS: N chunks, one every MS. */
static void
route_drip(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct held	*h;

	evhttp_send_reply_start(req, 200, "OK");
	h = held_new(srv, req, tick_drip, a->n[1]);
	h->left = a->n[0];
	h->interval_ms = a->n[1];
}

/* /status/N: a reply with status N. */
static char	*query_param(const char *, const char *, size_t *);

/* /: a site's home page, so a bare domain list has something to fetch. */
static void
route_home(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	content_type(req, "text/html; charset=utf-8");
	reply_str(srv, req, 200, "<!doctype html>\n<title>A test site</title>"
	    "\n<p>home</p>\n");
}

static void
route_status(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	size_t	 len;
	char	*ra = query_param(evhttp_request_get_uri(req), "ra", &len);

	if (ra != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", ra);
	free(ra);
	reply_str(srv, req, (int)a->n[0], "status\n");
}

/* /bytes/N: N bytes of 'x'. */
static void
route_bytes(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b = evbuffer_new();
	char		 fill[4096];
	long		 n;

	memset(fill, 'x', sizeof fill);
	for (n = a->n[0]; n > 0; n -= (long)sizeof fill)
		evbuffer_add(b, fill, n < (long)sizeof fill ? (size_t)n :
		    sizeof fill);
	reply_buffer(srv, req, 200, b);
}

/* /lines/N: "line 1" to "line N". */
static void
route_lines(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b = evbuffer_new();
	long		 i;

	for (i = 1; i <= a->n[0]; i++)
		evbuffer_add_printf(b, "line %ld\n", i);
	reply_buffer(srv, req, 200, b);
}

/* /redirect/N: N redirects before "arrived". */
static void
route_redirect(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	char	loc[64];
	long	n = a->n[0];

	if (n <= 0) {
		reply_str(srv, req, 200, "arrived\n");
		return;
	}
	snprintf(loc, sizeof loc, "/redirect/%ld", n - 1);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
	    loc);
	reply_str(srv, req, 302, "moved\n");
}

/* /to/CODE?URL: a redirect with that status to the (decoded) URL. */
static void
route_to(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	const char	*q = strchr(evhttp_request_get_uri(req), '?');
	char		*target;

	if (q == NULL || (target = evhttp_uridecode(q + 1, 0, NULL)) == NULL) {
		reply_str(srv, req, 400, "no target\n");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location",
	    target);
	free(target);
	reply_str(srv, req, (int)a->n[0], "moved\n");
}

static struct echo_seen *
echo_seen_for(struct server *srv, const char *key)
{
	size_t	i;

	for (i = 0; i < srv->nseen; i++)
		if (strcmp(srv->seen[i].key, key) == 0)
			return &srv->seen[i];
	if (srv->nseen == ECHO_KEYS_MAX)
		return NULL;
	snprintf(srv->seen[i].key, sizeof srv->seen[i].key, "%s", key);
	srv->seen[i].text[0] = '\0';
	return &srv->seen[srv->nseen++];
}

/*
 * /echo[/KEY]: answers with what the request was (method, X-*, cookie,
 * authorization and user-agent headers, body) and keeps it under KEY.
 */
static void
echo_reply(struct server *srv, struct evhttp_request *req, const char *key)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PUT",
	    "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH" };
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	struct evbuffer		*b = evbuffer_new();
	struct echo_seen	*seen;
	struct evkeyval		*kv;
	size_t			 n;
	int			 m, i;

	m = evhttp_request_get_command(req);
	for (i = 0; i < 9 && !(m & (1 << i)); i++)
		;
	evbuffer_add_printf(b, "method %s\n", i < 9 ? methods[i] : "?");
	TAILQ_FOREACH(kv, h, next)
		if (strncasecmp(kv->key, "X-", 2) == 0 ||
		    strcasecmp(kv->key, "User-Agent") == 0 ||
		    strcasecmp(kv->key, "Cookie") == 0 ||
		    strcasecmp(kv->key, "Authorization") == 0)
			evbuffer_add_printf(b, "header %s: %s\n", kv->key,
			    kv->value);
	evbuffer_add_printf(b, "body %zu ", evbuffer_get_length(in));
	evbuffer_add_buffer(b, in);
	evbuffer_add(b, "\n", 1);
	if (key != NULL && (seen = echo_seen_for(srv, key)) != NULL) {
		n = evbuffer_copyout(b, seen->text, sizeof seen->text - 1);
		seen->text[n] = '\0';
	}
	reply_buffer(srv, req, 200, b);
}

static void
route_echo(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	echo_reply(srv, req, NULL);
}

static void
route_echo_key(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	echo_reply(srv, req, a->rest);
}

static void
route_seen(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct echo_seen	*seen = echo_seen_for(srv, a->rest);

	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, seen ? seen->text : "");
}

static void
route_dns(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct dns_count	*c = dns_count_for(srv, a->rest);
	char			 body[128];

	snprintf(body, sizeof body, "{\"a\":%ld,\"aaaa\":%ld}\n",
	    c ? c->a : 0, c ? c->aaaa : 0);
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, body);
}

static void
route_stats(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	char	body[256];

	(void)a;
	snprintf(body, sizeof body, "{\"inflight\":%ld,\"peak\":%ld,"
	    "\"requests\":%ld,\"connections\":%ld,\"proxied\":%ld,"
	    "\"endless_bytes\":%llu}\n", srv->inflight, srv->peak,
	    srv->requests, srv->connections, srv->proxied, srv->endless_bytes);
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, body);
}

/* /stats/reset: the counters start again, then /stats. */
static void
route_stats_reset(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	srv->peak = srv->inflight;
	srv->requests = srv->connections = srv->proxied = 0;
	srv->endless_bytes = 0;
	srv->cond_200 = srv->cond_304 = srv->cond_inm = srv->cond_ims = 0;
	srv->ndns = 0;
	srv->nhosts = srv->nflaky = srv->narrivals = 0;
	srv->narrival_hosts = 0;
	clock_gettime(CLOCK_MONOTONIC, &srv->t_reset);
	route_stats(srv, req, a);
}

static void
route_utf8_bad(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	static const char body[] = "bad \xff\xfe \xc0\xaf \xed\xa0\x80 end\n";

	(void)a;
	content_type(req, "text/plain; charset=\xff\xe2\x82");
	reply(srv, req, 200, body, sizeof body - 1);
}

/*
 * /blob/N/SEED: N bytes (up to 64 MiB) of a byte stream fixed by SEED,
 * every byte value in it, so two bodies differ and order can be checked.
 */
static void
route_blob(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b;
	unsigned char	 chunk[4096];
	uint32_t	 x = (uint32_t)a->n[1] * 2654435761u + 1;
	long		 n = a->n[0];
	size_t		 i, len;

	if (n < 0 || n > 64L * 1024 * 1024) {
		reply_str(srv, req, 400, "0..64 MiB\n");
		return;
	}
	b = evbuffer_new();
	while (n > 0) {
		len = n < (long)sizeof chunk ? (size_t)n : sizeof chunk;
		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			chunk[i] = (unsigned char)(x >> 24);
		}
		evbuffer_add(b, chunk, len);
		n -= (long)len;
	}
	reply_buffer(srv, req, 200, b);
}

/* A query parameter's value, percent-decoded (the caller frees it). */
static char *
query_param(const char *uri, const char *name, size_t *len)
{
	const char	*p = strchr(uri, '?');
	size_t		 n = strlen(name);
	char		*raw, *v;

	while (p != NULL) {
		p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			raw = strndup(p + n + 1, strcspn(p + n + 1, "&"));
			v = evhttp_uridecode(raw, 0, len);
			free(raw);
			return v;
		}
		p = strchr(p, '&');
	}
	return NULL;
}

/*
 * /page?ct=TYPE&b=BODY[&x=N]: a body of any bytes (but NUL) with any
 * Content-Type, both percent-encoded: titles in every charset.  With x=N,
 * the first "@@" in BODY becomes N bytes of 'x' (up to 1 MiB), for pages
 * longer than a URL can be.
 */
static void
route_page(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	const char	*uri = evhttp_request_get_uri(req);
	struct evbuffer	*b;
	char		*ct, *body, *x, *at, fill[4096];
	size_t		 len = 0, n;
	long		 pad = 0;

	(void)a;
	if ((body = query_param(uri, "b", &len)) == NULL) {
		reply_str(srv, req, 400, "no b=\n");
		return;
	}
	if ((x = query_param(uri, "x", &n)) != NULL)
		pad = strtol(x, NULL, 10);
	free(x);
	if ((ct = query_param(uri, "ct", &n)) != NULL)
		content_type(req, ct);
	free(ct);
	b = evbuffer_new();
	at = pad > 0 && pad <= 1024 * 1024 ? strstr(body, "@@") : NULL;
	evbuffer_add(b, body, at != NULL ? (size_t)(at - body) : len);
	memset(fill, 'x', sizeof fill);
	for (; at != NULL && pad > 0; pad -= (long)n) {
		n = pad < (long)sizeof fill ? (size_t)pad : sizeof fill;
		evbuffer_add(b, fill, n);
	}
	if (at != NULL)
		evbuffer_add(b, at + 2, len - (size_t)(at + 2 - body));
	free(body);
	reply_buffer(srv, req, 200, b);
}

/* The Host header's name, without its port. */
static struct host_count *
host_count_for(struct server *srv, struct evhttp_request *req)
{
	const char	*h = evhttp_find_header(
			    evhttp_request_get_input_headers(req), "Host");
	size_t		 i, n;

	if (h == NULL)
		h = "";
	n = strcspn(h, ":");
	for (i = 0; i < srv->nhosts; i++)
		if (strlen(srv->hosts[i].name) == n &&
		    strncmp(srv->hosts[i].name, h, n) == 0)
			return &srv->hosts[i];
	if (srv->nhosts == HOSTS_MAX || n >= sizeof srv->hosts[0].name)
		return NULL;
	memset(&srv->hosts[i], 0, sizeof srv->hosts[i]);
	memcpy(srv->hosts[i].name, h, n);
	return &srv->hosts[srv->nhosts++];
}

static void
tick_host_delay(struct held *h)
{
	if (h->host != NULL)
		h->host->inflight--;
	tick_delay(h);
}

/* /hostdelay/MS: /delay, counted in flight per Host for /stats/hosts. */
static void
route_host_delay(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct host_count	*c = host_count_for(srv, req);
	struct held		*h;

	h = held_new(srv, req, tick_host_delay, a->n[0]);
	if ((h->host = c) == NULL)
		return;
	c->requests++;
	if (++c->inflight > c->peak)
		c->peak = c->inflight;
}

static void
route_stats_hosts(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 i;

	(void)a;
	evbuffer_add(b, "{", 1);
	for (i = 0; i < srv->nhosts; i++)
		evbuffer_add_printf(b, "%s\"%s\":{\"peak\":%ld,"
		    "\"requests\":%ld}", i ? "," : "", srv->hosts[i].name,
		    srv->hosts[i].peak, srv->hosts[i].requests);
	evbuffer_add(b, "}\n", 2);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void
route_stats_arrivals(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 i;

	(void)a;
	evbuffer_add(b, "[", 1);
	for (i = 0; i < srv->narrivals; i++)
		evbuffer_add_printf(b, "%s%ld", i ? "," : "",
		    srv->arrivals[i].ms);
	evbuffer_add(b, "]\n", 2);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

/* /stats/arrivals/hosts: {"HOST": [MS, ...]}, by the Host header. */
static void
route_stats_arrivals_hosts(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*sep;
	size_t		 h, i;

	(void)a;
	evbuffer_add(b, "{", 1);
	for (h = 0; h < srv->narrival_hosts; h++) {
		evbuffer_add_printf(b, "%s\"%s\":[", h ? "," : "",
		    srv->arrival_hosts[h]);
		for (i = 0, sep = ""; i < srv->narrivals; i++)
			if (srv->arrivals[i].host == (int)h) {
				evbuffer_add_printf(b, "%s%ld", sep,
				    srv->arrivals[i].ms);
				sep = ",";
			}
		evbuffer_add(b, "]", 1);
	}
	evbuffer_add(b, "}\n", 2);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static struct flaky *
flaky_for(struct server *srv, const char *key, size_t n)
{
	size_t	i;

	for (i = 0; i < srv->nflaky; i++)
		if (strlen(srv->flaky[i].key) == n &&
		    strncmp(srv->flaky[i].key, key, n) == 0)
			return &srv->flaky[i];
	if (srv->nflaky == FLAKY_MAX || n >= sizeof srv->flaky[0].key)
		return NULL;
	memset(&srv->flaky[i], 0, sizeof srv->flaky[i]);
	memcpy(srv->flaky[i].key, key, n);
	return &srv->flaky[srv->nflaky++];
}

/*
 * /flaky/KEY?n=N[&code=C][&ra=S]: the first N requests for KEY answer C
 * (default 503) with Retry-After: S seconds, or with ra=date:S an HTTP
 * date S seconds ahead; later ones 200.
 */
static void
route_flaky(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	const char	*uri = evhttp_request_get_uri(req);
	struct flaky	*f = flaky_for(srv, a->rest, strcspn(a->rest, "?"));
	char		*v, body[128], date[64];
	long		 n = 0, code = 503;
	size_t		 len;
	time_t		 when;

	if ((v = query_param(uri, "n", &len)) != NULL)
		n = strtol(v, NULL, 10);
	free(v);
	if ((v = query_param(uri, "code", &len)) != NULL)
		code = strtol(v, NULL, 10);
	free(v);
	if (f == NULL || ++f->requests > n) {
		reply_str(srv, req, 200, "ok after failures\n");
		return;
	}
	if ((v = query_param(uri, "ra", &len)) != NULL) {
		if (strncmp(v, "date:", 5) == 0) {
			when = time(NULL) + strtol(v + 5, NULL, 10);
			strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT",
			    gmtime(&when));
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Retry-After", date);
		} else
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Retry-After", v);
	}
	free(v);
	snprintf(body, sizeof body, "busy, request %ld\n", f->requests);
	reply_str(srv, req, (int)code, body);
}

/* /headers: a header sent twice, and names in mixed case. */
static void
route_headers(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	(void)a;
	evhttp_add_header(h, "Set-Cookie", "a=1");
	evhttp_add_header(h, "Set-Cookie", "b=2");
	evhttp_add_header(h, "X-Mixed-Case", "  padded value");
	reply_str(srv, req, 200, "headers\n");
}

/* /preview: what a page preview must survive. */
static void
route_preview(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	static const char body[] = "\n\n   \n\tfirst\r\n\r\n"
	    "\x1b[31mred\x1b[0m\n\xff\xfe bad\n\xc2\x9b csi\nlast";

	(void)a;
	reply(srv, req, 200, body, sizeof body - 1);
}

static void
route_none(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	(void)a;
	reply_str(srv, req, 404, "no such route\n");
}

/* Whether a route is counted for /stats and starts as text/plain. */
enum route_kind {
	ROUTE_REPORT,		/* the server's own counts: neither */
	ROUTE_REQUEST
};

/*
 * The routes, the first that matches wins, so a longer path comes before
 * its prefix.  A pattern matches the start of the path: '#' is a number
 * as strtol reads it in base 10 (leading space, a sign), '$' the end of
 * the path, and any other character itself.  The last row, "", matches
 * every path.
 */
static const struct http_route {
	const char	*pattern;
	enum route_kind	 kind;
	void		(*fn)(struct server *, struct evhttp_request *,
			    const struct route_args *);
} http_routes[] = {
	{ "/stats/hosts$",	ROUTE_REPORT,	route_stats_hosts },
	{ "/stats/arrivals$",	ROUTE_REPORT,	route_stats_arrivals },
	{ "/stats/cond$",	ROUTE_REPORT,	route_stats_cond },
	{ "/cond-change/#/#",	ROUTE_REPORT,	route_cond_change },
	{ "/cond/#",		ROUTE_REQUEST,	route_cond },
	{ "/stats/arrivals/hosts$", ROUTE_REPORT, route_stats_arrivals_hosts },
	{ "/stats/second$",	ROUTE_REPORT,	route_stats_second },
	{ "/stats/reset",	ROUTE_REPORT,	route_stats_reset },
	{ "/stats",		ROUTE_REPORT,	route_stats },
	{ "/dns/",		ROUTE_REPORT,	route_dns },
	{ "/seen/",		ROUTE_REPORT,	route_seen },
	{ "/$",			ROUTE_REQUEST,	route_home },
	{ "/?",			ROUTE_REQUEST,	route_home },
	{ "/status/#",		ROUTE_REQUEST,	route_status },
	{ "/bytes/#",		ROUTE_REQUEST,	route_bytes },
	{ "/lines/#",		ROUTE_REQUEST,	route_lines },
	{ "/hostdelay/#",	ROUTE_REQUEST,	route_host_delay },
	{ "/flaky/",		ROUTE_REQUEST,	route_flaky },
	{ "/delay/#",		ROUTE_REQUEST,	route_delay },
	{ "/drip/#/#",		ROUTE_REQUEST,	route_drip },
	{ "/endless/html$",	ROUTE_REQUEST,	route_endless_html },
	{ "/endless",		ROUTE_REQUEST,	route_endless },
	{ "/redirect/#",	ROUTE_REQUEST,	route_redirect },
	{ "/to/#",		ROUTE_REQUEST,	route_to },
	{ "/blob/#/#",		ROUTE_REQUEST,	route_blob },
	{ "/page?",		ROUTE_REQUEST,	route_page },
	{ "/gzip/#",		ROUTE_REQUEST,	route_gzip },
	{ "/bomb/#",		ROUTE_REQUEST,	route_bomb },
	{ "/echo/",		ROUTE_REQUEST,	route_echo_key },
	{ "/echo",		ROUTE_REQUEST,	route_echo },
	{ "/stall",		ROUTE_REQUEST,	route_stall },
	{ "/hang",		ROUTE_REQUEST,	route_hang },
	{ "/utf8/bad",		ROUTE_REQUEST,	route_utf8_bad },
	{ "/preview",		ROUTE_REQUEST,	route_preview },
	{ "/headers",		ROUTE_REQUEST,	route_headers },
	{ "",			ROUTE_REQUEST,	route_none },
};

/* Whether path matches pattern; if so, a holds what it took. */
static int
route_match(const char *pattern, const char *path, struct route_args *a)
{
	size_t	 n = 0;
	char	*end;

	for (; *pattern != '\0'; pattern++) {
		if (*pattern == '#') {
			if (n == sizeof a->n / sizeof a->n[0])
				serve_fail("a route with too many numbers");
			a->n[n++] = strtol(path, &end, 10);
			if (end == path)
				return 0;
			path = end;
		} else if (*pattern == '$') {
			if (*path != '\0')
				return 0;
		} else if (*path++ != *pattern)
			return 0;
	}
	a->rest = path;
	return 1;
}

/* Every request on both ports: its route, found in http_routes. */
void
http_dispatch(struct evhttp_request *req, void *arg)
{
	struct server		*srv = arg;
	const char		*path = evhttp_request_get_uri(req);
	const struct http_route	*r;
	struct route_args	 a;

	if (strncmp(path, "http://", 7) == 0) {
		srv->proxied++;
		if ((path = strchr(path + 7, '/')) == NULL)
			path = "/";
	}
	for (r = http_routes; !route_match(r->pattern, path, &a); r++)
		;
	if (r->kind == ROUTE_REQUEST) {
		req_begin(srv, req);
		/* Not evhttp's default, text/html in ISO-8859-1. */
		content_type(req, "text/plain");
	}
	r->fn(srv, req, &a);
}

/* One call per accepted connection: the place to count them. */
static struct bufferevent *
http_bev_cb(struct event_base *base, void *arg)
{
	struct server	*srv = arg;

	srv->connections++;
	return bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

int
http_port(struct server *srv)
{
	struct evhttp_bound_socket	*hs;

	if ((srv->http = evhttp_new(srv->base)) == NULL)
		serve_fail("evhttp_new");
	evhttp_set_gencb(srv->http, http_dispatch, srv);
	evhttp_set_bevcb(srv->http, http_bev_cb, srv);
	evhttp_set_timeout(srv->http, 600);
	evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	hs = evhttp_bind_socket_with_handle(srv->http, "127.0.0.1", 0);
	if (hs == NULL)
		serve_fail("cannot bind the http port");
	return serve_port(evhttp_bound_socket_get_fd(hs));
}

void
http_port_close(struct server *srv)
{
	evhttp_free(srv->http);
}
