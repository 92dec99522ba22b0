/*
 * sched.c: admission, the run queue and the end of the run.
 *
 * Input is read only when a task could start: the -j semaphore has a free
 * permit and, with -k, the reorder window has a slot for the next index
 * (and fewer than SCHED_LOOKAHEAD tasks wait without a -j permit, for a
 * busy --per-host host or to retry).  So memory is bounded by -j, the
 * window and the lookahead, never by the input's length, and a slow
 * producer never stalls transfers already running (the input is just one
 * more event on the loop).  --rate spaces the starts of tasks that hold
 * their permits.
 *
 * Library callbacks never run task code: they wake the task, which puts
 * it on the ready queue, and the kick event steps every ready task from
 * the loop, then admits more input, then flushes output.  One kick per
 * loop pass batches the work of many completions.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "conf.h"
#include "doneset.h"
#include "hosts.h"
#include "input.h"
#include "jsonl.h"
#include "lines.h"
#include "msg.h"
#include "retry.h"
#include "sched.h"
#include "sema.h"
#include "sink.h"
#include "task.h"
#include "url.h"
#include "xfer.h"
#include "xmalloc.h"

/* Lines admitted per kick, so a flood of bad lines cannot starve I/O. */
#define SCHED_ADMIT_BATCH	256

/*
 * Admitted tasks that hold no -j permit (waiting for a busy host, or to
 * retry) at most: past this, reading input pauses.  The lookahead that
 * lets other hosts' lines pass a busy one is bounded by it.
 */
#define SCHED_LOOKAHEAD		10000

struct sched {
	struct event_base	*base;
	const struct config	*cfg;
	struct input		*input;
	struct sink		*sink;
	struct dns		*dns;
	struct xfer		*xfer;
	struct event		*kick;
	struct sema		 jobs;
	struct hosts		*hosts;		/* --per-host */
	struct doneset		*done;		/* --skip-done */
	uint64_t		 skipped;	/* lines it skipped */
	TAILQ_HEAD(, task)	 pacing;	/* --rate: waiting for a slot */
	struct event		*pace;
	int64_t			 next_start;	/* the next slot */
	int64_t			 deadline;	/* --deadline, or 0 */
	uint64_t		 rng;		/* backoff jitter */
	TAILQ_HEAD(, task)	 live;		/* admitted, not yet done */
	TAILQ_HEAD(, task)	 ready;		/* woken, to be stepped */
	size_t			 nlive;
	unsigned		 shortages;	/* allocations failed, seen */
	size_t			 lookahead;	/* SCHED_LOOKAHEAD, or -j once
						   memory ran out */
	uint64_t		 next_index;
	int			 input_done;
	int			 stopping;	/* no more admission */
	int			 aborted;	/* output gone: drop all */
	int			 finished;
};

static void	sched_kick_cb(evutil_socket_t, short, void *);
static void	sched_pace_cb(evutil_socket_t, short, void *);

struct sched *
sched_new(struct event_base *base, const struct config *cfg,
    struct input *in, struct sink *sink, struct dns *dns, struct xfer *x)
{
	struct sched	*s;

	s = xcalloc(1, sizeof *s);
	s->base = base;
	s->cfg = cfg;
	s->input = in;
	s->sink = sink;
	s->dns = dns;
	s->xfer = x;
	if ((s->kick = event_new(base, -1, 0, sched_kick_cb, s)) == NULL)
		msg_fatal("cannot create the scheduler's event");
	sema_init(&s->jobs, cfg->jobs);
	s->lookahead = SCHED_LOOKAHEAD;
	if (cfg->per_host > 0)
		s->hosts = hosts_new(cfg->per_host);
	if (cfg->pace_us > 0 &&
	    (s->pace = evtimer_new(base, sched_pace_cb, s)) == NULL)
		msg_fatal("cannot create the --rate timer");
	TAILQ_INIT(&s->pacing);
	TAILQ_INIT(&s->live);
	TAILQ_INIT(&s->ready);
	s->rng = ((uint64_t)clock_us() << 16) ^ (uint64_t)getpid() ^ 1;
	return s;
}

/* Frees the tasks still live without reporting them (output is gone). */
void
sched_free(struct sched *s)
{
	struct task	*t;

	while ((t = TAILQ_FIRST(&s->live)) != NULL) {
		TAILQ_REMOVE(&s->live, t, live);
		if (t->state == TS_XFER && t->easy != NULL)
			xfer_drop(s->xfer, t);
		if (t->host != NULL)
			hosts_put(s->hosts, t->host);
		task_free(t);
	}
	if (s->hosts != NULL)
		hosts_free(s->hosts);
	if (s->pace != NULL)
		event_free(s->pace);
	event_free(s->kick);
	free(s);
}

struct xfer *
sched_xfer(const struct sched *s)
{
	return s->xfer;
}

struct dns *
sched_dns(const struct sched *s)
{
	return s->dns;
}

struct event_base *
sched_base(const struct sched *s)
{
	return s->base;
}

const struct config *
sched_config(const struct sched *s)
{
	return s->cfg;
}

/* Tasks holding a permit now. */
unsigned
sched_in_flight(const struct sched *s)
{
	return sema_held(&s->jobs);
}

/*
 * How many input lines there are, when known: from the start when every
 * URL is an argument (each one an index), else once all input was read.
 */
int
sched_total(const struct sched *s, uint64_t *total)
{
	if (s->cfg->ninputs == 0 && s->cfg->nurls > 0) {
		*total = s->cfg->nurls;
		return 1;
	}
	*total = s->next_index;
	return s->input_done;
}

void
sched_start(struct sched *s)
{
	sched_kick(s);
}

/* Runs the kick on this loop pass; many calls cost one run. */
void
sched_kick(void *arg)
{
	struct sched	*s = arg;

	event_active(s->kick, EV_TIMEOUT, 0);
}

void
sched_wake(struct task *t)
{
	struct sched	*s = t->sched;

	if (t->on_ready)
		return;
	t->on_ready = 1;
	TAILQ_INSERT_TAIL(&s->ready, t, ready);
	sched_kick(s);
}

/* --skip-done's set, the caller's. */
void
sched_skip_done(struct sched *s, struct doneset *done)
{
	s->done = done;
}

uint64_t
sched_skipped(const struct sched *s)
{
	return s->skipped;
}

int
sched_stopping(const struct sched *s)
{
	return s->stopping;
}

/* The run's --deadline, as a clock_us() time. */
void
sched_set_deadline(struct sched *s, int64_t at)
{
	s->deadline = at;
}

/* Whether a task could still run at time at. */
int
sched_before_deadline(const struct sched *s, int64_t at)
{
	return s->deadline == 0 || at < s->deadline;
}

uint64_t
sched_random(struct sched *s)
{
	return retry_random(&s->rng);
}

/* The permit granted is the first one the task lacks: the host's first. */
static void
sched_granted(struct sema_waiter *w)
{
	struct task	*t;

	t = (struct task *)(void *)((char *)w - offsetof(struct task, permit));
	if (t->host != NULL && !t->has_host_permit)
		t->has_host_permit = 1;
	else
		t->has_permit = 1;
	sched_wake(t);
}

/*
 * 1 if the task holds its host's permit and a -j one.  Else it waits in
 * the queue of the one it lacks, holding no -j permit while its host is
 * busy, so tasks for other hosts go ahead; sched_wake() follows a grant.
 */
int
sched_acquire(struct task *t)
{
	struct sched	*s = t->sched;

	t->permit.grant = sched_granted;
	if (t->host != NULL && !t->has_host_permit) {
		if (!sema_acquire(&t->host->sema, &t->permit))
			return 0;
		t->has_host_permit = 1;
	}
	if (!t->has_permit) {
		if (!sema_acquire(&s->jobs, &t->permit))
			return 0;
		t->has_permit = 1;
	}
	return 1;
}

/* Gives back the task's permits: it is done, or backing off. */
void
sched_release(struct task *t)
{
	struct sched	*s = t->sched;

	if (t->has_host_permit) {
		t->has_host_permit = 0;
		sema_release(&t->host->sema);
	}
	if (t->has_permit) {
		t->has_permit = 0;
		sema_release(&s->jobs);
	}
}

/*
 * --rate: 1 if the task may start now.  Starts are at least pace_us
 * apart, first come first served (a bucket of one token, so never a
 * burst); else the task waits for its slot and is woken then.
 */
int
sched_pace(struct task *t)
{
	struct sched	*s = t->sched;
	int64_t		 now;
	struct timeval	 tv;

	if (s->pace == NULL || t->paced) {
		t->paced = 0;
		return 1;
	}
	now = clock_us();
	if (TAILQ_EMPTY(&s->pacing) && now >= s->next_start) {
		s->next_start = now + s->cfg->pace_us;
		return 1;
	}
	TAILQ_INSERT_TAIL(&s->pacing, t, pace);
	t->pacing = 1;
	if (!evtimer_pending(s->pace, NULL)) {
		tv = clock_timeval(s->next_start - now);
		evtimer_add(s->pace, &tv);
	}
	return 0;
}

void
sched_unpace(struct task *t)
{
	if (!t->pacing)
		return;
	TAILQ_REMOVE(&t->sched->pacing, t, pace);
	t->pacing = 0;
}

static void
sched_pace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sched	*s = arg;
	struct task	*t;
	struct timeval	 tv;
	int64_t		 now = clock_us();

	(void)fd;
	(void)what;
	if ((t = TAILQ_FIRST(&s->pacing)) == NULL)
		return;
	sched_unpace(t);
	t->paced = 1;
	sched_wake(t);
	s->next_start = (now > s->next_start ? now : s->next_start) +
	    s->cfg->pace_us;
	if (TAILQ_EMPTY(&s->pacing))
		return;
	tv = clock_timeval(s->next_start - now);
	evtimer_add(s->pace, &tv);
}

/* -v: one line per finished task on stderr. */
static void
sched_log_done(const struct task *t)
{
	const struct result	*r = &t->res;

	msg_debug("#%llu %s %s%s%s", (unsigned long long)r->index,
	    r->error == ERR_NONE ? "ok" : err_name(r->error), t->url,
	    r->message ? ": " : "", r->message ? r->message : "");
}

void
sched_task_done(struct task *t)
{
	struct sched	*s = t->sched;

	TAILQ_REMOVE(&s->live, t, live);
	s->nlive--;
	if (msg_verbose())
		sched_log_done(t);
	sink_emit(s->sink, &t->res);
	/* Before the permit goes back, so no waiting task gets it. */
	if (s->cfg->fail_fast && !s->stopping && t->res.error != ERR_NONE &&
	    t->res.error != ERR_CANCELLED)
		sched_stop(s, "cancelled by --fail-fast: another task failed");
	sched_release(t);
	if (t->host != NULL)
		hosts_put(s->hosts, t->host);
	task_free(t);
}

/* NULL if the line names a request (jsonl's fields in rl), else why not. */
static const char *
sched_read_line(const struct sched *s, const struct line *ln,
    struct request_line *rl)
{
	memset(rl, 0, sizeof *rl);
	if (ln->flags & LINE_HAS_NUL)
		return "line contains a NUL byte";
	if (ln->flags & LINE_TOO_LONG)
		return "line longer than 8192 bytes";
	if (s->cfg->jsonl)
		return jsonl_parse(ln->s, ln->len, rl);
	return NULL;
}

/* Whether the line's index is another --shard's. */
static int
sched_other_shard(const struct sched *s, uint64_t index)
{
	return s->cfg->shard_n > 0 &&
	    index % s->cfg->shard_n != s->cfg->shard_k - 1;
}

/*
 * One input line: skipped (--shard, --skip-done: its index passes the -k
 * window), a bad_input result at once (it never takes a permit), or a
 * task that asks for its permits.
 */
static void
sched_admit_line(struct sched *s, const struct line *ln)
{
	struct request_line	 rl;
	struct task		*t;
	uint64_t		 index = s->next_index++;
	const char		*bad, *url;
	char			 why[256];
	size_t			 len;

	if (sched_other_shard(s, index)) {
		sink_skip(s->sink, index);
		return;
	}
	bad = sched_read_line(s, ln, &rl);
	url = rl.url != NULL ? rl.url : ln->s;
	len = rl.url != NULL ? strlen(rl.url) : ln->len;
	if (bad == NULL && s->done != NULL && doneset_has(s->done, url, len)) {
		s->skipped++;
		sink_skip(s->sink, index);
		jsonl_clear(&rl);
		return;
	}
	t = task_new(s, index, url, len);
	task_set_request(t, &rl);
	TAILQ_INSERT_TAIL(&s->live, t, live);
	s->nlive++;
	if (bad == NULL && len == 0)
		bad = "empty URL";
	if (bad == NULL)
		bad = url_parse(t->url, &t->target, why, sizeof why);
	if (bad != NULL) {
		result_fail(&t->res, ERR_BAD_INPUT, "%s", bad);
		t->state = TS_DONE;
		task_step(t);
		return;
	}
	if (s->hosts != NULL)
		t->host = hosts_get(s->hosts, t->target.host, t->target.port);
	task_step(t);
}

/*
 * Memory ran out since the last look: -j drops to half of what runs now,
 * so fewer transfers share what there is, and stays there (ulimit -v and
 * RLIMIT_DATA do not move); so do the tasks read ahead, which hold memory
 * too.  Otherwise the reserve is taken again as soon as there is room.
 */
static void
sched_mind_memory(struct sched *s)
{
	unsigned	n = xmalloc_shortages(), running, cap;

	if (n == s->shortages) {
		xmalloc_reserve();
		return;
	}
	s->shortages = n;
	if ((running = sched_in_flight(s)) == 0)
		return;		/* writing results: fewer transfers won't help */
	cap = sema_shrink(&s->jobs, running / 2);
	xfer_shrink(s->xfer, cap);
	if (s->lookahead > cap)
		s->lookahead = cap;
	msg_warn("memory ran out with %u transfers running; going on with "
	    "at most %u", running, cap);
}

/* 1 if the batch ran out while more could be admitted at once. */
static int
sched_admit(struct sched *s)
{
	struct line	ln;
	int		n;

	for (n = 0; n < SCHED_ADMIT_BATCH; n++) {
		if (s->stopping || s->input_done || s->aborted)
			return 0;
		sched_mind_memory(s);
		if (sema_available(&s->jobs) == 0 ||
		    s->nlive - sched_in_flight(s) >= s->lookahead ||
		    !sink_has_room(s->sink, s->next_index))
			return 0;
		switch (input_next(s->input, &ln)) {
		case INPUT_WAIT:
			return 0;
		case INPUT_END:
			s->input_done = 1;
			return 0;
		case INPUT_LINE:
			break;
		}
		sched_admit_line(s, &ln);
	}
	return 1;
}

static void
sched_finish(struct sched *s)
{
	s->finished = 1;
	input_stop(s->input);
	sink_flush(s->sink);
	event_base_loopexit(s->base, NULL);
}

static void
sched_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sched	*s = arg;
	struct task	*t;
	int		 more;

	(void)fd;
	(void)what;
	/* Before the tasks woken by failures give back their permits. */
	sched_mind_memory(s);
	while (!s->aborted && (t = TAILQ_FIRST(&s->ready)) != NULL) {
		TAILQ_REMOVE(&s->ready, t, ready);
		t->on_ready = 0;
		task_step(t);
	}
	if (s->aborted || s->finished)
		return;
	more = sched_admit(s);
	if (s->aborted)
		return;
	if (more || !TAILQ_EMPTY(&s->ready))
		sched_kick(s);
	else if (s->nlive == 0 && (s->input_done || s->stopping))
		sched_finish(s);
	if (!s->finished)
		sink_flush(s->sink);
}

/*
 * Ends the run early: nothing more is read, and every admitted task is
 * cancelled and reported (asyncio: cancel every task, gather the
 * CancelledErrors).
 */
void
sched_stop(struct sched *s, const char *why)
{
	struct task	*t;

	s->stopping = 1;
	input_stop(s->input);
	TAILQ_FOREACH(t, &s->live, live)
		task_cancel(t, why);
	sched_kick(s);
}

/* Output is gone: stop at once, report nothing more. */
void
sched_abort(struct sched *s)
{
	s->aborted = 1;
	s->stopping = 1;
	event_base_loopbreak(s->base);
}
