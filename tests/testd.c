/*
 * testd.c: cofetch's test server, on loopback only (testd.h says what it
 * serves): opens its ports, writes them to the port file and serves until
 * SIGTERM or the end of its lifetime.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "serve.h"
#include "testd.h"

#define TESTD_USAGE	"usage: testd -p PORTFILE [-l SECONDS] [-c CERT -k KEY]"

int
main(int argc, char **argv)
{
	struct server	 srv;
	const char	*portfile = NULL, *cert = NULL, *key = NULL;
	char		 https[32] = "";
	long		 lifetime = 300;
	int		 http, raw, ch;

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
	http = http_port(&srv);
	second_port(&srv, http);
	raw = raw_port(&srv);
	if (cert != NULL)
		snprintf(https, sizeof https, "https %d\n",
		    https_port(&srv, cert, key));
	serve_portfile(portfile, "http %d\nraw %d\nblackhole %d\ndns %d\n%s",
	    http, raw, blackhole_port(), dns_port(&srv), https);
	serve_loop(srv.base, lifetime);
	raw_port_close(&srv);
	dns_port_close(&srv);
	http_port_close(&srv);
	second_port_close(&srv);
	https_port_close(&srv);
	event_base_free(srv.base);
	free(srv.dns);
	free(srv.seen);
	free(srv.arrivals);
	return 0;
}
