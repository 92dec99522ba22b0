/*
 * xfer.c: libcurl's multi handle on the libevent loop.  Owns the multi
 * handle (and so the connection cache every task shares), one event per
 * curl socket, curl's single timer, and a pool of easy handles.
 *
 * Rules that keep it correct (see research/mechanics.md):
 * - Inside a curl callback only libevent is called (and socket() and
 *   close() for the sockets curl opens and closes through cofetch):
 *   libcurl 7.88 refuses re-entrant multi calls.  Finished
 *   transfers are collected after curl_multi_socket_action() returns and
 *   their tasks are woken, never stepped, from here.
 * - curl_multi_info_read() is drained after every socket_action.
 * - Socket events are level-triggered; curl reads a bounded amount per call.
 * - A socket's event stays registered while curl keeps the connection
 *   idle (struct xfer_sock), and goes when curl closes the socket.
 * - A task gets its easy handle only once it holds a permit, so curl's
 *   own timeouts never count time spent waiting for one.
 * - libcurl never resolves a name: every transfer carries its host's
 *   addresses from c-ares in CURLOPT_RESOLVE, and a resolver-start
 *   callback counts any lookup libcurl would still start (the tripwire,
 *   which the tests require to stay at 0).
 *
 * Threads (--threads, or by default past -j 1000 on several CPUs): the
 * multi handles are spread over transfer threads, each with its own event
 * loop, so connects, sends, receives and libcurl's parsing use every core.
 * The main thread keeps everything else and hands a transfer over whole:
 * it sets the easy handle up and posts it (XOP_START); the thread adds it,
 * runs it, fills the task's result, removes it and posts it back (to
 * done_box); only then does the main thread touch the task again.  A task
 * is cancelled by posting XOP_ABORT, which loses to a transfer that has
 * already finished.  Without threads the same steps run in place.
 */
#include "config.h"

#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "hosts.h"
#include "html.h"
#include "jsonl.h"
#include "loop.h"
#include "mbox.h"
#include "msg.h"
#include "outcome.h"
#include "save.h"
#include "sched.h"
#include "spool.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

_Static_assert(TASK_ERRBUF >= CURL_ERROR_SIZE, "task errbuf too small");

/*
 * libcurl 7.88 walks a multi handle's whole connection cache when a
 * transfer ends, so one multi handle with 10,000 transfers spends its time
 * there.  Past XFER_SHARD_MAX transfers they are spread over several, each
 * with its own timer, socket events and DNS entries (CURLOPT_RESOLVE lands
 * in the multi handle's cache); a new transfer goes to the least busy.
 */
#define XFER_SHARD_MAX	1000

/*
 * A transfer thread's stack.  Its deepest calls are libcurl's and
 * OpenSSL's; glibc's default, the stack ulimit (8 MiB), would count
 * against ulimit -v many times over what the thread uses.
 */
#define XFER_STACK	(512u << 10)

/* What one thread asks of another (an mbox_msg's kind). */
enum xfer_op {
	XOP_START,		/* add the task's easy handle and run it */
	XOP_ABORT,		/* stop the task's transfer, if still running */
	XOP_MAXCONNECTS,	/* keep at most n idle connections */
	XOP_STOP,		/* end the transfer thread */
	XOP_DONE		/* to the main thread: the task is back */
};

/*
 * An abort crosses a transfer that has just finished: the thread then
 * answers the XOP_ABORT with one of its own, after the XOP_DONE, and the
 * main thread holds the task until that answer, so that no message to
 * the thread is left pointing at a task that is gone.
 */

struct xfer_worker {
	pthread_t		 thread;
	int			 running;
	struct xfer		*x;
	struct event_base	*base;
	struct mbox		*inbox;
	struct mbox_out		*to_worker;	/* the main thread's */
	struct mbox_out		*to_main;	/* the thread's */
};

/*
 * A socket curl opened, and its event.  The event stays registered
 * between two transfers on a kept-alive connection, when curl stops
 * watching the socket: adding and deleting it for every request was two
 * epoll_ctl calls a request, 9 % of cofetch's CPU on W1.  An event that
 * comes while curl is not watching is deleted then.  The socket's entry
 * goes when curl closes it (xfer_close_cb).
 */
struct xfer_sock {
	struct xfer_shard	*sh;
	struct event		*ev;
	short			 flags;		/* registered for: EV_READ, EV_WRITE */
	int			 watched;	/* curl wants its events */
};

struct xfer_shard {
	struct xfer		*x;
	struct xfer_worker	*worker;	/* NULL: the main thread's */
	struct event_base	*base;		/* its thread's loop */
	/* The thread's: */
	CURLM			*multi;		/* NULL once cleaned up */
	struct event		*timer;
	int			 running;
	unsigned		 inside;	/* easy handles in multi */
	struct xfer_sock	**socks;	/* by descriptor */
	size_t			 nsocks;
	/* The main thread's: */
	unsigned		 added;		/* easy handles in it */
	struct hosts		*entries;	/* live libcurl DNS entries */
	struct curl_slist	*forget;	/* -host:port no task needs now */
};

struct xfer {
	struct event_base	*base;
	const struct config	*cfg;
	struct xfer_shard	*shards;
	size_t			 nshards;
	struct xfer_worker	*workers;
	size_t			 nworkers;
	struct mbox		*done_box;	/* XOP_DONE, to the main thread */
	CURL			**pool;		/* idle easy handles */
	size_t			 npool;
	size_t			 pool_max;	/* -j, or less once short */
	void			(*done)(struct task *);
	/* Tripwires: names libcurl resolved, sockets it closed unseen. */
	atomic_ulong		 curl_resolves;
	atomic_ulong		 unseen_closes;
	struct curl_slist	*headers;	/* std, then -H */
	struct curl_slist	*headers_foreign; /* without credentials */
	char			*std[2];	/* User-Agent, Accept-Encoding */
	struct spool		*spool;		/* -f body: bodies held here */
	struct saver		*saver;		/* -o: bodies saved here */
};

static void	xfer_drain(struct xfer_shard *);
static void	xfer_release(struct xfer *, struct task *);
static void	xfer_return(struct xfer_shard *, struct task *);
static void	xfer_back(struct xfer_shard *, enum xfer_op, struct task *);
static void	xfer_send(struct xfer_shard *, enum xfer_op, struct task *,
		    long);

static const struct timeval	xfer_oom_retry = { 0, 10000 };

static void
xfer_action(struct xfer_shard *sh, curl_socket_t fd, int mask)
{
	CURLMcode	rc;

	rc = curl_multi_socket_action(sh->multi, fd, mask, &sh->running);
	/*
	 * Out of memory, 7.88 returns before it re-arms its timer, and every
	 * transfer would wait for an event that never comes: ask again soon.
	 * The scheduler has seen the shortage.
	 */
	if (rc == CURLM_OUT_OF_MEMORY)
		evtimer_add(sh->timer, &xfer_oom_retry);
	/* BAD_SOCKET: an event for a socket curl already dropped. */
	else if (rc != CURLM_OK && rc != CURLM_BAD_SOCKET)
		msg_fatal("curl_multi_socket_action: %s",
		    curl_multi_strerror(rc));
	xfer_drain(sh);
}

static void
xfer_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xfer_sock	*so = arg;
	int			 mask = 0;

	if (!so->watched) {
		event_del(so->ev);
		so->flags = 0;
		return;
	}
	if (what & EV_READ)
		mask |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		mask |= CURL_CSELECT_OUT;
	xfer_action(so->sh, fd, mask);
}

static void
xfer_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	xfer_action(arg, CURL_SOCKET_TIMEOUT, 0);
}

static struct xfer_sock **
xfer_sock_slot(struct xfer_shard *sh, curl_socket_t fd)
{
	size_t	n = sh->nsocks;

	if ((size_t)fd >= n) {
		while (n <= (size_t)fd)
			n = n > 0 ? n * 2 : 64;
		sh->socks = xrealloc(sh->socks, n * sizeof *sh->socks);
		memset(sh->socks + sh->nsocks, 0,
		    (n - sh->nsocks) * sizeof *sh->socks);
		sh->nsocks = n;
	}
	return &sh->socks[fd];
}

static void
xfer_sock_free(struct xfer_sock **slot)
{
	if (*slot == NULL)
		return;
	if ((*slot)->ev != NULL)
		event_free((*slot)->ev);
	free(*slot);
	*slot = NULL;
}

/* Registers the socket's event for flags, unless it already is. */
static void
xfer_sock_watch(struct xfer_sock *so, curl_socket_t fd, short flags)
{
	struct event_base	*base = so->sh->base;

	so->watched = 1;
	if (flags == so->flags)
		return;
	if (so->ev == NULL) {
		so->ev = event_new(base, fd, flags | EV_PERSIST, xfer_io_cb, so);
		if (so->ev == NULL)
			msg_fatal("cannot create a socket event");
	} else {
		event_del(so->ev);
		event_assign(so->ev, base, fd, flags | EV_PERSIST, xfer_io_cb,
		    so);
	}
	event_add(so->ev, NULL);
	so->flags = flags;
}

/*
 * Runs inside curl: only libevent calls.  Never returns -1, which would
 * fail every transfer of the multi handle.
 */
static int
xfer_socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct xfer_shard	*sh = arg;
	struct xfer_sock	**slot;
	short			 flags = 0;

	(void)easy;
	(void)sockp;
	slot = xfer_sock_slot(sh, fd);
	if (what == CURL_POLL_REMOVE) {
		if (*slot != NULL)
			(*slot)->watched = 0;
		return 0;
	}
	if (*slot == NULL) {
		*slot = xcalloc(1, sizeof **slot);
		(*slot)->sh = sh;
	}
	if (what & CURL_POLL_IN)
		flags |= EV_READ;
	if (what & CURL_POLL_OUT)
		flags |= EV_WRITE;
	xfer_sock_watch(*slot, fd, flags);
	return 0;
}

/*
 * Runs inside curl, for every socket it opens.  An entry left for the
 * same descriptor belongs to a socket closed without xfer_close_cb: it
 * goes, and is counted (a tripwire the tests require to stay at 0, as an
 * event of libevent's left on a reused descriptor could hide the new
 * one's from the same loop).
 */
static curl_socket_t
xfer_open_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer_shard	*sh = arg;
	struct xfer_sock	**slot;
	curl_socket_t		 fd;

	(void)purpose;
	fd = socket(a->family, a->socktype, a->protocol);
	if (fd == CURL_SOCKET_BAD)
		return fd;
	slot = xfer_sock_slot(sh, fd);
	if (*slot != NULL) {
		atomic_fetch_add(&sh->x->unseen_closes, 1);
		xfer_sock_free(slot);
	}
	return fd;
}

/* Runs inside curl, for every socket it closes. */
static int
xfer_close_cb(void *arg, curl_socket_t fd)
{
	xfer_sock_free(xfer_sock_slot(arg, fd));
	return close(fd);
}

/* Runs inside curl: -1 deletes the timer; any other value replaces it. */
static int
xfer_set_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct xfer_shard	*sh = arg;
	struct timeval		 tv;

	(void)multi;
	if (ms < 0) {
		evtimer_del(sh->timer);
		return 0;
	}
	tv = clock_timeval((int64_t)ms * 1000);
	evtimer_add(sh->timer, &tv);
	return 0;
}

/*
 * Runs inside curl: a name libcurl would resolve itself.  libcurl 7.88
 * calls this before it checks for an IPv6 literal, which needs no lookup
 * and cannot have a CURLOPT_RESOLVE entry, so those are not counted.
 */
static int
xfer_resolver_start_cb(void *resolver, void *reserved, void *arg)
{
	struct task	*t = arg;

	(void)resolver;
	(void)reserved;
	if (task_connects_to(t)->host[0] != '[')
		atomic_fetch_add(&sched_xfer(t->sched)->curl_resolves, 1);
	return 0;
}

/* More header bytes than this in one response are not kept. */
#define XFER_HEADERS_MAX	(256 * 1024)

/*
 * Runs inside curl: record only.  Keeps the header lines of the latest
 * response (a status line starts a new one: 1xx, then the final, and
 * every redirect hop); a folded line continues the one before.
 */
static size_t
xfer_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct task	*t = arg;
	struct buf	*h = t->headers;
	size_t		 len = size * n;

	if (h == NULL)
		return len;	/* the result shows no headers */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		buf_reset(h);
		return len;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len == 0 || h->len + len + 1 > XFER_HEADERS_MAX)
		return size * n;
	if ((data[0] == ' ' || data[0] == '\t') && h->len > 0) {
		h->len--;			/* obsolete folding */
		buf_addc(h, ' ');
	} else if (memchr(data, ':', len) == NULL)
		return size * n;
	buf_add(h, data, len);
	buf_addc(h, '\n');
	return size * n;
}

/* Whether a response with this status is a redirect the task follows. */
static int
xfer_follows(const struct config *c, long status)
{
	return c->follow && (status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308);
}

/* Runs inside curl: a body that cannot be kept ends its transfer. */
static size_t
xfer_io_failed(struct task *t, const char *what)
{
	char	msg[256];

	snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
	free(t->io_error);
	t->io_error = xstrdup(msg);
	return CURL_WRITEFUNC_ERROR;
}

/*
 * Runs inside curl: a hop's first body bytes.  The status and type are
 * final by now, so what the body is for is decided once per hop, not per
 * chunk.
 */
static void
xfer_body_begins(struct task *t, const struct config *c)
{
	struct curl_header	*enc;
	long			 code = 0;
	char			*ct = NULL;

	/* Only a compressed body can decode to more than was sent. */
	t->decode_left = UINT64_MAX;
	if (c->max_decoded > 0 && curl_easy_header(t->easy,
	    "Content-Encoding", 0, CURLH_HEADER, -1, &enc) == CURLHE_OK &&
	    strcasecmp(enc->value, "identity") != 0)
		t->decode_left = c->max_decoded;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	if (xfer_follows(c, code)) {
		t->hop_body = HOP_BODY_DRAINED;
		return;
	}
	t->hop_body = HOP_BODY_KEPT;
	if (t->html == NULL)
		return;
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	html_begin(t->html, ct);
}

/*
 * Whether the output has all it wants of the body, so the transfer may
 * end early: only for a preview or --title-only, never for a body kept
 * whole, and in json not before the title is known.
 */
static int
xfer_has_enough(const struct task *t, const struct config *c, int lines_in)
{
	if (t->content != NULL || t->file != NULL)
		return 0;
	if (t->preview != NULL ? !lines_in : !c->title_only)
		return 0;
	return c->format != FMT_JSON || t->html == NULL || html_done(t->html);
}

/*
 * Runs inside curl: record only.  Once the body has given what the output
 * needs (the preview's lines, the title, --max-bytes), the transfer is
 * ended here on purpose; the task reports that as success.
 */
static size_t
xfer_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct task		*t = arg;
	const struct config	*c = sched_config(t->sched);
	size_t			 len = size * n;
	int			 lines_in = 0;

	if (t->hop_body == HOP_BODY_NONE)
		xfer_body_begins(t, c);
	/*
	 * A few kilobytes of gzip can inflate to gigabytes; drained or not,
	 * such a body ends once it passes the bound.
	 */
	if (len > t->decode_left) {
		t->over_decoded = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	t->decode_left -= len;
	/*
	 * A redirect about to be followed: drain its body, keep nothing.
	 * Ending it early would lose the Location, which libcurl works out
	 * only once the body is complete.
	 */
	if (t->hop_body == HOP_BODY_DRAINED)
		return len;
	if (c->max_bytes > 0 && t->res.bytes + len > c->max_bytes) {
		len = (size_t)(c->max_bytes - t->res.bytes);
		t->stopped = 1;
	}
	t->res.bytes += len;
	if (t->content != NULL && body_add(t->content, data, len) != 0)
		return xfer_io_failed(t, "cannot hold the body");
	if (t->file != NULL && save_write(t->file, data, len) != 0)
		return xfer_io_failed(t, "cannot save the body");
	if (t->html != NULL)
		html_feed(t->html, data, len);
	if (t->preview != NULL)
		lines_in = preview_feed(t->preview, data, len);
	if (xfer_has_enough(t, c, lines_in))
		t->stopped = 1;
	if (t->stopped) {
		t->res.truncated = 1;
		return CURL_WRITEFUNC_ERROR;
	}
	return len;
}

/* Headers that must not follow a redirect to another host. */
static int
xfer_credential(const char *h)
{
	static const char *const names[] = { "authorization", "cookie",
	    "proxy-authorization" };
	size_t	i, n;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		n = strlen(names[i]);
		if (strncasecmp(h, names[i], n) == 0 && (h[n] == ':' ||
		    h[n] == ';'))
			return 1;
	}
	return 0;
}

/* A header line's name: up to its ':', or ';' for an empty one. */
static size_t
xfer_header_name(const char *h)
{
	return strcspn(h, ":;");
}

/* Whether hs has a header of h's name. */
static int
xfer_has_name(const char *const *hs, size_t n, const char *h)
{
	size_t	i, len = xfer_header_name(h);

	for (i = 0; i < n; i++)
		if (xfer_header_name(hs[i]) == len &&
		    strncasecmp(hs[i], h, len) == 0)
			return 1;
	return 0;
}

static struct curl_slist *
xfer_slist_add(struct curl_slist *l, const char *h)
{
	if ((l = curl_slist_append(l, h)) == NULL)
		msg_fatal("out of memory");
	return l;
}

/* l with one more line, formatted; most fit the stack, as per request. */
static struct curl_slist *xfer_slist_addf(struct curl_slist *, const char *,
    ...) __attribute__((format(printf, 2, 3)));

static struct curl_slist *
xfer_slist_addf(struct curl_slist *l, const char *fmt, ...)
{
	char	 small[512], *line = small;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg_fatal("cannot format a libcurl list line");
	if ((size_t)n >= sizeof small) {
		line = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(line, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	l = xfer_slist_add(l, line);
	if (line != small)
		free(line);
	return l;
}

/*
 * The headers cofetch sends unless told otherwise.  They go in the
 * header list rather than CURLOPT_USERAGENT and CURLOPT_ACCEPT_ENCODING
 * because libcurl formats those two anew for every request with its own
 * printf, which costs more than the rest of the request's headers.
 * CURLOPT_ACCEPT_ENCODING stays set: it is what turns on decoding.
 */
static char *
xfer_header_line(const char *name, const char *value)
{
	char	*h;

	if (value[0] == '\0') {	/* "Name;" sends it empty */
		h = xmalloc(strlen(name) + 2);
		sprintf(h, "%s;", name);
	} else {
		h = xmalloc(strlen(name) + strlen(value) + 3);
		sprintf(h, "%s: %s", name, value);
	}
	return h;
}

static void
xfer_std_headers(struct xfer *x, const struct config *cfg)
{
	const curl_version_info_data	*v = curl_version_info(CURLVERSION_NOW);
	char				 ae[64] = "";
	size_t				 i;

	x->std[0] = xfer_header_line("User-Agent", cfg->user_agent != NULL ?
	    cfg->user_agent : "cofetch/" PACKAGE_VERSION);
	if (v->features & CURL_VERSION_LIBZ)
		strcat(ae, ", deflate, gzip");
	if (v->features & CURL_VERSION_BROTLI)
		strcat(ae, ", br");
	if (v->features & CURL_VERSION_ZSTD)
		strcat(ae, ", zstd");
	x->std[1] = ae[0] != '\0' ? xfer_header_line("Accept-Encoding",
	    ae + 2) : NULL;
	for (i = 0; i < 2; i++)
		if (x->std[i] != NULL && xfer_has_name(cfg->headers,
		    cfg->nheaders, x->std[i])) {
			free(x->std[i]);
			x->std[i] = NULL;
		}
}

/* The standard headers, but those the jsonl line rl replaces. */
static struct curl_slist *
xfer_std_add(const struct xfer *x, struct curl_slist *l,
    const struct request_line *rl)
{
	size_t	i;

	for (i = 0; i < 2; i++)
		if (x->std[i] != NULL && (rl == NULL ||
		    !xfer_has_name((const char *const *)rl->headers,
		    rl->nheaders, x->std[i])))
			l = xfer_slist_add(l, x->std[i]);
	return l;
}

/*
 * A jsonl line's request headers: the standard ones, -H's, then the
 * line's, which replace the others of the same name; no credentials on a
 * hop to another host.
 */
static struct curl_slist *
xfer_line_headers(const struct xfer *x, const struct task *t)
{
	const struct config	*cfg = x->cfg;
	const struct request_line *rl = t->req;
	struct curl_slist	*l = xfer_std_add(x, NULL, rl);
	int			 foreign = task_foreign_hop(t);
	size_t			 i;

	for (i = 0; i < cfg->nheaders; i++)
		if (!(foreign && xfer_credential(cfg->headers[i])) &&
		    !xfer_has_name((const char *const *)rl->headers,
		    rl->nheaders, cfg->headers[i]))
			l = xfer_slist_add(l, cfg->headers[i]);
	for (i = 0; i < rl->nheaders; i++)
		if (!(foreign && xfer_credential(rl->headers[i])))
			l = xfer_slist_add(l, rl->headers[i]);
	return l;
}

static void
xfer_headers(struct xfer *x, const struct config *cfg)
{
	size_t	i;

	xfer_std_headers(x, cfg);
	x->headers = xfer_std_add(x, NULL, NULL);
	x->headers_foreign = xfer_std_add(x, NULL, NULL);
	for (i = 0; i < cfg->nheaders; i++) {
		x->headers = xfer_slist_add(x->headers, cfg->headers[i]);
		if (!xfer_credential(cfg->headers[i]))
			x->headers_foreign = xfer_slist_add(x->headers_foreign,
			    cfg->headers[i]);
	}
}

static void
xfer_shard_init(struct xfer *x, struct xfer_shard *sh,
    struct xfer_worker *w)
{
	sh->x = x;
	sh->worker = w;
	sh->base = w != NULL ? w->base : x->base;
	sh->entries = hosts_new(1);
	if ((sh->multi = curl_multi_init()) == NULL)
		msg_fatal("curl_multi_init failed");
	if ((sh->timer = evtimer_new(sh->base, xfer_timer_cb, sh)) == NULL)
		msg_fatal("cannot create curl's timer");
	curl_multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, xfer_socket_cb);
	curl_multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh);
	curl_multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION,
	    xfer_set_timer_cb);
	curl_multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh);
}

/* The shard's multi handle goes, closing its cached connections. */
static void
xfer_shard_close(struct xfer_shard *sh)
{
	if (sh->multi == NULL)
		return;
	/* May call the socket callback for cached connections. */
	curl_multi_cleanup(sh->multi);
	sh->multi = NULL;
	event_free(sh->timer);
	sh->timer = NULL;
	while (sh->nsocks > 0)
		if (sh->socks[--sh->nsocks] != NULL) {
			atomic_fetch_add(&sh->x->unseen_closes, 1);
			xfer_sock_free(&sh->socks[sh->nsocks]);
		}
	free(sh->socks);
	sh->socks = NULL;
}

/* Whether ulimit -v bounds this process's address space. */
static int
xfer_as_limited(void)
{
	struct rlimit	rl;

	return getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur != RLIM_INFINITY;
}

/*
 * Transfer threads: --threads, or by default one a CPU this process may
 * use once -j needs more than one multi handle.  Below that one thread
 * keeps up: the hand-over costs more than a second core gives back
 * (docs/PERFORMANCE.md).  Not by default under ulimit -v either: there
 * allocations fail, and libcurl 7.88, failing them inside
 * curl_multi_socket_action, was seen to divide by zero in one of its
 * hash functions (a table left without slots): with threads in one run
 * of five, without in none of twenty.
 */
static size_t
xfer_nworkers(const struct config *cfg, size_t nshards)
{
	cpu_set_t	cpus;
	size_t		n;

	if (cfg->threads >= 0)
		return (size_t)cfg->threads;
	if (nshards < 2 || sched_getaffinity(0, sizeof cpus, &cpus) != 0)
		return 0;
	if (xfer_as_limited())
		return 0;
	n = (size_t)CPU_COUNT(&cpus);
	if (n < 2)
		return 0;
	return n < nshards ? n : nshards;
}

static void *
xfer_worker_main(void *arg)
{
	struct xfer_worker	*w = arg;

	event_base_dispatch(w->base);
	return NULL;
}

/*
 * glibc gives a thread that allocates an arena of its own, reserving
 * address space 64 MiB at a time.  Under ulimit -v that reservation is
 * what runs out, and memory one thread frees is no use to another: there
 * the threads share one arena, and the reserve (xmalloc.c) works as it
 * does without threads.  Elsewhere their own arenas spare them the lock
 * (W5: 1.3 s against 1.4-1.8).
 */
static void
xfer_arenas(void)
{
	if (xfer_as_limited())
		mallopt(M_ARENA_MAX, 1);
}

/* Signals stay with the main thread, whose loop handles them. */
static void
xfer_workers_start(struct xfer *x)
{
	pthread_attr_t	attr;
	sigset_t	all, old;
	size_t		i;
	int		rc;

	if (x->nworkers == 0)
		return;
	xfer_arenas();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, XFER_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < x->nworkers; i++) {
		rc = pthread_create(&x->workers[i].thread, &attr,
		    xfer_worker_main, &x->workers[i]);
		if (rc != 0)
			msg_fatal("cannot start a transfer thread: %s",
			    strerror(rc));
		x->workers[i].running = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

static void	xfer_worker_cb(const struct mbox_msg *, size_t, void *);
static void	xfer_done_cb(const struct mbox_msg *, size_t, void *);

/* spool (-f body) and saver (-o) are the caller's, and may be NULL. */
struct xfer *
xfer_new(struct event_base *base, const struct config *cfg,
    void (*done)(struct task *), struct spool *spool, struct saver *saver)
{
	struct xfer		*x;
	struct xfer_worker	*w;
	size_t			 i;

	x = xcalloc(1, sizeof *x);
	x->base = base;
	x->cfg = cfg;
	x->done = done;
	x->spool = spool;
	x->saver = saver;
	x->pool = xcalloc(cfg->jobs, sizeof *x->pool);
	x->pool_max = cfg->jobs;
	xfer_headers(x, cfg);
	x->nshards = (cfg->jobs + XFER_SHARD_MAX - 1) / XFER_SHARD_MAX;
	x->nworkers = xfer_nworkers(cfg, x->nshards);
	if (x->nshards < x->nworkers)
		x->nshards = x->nworkers;
	x->shards = xcalloc(x->nshards, sizeof *x->shards);
	if (x->nworkers > 0) {
		x->done_box = mbox_new(base, xfer_done_cb, x);
		x->workers = xcalloc(x->nworkers, sizeof *x->workers);
	}
	for (i = 0; i < x->nworkers; i++) {
		w = &x->workers[i];
		w->x = x;
		w->base = loop_new();
		w->inbox = mbox_new(w->base, xfer_worker_cb, w);
		w->to_worker = mbox_out_new(base, w->inbox);
		w->to_main = mbox_out_new(w->base, x->done_box);
	}
	for (i = 0; i < x->nshards; i++)
		xfer_shard_init(x, &x->shards[i], x->nworkers > 0 ?
		    &x->workers[i % x->nworkers] : NULL);
	xfer_workers_start(x);
	msg_debug("transfers: %zu multi handles, %zu threads besides the "
	    "main one", x->nshards, x->nworkers);
	return x;
}

static void
xfer_pool_trim(struct xfer *x, size_t max)
{
	while (x->npool > max)
		curl_easy_cleanup(x->pool[--x->npool]);
}

/*
 * Ends the transfer threads, whatever they were doing: from here on the
 * main thread owns every multi handle that is left, and transfers only
 * stop.  While the threads close their idle connections, this thread
 * frees the idle easy handles: at -j 10,000 each takes tens of ms.
 */
void
xfer_halt(struct xfer *x)
{
	struct mbox_msg	stop = { XOP_STOP, NULL, NULL, 0 };
	size_t		i;

	for (i = 0; i < x->nworkers; i++)
		if (x->workers[i].running) {
			mbox_out_flush(x->workers[i].to_worker);
			mbox_post(x->workers[i].inbox, &stop);
		}
	xfer_pool_trim(x, 0);
	for (i = 0; i < x->nworkers; i++)
		if (x->workers[i].running) {
			pthread_join(x->workers[i].thread, NULL);
			x->workers[i].running = 0;
		}
}

/* Every task must be finished or dropped first. */
void
xfer_free(struct xfer *x)
{
	size_t	i;

	xfer_halt(x);		/* and the handles dropped tasks gave back */
	for (i = 0; i < x->nshards; i++) {
		xfer_shard_close(&x->shards[i]);
		curl_slist_free_all(x->shards[i].forget);
		hosts_free(x->shards[i].entries);
	}
	msg_debug("libcurl closed %lu sockets unseen",
	    atomic_load(&x->unseen_closes));
	for (i = 0; i < x->nworkers; i++) {
		mbox_out_free(x->workers[i].to_worker);
		mbox_out_free(x->workers[i].to_main);
		mbox_free(x->workers[i].inbox);
		event_base_free(x->workers[i].base);
	}
	if (x->done_box != NULL)
		mbox_free(x->done_box);
	free(x->workers);
	free(x->shards);
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->headers_foreign);
	free(x->std[0]);
	free(x->std[1]);
	free(x->pool);
	free(x);
}

/*
 * What every transfer of the run shares, set once per easy handle: the
 * handles are never reset, because curl_easy_reset() and setting all
 * options again cost more per request than the rest of cofetch's work.
 * Whatever differs between tasks is set for each (xfer_setup) or put
 * back when the handle returns to the pool (xfer_easy_put).
 */
static void
xfer_easy_defaults(const struct config *c, CURL *e)
{
	long	v = CURL_HTTP_VERSION_2TLS;

	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_write_cb);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, xfer_header_cb);
	curl_easy_setopt(e, CURLOPT_RESOLVER_START_FUNCTION,
	    xfer_resolver_start_cb);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, xfer_open_cb);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, xfer_close_cb);
	/* The task follows redirects itself, each hop through c-ares. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (c->http_version == 11)
		v = CURL_HTTP_VERSION_1_1;
	else if (c->http_version == 2)
		v = CURL_HTTP_VERSION_2_0;
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, v);
	if (c->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->cacert);
	/*
	 * Never the environment's http_proxy and the like: libcurl would
	 * resolve such a proxy's name itself, and reads the environment
	 * again for every request.
	 */
	curl_easy_setopt(e, CURLOPT_PROXY, c->proxy != NULL ? c->proxy : "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "");
}

/*
 * Idle handles and connections keep their buffers: when memory ran out
 * and -j was lowered, no more of either are kept than the new -j (by
 * default libcurl keeps four connections per handle it has seen).
 */
void
xfer_shrink(struct xfer *x, size_t max)
{
	size_t	i;

	x->pool_max = max;
	xfer_pool_trim(x, max);
	for (i = 0; i < x->nshards; i++)
		xfer_send(&x->shards[i], XOP_MAXCONNECTS, NULL,
		    (long)(max / x->nshards + 1));
}

static CURL *
xfer_easy_get(struct xfer *x)
{
	CURL	*e;

	if (x->npool > 0)
		return x->pool[--x->npool];
	if ((e = curl_easy_init()) == NULL)
		return NULL;	/* out of memory: this task's error */
	xfer_easy_defaults(x->cfg, e);
	return e;
}

/*
 * Puts back what t set that the next task may not set; whatever every
 * task sets (URL, headers, buffers, callbacks' data) is left to the next.
 * libcurl only reads those during a transfer.  At most -j handles are
 * ever in use, so the pool never holds more.
 */
static void
xfer_easy_put(struct xfer *x, const struct task *t, CURL *e)
{
	if (t->data != NULL || t->method != NULL) {
		/* POSTFIELDS selects POST even when NULL; HTTPGET undoes it. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	}
	/* An IPv6 literal's task sets none, and t's list is freed now. */
	curl_easy_setopt(e, CURLOPT_RESOLVE, NULL);
	if (x->npool < x->pool_max)
		x->pool[x->npool++] = e;
	else
		curl_easy_cleanup(e);
}

/*
 * The addresses c-ares found, as host:port:addr[,addr] for libcurl, after
 * the entries no live transfer needs any more, which are dropped.
 * libcurl 7.88 keeps CURLOPT_RESOLVE entries for good in the multi
 * handle's cache and scans that whole cache after every transfer, so
 * keeping one entry per host ever fetched made a run over many hosts
 * quadratic.  A transfer may look its entry up again after it started
 * (waiting to multiplex, or retrying a dead connection), so an entry goes
 * only once no live transfer uses its host:port.
 */
static void
xfer_resolve_entry(struct xfer_shard *sh, struct task *t, CURL *e)
{
	const struct url_target	*to = task_connects_to(t);

	if (t->dnsw.addrs == NULL)
		return;		/* an IPv6 literal: libcurl connects as is */
	/* libcurl keeps the pointer: the list lives until the transfer ends. */
	t->resolve = xfer_slist_addf(sh->forget, "%s:%ld:%s", to->host,
	    to->port, t->dnsw.addrs);
	sh->forget = NULL;
	t->resolve_entry = hosts_get(sh->entries, to->host, to->port);
	curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
}

/*
 * When t was the last live transfer to its host:port, the next one to
 * start drops the entry from libcurl's cache.
 */
static void
xfer_resolve_forget(struct xfer_shard *sh, struct task *t)
{
	struct host	*h = t->resolve_entry;

	if (h == NULL)
		return;
	t->resolve_entry = NULL;
	if (h->refs == 1)
		sh->forget = xfer_slist_addf(sh->forget, "-%s:%ld", h->name,
		    h->port);
	hosts_put(sh->entries, h);
}

/*
 * Method and body: -X and -d, as redirects have left them.  libcurl
 * copies the method; out of memory, the request would go out as a GET.
 */
static CURLcode
xfer_request(const struct task *t, CURL *e)
{
	if (t->data != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(t->data));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->data);
		if (t->method != NULL && strcmp(t->method, "POST") != 0)
			return curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
			    t->method);
	} else if (t->method != NULL && strcmp(t->method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (t->method != NULL && strcmp(t->method, "GET") != 0)
		return curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->method);
	return CURLE_OK;
}

/* Only the options libcurl copies can fail, and only out of memory. */
static CURLcode
xfer_setup(struct xfer *x, struct task *t, CURL *e, long budget_ms)
{
	const struct config	*c = x->cfg;
	long			 connect_ms;
	CURLcode		 rc;

	connect_ms = c->connect_timeout_ms < budget_ms ?
	    (long)c->connect_timeout_ms : budget_ms;
	if ((rc = curl_easy_setopt(e, CURLOPT_URL, t->hop_url)) != CURLE_OK)
		return rc;
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_RESOLVER_START_DATA, t);
	/* A connection keeps the shard of the transfer that opened it. */
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t->shard);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, t->shard);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, budget_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	if (t->req != NULL && t->req->nheaders > 0) {
		t->hop_headers = xfer_line_headers(x, t);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->hop_headers);
	} else
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, task_foreign_hop(t) ?
		    x->headers_foreign : x->headers);
	/*
	 * Where HTTP/2 may be negotiated, wait for a connection that could
	 * multiplex rather than open more.  Never over plain HTTP/1.1: there
	 * every request behind a slow one would wait for it.
	 */
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, (long)(c->http_version != 11 &&
	    (t->target.https || c->http_version == 2)));
	if (t->headers != NULL)
		buf_reset(t->headers);
	xfer_resolve_entry(t->shard, t, e);
	return xfer_request(t, e);
}

/* Where this attempt's body is kept (-f body) or saved (-o), emptied. */
static int
xfer_body_begin(struct xfer *x, struct task *t)
{
	if (x->spool != NULL && t->content == NULL)
		t->content = body_new(x->spool);
	else if (t->content != NULL)
		body_reset(t->content);
	if (x->saver != NULL && t->file == NULL) {
		t->file = xmalloc(sizeof *t->file);
		save_begin(x->saver, t->file, t->res.index, t->url);
	}
	return t->file != NULL ? save_truncate(t->file) : 0;
}

static struct xfer_shard *
xfer_shard_pick(struct xfer *x)
{
	struct xfer_shard	*best = &x->shards[0];
	size_t			 i;

	for (i = 1; i < x->nshards; i++)
		if (x->shards[i].added < best->added)
			best = &x->shards[i];
	return best;
}

/* Starts the task's attempt; its timeout counts from its permit. */
void
xfer_start(struct xfer *x, struct task *t)
{
	CURL		*e;
	long		 budget_ms;
	CURLcode	 crc;

	t->res.bytes = 0;
	t->res.truncated = 0;
	t->stopped = 0;
	t->over_decoded = 0;
	t->hop_body = HOP_BODY_NONE;
	if (t->preview != NULL)
		preview_reset(t->preview);
	if (xfer_body_begin(x, t) != 0) {
		result_fail(&t->res, ERR_OTHER, "cannot save the body: %s",
		    strerror(errno));
		x->done(t);
		return;
	}
	t->errbuf[0] = '\0';
	t->t_xfer = clock_us();
	budget_ms = (long)(x->cfg->timeout_ms - (t->t_xfer - t->t_start) / 1000);
	if (budget_ms <= 0) {
		result_fail(&t->res, ERR_TIMEOUT, "no time left to start");
		x->done(t);
		return;
	}
	if ((e = xfer_easy_get(x)) == NULL) {
		t->out_of_memory = 1;
		result_fail(&t->res, ERR_OTHER, "cannot start: out of memory");
		x->done(t);
		return;
	}
	t->easy = e;
	t->shard = xfer_shard_pick(x);
	t->shard->added++;
	if ((crc = xfer_setup(x, t, e, budget_ms)) == CURLE_OK) {
		xfer_send(t->shard, XOP_START, t, 0);
		return;
	}
	t->out_of_memory = crc == CURLE_OUT_OF_MEMORY;
	result_fail(&t->res, ERR_OTHER, "cannot start: %s",
	    curl_easy_strerror(crc));
	xfer_release(x, t);
	x->done(t);
}

/* A 3xx with a Location, when following: the hop the task takes next. */
static void
xfer_location(struct xfer *x, struct task *t, CURL *e)
{
	char	*u = NULL;

	free(t->location);
	t->location = NULL;
	if (xfer_follows(x->cfg, t->res.status) && curl_easy_getinfo(e,
	    CURLINFO_REDIRECT_URL, &u) == CURLE_OK && u != NULL)
		t->location = xstrdup(u);
}

/* The thread's half of ending a transfer: out of its multi handle. */
static void
xfer_detach(struct xfer_shard *sh, struct task *t)
{
	curl_multi_remove_handle(sh->multi, t->easy);
	t->in_multi = 0;
	sh->inside--;
}

/* The main thread's half: what the task held goes back. */
static void
xfer_release(struct xfer *x, struct task *t)
{
	struct xfer_shard	*sh = t->shard;

	sh->added--;
	t->shard = NULL;
	xfer_easy_put(x, t, t->easy);
	t->easy = NULL;
	xfer_resolve_forget(sh, t);
	curl_slist_free_all(t->resolve);
	t->resolve = NULL;
	curl_slist_free_all(t->hop_headers);
	t->hop_headers = NULL;
}

/*
 * The task goes back to the main thread: XOP_DONE, its result filled, or
 * XOP_ABORT, the answer to an abort that came too late.
 */
static void
xfer_answer(struct xfer_shard *sh, enum xfer_op op, struct task *t)
{
	struct mbox_msg	m = { op, sh, t, 0 };

	if (sh->worker == NULL)
		xfer_back(sh, op, t);
	else
		mbox_out_post(sh->worker->to_main, &m);
}

static void
xfer_drain(struct xfer_shard *sh)
{
	struct xfer	*x = sh->x;
	CURLMsg		*m;
	struct task	*t;
	char		*priv;
	int		 left;

	while ((m = curl_multi_info_read(sh->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		t = (struct task *)(void *)priv;
		/* m is invalid once the handle is removed. */
		outcome_collect(t, t->easy);
		outcome_classify(t, m->data.result);
		xfer_location(x, t, t->easy);
		xfer_detach(sh, t);
		xfer_answer(sh, XOP_DONE, t);
	}
}

static void
xfer_add(struct xfer_shard *sh, struct task *t)
{
	CURLMcode	rc;

	if ((rc = curl_multi_add_handle(sh->multi, t->easy)) == CURLM_OK) {
		t->in_multi = 1;
		sh->inside++;
		return;
	}
	t->out_of_memory = rc == CURLM_OUT_OF_MEMORY;
	result_fail(&t->res, ERR_OTHER, "cannot start: %s",
	    curl_multi_strerror(rc));
	xfer_answer(sh, XOP_DONE, t);
}

/*
 * Stops a transfer still in its multi handle; one that finished first
 * keeps its result.  curl's total time only moves at progress updates,
 * so a cut attempt is timed here.
 */
static void
xfer_cut(struct xfer_shard *sh, struct task *t)
{
	if (!t->in_multi) {
		xfer_answer(sh, XOP_ABORT, t);
		return;
	}
	outcome_collect(t, t->easy);
	t->res.time.total = clock_us() - t->t_start;
	xfer_detach(sh, t);
	t->cut = 1;
	xfer_answer(sh, XOP_DONE, t);
}

/* What the thread that runs the shard was asked. */
static void
xfer_do(struct xfer_shard *sh, enum xfer_op op, struct task *t, long n)
{
	switch (op) {
	case XOP_START:
		xfer_add(sh, t);
		break;
	case XOP_ABORT:
		xfer_cut(sh, t);
		break;
	case XOP_MAXCONNECTS:
		curl_multi_setopt(sh->multi, CURLMOPT_MAXCONNECTS, n);
		break;
	case XOP_STOP:
	case XOP_DONE:
		break;
	}
}

/* Asks the shard's thread; without threads, does it here and now. */
static void
xfer_send(struct xfer_shard *sh, enum xfer_op op, struct task *t, long n)
{
	struct mbox_msg	m = { op, sh, t, n };

	if (sh->worker == NULL)
		xfer_do(sh, op, t, n);
	else
		mbox_out_post(sh->worker->to_worker, &m);
}

/*
 * A transfer thread's last act: its shards' idle connections close here,
 * on every thread at once.  A shard still running a transfer is left to
 * the main thread, which drops the transfer first.
 */
static void
xfer_worker_stop(struct xfer_worker *w)
{
	struct xfer	*x = w->x;
	size_t		 i;

	for (i = 0; i < x->nshards; i++)
		if (x->shards[i].worker == w && x->shards[i].inside == 0)
			xfer_shard_close(&x->shards[i]);
	event_base_loopbreak(w->base);
}

/* A transfer thread's batch of requests from the main thread. */
static void
xfer_worker_cb(const struct mbox_msg *m, size_t n, void *arg)
{
	struct xfer_worker	*w = arg;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (m[i].kind == XOP_STOP) {
			xfer_worker_stop(w);
			return;
		}
		xfer_do(m[i].to, m[i].kind, m[i].what, m[i].n);
	}
}

/*
 * Back in the main thread, the task is woken.  A cut transfer is reported
 * cancelled, and so is a redirect that finished while the cancel was on
 * its way: its result is not final, and the next hop must not start.
 */
static void
xfer_return(struct xfer_shard *sh, struct task *t)
{
	struct xfer	*x = sh->x;

	if (t->cut || (t->cancel_why != NULL && t->location != NULL)) {
		t->cut = 0;
		free(t->location);
		t->location = NULL;
		result_fail(&t->res, ERR_CANCELLED, "%s", t->cancel_why);
	}
	xfer_release(x, t);
	x->done(t);
}

/* A task back in the main thread; held while an abort is unanswered. */
static void
xfer_back(struct xfer_shard *sh, enum xfer_op op, struct task *t)
{
	if (op == XOP_DONE && t->cancel_why != NULL && !t->cut)
		return;
	xfer_return(sh, t);
}

static void
xfer_done_cb(const struct mbox_msg *m, size_t n, void *arg)
{
	size_t	i;

	(void)arg;
	for (i = 0; i < n; i++)
		xfer_back(m[i].to, m[i].kind, m[i].what);
}

/*
 * Stops a transfer in flight: the task comes back through done(),
 * cancelled with why, unless its transfer finished first.
 */
void
xfer_abort(struct task *t, const char *why)
{
	if (t->cancel_why != NULL)
		return;		/* already on its way */
	t->cancel_why = xstrdup(why);
	xfer_send(t->shard, XOP_ABORT, t, 0);
}

/*
 * Teardown, once the threads are halted: the transfer ends unreported
 * (the output is gone).
 */
void
xfer_drop(struct xfer *x, struct task *t)
{
	if (t->in_multi)
		xfer_detach(t->shard, t);
	xfer_release(x, t);
}

/* How many names libcurl tried to resolve by itself (should be 0). */
unsigned long
xfer_curl_resolves(const struct xfer *x)
{
	return atomic_load(&x->curl_resolves);
}
