/*
 * testd_raw.c: the test server's raw port, hand-made responses that break
 * HTTP on purpose, and its blackhole port, where connects time out.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "serve.h"
#include "testd.h"

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
	size_t	n = strlen(path), m = strcspn(line, " ");

	/* Any method: a POST cut short is a test of its own. */
	return m > 0 && line[m] == ' ' && strncmp(line + m + 1, path, n) == 0 &&
	    (line[m + 1 + n] == ' ' || line[m + 1 + n] == '?');
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
int
blackhole_port(void)
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

int
raw_port(struct server *srv)
{
	struct sockaddr_in	sin = serve_loopback();

	srv->raw = evconnlistener_new_bind(srv->base, raw_accept_cb, srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 128,
	    (struct sockaddr *)&sin, sizeof sin);
	if (srv->raw == NULL)
		serve_fail("cannot bind the raw port");
	return serve_port(evconnlistener_get_fd(srv->raw));
}

void
raw_port_close(struct server *srv)
{
	evconnlistener_free(srv->raw);
}
