/*
 * testd_dns.c: the test server's DNS stub (evdns, UDP), whose names under
 * .test say how to answer (testd.h lists them), and its count of the
 * queries seen per name.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/event.h>

#include "serve.h"
#include "testd.h"

#define DNS_FLAG_TC	0x200		/* the header's "truncated" bit */

struct dns_count *
dns_count_for(struct server *srv, const char *name)
{
	size_t	i;

	for (i = 0; i < srv->ndns; i++)
		if (strcasecmp(srv->dns[i].name, name) == 0)
			return &srv->dns[i];
	if (srv->ndns == DNS_NAMES_MAX)
		return NULL;
	snprintf(srv->dns[i].name, sizeof srv->dns[i].name, "%s", name);
	srv->dns[i].a = srv->dns[i].aaaa = 0;	/* a slot /stats/reset freed */
	return &srv->dns[srv->ndns++];
}

struct dns_late {
	struct evdns_server_request	*req;
	struct event			*ev;
};

static void
dns_late_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dns_late	*l = arg;

	(void)fd;
	(void)what;
	evdns_server_request_respond(l->req, 0);
	event_free(l->ev);
	free(l);
}

static int
dns_prefix(const char *name, const char *prefix)
{
	return strncasecmp(name, prefix, strlen(prefix)) == 0;
}

static int
dns_in_zone(const char *name)
{
	size_t	n = strlen(name);

	return n > 5 && strcasecmp(name + n - 5, ".test") == 0;
}

/*
 * The address policy's names (testd.h): answered here, or 0.  rebind's
 * first A query is its count's first.  One record per address: evdns
 * would put n addresses in one record's data.
 */
static int
dns_policy_answer(struct evdns_server_request *req,
    const struct evdns_server_question *q, const struct dns_count *c)
{
	static const unsigned char	two[8] = { 127, 0, 0, 2, 127, 0, 0, 1 };
	static const unsigned char	mapped[16] = { [10] = 0xff,
					    [11] = 0xff, [12] = 127, [15] = 1 };

	if (dns_prefix(q->name, "mixed")) {
		if (q->type == EVDNS_TYPE_A) {
			evdns_server_request_add_a_reply(req, q->name, 1, two,
			    300);
			evdns_server_request_add_a_reply(req, q->name, 1,
			    two + 4, 300);
		}
	} else if (dns_prefix(q->name, "rebind")) {
		if (q->type == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, q->name, 1,
			    c != NULL && c->a == 1 ? two + 4 : two, 1);
	} else if (dns_prefix(q->name, "mapped")) {
		if (q->type == EVDNS_TYPE_AAAA)
			evdns_server_request_add_aaaa_reply(req, q->name, 1,
			    mapped, 300);
	} else
		return 0;
	evdns_server_request_respond(req, 0);
	return 1;
}

/* The stub's answers; see testd.h. */
static void
dns_cb(struct evdns_server_request *req, void *arg)
{
	static const unsigned char	 v4[4] = { 127, 0, 0, 1 };
	static const unsigned char	 v6[16] = { [15] = 1 };
	struct server			*srv = arg;
	struct evdns_server_question	*q;
	struct dns_count		*c;
	struct dns_late			*l;
	struct timeval			 tv = { 0, 300000 };
	int				 ttl = 300;

	if (req->nquestions < 1) {
		evdns_server_request_respond(req, DNS_ERR_FORMAT);
		return;
	}
	q = req->questions[0];
	if ((c = dns_count_for(srv, q->name)) != NULL) {
		if (q->type == EVDNS_TYPE_A)
			c->a++;
		else if (q->type == EVDNS_TYPE_AAAA)
			c->aaaa++;
	}
	if (!dns_in_zone(q->name) || dns_prefix(q->name, "nx")) {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
		return;
	}
	if (dns_prefix(q->name, "drop")) {
		evdns_server_request_drop(req);
		return;
	}
	if (dns_prefix(q->name, "tc")) {
		/* Truncated, with no TCP port to retry on. */
		evdns_server_request_set_flags(req, DNS_FLAG_TC);
		if (q->type == EVDNS_TYPE_A && dns_prefix(q->name, "tcaddr"))
			evdns_server_request_add_a_reply(req, q->name, 1, v4,
			    ttl);
		evdns_server_request_respond(req, 0);
		return;
	}
	if (dns_policy_answer(req, q, c))
		return;
	if (sscanf(q->name, "ttl%d-", &ttl) != 1)
		ttl = 300;
	if (q->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, q->name, 1, v4, ttl);
	else if (q->type == EVDNS_TYPE_AAAA && dns_prefix(q->name, "v6"))
		evdns_server_request_add_aaaa_reply(req, q->name, 1, v6, ttl);
	if (!dns_prefix(q->name, "slow")) {
		evdns_server_request_respond(req, 0);
		return;
	}
	if ((l = calloc(1, sizeof *l)) == NULL)
		serve_fail("out of memory");
	l->req = req;
	l->ev = evtimer_new(srv->base, dns_late_cb, l);
	evtimer_add(l->ev, &tv);
}

int
dns_port(struct server *srv)
{
	struct sockaddr_in	sin = serve_loopback();
	int			fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		serve_fail("cannot bind the dns port");
	srv->dns_port = evdns_add_server_port_with_base(srv->base, fd, 0, dns_cb,
	    srv);
	if (srv->dns_port == NULL)
		serve_fail("evdns_add_server_port_with_base");
	return serve_port(fd);
}

void
dns_port_close(struct server *srv)
{
	evdns_close_server_port(srv->dns_port);
}
