/*
 * cancel.c: a task stopped wherever it is (a signal, --deadline,
 * --fail-fast) and reported cancelled; a transfer in flight is asked to
 * stop and answers through xfer, and one that finished first keeps its
 * result.
 */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "dnscache.h"
#include "gate.h"
#include "result.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

/*
 * Stops the task wherever it is and reports it cancelled.  A transfer
 * that already finished keeps its own result, unless it was a redirect
 * still to be followed.
 */
void
task_cancel(struct task *t, const char *why)
{
	switch (t->state) {
	case TS_QUEUED:
	case TS_PACED:
		gate_cancel(t->env->gate, &t->ticket);
		break;
	case TS_RESOLVE:
		break;
	case TS_WAIT_DNS:
		if (t->dnsw.on == NULL)
			return;			/* answered: about to run */
		dns_waiter_cancel(&t->dnsw);
		evtimer_del(t->timer);
		break;
	case TS_XFER:
		if (t->in_xfer) {		/* it comes back through xfer */
			if (t->cancel_why == NULL) {
				t->cancel_why = xstrdup(why);
				xfer_abort(t->env->xfer, &t->job);
			}
			return;
		} else if (t->job.location == NULL)
			return;			/* finished: its result stands */
		free(t->job.location);		/* between hops: not final */
		t->job.location = NULL;
		break;
	case TS_BACKOFF:
		evtimer_del(t->timer);
		result_fail(&t->res, ERR_CANCELLED, "%s (waiting to retry after: "
		    "%s)", why, t->res.message);
		t->state = TS_DONE;
		t->env->wake(t);
		return;
	case TS_DONE:
		return;
	}
	result_fail(&t->res, ERR_CANCELLED, "%s", why);
	t->state = TS_DONE;
	t->env->wake(t);
}
