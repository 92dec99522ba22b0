/*
 * dns.c: c-ares 1.18 on the libevent loop, and the policy around it.
 *
 * One channel; its sockets get one event each through the socket-state
 * callback, and one timer is re-armed from ares_timeout() after every
 * call into c-ares.  The query belongs to the cache entry, not to a task
 * (c-ares 1.18 cannot cancel one query): a task that gives up only leaves
 * the entry's waiter list, and the answer still fills the cache.
 *
 * Traps of 1.18 handled here: literal addresses and localhost never reach
 * c-ares; the callback may run before ares_getaddrinfo() returns, so all
 * state is in place first; search domains are off; retries are bounded,
 * and a deadline of our own ends a query the server never answers after
 * --dns-timeout; a truncated answer is used as it is, because 1.18's
 * retry over TCP, when that fails, resets the server's connection and
 * fails every other query in flight with it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ares.h>
#include <event2/event.h>

#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "dns.h"
#include "msg.h"
#include "xmalloc.h"

#define DNS_CACHE_MAX	65536
#define DNS_TRIES	2

/*
 * Queries in flight at most; the rest wait their turn.  c-ares 1.18 sends
 * every query to a server over one UDP socket: thousands at once overflow
 * that socket's receive buffer and the server's (both drop datagrams
 * silently), and each drop costs a retry after a timeout.
 */
#define DNS_INFLIGHT_MAX	200

struct dns_sock {
	struct dns_sock	*next;
	ares_socket_t	 fd;
	struct event	*ev;
};

/* A query in flight, owned by c-ares until its callback runs. */
struct dns_query {
	struct dns		*dns;
	struct dns_entry	*entry;		/* NULL once given up */
	struct event		*deadline;
	TAILQ_ENTRY(dns_query)	 wait;		/* for its turn */
};

struct dns {
	struct event_base	*base;
	const struct config	*cfg;
	ares_channel		 chan;
	struct event		*timer;
	struct dns_sock		*socks;
	struct dnscache		 cache;
	int			 family;
	unsigned		 inflight;	/* queries c-ares holds */
	TAILQ_HEAD(, dns_query)	 waiting;	/* queries not sent yet */
	struct event		*turn;		/* sends the next ones */
	struct dns_stats	 stats;
};

static void
dns_rearm(struct dns *d)
{
	struct timeval	tv, *p;

	if ((p = ares_timeout(d->chan, NULL, &tv)) != NULL)
		evtimer_add(d->timer, p);
	else
		evtimer_del(d->timer);
}

static void
dns_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns	*d = arg;

	ares_process_fd(d->chan, (what & EV_READ) ? fd : ARES_SOCKET_BAD,
	    (what & EV_WRITE) ? fd : ARES_SOCKET_BAD);
	dns_rearm(d);
}

static void
dns_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns	*d = arg;

	(void)fd;
	(void)what;
	ares_process_fd(d->chan, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns_rearm(d);
}

/* Runs inside c-ares: only libevent calls.  (0, 0) comes before close. */
static void
dns_sock_state_cb(void *arg, ares_socket_t fd, int readable, int writable)
{
	struct dns	 *d = arg;
	struct dns_sock **p, *s;
	short		  flags = EV_PERSIST;

	for (p = &d->socks; *p != NULL && (*p)->fd != fd; p = &(*p)->next)
		;
	s = *p;
	if (!readable && !writable) {
		if (s != NULL) {
			*p = s->next;
			event_free(s->ev);
			free(s);
		}
		return;
	}
	flags |= (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->fd = fd;
		if ((s->ev = event_new(d->base, fd, flags, dns_io_cb, d)) == NULL)
			msg_fatal("cannot create a DNS socket event");
		s->next = d->socks;
		d->socks = s;
	} else {
		event_del(s->ev);
		event_assign(s->ev, d->base, fd, flags, dns_io_cb, d);
	}
	event_add(s->ev, NULL);
}

/* IPv6 only when this machine can make an IPv6 socket at all. */
static int
dns_family(void)
{
	int	fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0)
		return AF_INET;
	close(fd);
	return AF_UNSPEC;
}

static void	dns_turn_cb(evutil_socket_t, short, void *);

struct dns *
dns_new(struct event_base *base, const struct config *cfg)
{
	struct ares_options	 o;
	struct dns		*d;
	int			 rc;

	if ((rc = ares_library_init_mem(ARES_LIB_INIT_ALL, xmalloc_lib, free,
	    xrealloc_lib)) != ARES_SUCCESS)
		msg_fatal("c-ares: %s", ares_strerror(rc));
	d = xcalloc(1, sizeof *d);
	d->base = base;
	d->cfg = cfg;
	d->family = dns_family();
	dnscache_init(&d->cache, DNS_CACHE_MAX);
	if ((d->timer = evtimer_new(base, dns_timer_cb, d)) == NULL ||
	    (d->turn = event_new(base, -1, 0, dns_turn_cb, d)) == NULL)
		msg_fatal("cannot create the DNS timer");
	TAILQ_INIT(&d->waiting);
	memset(&o, 0, sizeof o);
	o.sock_state_cb = dns_sock_state_cb;
	o.sock_state_cb_data = d;
	/* 1.18 doubles the timeout each round: tries 2 take 3 timeouts. */
	o.timeout = (int)(cfg->dns_timeout_ms / 3 > 0 ? cfg->dns_timeout_ms / 3 :
	    1);
	o.tries = DNS_TRIES;
	o.ndomains = 0;
	o.lookups = (char *)"fb";
	/* We need one address, not the whole set: what a truncated answer
	 * carries is enough, and an empty one is a dns error at once. */
	o.flags = ARES_FLAG_STAYOPEN | ARES_FLAG_IGNTC;
	rc = ares_init_options(&d->chan, &o, ARES_OPT_SOCK_STATE_CB |
	    ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_DOMAINS |
	    ARES_OPT_LOOKUPS | ARES_OPT_FLAGS);
	if (rc != ARES_SUCCESS)
		msg_fatal("c-ares: %s", ares_strerror(rc));
	if (cfg->dns_servers != NULL &&
	    (rc = ares_set_servers_ports_csv(d->chan, cfg->dns_servers)) !=
	    ARES_SUCCESS) {
		msg_warn("--dns-servers '%s': %s", cfg->dns_servers,
		    ares_strerror(rc));
		dns_free(d);
		return NULL;
	}
	return d;
}

/*
 * ares_destroy() runs every pending callback (ARES_EDESTRUCTION), which
 * frees the queries; no task may still wait by then.
 */
void
dns_free(struct dns *d)
{
	struct dns_query	*q;

	while ((q = TAILQ_FIRST(&d->waiting)) != NULL) {
		TAILQ_REMOVE(&d->waiting, q, wait);
		dnscache_remove(&d->cache, q->entry);
		dns_entry_free(q->entry);
		free(q);
	}
	ares_destroy(d->chan);
	while (d->socks != NULL) {
		struct dns_sock *s = d->socks;

		d->socks = s->next;
		event_free(s->ev);
		free(s);
	}
	event_free(d->timer);
	event_free(d->turn);
	dnscache_free(&d->cache);
	ares_library_cleanup();
	free(d);
}

const struct dns_stats *
dns_stats(const struct dns *d)
{
	return &d->stats;
}

/* The answer's addresses as CURLOPT_RESOLVE wants them, and its TTL. */
static int
dns_format(const struct ares_addrinfo *ai, struct buf *b)
{
	const struct ares_addrinfo_node		*n;
	const struct ares_addrinfo_cname	*c;
	char					 ip[INET6_ADDRSTRLEN];
	const void				*src;
	int					 ttl = -1;

	for (n = ai->nodes; n != NULL; n = n->ai_next) {
		if (n->ai_family == AF_INET)
			src = &((struct sockaddr_in *)(void *)n->ai_addr)->sin_addr;
		else if (n->ai_family == AF_INET6)
			src = &((struct sockaddr_in6 *)(void *)n->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(n->ai_family, src, ip, sizeof ip) == NULL)
			continue;
		if (b->len > 0)
			buf_addc(b, ',');
		if (n->ai_family == AF_INET6)
			buf_printf(b, "[%s]", ip);
		else
			buf_adds(b, ip);
		if (ttl < 0 || n->ai_ttl < ttl)
			ttl = n->ai_ttl;
	}
	for (c = ai->cnames; c != NULL; c = c->next)
		if (ttl < 0 || c->ttl < ttl)
			ttl = c->ttl;
	buf_addc(b, '\0');
	return ttl;
}

/* A query c-ares is done with; the next one waiting may go. */
static void
dns_query_end(struct dns_query *q)
{
	struct dns	*d = q->dns;

	if (q->deadline != NULL)
		event_free(q->deadline);
	free(q);
	d->inflight--;
	/* Inside c-ares: the next is sent from the loop. */
	if (!TAILQ_EMPTY(&d->waiting))
		event_active(d->turn, EV_TIMEOUT, 0);
}

/* Settles the entry; only the lasting failures (DNS_MISSING) are kept. */
static void
dns_settle(struct dns *d, struct dns_entry *e, int status,
    struct ares_addrinfo *ai)
{
	struct buf	b;
	char		why[512];
	int64_t		now = clock_us();
	int		ttl;

	buf_init(&b);
	if (status == ARES_SUCCESS && (ttl = dns_format(ai, &b)) >= 0) {
		dns_entry_settle(e, DNS_OK, b.data, NULL, now + dns_ttl_us(ttl));
		buf_free(&b);
		return;
	}
	buf_free(&b);
	snprintf(why, sizeof why, "cannot resolve %s: %s", e->key.name,
	    status == ARES_SUCCESS ? "no address" : ares_strerror(status));
	if (status == ARES_ENOTFOUND || status == ARES_ENODATA ||
	    status == ARES_SUCCESS) {
		dns_entry_settle(e, DNS_MISSING, NULL, why,
		    now + dns_ttl_us(DNS_TTL_NEGATIVE_S));
		return;
	}
	dns_entry_settle(e, DNS_FAILED, NULL, why, 0);
	dnscache_remove(&d->cache, e);
	dns_entry_free(e);
}

/* Runs inside c-ares (maybe before ares_getaddrinfo returns). */
static void
dns_answer_cb(void *arg, int status, int timeouts, struct ares_addrinfo *ai)
{
	struct dns_query	*q = arg;

	(void)timeouts;
	if (q->entry != NULL)
		dns_settle(q->dns, q->entry, status, ai);
	if (ai != NULL)
		ares_freeaddrinfo(ai);
	dns_query_end(q);
}

/* --dns-timeout: the server never answered; c-ares may still. */
static void
dns_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns_query	*q = arg;
	struct dns_entry	*e = q->entry;
	char			 why[512];

	(void)fd;
	(void)what;
	q->entry = NULL;
	snprintf(why, sizeof why, "cannot resolve %s: no answer in %.3f s",
	    e->key.name, q->dns->cfg->dns_timeout_ms / 1000.0);
	dns_entry_settle(e, DNS_FAILED, NULL, why, 0);
	dnscache_remove(&q->dns->cache, e);
	dns_entry_free(e);
}

/* The query goes to c-ares: its --dns-timeout counts from here. */
static void
dns_query_send(struct dns_query *q)
{
	struct dns			*d = q->dns;
	struct dns_entry		*e = q->entry;
	struct ares_addrinfo_hints	 hints;
	struct timeval			 tv;

	d->inflight++;
	tv = clock_timeval(d->cfg->dns_timeout_ms * 1000);
	if ((q->deadline = evtimer_new(d->base, dns_deadline_cb, q)) == NULL)
		msg_fatal("cannot create a DNS deadline");
	evtimer_add(q->deadline, &tv);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = d->family;
	hints.ai_socktype = SOCK_STREAM;
	/* CARES_HOSTS, when set, names the hosts file to read. */
	hints.ai_flags = ARES_AI_ENVHOSTS;
	d->stats.queries++;
	ares_getaddrinfo(d->chan, e->key.name, NULL, &hints, dns_answer_cb, q);
	dns_rearm(d);
}

/* Queries that waited for their turn, as far as there is room. */
static void
dns_turn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns		*d = arg;
	struct dns_query	*q;

	(void)fd;
	(void)what;
	while (d->inflight < DNS_INFLIGHT_MAX &&
	    (q = TAILQ_FIRST(&d->waiting)) != NULL) {
		TAILQ_REMOVE(&d->waiting, q, wait);
		dns_query_send(q);
	}
}

static void
dns_query_start(struct dns *d, struct dns_entry *e)
{
	struct dns_query	*q;

	q = xcalloc(1, sizeof *q);
	q->dns = d;
	q->entry = e;
	if (d->inflight < DNS_INFLIGHT_MAX)
		dns_query_send(q);
	else
		TAILQ_INSERT_TAIL(&d->waiting, q, wait);
}

/* RFC 6761: localhost and its subdomains are loopback, asked of nobody. */
static const char *
dns_localhost(const struct dns *d, const char *host)
{
	size_t	n = strlen(host);

	if (strcmp(host, "localhost") != 0 && (n < 10 ||
	    strcmp(host + n - 10, ".localhost") != 0))
		return NULL;
	return d->family == AF_UNSPEC ? "127.0.0.1,[::1]" : "127.0.0.1";
}

/* The addresses --resolve gives host:port, or NULL. */
static const char *
dns_static(const struct dns *d, const char *host, long port)
{
	const char	*r;
	char		*end;
	size_t		 i, hlen = strlen(host);

	for (i = 0; i < d->cfg->nresolves; i++) {
		r = d->cfg->resolves[i];
		if (strncasecmp(r, host, hlen) != 0 || r[hlen] != ':' ||
		    strtol(r + hlen + 1, &end, 10) != port || *end != ':')
			continue;
		return end + 1;
	}
	return NULL;
}

/*
 * Resolves host (lower case, IPv6 literals in brackets) for a transfer
 * to port.  DNS_DONE: w->addrs or w->error is set.  DNS_PENDING:
 * w->done(w) runs when the answer is in, possibly already inside this
 * call.  w->addrs stays NULL for an IPv6 literal: libcurl takes those as
 * they are.
 */
enum dns_status
dns_resolve(struct dns *d, const char *host, long port, struct dns_waiter *w)
{
	struct in_addr		 a4;
	struct dns_entry	*e;
	const char		*fixed;

	if (host[0] == '[')
		return DNS_DONE;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		w->addrs = xstrdup(host);
		return DNS_DONE;
	}
	if ((fixed = dns_static(d, host, port)) != NULL ||
	    (fixed = dns_localhost(d, host)) != NULL) {
		w->addrs = xstrdup(fixed);
		return DNS_DONE;
	}
	if ((e = dnscache_get(&d->cache, host, clock_us())) != NULL &&
	    e->state != DNS_RESOLVING) {
		d->stats.hits++;
		dns_waiter_answer(w, e);
		return DNS_DONE;
	}
	if (e != NULL) {
		dns_entry_wait(e, w);
		return DNS_PENDING;
	}
	e = dnscache_add(&d->cache, host);
	dns_entry_wait(e, w);
	dns_query_start(d, e);
	return DNS_PENDING;
}
