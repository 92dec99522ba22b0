/*
 * testd_second.c: the plain HTTP port's second address, 127.0.0.2 on the
 * same port number with the same routes, its connections and requests
 * counted apart (/stats/second), so a test can tell which of a name's
 * addresses a client connected to.
 */
#include <stdio.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "serve.h"
#include "testd.h"

static void
second_dispatch(struct evhttp_request *req, void *arg)
{
	struct server	*srv = arg;

	srv->second_requests++;
	http_dispatch(req, srv);
}

static struct bufferevent *
second_bev_cb(struct event_base *base, void *arg)
{
	struct server	*srv = arg;

	srv->second_connections++;
	return bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

/* Opens 127.0.0.2:port, port being the plain HTTP port's. */
void
second_port(struct server *srv, int port)
{
	if ((srv->second = evhttp_new(srv->base)) == NULL)
		serve_fail("evhttp_new");
	evhttp_set_gencb(srv->second, second_dispatch, srv);
	evhttp_set_bevcb(srv->second, second_bev_cb, srv);
	evhttp_set_timeout(srv->second, 600);
	if (evhttp_bind_socket(srv->second, "127.0.0.2", (ev_uint16_t)port) !=
	    0)
		serve_fail("cannot bind the http port on 127.0.0.2");
}

void
second_port_close(struct server *srv)
{
	evhttp_free(srv->second);
}

/* /stats/second: what came to 127.0.0.2, since the server started. */
void
route_stats_second(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	char	body[128];

	(void)a;
	snprintf(body, sizeof body, "{\"connections\":%ld,\"requests\":%ld}\n",
	    srv->second_connections, srv->second_requests);
	srv->inflight++;		/* reply() counts it out */
	reply_str(srv, req, 200, body);
}
