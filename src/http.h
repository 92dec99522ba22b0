/*
 * http.h: the few facts of HTTP that more than one module decides on:
 * what a token is, which statuses redirect and how, what kind of method a
 * request uses.  Pure.
 */
#ifndef COFETCH_HTTP_H
#define COFETCH_HTTP_H

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_OTHER
};

int			http_token(const char *);
int			http_redirects(long);
int			http_redirect_keeps_method(long);
enum http_method	http_method_kind(const char *);
int			http_idempotent(const char *, int);

#endif
