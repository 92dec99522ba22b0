/*
 * job.h: one transfer, as its caller hands it to xfer.c and gets it back.
 * The caller fills the request, xfer fills the result and the outcome,
 * and calls done() on the main thread once it is the caller's again.
 * The job is embedded in its caller (a task), which finds itself back
 * from it with CONTAINER_OF, the way libcurl's multi hands back only
 * CURLOPT_PRIVATE.
 */
#ifndef COFETCH_JOB_H
#define COFETCH_JOB_H

#include <stddef.h>
#include <stdint.h>

#define JOB_ERRBUF	256	/* libcurl's CURL_ERROR_SIZE */

struct bodysink;
struct easy_pool;
struct hostmap_entry;
struct result;
struct xfer_shard;

/* xfer's own, between xfer_start() and done(). */
struct xfer_job_priv {
	void			*easy;		/* CURL *, pooled */
	struct easy_pool	*pool;		/* whose handle it is */
	struct xfer_shard	*shard;		/* the multi handle it is in */
	int			 in_multi;	/* the shard thread's to know */
	int			 aborting;	/* xfer_abort() on its way */
	int			 closes;	/* its connection is not kept */
	void			*resolve;	/* curl_slist for RESOLVE */
	struct hostmap_entry	*entry;		/* its host:port's, referenced */
	void			*headers;	/* curl_slist, a line's own */
	int64_t			 started;	/* the transfer's start */
	char			 errbuf[JOB_ERRBUF];
};

struct xfer_job {
	/* The request, the caller's; unchanged until done(). */
	const char		*url;
	const char		*method;	/* NULL: GET, or POST with data */
	const char		*data;		/* the body; NULL: none */
	char *const		*headers;	/* the input line's own, or NULL */
	size_t			 nheaders;
	int			 foreign;	/* another host:port than the
						   first hop's: no credentials */
	const char		*host;		/* where it connects: the URL's, */
	long			 port;		/*   or the proxy's */
	int			 host_alone;	/* no other task to host:port */
	int			 https;		/* the URL's scheme */
	const char		*addrs;		/* "a,[b]" from DNS; NULL: the
						   host is an IPv6 literal */
	int64_t			 began;		/* the attempt's start: -t and
						   the times count from it */
	int			 hops;		/* redirects taken before */
	struct bodysink		*body;		/* where the response goes */
	void			(*done)(struct xfer_job *); /* may only wake */

	/*
	 * What it came to: res (the caller's record) gets the status, times
	 * (but queued and dns), error and message, HTTP version, type,
	 * effective URL, bytes, and what the body sink shows.
	 */
	struct result		*res;
	char			*location;	/* a redirect to follow, owned */
	int64_t			 retry_after;	/* seconds the response asked */
	int			 cut;		/* stopped by xfer_abort() */
	int			 out_of_memory;	/* why it failed, if it did */

	struct xfer_job_priv	 priv;
};

#endif
