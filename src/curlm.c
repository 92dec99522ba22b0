/*
 * curlm.c: libcurl's multi_socket interface on a libevent loop.  Owns
 * the multi handle (and so the connection cache its transfers share),
 * one event per curl socket, curl's single timer, and the drain of
 * finished transfers after every curl_multi_socket_action().
 *
 * Rules that keep it correct:
 * - Inside a curl callback only libevent is called (and socket() and
 *   close() for the sockets curl opens and closes through here):
 *   libcurl 7.88 refuses re-entrant multi calls.  Finished transfers go
 *   to the owner only after curl_multi_socket_action() has returned.
 * - curl_multi_info_read() is drained after every socket_action.
 * - Socket events are level-triggered; curl reads a bounded amount per
 *   call.
 * - A socket's event stays registered while curl keeps the connection
 *   idle, and goes when curl closes the socket.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "clock.h"
#include "curlm.h"
#include "msg.h"
#include "xmalloc.h"

/*
 * A socket curl opened, and its event.  The event stays registered
 * between two transfers on a kept-alive connection, when curl stops
 * watching the socket: adding and deleting it for every request was two
 * epoll_ctl calls a request (docs/PERFORMANCE.md).  An event that comes
 * while curl is not watching is deleted then.  The socket's entry goes
 * when curl closes it (curlm_close_cb).
 */
struct curlm_sock {
	struct curlm	*cm;
	struct event	*ev;
	short		 flags;		/* registered for: EV_READ, EV_WRITE */
	int		 watched;	/* curl wants its events */
};

struct curlm {
	struct event_base	*base;
	CURLM			*multi;		/* NULL once closed */
	struct event		*timer;
	int			 running;
	unsigned		 inside;	/* easy handles in multi */
	unsigned long		 conns;		/* sockets curl has open */
	long			 max_conns;	/* CURLMOPT_MAXCONNECTS, or 0 */
	struct curlm_sock	**socks;	/* by descriptor */
	size_t			 nsocks;
	curlm_done_fn		*done;
	void			*arg;
	unsigned long		 unseen_closes;	/* a tripwire: must stay 0 */
};

static const struct timeval	curlm_oom_retry = { 0, 10000 };

static void
curlm_drain(struct curlm *cm)
{
	CURLMsg		*m;
	CURL		*easy;
	CURLcode	 rc;
	int		 left;

	while ((m = curl_multi_info_read(cm->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		/* m is invalid once the handle is removed. */
		easy = m->easy_handle;
		rc = m->data.result;
		cm->done(cm->arg, easy, rc);
	}
}

static void
curlm_action(struct curlm *cm, curl_socket_t fd, int mask)
{
	CURLMcode	rc;

	rc = curl_multi_socket_action(cm->multi, fd, mask, &cm->running);
	/*
	 * Out of memory, 7.88 returns before it re-arms its timer, and every
	 * transfer would wait for an event that never comes: ask again soon.
	 * The scheduler has seen the shortage.
	 */
	if (rc == CURLM_OUT_OF_MEMORY)
		evtimer_add(cm->timer, &curlm_oom_retry);
	/* BAD_SOCKET: an event for a socket curl already dropped. */
	else if (rc != CURLM_OK && rc != CURLM_BAD_SOCKET)
		msg_fatal("curl_multi_socket_action: %s",
		    curl_multi_strerror(rc));
	curlm_drain(cm);
}

static void
curlm_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct curlm_sock	*so = arg;
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
	curlm_action(so->cm, fd, mask);
}

static void
curlm_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	curlm_action(arg, CURL_SOCKET_TIMEOUT, 0);
}

static struct curlm_sock **
curlm_sock_slot(struct curlm *cm, curl_socket_t fd)
{
	size_t	n = cm->nsocks;

	if ((size_t)fd >= n) {
		while (n <= (size_t)fd)
			n = n > 0 ? n * 2 : 64;
		cm->socks = xrealloc(cm->socks, n * sizeof *cm->socks);
		memset(cm->socks + cm->nsocks, 0,
		    (n - cm->nsocks) * sizeof *cm->socks);
		cm->nsocks = n;
	}
	return &cm->socks[fd];
}

static void
curlm_sock_free(struct curlm_sock **slot)
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
curlm_sock_watch(struct curlm_sock *so, curl_socket_t fd, short flags)
{
	struct event_base	*base = so->cm->base;

	so->watched = 1;
	if (flags == so->flags)
		return;
	if (so->ev == NULL) {
		so->ev = event_new(base, fd, flags | EV_PERSIST, curlm_io_cb,
		    so);
		if (so->ev == NULL)
			msg_fatal("cannot create a socket event");
	} else {
		event_del(so->ev);
		event_assign(so->ev, base, fd, flags | EV_PERSIST, curlm_io_cb,
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
curlm_socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct curlm		*cm = arg;
	struct curlm_sock	**slot;
	short			 flags = 0;

	(void)easy;
	(void)sockp;
	slot = curlm_sock_slot(cm, fd);
	if (what == CURL_POLL_REMOVE) {
		if (*slot != NULL)
			(*slot)->watched = 0;
		return 0;
	}
	if (*slot == NULL) {
		*slot = xcalloc(1, sizeof **slot);
		(*slot)->cm = cm;
	}
	if (what & CURL_POLL_IN)
		flags |= EV_READ;
	if (what & CURL_POLL_OUT)
		flags |= EV_WRITE;
	curlm_sock_watch(*slot, fd, flags);
	return 0;
}

/*
 * Runs inside curl, for every socket it opens.  An entry left for the
 * same descriptor belongs to a socket closed without curlm_close_cb: it
 * goes, and is counted (a tripwire the tests require to stay at 0, as an
 * event of libevent's left on a reused descriptor could hide the new
 * one's from the same loop).
 */
static curl_socket_t
curlm_open_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct curlm		*cm = arg;
	struct curlm_sock	**slot;
	curl_socket_t		 fd;

	(void)purpose;
	fd = socket(a->family, a->socktype, a->protocol);
	if (fd == CURL_SOCKET_BAD)
		return fd;
	slot = curlm_sock_slot(cm, fd);
	if (*slot != NULL) {
		cm->unseen_closes++;
		cm->conns--;
		curlm_sock_free(slot);
	}
	cm->conns++;
	return fd;
}

/* Runs inside curl, for every socket it closes. */
static int
curlm_close_cb(void *arg, curl_socket_t fd)
{
	struct curlm	*cm = arg;

	cm->conns--;
	curlm_sock_free(curlm_sock_slot(cm, fd));
	return close(fd);
}

/* Runs inside curl: -1 deletes the timer; any other value replaces it. */
static int
curlm_set_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct curlm	*cm = arg;
	struct timeval	 tv;

	(void)multi;
	if (ms < 0) {
		evtimer_del(cm->timer);
		return 0;
	}
	tv = clock_timeval((int64_t)ms * 1000);
	evtimer_add(cm->timer, &tv);
	return 0;
}

/* done(arg, easy, rc) is called for each finished transfer. */
struct curlm *
curlm_new(struct event_base *base, curlm_done_fn *done, void *arg)
{
	struct curlm	*cm;

	cm = xcalloc(1, sizeof *cm);
	cm->base = base;
	cm->done = done;
	cm->arg = arg;
	if ((cm->multi = curl_multi_init()) == NULL)
		msg_fatal("curl_multi_init failed");
	if ((cm->timer = evtimer_new(base, curlm_timer_cb, cm)) == NULL)
		msg_fatal("cannot create curl's timer");
	curl_multi_setopt(cm->multi, CURLMOPT_SOCKETFUNCTION, curlm_socket_cb);
	curl_multi_setopt(cm->multi, CURLMOPT_SOCKETDATA, cm);
	curl_multi_setopt(cm->multi, CURLMOPT_TIMERFUNCTION,
	    curlm_set_timer_cb);
	curl_multi_setopt(cm->multi, CURLMOPT_TIMERDATA, cm);
	return cm;
}

/*
 * The multi handle goes, closing its cached connections, on the thread
 * that runs its loop; no transfer may be in it.
 */
void
curlm_close(struct curlm *cm)
{
	if (cm->multi == NULL)
		return;
	/* May call the socket callback for cached connections. */
	curl_multi_cleanup(cm->multi);
	cm->multi = NULL;
	event_free(cm->timer);
	cm->timer = NULL;
	while (cm->nsocks > 0)
		if (cm->socks[--cm->nsocks] != NULL) {
			cm->unseen_closes++;
			curlm_sock_free(&cm->socks[cm->nsocks]);
		}
	free(cm->socks);
	cm->socks = NULL;
}

void
curlm_free(struct curlm *cm)
{
	curlm_close(cm);
	free(cm);
}

/*
 * A transfer joins.  A connection keeps the multi handle of the transfer
 * that opened it, and closes its socket through it.
 */
CURLMcode
curlm_add(struct curlm *cm, CURL *e)
{
	CURLMcode	rc;

	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, curlm_open_cb);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, cm);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, curlm_close_cb);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, cm);
	if ((rc = curl_multi_add_handle(cm->multi, e)) == CURLM_OK)
		cm->inside++;
	return rc;
}

void
curlm_remove(struct curlm *cm, CURL *e)
{
	curl_multi_remove_handle(cm->multi, e);
	cm->inside--;
}

/*
 * At most n connections kept, idle or in use (libcurl keeps 4 per handle
 * seen); past that, returning one to the cache closes the oldest idle.
 */
void
curlm_max_connects(struct curlm *cm, long n)
{
	cm->max_conns = n;
	curl_multi_setopt(cm->multi, CURLMOPT_MAXCONNECTS, n);
}

/*
 * Whether the connections curl has open already fill its cache, so that
 * keeping one more after a transfer would close another.
 */
int
curlm_full(const struct curlm *cm)
{
	return cm->max_conns > 0 && cm->conns >= (unsigned long)cm->max_conns;
}

/* Transfers in it now. */
unsigned
curlm_running(const struct curlm *cm)
{
	return cm->inside;
}

/* Sockets libcurl closed without curlm_close_cb (the tripwire). */
unsigned long
curlm_unseen_closes(const struct curlm *cm)
{
	return cm->unseen_closes;
}
