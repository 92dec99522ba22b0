/*
 * conf.h: the run's settings, as opts.c read them from the command line.
 * Pure data: every layer reads it, only opts.c writes it.
 */
#ifndef COFETCH_CONF_H
#define COFETCH_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "addrpolicy.h"
#include "format.h"
#include "shard.h"

struct url_target;

/* --progress, --no-progress, or neither: when stderr is a terminal. */
enum conf_progress {
	CONF_PROGRESS_AUTO,
	CONF_PROGRESS_ON,
	CONF_PROGRESS_OFF
};

/* --http1.1, --http2, or neither. */
enum conf_http {
	CONF_HTTP_ANY,		/* HTTP/2 negotiated over TLS */
	CONF_HTTP_1_1,
	CONF_HTTP_2
};

struct config {
	unsigned	  jobs;			/* -j: tasks in flight */
	int64_t		  timeout_ms;		/* -t: one attempt */
	int64_t		  connect_timeout_ms;
	int64_t		  deadline_ms;		/* --deadline; 0: none */
	int		  fail_fast;
	int		  merge;		/* --merge FILE... */
	uint64_t	  max_failures;		/* --max-failures N, or ... */
	uint32_t	  max_failures_ppm;	/* P%, in millionths; or
						   CONF_FAILURES_BY_COUNT */
	unsigned	  per_host;		/* --per-host; 0: no cap */
	int		  threads;		/* --threads; -1: by -j and CPUs */
	int64_t		  pace_us;		/* --rate: between starts; 0: none */
	int64_t		  per_host_pace_us;	/* --per-host-rate, likewise */
	int		  no_host_backoff;	/* --no-host-backoff */
	unsigned	  retries;		/* --retries */
	uint64_t	  retry_on[10];		/* --retry-on: status bits 0-639 */
	const char	 *skip_done;		/* --skip-done FILE */
	int		  unique;		/* --unique */
	const char	 *proto_default;	/* --proto-default: http, https */
	int		  jsonl;		/* --input-format jsonl */
	uint64_t	  shard_k;		/* --shard K/N: keep index */
	uint64_t	  shard_n;		/*   i % N == K - 1; N 0: all */
	enum shard_by	  shard_by;		/* --shard-by */
	char		 *shard_from;		/* --shard auto: whence */
	int		  keep_order;		/* -k */
	size_t		  window;		/* -k reorder window */
	enum format	  format;
	size_t		  lines;		/* -n: preview lines */
	int		  lines_given;		/* -n was given: json "head" */
	uint64_t	  max_bytes;		/* --max-bytes; 0: no bound */
	uint64_t	  max_decoded;		/* --max-decoded; 0: no bound */
	int		  with_headers;		/* json "headers" */
	int		  with_chain;		/* json "chain" */
	int		  with_body;		/* json "body": an enum result_body */
	int		  hash_sha256;		/* --hash sha256 */
	const char	 *revalidate;		/* --revalidate FILE */
	int		  title_only;		/* stop once the title is in */
	const char	 *output_dir;		/* -o */
	enum conf_progress progress;
	int		  quiet;
	int		  verbose;
	int		  follow;
	long		  max_redirects;
	const char	 *method;		/* -X; NULL: GET, or POST with -d */
	const char	 *data;			/* -d */
	const char	 *user_agent;		/* -A; NULL: cofetch/VERSION */
	const char	**headers;		/* -H "K: V" */
	size_t		  nheaders;
	enum conf_http	  http_version;
	int		  insecure;
	const char	 *cacert;
	const char	 *proxy;
	struct url_target *proxy_target;	/* where --proxy connects, owned */
	const char	 *dns_servers;		/* c-ares "ip[:port],..." */
	int64_t		  dns_timeout_ms;
	const char	**resolves;		/* --resolve HOST:PORT:ADDRS */
	size_t		  nresolves;
	struct addrpolicy addrpolicy;		/* --deny-*, --allow-* */
	char		**urls;			/* URL arguments, in argv */
	size_t		  nurls;
	const char	**inputs;		/* -i sources, in order */
	size_t		  ninputs;
};

#define CONF_FAILURES_BY_COUNT	UINT32_MAX

/*
 * Whether notok results of all those written are few enough for exit
 * status 0 (--max-failures); results stay far below 2^64 / 10^6.
 */
static inline int
conf_failures_allowed(const struct config *c, uint64_t notok,
    uint64_t results)
{
	if (c->max_failures_ppm == CONF_FAILURES_BY_COUNT)
		return notok <= c->max_failures;
	return notok * 1000000 <= (uint64_t)c->max_failures_ppm * results;
}

/* Whether --retry-on counts this HTTP status as transient. */
static inline int
conf_retry_status(const struct config *c, long status)
{
	if (status < 0 || status >= 640)
		return 0;
	return (c->retry_on[status / 64] >> (status % 64)) & 1;
}

#endif
