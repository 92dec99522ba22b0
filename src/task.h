/*
 * task.h: one URL's fetch as a coroutine written as an explicit state
 * machine.  A task suspends by returning from task_step() after arranging
 * to be woken (a permit grant, a finished transfer, a cancel).
 */
#ifndef COFETCH_TASK_H
#define COFETCH_TASK_H

#include <stdint.h>
#include <sys/queue.h>

#include "dnscache.h"
#include "html.h"
#include "preview.h"
#include "result.h"
#include "save.h"
#include "sema.h"
#include "url.h"

struct event;
struct request_line;
struct sched;
struct xfer_shard;

enum task_state {
	TS_QUEUED,		/* admitted: waiting for its permits */
	TS_PACED,		/* permits held: waiting for its --rate slot */
	TS_RESOLVE,		/* find the host's addresses */
	TS_WAIT_DNS,		/* waiting for c-ares (dnsw.on != NULL) */
	TS_XFER,		/* transfer in flight (easy != NULL) */
	TS_BACKOFF,		/* failed, to be tried again: no permit held */
	TS_DONE			/* result final: emit, release, free */
};

#define TASK_ERRBUF	256	/* libcurl's CURL_ERROR_SIZE */
#define TASK_MEMORY_RETRIES 2	/* attempts again after running out */

/* Known from a hop's first body bytes: whether the output takes them. */
enum hop_body {
	HOP_BODY_NONE,		/* no body bytes yet */
	HOP_BODY_DRAINED,	/* a redirect to follow: read, not kept */
	HOP_BODY_KEPT		/* the body the result describes */
};

struct task {
	TAILQ_ENTRY(task)	 live;		/* the scheduler's list */
	TAILQ_ENTRY(task)	 ready;		/* the scheduler's run queue */
	int			 on_ready;
	enum task_state		 state;
	struct sched		*sched;
	struct sema_waiter	 permit;	/* the host's, then the -j one */
	int			 has_permit;	/* -j */
	struct host		*host;		/* --per-host: referenced */
	int			 has_host_permit;
	TAILQ_ENTRY(task)	 pace;		/* the --rate queue */
	int			 pacing;	/* on it */
	int			 paced;		/* its start slot came */
	char			*url;		/* as given, owned */
	char			*hop_url;	/* this hop's URL: url, then
						   each redirect's (owned) */
	struct url_target	 target;	/* host and port to connect to */
	struct url_target	 origin;	/* the first hop's */
	char			*location;	/* where this hop redirects */
	struct request_line	*req;		/* jsonl's fields, owned */
	const char		*method;	/* NULL: GET (POST with body) */
	const char		*data;		/* request body; NULL: none */
	int			 hops;
	struct preview		*preview;	/* -f head or -n: first lines */
	struct html		*html;		/* json's title, head's charset */
	enum hop_body		 hop_body;	/* what this hop's body is */
	struct buf		*headers;	/* --with-headers: this hop's */
	struct body		*content;	/* -f body: this attempt's body */
	struct saved		*file;		/* -o: where it is being saved */
	char			*io_error;	/* why content or file failed */
	int			 stopped;	/* the body was cut on purpose */
	uint64_t		 decode_left;	/* of --max-decoded, this hop */
	int			 over_decoded;	/* past --max-decoded */
	int			 out_of_memory;	/* this attempt's failure */
	int			 memory_retries; /* of TASK_MEMORY_RETRIES */
	struct result		 res;
	struct dns_waiter	 dnsw;
	struct event		*timer;		/* DNS's time out, or a backoff */
	int64_t			 retry_after;	/* seconds the response asked */
	void			*easy;		/* CURL *, owned by xfer */
	struct xfer_shard	*shard;		/* the multi handle it is in */
	int			 in_multi;	/* easy is in it: the shard
						   thread's to know */
	int			 cut;		/* stopped by xfer_abort */
	char			*cancel_why;	/* why xfer_abort was asked */
	void			*resolve;	/* curl_slist, owned by xfer */
	struct host		*resolve_entry;	/* its host:port, xfer's */
	void			*hop_headers;	/* curl_slist for jsonl's, xfer's */
	int64_t			 t_admit;	/* line read */
	int64_t			 t_start;	/* permit granted: attempt starts */
	int64_t			 t_dns;		/* name lookup started */
	int64_t			 t_xfer;	/* transfer started */
	char			 errbuf[TASK_ERRBUF];
};

struct task	*task_new(struct sched *, uint64_t, const char *, size_t);
void		 task_free(struct task *);
void		 task_set_request(struct task *, struct request_line *);
void		 task_step(struct task *);
void		 task_cancel(struct task *, const char *);
int		 task_foreign_hop(const struct task *);
const struct url_target *task_connects_to(const struct task *);

#endif
