/*
 * serve.c: what the test servers (testd, delayd) share: failing with a
 * message, the loopback address, the open-file limit, the port file and
 * the loop that ends on SIGTERM or when the server's lifetime is up.
 */
#include "config.h"
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "serve.h"

void
serve_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, what);
	exit(1);
}

/* A client at -j 10000 needs as many connections at once. */
void
serve_raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* 127.0.0.1, any port: the servers listen on loopback only. */
struct sockaddr_in
serve_loopback(void)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

/* The port a bound socket listens on. */
int
serve_port(int fd)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;

	if (getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		serve_fail("getsockname");
	return ntohs(sin.sin_port);
}

/* Written whole, then renamed: a test polling for the file never reads half. */
void
serve_portfile(const char *path, const char *fmt, ...)
{
	char	tmp[4096];
	FILE	*f;
	va_list	ap;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		serve_fail("cannot write the port file");
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		serve_fail("cannot write the port file");
}

static void
serve_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopexit(arg, NULL);
}

/*
 * libevent's default clock is coarse (~4 ms), and its cached time is from
 * before a pass's reads: a delay armed late in a busy pass would end
 * early by that much.  Callers refresh the cache before arming one.
 */
struct event_base *
serve_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		serve_fail("event_config_new");
	event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL)
		serve_fail("event_base_new");
	return base;
}

/* Serves until SIGTERM or until seconds have passed. */
void
serve_loop(struct event_base *base, long seconds)
{
	struct timeval	 tv = { seconds, 0 };
	struct event	*life, *term;

	life = evtimer_new(base, serve_stop_cb, base);
	term = evsignal_new(base, SIGTERM, serve_stop_cb, base);
	if (life == NULL || term == NULL)
		serve_fail("cannot create the stop events");
	evtimer_add(life, &tv);
	evsignal_add(term, NULL);
	event_base_dispatch(base);
	event_free(life);
	event_free(term);
}
