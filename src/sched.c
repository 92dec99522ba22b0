/*
 * sched.c: admission, the run queue and the end of the run.
 *
 * Input is read only when a task could start: the gate has a free -j
 * permit and, with -k, the reorder window has a slot for the next index
 * (and fewer than SCHED_LOOKAHEAD tasks wait without a -j permit, for a
 * busy --per-host host or to retry).  So memory is bounded by -j, the
 * window and the lookahead, never by the input's length, and a slow
 * producer never stalls transfers already running (the input is just one
 * more event on the loop).
 *
 * Library callbacks never run task code: they wake the task, which puts
 * it on the ready queue, and the kick event steps every ready task from
 * the loop, then admits more input, then flushes output.  One kick per
 * loop pass batches the work of many completions.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "bodysink.h"
#include "clock.h"
#include "conf.h"
#include "container.h"
#include "gate.h"
#include "input.h"
#include "lines.h"
#include "msg.h"
#include "retry.h"
#include "sched.h"
#include "shard.h"
#include "sink.h"
#include "task.h"
#include "urlset.h"
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
	struct task_env		 env;		/* what tasks run on */
	struct bodysink_policy	 body;
	struct input		*input;
	struct sink		*sink;
	struct event		*kick;
	TAILQ_HEAD(, task)	 live;		/* admitted, not yet done */
	TAILQ_HEAD(, task)	 ready;		/* woken, to be stepped */
	size_t			 nlive;
	unsigned		 shortages;	/* allocations failed, seen */
	size_t			 lookahead;	/* SCHED_LOOKAHEAD, or -j once
						   memory ran out */
	uint64_t		 next_index;
	int			 input_done;
	int			 aborted;	/* output gone: drop all */
	int			 finished;
};

static void	sched_kick_cb(evutil_socket_t, short, void *);
static void	sched_wake(struct task *);
static void	sched_task_done(struct task *);

struct sched *
sched_new(struct event_base *base, const struct config *cfg,
    struct input *in, struct sink *sink, struct dns *dns, struct xfer *x)
{
	struct sched	*s;

	s = xcalloc(1, sizeof *s);
	s->env.cfg = cfg;
	s->env.base = base;
	s->env.dns = dns;
	s->env.xfer = x;
	bodysink_policy_init(&s->body, cfg);
	s->env.body = &s->body;
	s->env.rng = ((uint64_t)clock_us() << 16) ^ (uint64_t)getpid() ^ 1;
	s->env.gate = gate_new(base, cfg, retry_random(&s->env.rng));
	if (cfg->unique)
		s->env.seen = urlset_new();
	s->env.wake = sched_wake;
	s->env.finished = sched_task_done;
	s->input = in;
	s->sink = sink;
	if ((s->kick = event_new(base, -1, 0, sched_kick_cb, s)) == NULL)
		msg_fatal("cannot create the scheduler's event");
	s->lookahead = SCHED_LOOKAHEAD;
	TAILQ_INIT(&s->live);
	TAILQ_INIT(&s->ready);
	return s;
}

/* Frees the tasks still live without reporting them (output is gone). */
void
sched_free(struct sched *s)
{
	struct task	*t;

	while ((t = TAILQ_FIRST(&s->live)) != NULL) {
		TAILQ_REMOVE(&s->live, t, live);
		task_drop(t);
	}
	gate_free(s->env.gate);
	urlset_free(s->env.seen);
	event_free(s->kick);
	free(s);
}

/* Where bodies are held (-f body) and saved (-o): the caller's, or NULL. */
void
sched_keep_bodies(struct sched *s, struct spool *spool, struct saver *saver)
{
	s->body.spool = spool;
	s->body.saver = saver;
}

/* --revalidate's validators, the caller's. */
void
sched_revalidate(struct sched *s, struct validators *v)
{
	s->env.validators = v;
}

/* --skip-done's set, the caller's. */
void
sched_skip_done(struct sched *s, struct doneset *done)
{
	s->env.done = done;
}

/* The run's --deadline, as a clock_us() time. */
void
sched_set_deadline(struct sched *s, int64_t at)
{
	s->env.deadline = at;
	gate_set_deadline(s->env.gate, at);
}

/* Lines left out: --skip-done's, and --unique's repeats. */
uint64_t
sched_skipped(const struct sched *s)
{
	return s->env.skipped;
}

uint64_t
sched_repeats(const struct sched *s)
{
	return s->env.repeats;
}

/* Tasks holding a permit now. */
unsigned
sched_in_flight(const struct sched *s)
{
	return gate_in_flight(s->env.gate);
}

/* The gate, for its counts (paused hosts, pauses). */
const struct gate *
sched_gate(const struct sched *s)
{
	return s->env.gate;
}

/*
 * How many input lines there are, when known: from the start when every
 * URL is an argument (each one an index), else once all input was read.
 */
int
sched_total(const struct sched *s, uint64_t *total)
{
	const struct config	*cfg = s->env.cfg;

	if (cfg->ninputs == 0 && cfg->nurls > 0) {
		*total = cfg->nurls;
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

static void
sched_wake(struct task *t)
{
	struct sched	*s = CONTAINER_OF(t->env, struct sched, env);

	if (t->on_ready)
		return;
	t->on_ready = 1;
	TAILQ_INSERT_TAIL(&s->ready, t, ready);
	sched_kick(s);
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

/* A result is final: out it goes, and the task's permits with it. */
static void
sched_task_done(struct task *t)
{
	struct sched	*s = CONTAINER_OF(t->env, struct sched, env);

	TAILQ_REMOVE(&s->live, t, live);
	s->nlive--;
	if (msg_verbose())
		sched_log_done(t);
	sink_emit(s->sink, &t->res);
	/* Before the permit goes back, so no waiting task gets it. */
	if (s->env.cfg->fail_fast && !s->env.stopping &&
	    t->res.error != ERR_NONE && t->res.error != ERR_CANCELLED)
		sched_stop(s, "cancelled by --fail-fast: another task failed");
	task_free(t);
}

/*
 * Whether the line's index is another --shard's (--shard-by host needs
 * the line's host: task_admit decides).
 */
static int
sched_other_shard(const struct sched *s, uint64_t index)
{
	const struct config	*cfg = s->env.cfg;

	return cfg->shard_by == SHARD_BY_INDEX &&
	    !shard_keeps(cfg->shard_k, cfg->shard_n, index, NULL);
}

/*
 * One input line: skipped (--shard, --skip-done: its index passes the -k
 * window), or a task, stepped at once (a bad line's is done already).
 */
static void
sched_admit_line(struct sched *s, const struct line *ln)
{
	struct task	*t;
	uint64_t	 index = s->next_index++;

	if (sched_other_shard(s, index) ||
	    (t = task_admit(&s->env, index, ln)) == NULL) {
		sink_skip(s->sink, index);
		return;
	}
	TAILQ_INSERT_TAIL(&s->live, t, live);
	s->nlive++;
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
	cap = gate_shrink(s->env.gate, running / 2);
	xfer_shrink(s->env.xfer, cap);
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
		if (s->env.stopping || s->input_done || s->aborted)
			return 0;
		sched_mind_memory(s);
		if (gate_room(s->env.gate) == 0 ||
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
	event_base_loopexit(s->env.base, NULL);
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
	else if (s->nlive == 0 && (s->input_done || s->env.stopping))
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

	s->env.stopping = 1;
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
	s->env.stopping = 1;
	event_base_loopbreak(s->env.base);
}
