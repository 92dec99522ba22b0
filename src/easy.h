/*
 * easy.h: libcurl easy handles for jobs: a pool of them set up once with
 * what every transfer shares, each job's own options, the callbacks
 * that feed its body sink, and the CURLOPT_RESOLVE entries that carry
 * the addresses cofetch resolved.
 */
#ifndef COFETCH_EASY_H
#define COFETCH_EASY_H

#include <stddef.h>

#include <curl/curl.h>

#include "hostmap.h"

struct config;
struct xfer_job;

/*
 * The RESOLVE entries a multi handle's DNS cache holds for live
 * transfers, and those no live transfer needs any more, to be dropped
 * with the next transfer's list.  The main thread's.
 */
struct easy_resolves {
	struct hostmap		 entries;
	struct curl_slist	*forget;	/* "-host:port" lines */
};

struct easy_pool	*easy_pool_new(const struct config *);
void			 easy_pool_free(struct easy_pool *);
CURL			*easy_get(struct easy_pool *);
void			 easy_put(struct easy_pool *, CURL *,
			    const struct xfer_job *);
void			 easy_limit(struct easy_pool *, size_t);
CURLcode		 easy_setup(struct easy_pool *, CURL *,
			    struct xfer_job *, struct easy_resolves *, long);
void			 easy_keep_connection(struct xfer_job *, int);
void			 easy_finish(struct xfer_job *,
			    struct easy_resolves *);
unsigned long		 easy_curl_resolves(const struct easy_pool *);
void			 easy_resolves_init(struct easy_resolves *);
void			 easy_resolves_free(struct easy_resolves *);

#endif
