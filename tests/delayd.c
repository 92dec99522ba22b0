/*
 * delayd.c: the latency server of scripts/bench and the load tests, on
 * loopback only.  GET /delay/MS is answered 200 after MS milliseconds over
 * HTTP/1.1 keep-alive; any other request gets 404 at once.  It does as
 * little per request as it can (one read, one timer, one write, nothing
 * parsed past the request line), so that at 10,000 connections the client
 * under test, not this server, sets the pace.  Writes "delay N" to its
 * port file; serves until SIGTERM or its lifetime (-l, default 300 s).
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "serve.h"

#define DELAYD_USAGE	"usage: delayd -p PORTFILE [-l SECONDS]"
#define REQUEST_MAX	4096		/* a request's head, and pipelined ones */
#define DELAY_MAX_MS	600000
#define COMMON_MAX	16		/* distinct delays with an O(1) timer */

struct delayd {
	struct event_base	*base;
	/* libevent's common timeouts: a queue per delay, not a heap. */
	const struct timeval	*common[COMMON_MAX];
	long			 common_ms[COMMON_MAX];
	size_t			 ncommon;
	TAILQ_HEAD(, conn)	 conns;
};

struct conn {
	TAILQ_ENTRY(conn) link;
	struct delayd	*d;
	evutil_socket_t	 fd;
	struct event	*rd, *wr, *timer;
	int		 held;		/* a request waits for its timer */
	long		 ms;
	size_t		 len;		/* bytes in in[] */
	size_t		 head;		/* the held request's length */
	char		 in[REQUEST_MAX];
	char		 out[160];
	size_t		 outlen, outoff;
};

static int	conn_next(struct conn *);

static void
conn_free(struct conn *c)
{
	TAILQ_REMOVE(&c->d->conns, c, link);
	event_free(c->rd);
	event_free(c->wr);
	event_free(c->timer);
	close(c->fd);
	free(c);
}

static const struct timeval *
delay_timeval(struct delayd *d, long ms, struct timeval *tv)
{
	size_t	i;

	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
	for (i = 0; i < d->ncommon; i++)
		if (d->common_ms[i] == ms)
			return d->common[i];
	if (d->ncommon == COMMON_MAX)
		return tv;
	d->common[d->ncommon] = event_base_init_common_timeout(d->base, tv);
	if (d->common[d->ncommon] == NULL)
		return tv;
	d->common_ms[d->ncommon] = ms;
	return d->common[d->ncommon++];
}

/*
 * Sends what is left of out[]: 0 once all of it is gone, 1 if the rest
 * waits for the socket, -1 if the connection is gone (and freed).
 */
static int
conn_flush(struct conn *c)
{
	ssize_t	n;

	while (c->outoff < c->outlen) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL);
		if (n > 0) {
			c->outoff += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			event_add(c->wr, NULL);
			return 1;
		}
		conn_free(c);
		return -1;
	}
	return 0;
}

/* -1 if the connection is gone (and freed). */
static int
conn_answer(struct conn *c, int code, const char *body)
{
	int	n;

	n = snprintf(c->out, sizeof c->out, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", code,
	    code == 200 ? "OK" : "Not Found", strlen(body), body);
	c->outlen = (size_t)n;
	c->outoff = 0;
	/* The request is answered: what came after it is the next one. */
	memmove(c->in, c->in + c->head, c->len - c->head);
	c->len -= c->head;
	c->held = 0;
	if ((n = conn_flush(c)) != 0)
		return n < 0 ? -1 : 0;
	return conn_next(c);
}

static void
conn_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;
	char		 body[64];

	(void)fd;
	(void)what;
	snprintf(body, sizeof body, "delayed %ld ms\n", c->ms);
	(void)conn_answer(c, 200, body);
}

static void
conn_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	if (conn_flush(c) == 0)
		(void)conn_next(c);
}

/*
 * Starts on the next whole request in in[], if there is one; -1 if the
 * connection is gone (and freed).
 */
static int
conn_next(struct conn *c)
{
	struct timeval	 tv;
	char		*end;
	long		 ms;

	if (c->held || c->outoff < c->outlen)
		return 0;
	c->in[c->len] = '\0';
	if ((end = strstr(c->in, "\r\n\r\n")) == NULL)
		return 0;
	c->head = (size_t)(end + 4 - c->in);
	if (sscanf(c->in, "GET /delay/%ld", &ms) != 1 || ms < 0 ||
	    ms > DELAY_MAX_MS)
		return conn_answer(c, 404, "not found\n");
	c->held = 1;
	c->ms = ms;
	event_base_update_cache_time(c->d->base);	/* see serve_base */
	evtimer_add(c->timer, delay_timeval(c->d, ms, &tv));
	return 0;
}

static void
conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;
	ssize_t		 n;

	(void)what;
	n = recv(fd, c->in + c->len, sizeof c->in - 1 - c->len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	/* Gone, broken, or more than a head's worth: drop the connection. */
	if (n <= 0) {
		conn_free(c);
		return;
	}
	c->len += (size_t)n;
	if (conn_next(c) == 0 && c->len == sizeof c->in - 1)
		conn_free(c);
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct delayd	*d = arg;
	struct conn	*c;

	(void)l;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof *c)) == NULL) {
		close(fd);
		return;
	}
	c->d = d;
	c->fd = fd;
	c->rd = event_new(d->base, fd, EV_READ | EV_PERSIST, conn_read_cb, c);
	c->wr = event_new(d->base, fd, EV_WRITE, conn_write_cb, c);
	c->timer = evtimer_new(d->base, conn_timer_cb, c);
	if (c->rd == NULL || c->wr == NULL || c->timer == NULL)
		serve_fail("out of memory");
	TAILQ_INSERT_TAIL(&d->conns, c, link);
	event_add(c->rd, NULL);
}

int
main(int argc, char **argv)
{
	struct delayd		 d;
	struct evconnlistener	*l;
	struct sockaddr_in	 sin = serve_loopback();
	const char		*portfile = NULL;
	long			 lifetime = 300;
	int			 ch;

	while ((ch = getopt(argc, argv, "p:l:")) != -1) {
		if (ch == 'p')
			portfile = optarg;
		else if (ch == 'l')
			lifetime = atol(optarg);
		else
			serve_fail(DELAYD_USAGE);
	}
	if (portfile == NULL)
		serve_fail(DELAYD_USAGE);
	signal(SIGPIPE, SIG_IGN);
	serve_raise_nofile();
	memset(&d, 0, sizeof d);
	TAILQ_INIT(&d.conns);
	d.base = serve_base();
	/* The kernel caps the backlog at net.core.somaxconn. */
	l = evconnlistener_new_bind(d.base, accept_cb, &d,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 65535,
	    (struct sockaddr *)&sin, sizeof sin);
	if (l == NULL)
		serve_fail("cannot bind the delay port");
	serve_portfile(portfile, "delay %d\n",
	    serve_port(evconnlistener_get_fd(l)));
	serve_loop(d.base, lifetime);
	evconnlistener_free(l);
	while (!TAILQ_EMPTY(&d.conns))
		conn_free(TAILQ_FIRST(&d.conns));
	event_base_free(d.base);
	return 0;
}
