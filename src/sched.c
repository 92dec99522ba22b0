/*
 * sched.c: admission, the run queue and the end of the run.
 *
 * Input is read only when a task could start: the -j semaphore has a free
 * permit and, with -k, the reorder window has a slot for the next index.
 * So memory is bounded by -j and the window, never by the input's length,
 * and a slow producer never stalls transfers already running (the input
 * is just one more event on the loop).
 *
 * Library callbacks never run task code: they wake the task, which puts
 * it on the ready queue, and the kick event steps every ready task from
 * the loop, then admits more input, then flushes output.  One kick per
 * loop pass batches the work of many completions.
 */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "input.h"
#include "lines.h"
#include "msg.h"
#include "opts.h"
#include "sched.h"
#include "sema.h"
#include "sink.h"
#include "task.h"
#include "url.h"
#include "xfer.h"
#include "xmalloc.h"

/* Lines admitted per kick, so a flood of bad lines cannot starve I/O. */
#define SCHED_ADMIT_BATCH	256

struct sched {
	struct event_base	*base;
	const struct config	*cfg;
	struct input		*input;
	struct sink		*sink;
	struct dns		*dns;
	struct xfer		*xfer;
	struct event		*kick;
	struct sema		 jobs;
	TAILQ_HEAD(, task)	 live;		/* admitted, not yet done */
	TAILQ_HEAD(, task)	 ready;		/* woken, to be stepped */
	size_t			 nlive;
	uint64_t		 next_index;
	int			 input_done;
	int			 stopping;	/* no more admission */
	int			 aborted;	/* output gone: drop all */
	int			 finished;
};

static void	sched_kick_cb(evutil_socket_t, short, void *);

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
		if (t->state == TS_XFER && t->easy != NULL)
			xfer_abort(s->xfer, t);
		task_free(t);
	}
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
	return s->cfg->jobs - sema_available(&s->jobs);
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
	if (t->has_permit)
		sema_release(&s->jobs);
	task_free(t);
}

/* Why the task's line is not a URL to fetch, or NULL (its target is set). */
static const char *
sched_line_problem(const struct line *ln, struct task *t, char *why,
    size_t whylen)
{
	if (ln->flags & LINE_HAS_NUL)
		return "line contains a NUL byte";
	if (ln->flags & LINE_TOO_LONG)
		return "line longer than 8192 bytes";
	if (ln->len == 0)
		return "empty URL";
	return url_parse(t->url, &t->target, why, whylen);
}

/* 1 if the batch ran out while more could be admitted at once. */
static int
sched_admit(struct sched *s)
{
	struct line	 ln;
	struct task	*t;
	const char	*bad;
	char		 why[256];
	int		 n;

	for (n = 0; n < SCHED_ADMIT_BATCH; n++) {
		if (s->stopping || s->input_done || s->aborted)
			return 0;
		if (sema_available(&s->jobs) == 0 ||
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
		if (s->cfg->shard_n > 0 &&
		    s->next_index % s->cfg->shard_n != s->cfg->shard_k - 1) {
			sink_skip(s->sink, s->next_index++);
			continue;
		}
		t = task_new(s, s->next_index++, ln.s, ln.len);
		TAILQ_INSERT_TAIL(&s->live, t, live);
		s->nlive++;
		/* A bad line is a result at once: it never takes a permit. */
		bad = sched_line_problem(&ln, t, why, sizeof why);
		if (bad != NULL) {
			result_fail(&t->res, ERR_BAD_INPUT, "%s", bad);
			t->state = TS_DONE;
			task_step(t);
			continue;
		}
		task_admit(t, &s->jobs);
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
