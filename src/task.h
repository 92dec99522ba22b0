/*
 * task.h: one URL's fetch as a coroutine written as an explicit state
 * machine.  A task suspends by returning from task_step() after arranging
 * to be woken (a permit or start slot, a DNS answer, a finished transfer,
 * a timer); the scheduler that owns it registers what waking and
 * finishing mean in its task_env.
 */
#ifndef COFETCH_TASK_H
#define COFETCH_TASK_H

#include <stdint.h>
#include <sys/queue.h>

#include "bodysink.h"
#include "dnscache.h"
#include "gate.h"
#include "job.h"
#include "result.h"
#include "url.h"
#include "validators.h"

struct config;
struct dns;
struct doneset;
struct event;
struct event_base;
struct line;
struct request_line;
struct task;
struct urlset;
struct xfer;

enum task_state {
	TS_QUEUED,		/* admitted: waiting for its permits */
	TS_PACED,		/* permits held: waiting for its --rate slot */
	TS_RESOLVE,		/* find the host's addresses */
	TS_WAIT_DNS,		/* waiting for c-ares (dnsw.on != NULL) */
	TS_XFER,		/* transfer in flight, or just back */
	TS_BACKOFF,		/* failed, to be tried again: no permit held */
	TS_DONE			/* result final: report, free */
};

#define TASK_MEMORY_RETRIES 2	/* attempts again after running out */

/*
 * What tasks run on, the scheduler's: the services they use and the
 * run's state they read, and the two calls back up.  wake() puts a task
 * on the run queue (it must not step it); finished() takes a task whose
 * result is final, reports it and frees it.
 */
struct task_env {
	const struct config		*cfg;
	struct event_base		*base;
	struct gate			*gate;
	struct dns			*dns;
	struct xfer			*xfer;
	const struct bodysink_policy	*body;
	struct doneset			*done;		/* --skip-done, or NULL */
	struct urlset			*seen;		/* --unique, or NULL */
	struct validators		*validators;	/* --revalidate, or NULL */
	uint64_t			 rng;		/* backoff jitter */
	int64_t				 deadline;	/* --deadline; 0: none */
	int				 stopping;	/* no new attempts */
	uint64_t			 skipped;	/* lines --skip-done skipped */
	uint64_t			 repeats;	/* lines --unique skipped */
	void				(*wake)(struct task *);
	void				(*finished)(struct task *);
};

struct task {
	TAILQ_ENTRY(task)	 live;		/* the scheduler's list */
	TAILQ_ENTRY(task)	 ready;		/* the scheduler's run queue */
	int			 on_ready;
	enum task_state		 state;
	struct task_env		*env;
	struct gate_ticket	 ticket;
	char			*url;		/* as given, owned */
	char			*fetch_url;	/* url, or with the default
						   scheme in front (owned) */
	char			*hop_url;	/* this hop's: url, then each
						   redirect's (owned) */
	struct url_target	 target;	/* host and port to connect to */
	struct url_target	 origin;	/* the first hop's */
	struct request_line	*req;		/* jsonl's fields, owned */
	const char		*method;	/* NULL: GET (POST with body) */
	const char		*data;		/* request body; NULL: none */
	char			**hdrs;		/* the line's headers and the
						   validators (--revalidate) */
	size_t			 nhdrs;
	char			*cond[2];	/* If-None-Match, -Modified-Since */
	struct validator	 validator;	/* the last run's */
	int			 hops;
	int			 in_xfer;	/* the job is xfer's */
	char			*cancel_why;	/* a cancel waits for xfer */
	int			 memory_retries; /* of TASK_MEMORY_RETRIES */
	struct result		 res;
	struct dns_waiter	 dnsw;
	struct bodysink		 body;
	struct xfer_job		 job;
	struct event		*timer;		/* DNS's time out, or a backoff */
	int64_t			 t_admit;	/* line read, or re-queued */
	int64_t			 t_start;	/* permit granted: attempt starts */
	int64_t			 t_dns;		/* name lookup started */
};

struct task	*task_admit(struct task_env *, uint64_t, const struct line *);
struct task	*task_new(struct task_env *, uint64_t, const char *, size_t,
		    char *, struct request_line *);
const char	*task_target(struct task *, char *, size_t);
void		 task_bad(struct task *, const char *);
void		 task_validate(struct task *, const struct validator *);
void		 task_step(struct task *);
void		 task_cancel(struct task *, const char *);
void		 task_free(struct task *);
void		 task_drop(struct task *);

#endif
