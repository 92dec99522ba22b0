/*
 * testd.h: what the parts of cofetch's test server share: its state and
 * counters, the HTTP replies the routes build on, and each port's opening
 * and closing.  The server, for test writers:
 *
 * testd binds ephemeral ports on loopback, writes them to a port file
 * ("http N", "raw N", "blackhole N", "dns N", and "https N" when given
 * -c CERT -k KEY), and serves until SIGTERM or its lifetime (-l, default
 * 300 s) ends.
 *
 * https serves the same routes as http over TLS.  A request whose target
 * is an absolute URL (a client using us as its HTTP proxy) is served as
 * its path and counted as "proxied" in /stats.
 *
 * http (evhttp): / (a home page) /status/N[?ra=SECONDS] /bytes/N /cond/ID[?weak&two&ctl&badlm&
 *   noetag&nolm] /cond-change/N/G /stats/cond /lines/N /delay/MS[/x] /drip/N/MS
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
 * second (testd_second.c): the http port's number on 127.0.0.2 too, the
 *   same routes; /stats/second counts its connections and requests.
 * dns (UDP, evdns): names under .test answer 127.0.0.1, and the name says
 *   how: nx* NXDOMAIN, drop* never answered, slow* 300 ms late, tc*
 *   truncated (and no TCP to retry on; tcaddr* with an address), ttlN-*
 *   TTL N seconds (default 300), v6* also AAAA ::1; for the address
 *   policy, mixed* 127.0.0.2 and 127.0.0.1, rebind* 127.0.0.1 to its
 *   first A query and 127.0.0.2 to every later one (TTL 1 s: cofetch
 *   takes TTL 0 for a hosts file's), mapped* only AAAA ::ffff:127.0.0.1.
 *   Other names: NXDOMAIN.
 *
 * /stats reports requests in flight now and at peak, requests served and
 * connections accepted; /stats/hosts the same per Host header for
 * /hostdelay; /stats/arrivals when each request came, in ms since the
 * last /stats/reset (/stats/arrivals/hosts: the same by Host header,
 * {"HOST": [MS, ...]}); /flaky/KEY fails the first N requests for KEY;
 * /dns/NAME the A and AAAA queries seen for NAME; /seen/KEY what the last
 * /echo/KEY request was (method, headers, body).
 * Tests read the server's view of cofetch there.
 */
#ifndef COFETCH_TESTD_H
#define COFETCH_TESTD_H

#include <stddef.h>
#include <time.h>

#define DNS_NAMES_MAX	4096
#define ECHO_KEYS_MAX	256
#define HOSTS_MAX	64
#define FLAKY_MAX	256
#define ARRIVALS_MAX	100000

struct event_base;
struct evbuffer;
struct evconnlistener;
struct evdns_server_port;
struct evhttp;
struct evhttp_request;
struct ssl_ctx_st;			/* OpenSSL's SSL_CTX */

struct echo_seen {
	char	key[64];
	char	text[1024];
};

struct host_count {
	char	name[128];
	long	inflight, peak, requests;
};

/* When a request came (ms since t_reset), and for which Host. */
struct arrival {
	long	ms;
	int	host;		/* in arrival_hosts, or -1 */
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
	unsigned long long	 endless_bytes;
	long			 cond_changed, cond_gen;	/* /cond */
	long			 cond_200, cond_304, cond_inm, cond_ims;
	struct dns_count	*dns;
	size_t			 ndns;
	struct echo_seen	*seen;
	size_t			 nseen;
	struct host_count	 hosts[HOSTS_MAX];
	size_t			 nhosts;
	struct flaky		 flaky[FLAKY_MAX];
	size_t			 nflaky;
	struct arrival		*arrivals;
	size_t			 narrivals;
	char			 arrival_hosts[HOSTS_MAX][128];	/* Host names */
	size_t			 narrival_hosts;
	struct timespec		 t_reset;
	struct evhttp		*http;
	struct evhttp		*https;
	struct ssl_ctx_st	*tls;
	struct evconnlistener	*raw;
	struct evdns_server_port *dns_port;
	struct evhttp		*second;	/* 127.0.0.2, same port */
	long			 second_connections, second_requests;
};

/* What a route's pattern took from the path (see testd_http.c). */
struct route_args {
	long		 n[2];		/* its numbers, in order */
	const char	*rest;		/* the path after the pattern */
};

/* testd_cond.c: resources with validators. */
void	route_cond(struct server *, struct evhttp_request *,
	    const struct route_args *);
void	route_cond_change(struct server *, struct evhttp_request *,
	    const struct route_args *);
void	route_stats_cond(struct server *, struct evhttp_request *,
	    const struct route_args *);

/* testd_http.c: the routes, over plain HTTP or TLS. */
int	http_port(struct server *);
void	http_port_close(struct server *);
void	http_dispatch(struct evhttp_request *, void *);
void	content_type(struct evhttp_request *, const char *);
void	reply_buffer(struct server *, struct evhttp_request *, int,
	    struct evbuffer *);
void	reply_str(struct server *, struct evhttp_request *, int,
	    const char *);

/* testd_gzip.c: gzip bodies made by hand and by zlib. */
void	route_gzip(struct server *, struct evhttp_request *,
	    const struct route_args *);
void	route_bomb(struct server *, struct evhttp_request *,
	    const struct route_args *);

/* testd_tls.c */
int	https_port(struct server *, const char *, const char *);
void	https_port_close(struct server *);

/* testd_raw.c */
int	raw_port(struct server *);
void	raw_port_close(struct server *);
int	blackhole_port(void);

/* testd_second.c */
void	second_port(struct server *, int);
void	second_port_close(struct server *);
void	route_stats_second(struct server *, struct evhttp_request *,
	    const struct route_args *);

/* testd_dns.c */
int	dns_port(struct server *);
void	dns_port_close(struct server *);
struct dns_count *dns_count_for(struct server *, const char *);

#endif
