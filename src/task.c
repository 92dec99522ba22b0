/*
 * task.c: the per-URL state machine (asyncio's Task as a switch).  Only
 * the scheduler's kick event calls task_step(), never a library callback,
 * so a step may freely start, stop and finish transfers.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>

#include "clock.h"
#include "sched.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

struct task *
task_new(struct sched *s, uint64_t index, const char *url, size_t len)
{
	struct task	*t;

	t = xcalloc(1, sizeof *t);
	t->sched = s;
	t->state = TS_QUEUED;
	t->url = xmemdup(url, len);
	result_init(&t->res, index, t->url, len);
	t->t_admit = clock_us();
	return t;
}

void
task_free(struct task *t)
{
	result_clear(&t->res);
	free(t->url);
	free(t);
}

static void
task_granted(struct sema_waiter *w)
{
	struct task	*t;

	t = (struct task *)((char *)w - offsetof(struct task, permit));
	t->has_permit = 1;
	sched_wake(t);
}

/* Asks for the permit; the first step runs now if it is free. */
void
task_admit(struct task *t, struct sema *jobs)
{
	t->permit.grant = task_granted;
	if (sema_acquire(jobs, &t->permit)) {
		t->has_permit = 1;
		task_step(t);
	}
}

void
task_step(struct task *t)
{
	switch (t->state) {
	case TS_QUEUED:
		/* Timeouts count from here, never from admission. */
		t->t_start = clock_us();
		t->res.time.queued = t->t_start - t->t_admit;
		t->state = TS_RESOLVE;
		/* FALLTHROUGH */
	case TS_RESOLVE:
		/*
		 * The hand-off point for DNS.  For now libcurl resolves the
		 * name inside the transfer; once cofetch resolves with c-ares
		 * this step suspends until the addresses are known.
		 */
		t->state = TS_XFER;
		xfer_start(sched_xfer(t->sched), t);
		return;
	case TS_XFER:
		/* Woken by xfer: the transfer ended and res is filled. */
		t->state = TS_DONE;
		/* FALLTHROUGH */
	case TS_DONE:
		sched_task_done(t);
		return;
	}
}

/*
 * Stops the task wherever it is and reports it cancelled.  A transfer
 * that already finished keeps its own result.
 */
void
task_cancel(struct task *t, const char *why)
{
	switch (t->state) {
	case TS_QUEUED:
		sema_cancel(&t->permit);
		break;
	case TS_RESOLVE:
		break;
	case TS_XFER:
		if (t->easy == NULL)
			return;
		xfer_abort(sched_xfer(t->sched), t);
		break;
	case TS_DONE:
		return;
	}
	result_fail(&t->res, ERR_CANCELLED, "%s", why);
	t->state = TS_DONE;
	sched_wake(t);
}
