/*
 * xfer.c: where transfers run.  Spreads jobs over multi handles (curlm.c)
 * and, past -j 1000 on several CPUs, over transfer threads, each with its
 * own event loop, so connects, sends, receives and libcurl's parsing use
 * every core.  The main thread keeps everything else (the easy-handle
 * pool, easy.c, included) and hands a job over whole: it sets the handle
 * up and posts it (XOP_START); the thread adds it, runs it, fills the
 * job's result (outcome.c), removes it and posts it back (to done_box);
 * only then does the main thread touch the job again.  Without threads
 * the same steps run in place.
 *
 * A job gets its easy handle only once its task holds a permit, so curl's
 * own timeouts never count time spent waiting for one.
 */
#include "config.h"

#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "clock.h"
#include "conf.h"
#include "curlm.h"
#include "easy.h"
#include "hostmap.h"
#include "job.h"
#include "loop.h"
#include "mbox.h"
#include "msg.h"
#include "outcome.h"
#include "result.h"
#include "xfer.h"
#include "xmalloc.h"

/*
 * libcurl 7.88 walks a multi handle's whole connection cache when a
 * transfer ends, so one multi handle with thousands of transfers spends
 * its time there.  Past XFER_SHARD_MAX transfers they are spread over
 * several, each with its own timer, socket events and DNS entries
 * (CURLOPT_RESOLVE lands in the multi handle's cache); a new transfer
 * goes to its host:port's, or when that one is full to the least busy.
 */
#define XFER_SHARD_MAX	1000

/*
 * A transfer thread's stack.  Its deepest calls are libcurl's and
 * OpenSSL's; glibc's default, the stack ulimit (8 MiB), would count
 * against ulimit -v many times over what the thread uses.
 */
#define XFER_STACK	(512u << 10)

/* What one thread asks of another (an mbox_msg's kind). */
enum xfer_op {
	XOP_START,		/* add the job's easy handle and run it */
	XOP_ABORT,		/* stop the job's transfer, if still running */
	XOP_MAXCONNECTS,	/* keep at most n idle connections */
	XOP_STOP,		/* end the transfer thread */
	XOP_DONE		/* to the main thread: the job is back */
};

/*
 * An abort crosses a transfer that has just finished: the thread then
 * answers the XOP_ABORT with one of its own, after the XOP_DONE, and the
 * main thread holds the job until that answer, so that no message to the
 * thread is left pointing at a job that is gone.
 */

struct xfer_worker {
	pthread_t		 thread;
	int			 running;
	struct xfer		*x;
	struct event_base	*base;
	struct mbox		*inbox;
	struct mbox_out		*to_worker;	/* the main thread's */
	struct mbox_out		*to_main;	/* the thread's */
};

struct xfer_shard {
	struct xfer		*x;
	struct xfer_worker	*worker;	/* NULL: the main thread's */
	struct curlm		*cm;		/* its thread's */
	/* The main thread's: */
	unsigned		 added;		/* jobs in it */
	struct easy_resolves	 resolves;
};

struct xfer {
	struct event_base	*base;
	const struct config	*cfg;
	struct xfer_shard	*shards;
	size_t			 nshards;
	struct xfer_worker	*workers;
	size_t			 nworkers;
	struct mbox		*done_box;	/* XOP_DONE, to the main thread */
	struct easy_pool	*pool;
};

static void	xfer_back(struct xfer_shard *, enum xfer_op, struct xfer_job *);
static void	xfer_send(struct xfer_shard *, enum xfer_op, struct xfer_job *,
		    long);

/*
 * The job goes back to the main thread: XOP_DONE, its result filled, or
 * XOP_ABORT, the answer to an abort that came too late.
 */
static void
xfer_answer(struct xfer_shard *sh, enum xfer_op op, struct xfer_job *j)
{
	struct mbox_msg	m = { op, sh, j, 0 };

	if (sh->worker == NULL)
		xfer_back(sh, op, j);
	else
		mbox_out_post(sh->worker->to_main, &m);
}

/* The thread's half of ending a transfer: out of its multi handle. */
static void
xfer_detach(struct xfer_shard *sh, struct xfer_job *j)
{
	curlm_remove(sh->cm, j->priv.easy);
	j->priv.in_multi = 0;
}

/* A transfer of the shard's multi handle ended (curlm's callback). */
static void
xfer_finished(void *arg, CURL *e, CURLcode rc)
{
	struct xfer_shard	*sh = arg;
	struct xfer_job		*j;
	char			*priv;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
	j = (struct xfer_job *)(void *)priv;
	outcome_collect(j, e);
	outcome_classify(j, rc);
	xfer_detach(sh, j);
	xfer_answer(sh, XOP_DONE, j);
}

static void
xfer_add(struct xfer_shard *sh, struct xfer_job *j)
{
	CURLMcode	rc;

	easy_keep_connection(j, curlm_full(sh->cm));
	if ((rc = curlm_add(sh->cm, j->priv.easy)) == CURLM_OK) {
		j->priv.in_multi = 1;
		return;
	}
	j->out_of_memory = rc == CURLM_OUT_OF_MEMORY;
	result_fail(j->res, ERR_OTHER, "cannot start: %s",
	    curl_multi_strerror(rc));
	xfer_answer(sh, XOP_DONE, j);
}

/*
 * Stops a transfer still in its multi handle; one that finished first
 * keeps its result.
 */
static void
xfer_cut(struct xfer_shard *sh, struct xfer_job *j)
{
	if (!j->priv.in_multi) {
		xfer_answer(sh, XOP_ABORT, j);
		return;
	}
	outcome_cut(j, j->priv.easy);
	xfer_detach(sh, j);
	xfer_answer(sh, XOP_DONE, j);
}

/* What the thread that runs the shard was asked. */
static void
xfer_do(struct xfer_shard *sh, enum xfer_op op, struct xfer_job *j, long n)
{
	switch (op) {
	case XOP_START:
		xfer_add(sh, j);
		break;
	case XOP_ABORT:
		xfer_cut(sh, j);
		break;
	case XOP_MAXCONNECTS:
		curlm_max_connects(sh->cm, n);
		break;
	case XOP_STOP:
	case XOP_DONE:
		break;
	}
}

/* Asks the shard's thread; without threads, does it here and now. */
static void
xfer_send(struct xfer_shard *sh, enum xfer_op op, struct xfer_job *j, long n)
{
	struct mbox_msg	m = { op, sh, j, n };

	if (sh->worker == NULL)
		xfer_do(sh, op, j, n);
	else
		mbox_out_post(sh->worker->to_worker, &m);
}

/*
 * A transfer thread's last act: its shards' idle connections close here,
 * on every thread at once.  A shard still running a transfer is left to
 * the main thread, which drops the transfer first.
 */
static void
xfer_worker_stop(struct xfer_worker *w)
{
	struct xfer	*x = w->x;
	size_t		 i;

	for (i = 0; i < x->nshards; i++)
		if (x->shards[i].worker == w &&
		    curlm_running(x->shards[i].cm) == 0)
			curlm_close(x->shards[i].cm);
	event_base_loopbreak(w->base);
}

/* A transfer thread's batch of requests from the main thread. */
static void
xfer_worker_cb(const struct mbox_msg *m, size_t n, void *arg)
{
	struct xfer_worker	*w = arg;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (m[i].kind == XOP_STOP) {
			xfer_worker_stop(w);
			return;
		}
		xfer_do(m[i].to, m[i].kind, m[i].what, m[i].n);
	}
}

/* The main thread's half: what the job held goes back. */
static void
xfer_release(struct xfer *x, struct xfer_job *j)
{
	struct xfer_shard	*sh = j->priv.shard;

	sh->added--;
	j->priv.shard = NULL;
	easy_put(x->pool, j->priv.easy, j);
	j->priv.easy = NULL;
	easy_finish(j, &sh->resolves);
}

/* A job back in the main thread; held while an abort is unanswered. */
static void
xfer_back(struct xfer_shard *sh, enum xfer_op op, struct xfer_job *j)
{
	if (op == XOP_DONE && j->priv.aborting && !j->cut)
		return;
	xfer_release(sh->x, j);
	j->done(j);
}

static void
xfer_done_cb(const struct mbox_msg *m, size_t n, void *arg)
{
	size_t	i;

	(void)arg;
	for (i = 0; i < n; i++)
		xfer_back(m[i].to, m[i].kind, m[i].what);
}

/*
 * Its host:port's shard while that one has room: only the transfers of
 * the multi handle that keeps a connection reuse it (docs/PERFORMANCE.md).
 */
static struct xfer_shard *
xfer_shard_pick(struct xfer *x, const struct xfer_job *j)
{
	struct xfer_shard	*best;
	size_t			 i;

	best = &x->shards[hostmap_hash(j->host, j->port) % x->nshards];
	if (best->added < XFER_SHARD_MAX)
		return best;
	for (i = 0; i < x->nshards; i++)
		if (x->shards[i].added < best->added)
			best = &x->shards[i];
	return best;
}

/* The job fails before it starts; done() follows at once. */
static void
xfer_refuse(struct xfer_job *j, enum err_kind kind, int oom, const char *why)
{
	j->out_of_memory = oom;
	result_fail(j->res, kind, "%s", why);
	j->done(j);
}

/*
 * Starts the job, with what is left of its attempt's -t; done() follows,
 * maybe before this returns.
 */
void
xfer_start(struct xfer *x, struct xfer_job *j)
{
	struct xfer_shard	*sh;
	CURL			*e;
	long			 budget_ms;
	CURLcode		 crc;
	char			 why[256];

	j->cut = 0;
	j->priv.aborting = 0;
	j->priv.errbuf[0] = '\0';
	j->priv.started = clock_us();
	budget_ms = (long)(x->cfg->timeout_ms -
	    (j->priv.started - j->began) / 1000);
	if (budget_ms <= 0) {
		xfer_refuse(j, ERR_TIMEOUT, 0, "no time left to start");
		return;
	}
	if ((e = easy_get(x->pool)) == NULL) {
		xfer_refuse(j, ERR_OTHER, 1, "cannot start: out of memory");
		return;
	}
	j->priv.easy = e;
	sh = j->priv.shard = xfer_shard_pick(x, j);
	sh->added++;
	if ((crc = easy_setup(x->pool, e, j, &sh->resolves, budget_ms)) ==
	    CURLE_OK) {
		xfer_send(sh, XOP_START, j, 0);
		return;
	}
	xfer_release(x, j);
	snprintf(why, sizeof why, "cannot start: %s", curl_easy_strerror(crc));
	xfer_refuse(j, ERR_OTHER, crc == CURLE_OUT_OF_MEMORY, why);
}

/*
 * Stops a job in flight: it comes back through done(), cut, unless its
 * transfer finished first.
 */
void
xfer_abort(struct xfer *x, struct xfer_job *j)
{
	(void)x;
	if (j->priv.aborting)
		return;		/* already on its way */
	j->priv.aborting = 1;
	xfer_send(j->priv.shard, XOP_ABORT, j, 0);
}

/*
 * Teardown, once the threads are halted: the transfer ends unreported
 * (the output is gone).
 */
void
xfer_drop(struct xfer *x, struct xfer_job *j)
{
	if (j->priv.easy == NULL)
		return;
	if (j->priv.in_multi)
		xfer_detach(j->priv.shard, j);
	xfer_release(x, j);
}

/*
 * Idle handles and connections keep their buffers: when memory ran out
 * and -j was lowered, no more of either are kept than the new -j (by
 * default libcurl keeps four connections per handle it has seen).
 */
void
xfer_shrink(struct xfer *x, size_t max)
{
	size_t	i;

	easy_limit(x->pool, max);
	for (i = 0; i < x->nshards; i++)
		xfer_send(&x->shards[i], XOP_MAXCONNECTS, NULL,
		    (long)(max / x->nshards + 1));
}

/* How many names libcurl tried to resolve by itself (should be 0). */
unsigned long
xfer_curl_resolves(const struct xfer *x)
{
	return easy_curl_resolves(x->pool);
}

/* Whether ulimit -v bounds this process's address space. */
static int
xfer_as_limited(void)
{
	struct rlimit	rl;

	return getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur != RLIM_INFINITY;
}

/*
 * Transfer threads: --threads, or by default one a CPU this process may
 * use once -j needs more than one multi handle.  Below that one thread
 * keeps up: the hand-over costs more than a second core gives back
 * (docs/PERFORMANCE.md).  Not by default under ulimit -v either: there
 * allocations fail, and libcurl 7.88, failing them inside
 * curl_multi_socket_action, was seen to divide by zero in one of its
 * hash functions (a table left without slots): with threads in one run
 * of five, without in none of twenty.
 */
static size_t
xfer_nworkers(const struct config *cfg, size_t nshards)
{
	cpu_set_t	cpus;
	size_t		n;

	if (cfg->threads >= 0)
		return (size_t)cfg->threads;
	if (nshards < 2 || sched_getaffinity(0, sizeof cpus, &cpus) != 0)
		return 0;
	if (xfer_as_limited())
		return 0;
	n = (size_t)CPU_COUNT(&cpus);
	if (n < 2)
		return 0;
	return n < nshards ? n : nshards;
}

static void *
xfer_worker_main(void *arg)
{
	struct xfer_worker	*w = arg;

	event_base_dispatch(w->base);
	return NULL;
}

/*
 * glibc gives a thread that allocates an arena of its own, reserving
 * address space 64 MiB at a time.  Under ulimit -v that reservation is
 * what runs out, and memory one thread frees is no use to another: there
 * the threads share one arena, and the reserve (xmalloc.c) works as it
 * does without threads.  Elsewhere their own arenas spare them the lock
 * (docs/PERFORMANCE.md).
 */
static void
xfer_arenas(void)
{
	if (xfer_as_limited())
		mallopt(M_ARENA_MAX, 1);
}

/* Signals stay with the main thread, whose loop handles them. */
static void
xfer_workers_start(struct xfer *x)
{
	pthread_attr_t	attr;
	sigset_t	all, old;
	size_t		i;
	int		rc;

	if (x->nworkers == 0)
		return;
	xfer_arenas();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, XFER_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < x->nworkers; i++) {
		rc = pthread_create(&x->workers[i].thread, &attr,
		    xfer_worker_main, &x->workers[i]);
		if (rc != 0)
			msg_fatal("cannot start a transfer thread: %s",
			    strerror(rc));
		x->workers[i].running = 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

static void
xfer_shard_init(struct xfer *x, struct xfer_shard *sh,
    struct xfer_worker *w)
{
	sh->x = x;
	sh->worker = w;
	sh->cm = curlm_new(w != NULL ? w->base : x->base, xfer_finished, sh);
	/*
	 * libcurl 7.88 keeps at most four idle connections per easy handle
	 * in the multi handle now; when a burst of transfers ends and their
	 * handles leave before new ones come, it closes the connections past
	 * that, and the next transfers connect again.  Room for the shard's
	 * share of -j keeps every one of them.
	 */
	curlm_max_connects(sh->cm, (long)(x->cfg->jobs / x->nshards + 1));
	easy_resolves_init(&sh->resolves);
}

struct xfer *
xfer_new(struct event_base *base, const struct config *cfg)
{
	struct xfer		*x;
	struct xfer_worker	*w;
	size_t			 i;

	x = xcalloc(1, sizeof *x);
	x->base = base;
	x->cfg = cfg;
	x->pool = easy_pool_new(cfg);
	x->nshards = (cfg->jobs + XFER_SHARD_MAX - 1) / XFER_SHARD_MAX;
	x->nworkers = xfer_nworkers(cfg, x->nshards);
	if (x->nshards < x->nworkers)
		x->nshards = x->nworkers;
	x->shards = xcalloc(x->nshards, sizeof *x->shards);
	if (x->nworkers > 0) {
		x->done_box = mbox_new(base, xfer_done_cb, x);
		x->workers = xcalloc(x->nworkers, sizeof *x->workers);
	}
	for (i = 0; i < x->nworkers; i++) {
		w = &x->workers[i];
		w->x = x;
		w->base = loop_new();
		w->inbox = mbox_new(w->base, xfer_worker_cb, w);
		w->to_worker = mbox_out_new(base, w->inbox);
		w->to_main = mbox_out_new(w->base, x->done_box);
	}
	for (i = 0; i < x->nshards; i++)
		xfer_shard_init(x, &x->shards[i], x->nworkers > 0 ?
		    &x->workers[i % x->nworkers] : NULL);
	xfer_workers_start(x);
	msg_debug("transfers: %zu multi handles, %zu threads besides the "
	    "main one", x->nshards, x->nworkers);
	return x;
}

/*
 * Ends the transfer threads, whatever they were doing: from here on the
 * main thread owns every multi handle that is left, and transfers only
 * stop.  While the threads close their idle connections, this thread
 * frees the idle easy handles: at a high -j both take a while.
 */
void
xfer_halt(struct xfer *x)
{
	struct mbox_msg	stop = { XOP_STOP, NULL, NULL, 0 };
	size_t		i;

	for (i = 0; i < x->nworkers; i++)
		if (x->workers[i].running) {
			mbox_out_flush(x->workers[i].to_worker);
			mbox_post(x->workers[i].inbox, &stop);
		}
	easy_limit(x->pool, 0);
	for (i = 0; i < x->nworkers; i++)
		if (x->workers[i].running) {
			pthread_join(x->workers[i].thread, NULL);
			x->workers[i].running = 0;
		}
}

/* Every job must be finished or dropped first. */
void
xfer_free(struct xfer *x)
{
	unsigned long	unseen = 0;
	size_t		i;

	xfer_halt(x);
	for (i = 0; i < x->nshards; i++) {
		curlm_close(x->shards[i].cm);
		unseen += curlm_unseen_closes(x->shards[i].cm);
		curlm_free(x->shards[i].cm);
		easy_resolves_free(&x->shards[i].resolves);
	}
	msg_debug("libcurl closed %lu sockets unseen", unseen);
	for (i = 0; i < x->nworkers; i++) {
		mbox_out_free(x->workers[i].to_worker);
		mbox_out_free(x->workers[i].to_main);
		mbox_free(x->workers[i].inbox);
		event_base_free(x->workers[i].base);
	}
	if (x->done_box != NULL)
		mbox_free(x->done_box);
	free(x->workers);
	free(x->shards);
	easy_pool_free(x->pool);
	free(x);
}
