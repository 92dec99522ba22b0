/*
 * testd.c: cofetch's test server, on loopback only.  Binds ephemeral
 * ports, writes them to a port file ("http N", "raw N", "blackhole N",
 * "dns N", and "https N" when given -c CERT -k KEY), and serves until
 * SIGTERM or its lifetime (-l, default 300 s) ends.
 *
 * https serves the same routes as http over TLS.  A request whose target
 * is an absolute URL (a client using us as its HTTP proxy) is served as
 * its path and counted as "proxied" in /stats.
 *
 * http (evhttp): /status/N /bytes/N /lines/N /delay/MS[/x] /drip/N/MS
 *   /endless[/html] /redirect/N /to/CODE?URL /echo[/KEY] /seen/KEY /gzip/N
 *   /preview /headers /stall /hang /utf8/bad /stats /stats/reset /dns/NAME
 *   /blob/N/SEED /page?ct=TYPE&b=BODY[&x=N] /hostdelay/MS
 *   /flaky/KEY?n=N[&code=C][&ra=SECONDS|&ra=date:SECONDS] /stats/hosts
 *   /stats/arrivals /bomb/MIB[/redirect]
 * raw (hand-made responses): /reset /close /garbage /ctype-bad /long
 *   /bad-chunk /bad-status /no-reason /nul-header /big-headers
 *   /endless-headers /keep-then-close; anything that is not HTTP (a TLS
 *   hello) is never answered
 * blackhole: a listener whose backlog is full, so connects time out.
 * dns (UDP, evdns): names under .test answer 127.0.0.1, and the name says
 *   how: nx* NXDOMAIN, drop* never answered, slow* 300 ms late, tc*
 *   truncated (and no TCP to retry on; tcaddr* with an address), ttlN-*
 *   TTL N seconds (default 300), v6* also AAAA ::1.  Other names: NXDOMAIN.
 *
 * /stats reports requests in flight now and at peak, requests served and
 * connections accepted; /stats/hosts the same per Host header for
 * /hostdelay; /stats/arrivals when each request came, in ms since the
 * last /stats/reset; /flaky/KEY fails the first N requests for KEY; /dns/NAME the A and AAAA queries seen for NAME;
 * /seen/KEY what the last /echo/KEY request was (method, headers, body).
 * Tests read the server's view of cofetch there.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include <zlib.h>

#include "serve.h"

#define HOLD_MAX_MS	120000		/* /stall and /hang give up then */
#define TESTD_USAGE	"usage: testd -p PORTFILE [-l SECONDS] [-c CERT -k KEY]"
#define DNS_NAMES_MAX	4096
#define DNS_FLAG_TC	0x200		/* the header's "truncated" bit */
#define ECHO_KEYS_MAX	256
#define HOSTS_MAX	64
#define FLAKY_MAX	256
#define ARRIVALS_MAX	100000
#define BOMB_MIB_MAX	65536		/* /bomb: 64 GiB, 64 MB sent */

struct echo_seen {
	char	key[64];
	char	text[1024];
};


struct host_count {
	char	name[128];
	long	inflight, peak, requests;
};

struct flaky {
	char	key[64];
	long	requests;
};

struct dns_count {
	char	name[256];
	long	a, aaaa;
};

struct server {
	struct event_base	*base;
	long			 inflight, peak, requests, connections;
	long			 proxied;
	SSL_CTX			*tls;
	unsigned long long	 endless_bytes;
	struct dns_count	*dns;
	size_t			 ndns;
	struct echo_seen	*seen;
	size_t			 nseen;
	struct host_count	 hosts[HOSTS_MAX];
	size_t			 nhosts;
	struct flaky		 flaky[FLAKY_MAX];
	size_t			 nflaky;
	long			*arrivals;	/* ms since t_reset */
	size_t			 narrivals;
	struct timespec		 t_reset;
	struct evdns_server_port *dns_port;
};

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

static void
req_begin(struct server *srv)
{
	if (srv->narrivals < ARRIVALS_MAX)
		srv->arrivals[srv->narrivals++] = ms_since(&srv->t_reset);
	srv->requests++;
	if (++srv->inflight > srv->peak)
		srv->peak = srv->inflight;
}

/* Replaces the text/plain every reply starts with. */
static void
content_type(struct evhttp_request *req, const char *type)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_remove_header(h, "Content-Type");
	evhttp_add_header(h, "Content-Type", type);
}

static void
reply(struct server *srv, struct evhttp_request *req, int code,
    const char *body, size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add(b, body, len);
	evhttp_send_reply(req, code, code < 400 ? "OK" : "Error", b);
	evbuffer_free(b);
	srv->inflight--;
}

static void
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

/* /endless, and /endless/html: a page whose head comes first. */
static void
route_endless(struct server *srv, struct evhttp_request *req, int html)
{
	static const char	head[] = "<!doctype html><html><head>"
	    "<title>Endless &amp; more</title></head><body>\n";
	struct evbuffer		*b;

	if (html)
		content_type(req, "text/html; charset=utf-8");
	evhttp_send_reply_start(req, 200, "OK");
	if (html) {
		b = evbuffer_new();
		evbuffer_add(b, head, sizeof head - 1);
		evhttp_send_reply_chunk(req, b);
		evbuffer_free(b);
	}
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

static void
route_bytes(struct server *srv, struct evhttp_request *req, long n,
    int as_lines)
{
	struct evbuffer	*b = evbuffer_new();
	char		 fill[4096];
	long		 i;

	if (as_lines) {
		for (i = 1; i <= n; i++)
			evbuffer_add_printf(b, "line %ld\n", i);
	} else {
		memset(fill, 'x', sizeof fill);
		for (; n > 0; n -= (long)sizeof fill)
			evbuffer_add(b, fill, n < (long)sizeof fill ?
			    (size_t)n : sizeof fill);
	}
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
}

/* A gzip member's end: the CRC-32 and the size mod 2^32, little-endian. */
static void
gzip_trailer(struct evbuffer *b, uLong crc, uint64_t size)
{
	unsigned char	tail[8];
	int		i;

	for (i = 0; i < 4; i++) {
		tail[i] = (unsigned char)(crc >> (8 * i));
		tail[4 + i] = (unsigned char)(size >> (8 * i));
	}
	evbuffer_add(b, tail, sizeof tail);
}

/*
 * /gzip/N: N bytes of 'z' sent with Content-Encoding: gzip, as one stored
 * (uncompressed) deflate block: the gzip framing itself, byte by byte.
 */
static void
route_gzip(struct server *srv, struct evhttp_request *req, long n)
{
	static const unsigned char	 head[10] = { 0x1f, 0x8b, 8, 0, 0, 0,
	    0, 0, 0, 255 };
	unsigned char			 block[5];
	unsigned char			*data;
	struct evbuffer			*b;
	uLong				 crc;

	if (n < 0 || n > 65535 || (data = malloc((size_t)n + 1)) == NULL) {
		reply_str(srv, req, 400, "0..65535 bytes\n");
		return;
	}
	memset(data, 'z', (size_t)n);
	crc = crc32(0, data, (uInt)n);
	block[0] = 1;			/* final block, stored */
	block[1] = (unsigned char)(n & 0xff);
	block[2] = (unsigned char)(n >> 8);
	block[3] = (unsigned char)(~n & 0xff);
	block[4] = (unsigned char)((~n >> 8) & 0xff);
	b = evbuffer_new();
	evbuffer_add(b, head, sizeof head);
	evbuffer_add(b, block, sizeof block);
	evbuffer_add(b, data, (size_t)n);
	gzip_trailer(b, crc, (uint64_t)n);
	free(data);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Encoding", "gzip");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
}

/*
 * A gzip bomb's parts, made once: the gzip header with the first MiB of
 * zeros, a MiB of zeros more (valid again and again, since all it refers
 * back to is zeros), and the final empty block.  Each ends on a byte, so
 * any number of middles fit between.
 */
struct bomb {
	unsigned char	 first[2048], middle[2048], last[64];
	size_t		 nfirst, nmiddle, nlast;
	uLong		 crc_mib;		/* of one MiB of zeros */
};

static size_t
bomb_deflate(z_stream *z, const unsigned char *in, size_t n, int flush,
    unsigned char *out, size_t cap)
{
	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	if (deflate(z, flush) == Z_STREAM_ERROR || z->avail_in != 0 ||
	    z->avail_out == 0)
		serve_fail("cannot make the gzip bomb");
	return cap - z->avail_out;
}

static const struct bomb *
bomb_parts(void)
{
	static struct bomb	 b;
	static unsigned char	*zeros;
	z_stream		 z;

	if (zeros != NULL)
		return &b;
	if ((zeros = calloc(1, 1 << 20)) == NULL)
		serve_fail("out of memory");
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		serve_fail("deflateInit2");
	b.nfirst = bomb_deflate(&z, zeros, 1 << 20, Z_SYNC_FLUSH, b.first,
	    sizeof b.first);
	b.nmiddle = bomb_deflate(&z, zeros, 1 << 20, Z_SYNC_FLUSH, b.middle,
	    sizeof b.middle);
	b.nlast = bomb_deflate(&z, NULL, 0, Z_FINISH, b.last, sizeof b.last);
	if (b.nlast < 8)
		serve_fail("cannot make the gzip bomb");
	b.nlast -= 8;			/* the trailer is made per size */
	deflateEnd(&z);
	b.crc_mib = crc32(0, zeros, 1 << 20);
	return &b;
}

/*
 * /bomb/MIB: MIB MiB of zeros, gzipped to about a thousandth of that;
 * /bomb/MIB/redirect sends it as the body of a redirect to /bytes/1.
 */
static void
route_bomb(struct server *srv, struct evhttp_request *req, long mib)
{
	const struct bomb	*bp = bomb_parts();
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*b;
	uLong			 crc = 0;
	long			 i;

	if (mib < 1 || mib > BOMB_MIB_MAX) {
		reply_str(srv, req, 400, "1..65536 MiB\n");
		return;
	}
	b = evbuffer_new();
	evbuffer_add_reference(b, bp->first, bp->nfirst, NULL, NULL);
	crc = crc32_combine(crc, bp->crc_mib, 1 << 20);
	for (i = 1; i < mib; i++) {
		evbuffer_add_reference(b, bp->middle, bp->nmiddle, NULL, NULL);
		crc = crc32_combine(crc, bp->crc_mib, 1 << 20);
	}
	evbuffer_add_reference(b, bp->last, bp->nlast, NULL, NULL);
	gzip_trailer(b, crc, (uint64_t)mib << 20);
	evhttp_add_header(out, "Content-Encoding", "gzip");
	content_type(req, "application/octet-stream");
	if (strstr(evhttp_request_get_uri(req), "/redirect") != NULL) {
		evhttp_add_header(out, "Location", "/bytes/1");
		evhttp_send_reply(req, 302, "Found", b);
	} else
		evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
}

static void
route_redirect(struct server *srv, struct evhttp_request *req, long n)
{
	char	loc[64];

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
route_to(struct server *srv, struct evhttp_request *req, long code)
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
	reply_str(srv, req, (int)code, "moved\n");
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
route_echo(struct server *srv, struct evhttp_request *req, const char *key)
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
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
}

static void
route_seen(struct server *srv, struct evhttp_request *req, const char *key)
{
	struct echo_seen	*seen = echo_seen_for(srv, key);

	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, seen ? seen->text : "");
}

static struct dns_count *
dns_count_for(struct server *srv, const char *name)
{
	size_t	i;

	for (i = 0; i < srv->ndns; i++)
		if (strcasecmp(srv->dns[i].name, name) == 0)
			return &srv->dns[i];
	if (srv->ndns == DNS_NAMES_MAX)
		return NULL;
	snprintf(srv->dns[i].name, sizeof srv->dns[i].name, "%s", name);
	return &srv->dns[srv->ndns++];
}

static void
route_dns(struct server *srv, struct evhttp_request *req, const char *name)
{
	struct dns_count	*c = dns_count_for(srv, name);
	char			 body[128];

	snprintf(body, sizeof body, "{\"a\":%ld,\"aaaa\":%ld}\n",
	    c ? c->a : 0, c ? c->aaaa : 0);
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, body);
}

static void
route_stats(struct server *srv, struct evhttp_request *req, int reset)
{
	char	body[256];

	if (reset) {
		srv->peak = srv->inflight;
		srv->requests = srv->connections = srv->proxied = 0;
		srv->endless_bytes = 0;
		srv->ndns = 0;
		srv->nhosts = srv->nflaky = srv->narrivals = 0;
		clock_gettime(CLOCK_MONOTONIC, &srv->t_reset);
	}
	snprintf(body, sizeof body, "{\"inflight\":%ld,\"peak\":%ld,"
	    "\"requests\":%ld,\"connections\":%ld,\"proxied\":%ld,"
	    "\"endless_bytes\":%llu}\n", srv->inflight, srv->peak,
	    srv->requests, srv->connections, srv->proxied, srv->endless_bytes);
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, body);
}

static void
route_utf8_bad(struct server *srv, struct evhttp_request *req)
{
	static const char body[] = "bad \xff\xfe \xc0\xaf \xed\xa0\x80 end\n";

	content_type(req, "text/plain; charset=\xff\xe2\x82");
	reply(srv, req, 200, body, sizeof body - 1);
}

/*
 * /blob/N/SEED: N bytes (up to 64 MiB) of a byte stream fixed by SEED,
 * every byte value in it, so two bodies differ and order can be checked.
 */
static void
route_blob(struct server *srv, struct evhttp_request *req, long n, long seed)
{
	struct evbuffer	*b;
	unsigned char	 chunk[4096];
	uint32_t	 x = (uint32_t)seed * 2654435761u + 1;
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
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
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
route_page(struct server *srv, struct evhttp_request *req)
{
	const char	*uri = evhttp_request_get_uri(req);
	struct evbuffer	*b;
	char		*ct, *body, *x, *at, fill[4096];
	size_t		 len = 0, n;
	long		 pad = 0;

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
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	free(body);
	srv->inflight--;
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
route_host_delay(struct server *srv, struct evhttp_request *req, long ms)
{
	struct host_count	*c = host_count_for(srv, req);
	struct held		*h;

	h = held_new(srv, req, tick_host_delay, ms);
	if ((h->host = c) == NULL)
		return;
	c->requests++;
	if (++c->inflight > c->peak)
		c->peak = c->inflight;
}

static void
route_stats_hosts(struct server *srv, struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 i;

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
route_stats_arrivals(struct server *srv, struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	size_t		 i;

	evbuffer_add(b, "[", 1);
	for (i = 0; i < srv->narrivals; i++)
		evbuffer_add_printf(b, "%s%ld", i ? "," : "",
		    srv->arrivals[i]);
	evbuffer_add(b, "]\n", 2);
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
route_flaky(struct server *srv, struct evhttp_request *req, const char *key)
{
	const char	*uri = evhttp_request_get_uri(req);
	struct flaky	*f = flaky_for(srv, key, strcspn(key, "?"));
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
route_headers(struct server *srv, struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Set-Cookie", "a=1");
	evhttp_add_header(h, "Set-Cookie", "b=2");
	evhttp_add_header(h, "X-Mixed-Case", "  padded value");
	reply_str(srv, req, 200, "headers\n");
}

/* /preview: what a page preview must survive. */
static void
route_preview(struct server *srv, struct evhttp_request *req)
{
	static const char body[] = "\n\n   \n\tfirst\r\n\r\n"
	    "\x1b[31mred\x1b[0m\n\xff\xfe bad\n\xc2\x9b csi\nlast";

	reply(srv, req, 200, body, sizeof body - 1);
}

static void
http_cb(struct evhttp_request *req, void *arg)
{
	struct server	*srv = arg;
	const char	*path = evhttp_request_get_uri(req);
	long		 a = 0, b = 0;
	struct held	*h;

	if (strncmp(path, "http://", 7) == 0) {
		srv->proxied++;
		if ((path = strchr(path + 7, '/')) == NULL)
			path = "/";
	}

	if (strcmp(path, "/stats/hosts") == 0) {
		route_stats_hosts(srv, req);
		return;
	}
	if (strcmp(path, "/stats/arrivals") == 0) {
		route_stats_arrivals(srv, req);
		return;
	}
	if (strncmp(path, "/stats", 6) == 0) {
		route_stats(srv, req, strncmp(path, "/stats/reset", 12) == 0);
		return;
	}
	if (strncmp(path, "/dns/", 5) == 0) {
		route_dns(srv, req, path + 5);
		return;
	}
	if (strncmp(path, "/seen/", 6) == 0) {
		route_seen(srv, req, path + 6);
		return;
	}
	req_begin(srv);
	/* Not evhttp's default, text/html in ISO-8859-1. */
	content_type(req, "text/plain");
	if (sscanf(path, "/status/%ld", &a) == 1)
		reply_str(srv, req, (int)a, "status\n");
	else if (sscanf(path, "/bytes/%ld", &a) == 1)
		route_bytes(srv, req, a, 0);
	else if (sscanf(path, "/lines/%ld", &a) == 1)
		route_bytes(srv, req, a, 1);
	else if (sscanf(path, "/hostdelay/%ld", &a) == 1)
		route_host_delay(srv, req, a);
	else if (strncmp(path, "/flaky/", 7) == 0)
		route_flaky(srv, req, path + 7);
	else if (sscanf(path, "/delay/%ld", &a) == 1)
		held_new(srv, req, tick_delay, a);
	else if (sscanf(path, "/drip/%ld/%ld", &a, &b) == 2) {
		evhttp_send_reply_start(req, 200, "OK");
		h = held_new(srv, req, tick_drip, b);
		h->left = a;
		h->interval_ms = b;
	} else if (strncmp(path, "/endless", 8) == 0) {
		route_endless(srv, req, strcmp(path + 8, "/html") == 0);
	} else if (sscanf(path, "/redirect/%ld", &a) == 1)
		route_redirect(srv, req, a);
	else if (sscanf(path, "/to/%ld", &a) == 1)
		route_to(srv, req, a);
	else if (sscanf(path, "/blob/%ld/%ld", &a, &b) == 2)
		route_blob(srv, req, a, b);
	else if (strncmp(path, "/page?", 6) == 0)
		route_page(srv, req);
	else if (sscanf(path, "/gzip/%ld", &a) == 1)
		route_gzip(srv, req, a);
	else if (sscanf(path, "/bomb/%ld", &a) == 1)
		route_bomb(srv, req, a);
	else if (strncmp(path, "/echo", 5) == 0)
		route_echo(srv, req, path[5] == '/' ? path + 6 : NULL);
	else if (strncmp(path, "/stall", 6) == 0) {
		evhttp_send_reply_start(req, 200, "OK");
		held_new(srv, req, tick_release, HOLD_MAX_MS);
	} else if (strncmp(path, "/hang", 5) == 0)
		held_new(srv, req, tick_hang_over, HOLD_MAX_MS);
	else if (strncmp(path, "/utf8/bad", 9) == 0)
		route_utf8_bad(srv, req);
	else if (strncmp(path, "/preview", 8) == 0)
		route_preview(srv, req);
	else if (strncmp(path, "/headers", 8) == 0)
		route_headers(srv, req);
	else
		reply_str(srv, req, 404, "no such route\n");
}

/* One call per accepted connection: the place to count them. */
static struct bufferevent *
http_bev_cb(struct event_base *base, void *arg)
{
	struct server	*srv = arg;

	srv->connections++;
	return bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

/* The TLS port's connections: one SSL bufferevent each. */
static struct bufferevent *
https_bev_cb(struct event_base *base, void *arg)
{
	struct server	*srv = arg;
	SSL		*ssl;

	srv->connections++;
	if ((ssl = SSL_new(srv->tls)) == NULL)
		return NULL;
	return bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static int
https_port(struct server *srv, const char *cert, const char *key)
{
	struct evhttp			*https;
	struct evhttp_bound_socket	*hs;

	if ((srv->tls = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate_chain_file(srv->tls, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(srv->tls, key, SSL_FILETYPE_PEM) != 1)
		serve_fail("cannot load the TLS certificate and key");
	if ((https = evhttp_new(srv->base)) == NULL)
		serve_fail("evhttp_new");
	evhttp_set_gencb(https, http_cb, srv);
	evhttp_set_bevcb(https, https_bev_cb, srv);
	evhttp_set_timeout(https, 600);
	if ((hs = evhttp_bind_socket_with_handle(https, "127.0.0.1", 0)) == NULL)
		serve_fail("cannot bind the https port");
	return serve_port(evhttp_bound_socket_get_fd(hs));
}

/*
 * Every raw response closes its connection, and says so: a client that
 * kept it would send its next request into the leftovers of this one
 * (/long's unannounced bytes), and that request would fail for this one.
 */
#define RAW_CLOSE	"Connection: close\r\n"

/*
 * Raw port: write a hand-made response, then close when it is sent; a
 * non-NULL arg asks for a reset (RST) instead of an orderly close.
 */
static void
raw_close_cb(struct bufferevent *bev, void *arg)
{
	struct linger	lg = { 1, 0 };

	if (arg != NULL)
		setsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_LINGER, &lg,
		    sizeof lg);
	bufferevent_free(bev);
}

static void
raw_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void
raw_partial(struct bufferevent *bev, int rst)
{
	char	body[1000];

	static const char head[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 100000\r\nContent-Type: text/plain\r\n\r\n";

	memset(body, 'r', sizeof body);
	bufferevent_write(bev, head, sizeof head - 1);
	bufferevent_write(bev, body, sizeof body);
	bufferevent_setcb(bev, NULL, raw_close_cb, raw_event_cb,
	    rst ? bev : NULL);
}

/* /big-headers: 1,000 headers of 100 bytes (100 KB), then a short body. */
static void
raw_big_headers(struct bufferevent *bev)
{
	struct evbuffer	*out = bufferevent_get_output(bev);
	int		 i;

	evbuffer_add_printf(out, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < 1000; i++)
		evbuffer_add_printf(out, "X-Pad-%04d: %086d\r\n", i, i);
	evbuffer_add_printf(out, RAW_CLOSE "Content-Length: 2\r\n\r\nok");
	bufferevent_setcb(bev, NULL, raw_close_cb, raw_event_cb, NULL);
}

/*
 * /endless-headers: header lines for as long as the client reads them,
 * 64 KB whenever the last 64 KB have gone; never a body.
 */
static void
raw_more_headers(struct bufferevent *bev, void *arg)
{
	struct evbuffer	*out = bufferevent_get_output(bev);
	int		 i;

	(void)arg;
	for (i = 0; i < 1024; i++)
		evbuffer_add_printf(out, "X-More-%04d: %050d\r\n", i, i);
}

static void
raw_endless_headers(struct bufferevent *bev)
{
	bufferevent_write(bev, "HTTP/1.1 200 OK\r\n", 17);
	bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
	bufferevent_setcb(bev, NULL, raw_more_headers, raw_event_cb, NULL);
	raw_more_headers(bev, NULL);
}

/* Whether the request line asks for path, with or without a query. */
static int
raw_is(const char *line, const char *path)
{
	size_t	n = strlen(path);

	return strncmp(line, "GET ", 4) == 0 &&
	    strncmp(line + 4, path, n) == 0 &&
	    (line[4 + n] == ' ' || line[4 + n] == '?');
}

/* The raw port's canned responses, bytes as sent (NULs included). */
#define RAW_TEXT(path, text)	{ path, text, sizeof text - 1 }
static const struct raw_text {
	const char	*path;
	const char	*text;
	size_t		 len;
} raw_texts[] = {
	RAW_TEXT("/garbage", "SPAM EGGS\r\n\r\n"),
	RAW_TEXT("/long", "HTTP/1.1 200 OK\r\n" RAW_CLOSE
	    "Content-Length: 10\r\n\r\n"
	    "0123456789 and then some more that was never announced"),
	RAW_TEXT("/bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\nzz\r\nnot a chunk\r\n"),
	RAW_TEXT("/bad-status", "HTTP/1.1 2000000000000 Huge\r\n" RAW_CLOSE
	    "Content-Length: 0\r\n\r\n"),
	RAW_TEXT("/no-reason", "HTTP/1.1 200\r\n" RAW_CLOSE
	    "Content-Length: 2\r\n\r\nok"),
	/* Keep-alive, as far as the client knows, but closed once sent. */
	RAW_TEXT("/keep-then-close", "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 2\r\n\r\nok"),
	RAW_TEXT("/nul-header", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\n" RAW_CLOSE
	    "Content-Length: 2\r\n\r\nok"),
	RAW_TEXT("/ctype-bad", "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
	    "charset=\xff\xfe\xc0\xaf\xed\xa0\x80x\r\n" RAW_CLOSE
	    "Content-Length: 3\r\n\r\nok\n"),
	RAW_TEXT("", "HTTP/1.1 404 Not Found\r\n" RAW_CLOSE
	    "Content-Length: 0\r\n\r\n"),
};

static void
raw_reset(struct bufferevent *bev)
{
	raw_partial(bev, 1);
}

static void
raw_close(struct bufferevent *bev)
{
	raw_partial(bev, 0);
}

/* The raw port's responses that are made as they go. */
static const struct raw_route {
	const char	*path;
	void		(*fn)(struct bufferevent *);
} raw_routes[] = {
	{ "/reset", raw_reset },
	{ "/close", raw_close },
	{ "/endless-headers", raw_endless_headers },
	{ "/big-headers", raw_big_headers },
};

static void
raw_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 end;
	const struct raw_text	*t;
	char			 line[256] = "";
	size_t			 i;

	(void)arg;
	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos < 0)
		return;
	evbuffer_copyout(in, line, sizeof line - 1);
	evbuffer_drain(in, evbuffer_get_length(in));
	for (i = 0; i < sizeof raw_routes / sizeof raw_routes[0]; i++) {
		if (raw_is(line, raw_routes[i].path)) {
			raw_routes[i].fn(bev);
			return;
		}
	}
	for (t = raw_texts; t->path[0] != '\0' && !raw_is(line, t->path); t++)
		;
	bufferevent_write(bev, t->text, t->len);
	bufferevent_setcb(bev, NULL, raw_close_cb, raw_event_cb, NULL);
}

static void
raw_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server		*srv = arg;
	struct bufferevent	*bev;

	(void)l;
	(void)sa;
	(void)salen;
	bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	bufferevent_setcb(bev, raw_read_cb, NULL, raw_event_cb, srv);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

/*
 * A listener that never accepts, its backlog filled by our own connects:
 * the kernel drops further SYNs, so a client's connect times out.
 */
static int
blackhole(void)
{
	struct sockaddr_in	sin = serve_loopback();
	int			fd, c, i;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 0) != 0)
		serve_fail("blackhole listener");
	sin.sin_port = htons((unsigned short)serve_port(fd));
	for (i = 0; i < 3; i++) {
		if ((c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
			serve_fail("blackhole filler");
		connect(c, (struct sockaddr *)&sin, sizeof sin);
	}
	return serve_port(fd);
}

struct dns_late {
	struct evdns_server_request	*req;
	struct event			*ev;
};

static void
dns_late_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns_late	*l = arg;

	(void)fd;
	(void)what;
	evdns_server_request_respond(l->req, 0);
	event_free(l->ev);
	free(l);
}

static int
dns_prefix(const char *name, const char *prefix)
{
	return strncasecmp(name, prefix, strlen(prefix)) == 0;
}

static int
dns_in_zone(const char *name)
{
	size_t	n = strlen(name);

	return n > 5 && strcasecmp(name + n - 5, ".test") == 0;
}

/* The stub's answers; see the comment at the top of the file. */
static void
dns_cb(struct evdns_server_request *req, void *arg)
{
	static const unsigned char	 v4[4] = { 127, 0, 0, 1 };
	static const unsigned char	 v6[16] = { [15] = 1 };
	struct server			*srv = arg;
	struct evdns_server_question	*q;
	struct dns_count		*c;
	struct dns_late			*l;
	struct timeval			 tv = { 0, 300000 };
	int				 ttl = 300;

	if (req->nquestions < 1) {
		evdns_server_request_respond(req, DNS_ERR_FORMAT);
		return;
	}
	q = req->questions[0];
	if ((c = dns_count_for(srv, q->name)) != NULL) {
		if (q->type == EVDNS_TYPE_A)
			c->a++;
		else if (q->type == EVDNS_TYPE_AAAA)
			c->aaaa++;
	}
	if (!dns_in_zone(q->name) || dns_prefix(q->name, "nx")) {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
		return;
	}
	if (dns_prefix(q->name, "drop")) {
		evdns_server_request_drop(req);
		return;
	}
	if (dns_prefix(q->name, "tc")) {
		/* Truncated, with no TCP port to retry on. */
		evdns_server_request_set_flags(req, DNS_FLAG_TC);
		if (q->type == EVDNS_TYPE_A && dns_prefix(q->name, "tcaddr"))
			evdns_server_request_add_a_reply(req, q->name, 1, v4,
			    ttl);
		evdns_server_request_respond(req, 0);
		return;
	}
	if (sscanf(q->name, "ttl%d-", &ttl) != 1)
		ttl = 300;
	if (q->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, q->name, 1, v4, ttl);
	else if (q->type == EVDNS_TYPE_AAAA && dns_prefix(q->name, "v6"))
		evdns_server_request_add_aaaa_reply(req, q->name, 1, v6, ttl);
	if (!dns_prefix(q->name, "slow")) {
		evdns_server_request_respond(req, 0);
		return;
	}
	if ((l = calloc(1, sizeof *l)) == NULL)
		serve_fail("out of memory");
	l->req = req;
	l->ev = evtimer_new(srv->base, dns_late_cb, l);
	evtimer_add(l->ev, &tv);
}

static int
dns_port(struct server *srv)
{
	struct sockaddr_in	sin = serve_loopback();
	int			fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		serve_fail("cannot bind the dns port");
	srv->dns_port = evdns_add_server_port_with_base(srv->base, fd, 0, dns_cb,
	    srv);
	if (srv->dns_port == NULL)
		serve_fail("evdns_add_server_port_with_base");
	return serve_port(fd);
}

int
main(int argc, char **argv)
{
	struct server			 srv;
	struct evhttp			*http;
	struct evhttp_bound_socket	*hs;
	struct evconnlistener		*raw;
	struct sockaddr_in		 sin = serve_loopback();
	const char			*portfile = NULL, *cert = NULL;
	const char			*key = NULL;
	char				 https[32] = "";
	long				 lifetime = 300;
	int				 ch;

	while ((ch = getopt(argc, argv, "p:l:c:k:")) != -1) {
		if (ch == 'p')
			portfile = optarg;
		else if (ch == 'l')
			lifetime = atol(optarg);
		else if (ch == 'c')
			cert = optarg;
		else if (ch == 'k')
			key = optarg;
		else
			serve_fail(TESTD_USAGE);
	}
	if (portfile == NULL || (cert == NULL) != (key == NULL))
		serve_fail(TESTD_USAGE);
	signal(SIGPIPE, SIG_IGN);
	serve_raise_nofile();
	memset(&srv, 0, sizeof srv);
	srv.dns = calloc(DNS_NAMES_MAX, sizeof *srv.dns);
	srv.seen = calloc(ECHO_KEYS_MAX, sizeof *srv.seen);
	srv.arrivals = calloc(ARRIVALS_MAX, sizeof *srv.arrivals);
	clock_gettime(CLOCK_MONOTONIC, &srv.t_reset);
	if (srv.dns == NULL || srv.seen == NULL || srv.arrivals == NULL)
		serve_fail("out of memory");
	srv.base = serve_base();
	if ((http = evhttp_new(srv.base)) == NULL)
		serve_fail("evhttp_new");
	evhttp_set_gencb(http, http_cb, &srv);
	evhttp_set_bevcb(http, http_bev_cb, &srv);
	evhttp_set_timeout(http, 600);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	if ((hs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) == NULL)
		serve_fail("cannot bind the http port");
	raw = evconnlistener_new_bind(srv.base, raw_accept_cb, &srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 128,
	    (struct sockaddr *)&sin, sizeof sin);
	if (raw == NULL)
		serve_fail("cannot bind the raw port");
	if (cert != NULL)
		snprintf(https, sizeof https, "https %d\n",
		    https_port(&srv, cert, key));
	serve_portfile(portfile, "http %d\nraw %d\nblackhole %d\ndns %d\n%s",
	    serve_port(evhttp_bound_socket_get_fd(hs)),
	    serve_port(evconnlistener_get_fd(raw)), blackhole(), dns_port(&srv),
	    https);
	serve_loop(srv.base, lifetime);
	evconnlistener_free(raw);
	evdns_close_server_port(srv.dns_port);
	evhttp_free(http);
	event_base_free(srv.base);
	free(srv.dns);
	free(srv.seen);
	free(srv.arrivals);
	if (srv.tls != NULL)
		SSL_CTX_free(srv.tls);
	return 0;
}
