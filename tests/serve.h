/*
 * serve.h: what the test servers (testd, delayd) share: failing with a
 * message, the loopback address, the open-file limit, the port file, an
 * event loop with a precise clock, and the loop that ends on SIGTERM or
 * when the server's lifetime is up.
 */
#ifndef COFETCH_SERVE_H
#define COFETCH_SERVE_H

#include <netinet/in.h>

struct event_base;

void	serve_fail(const char *) __attribute__((noreturn));
void	serve_raise_nofile(void);
struct sockaddr_in serve_loopback(void);
int	serve_port(int);
void	serve_portfile(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
struct event_base *serve_base(void);
void	serve_loop(struct event_base *, long);

#endif
