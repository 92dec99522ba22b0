/*
 * testd_tls.c: the test server's HTTPS port, the HTTP routes over TLS
 * with the certificate and key given by -c and -k.
 */
#include <openssl/ssl.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>

#include "serve.h"
#include "testd.h"

/* The TLS port's connections: one SSL bufferevent each. */
static struct bufferevent *
https_bev_cb(struct event_base *base, void *arg)
{
	struct server	*srv = arg;
	SSL		*ssl;

	srv->connections++;
	if ((ssl = SSL_new(srv->tls)) == NULL)
		return NULL;
	return bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

int
https_port(struct server *srv, const char *cert, const char *key)
{
	struct evhttp_bound_socket	*hs;

	if ((srv->tls = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_use_certificate_chain_file(srv->tls, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(srv->tls, key, SSL_FILETYPE_PEM) != 1)
		serve_fail("cannot load the TLS certificate and key");
	if ((srv->https = evhttp_new(srv->base)) == NULL)
		serve_fail("evhttp_new");
	evhttp_set_gencb(srv->https, http_dispatch, srv);
	evhttp_set_bevcb(srv->https, https_bev_cb, srv);
	evhttp_set_timeout(srv->https, 600);
	hs = evhttp_bind_socket_with_handle(srv->https, "127.0.0.1", 0);
	if (hs == NULL)
		serve_fail("cannot bind the https port");
	return serve_port(evhttp_bound_socket_get_fd(hs));
}

/* Frees the TLS port, if there is one. */
void
https_port_close(struct server *srv)
{
	if (srv->https != NULL)
		evhttp_free(srv->https);
	if (srv->tls != NULL)
		SSL_CTX_free(srv->tls);
}
