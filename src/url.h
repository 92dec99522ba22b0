/*
 * url.h: is an input line a URL cofetch may fetch?  Only http and https
 * are allowed; the parse is libcurl's own (CURLU), so what passes here is
 * what the transfer will see.
 */
#ifndef COFETCH_URL_H
#define COFETCH_URL_H

#include <stddef.h>

const char	*url_check(const char *, char *, size_t);

#endif
