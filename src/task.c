/*
 * task.c: the per-URL state machine (asyncio's Task as a switch).  Only
 * the scheduler's kick event calls task_step(), never a library callback,
 * so a step may freely start, stop and finish transfers.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "clock.h"
#include "dns.h"
#include "msg.h"
#include "opts.h"
#include "sched.h"
#include "spool.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

static void	task_dns_done(struct dns_waiter *);

struct task *
task_new(struct sched *s, uint64_t index, const char *url, size_t len)
{
	struct task	*t;

	t = xcalloc(1, sizeof *t);
	t->sched = s;
	t->state = TS_QUEUED;
	t->url = xmemdup(url, len);
	t->hop_url = t->url;
	t->method = sched_config(s)->method;
	t->data = sched_config(s)->data;
	if (sched_config(s)->format == FMT_HEAD || sched_config(s)->lines_given) {
		t->preview = xmalloc(sizeof *t->preview);
		preview_init(t->preview, sched_config(s)->lines);
	}
	if (sched_config(s)->format == FMT_JSON || t->preview != NULL) {
		t->html = xmalloc(sizeof *t->html);
		html_init(t->html);
	}
	if (sched_config(s)->with_headers) {
		t->headers = xmalloc(sizeof *t->headers);
		buf_init(t->headers);
	}
	t->dnsw.done = task_dns_done;
	result_init(&t->res, index, t->url, len);
	t->t_admit = clock_us();
	return t;
}

void
task_free(struct task *t)
{
	dns_waiter_clear(&t->dnsw);
	if (t->timer != NULL)
		event_free(t->timer);
	if (t->preview != NULL) {
		preview_free(t->preview);
		free(t->preview);
	}
	if (t->html != NULL) {
		html_free(t->html);
		free(t->html);
	}
	if (t->headers != NULL) {
		buf_free(t->headers);
		free(t->headers);
	}
	body_free(t->content);
	if (t->file != NULL) {
		save_discard(t->file);
		free(t->file);
	}
	free(t->io_error);
	url_target_clear(&t->target);
	url_target_clear(&t->origin);
	result_clear(&t->res);
	if (t->hop_url != t->url)
		free(t->hop_url);
	free(t->location);
	free(t->url);
	free(t);
}

/*
 * The host:port this hop connects to, which is the one to resolve: the
 * proxy's when there is one (it resolves the target itself).
 */
const struct url_target *
task_connects_to(const struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);

	return cfg->proxy != NULL ? &cfg->proxy_target : &t->target;
}

/* Whether this hop goes to another host:port than the first one did. */
int
task_foreign_hop(const struct task *t)
{
	return t->hops > 0 && (t->target.port != t->origin.port ||
	    strcmp(t->target.host, t->origin.host) != 0);
}

/*
 * What browsers and curl do: 301, 302 and 303 turn a request into a GET
 * without a body (HEAD stays HEAD); 307 and 308 repeat it as it was.
 */
static void
task_redirect_method(struct task *t, long status)
{
	if (status == 307 || status == 308)
		return;
	if (t->method != NULL && strcmp(t->method, "HEAD") == 0)
		return;
	t->method = NULL;
	t->data = NULL;
}

/*
 * Follows the hop's Location: checked like an input URL (http and https
 * only, so a redirect can never read a file), its host resolved by c-ares
 * like any other.  The attempt's clock runs on across hops.
 */
static void
task_redirect(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);
	struct url_target	 next;
	const char		*bad;
	char			*to = t->location, why[256];

	t->location = NULL;
	if (t->hops >= cfg->max_redirects) {
		result_fail(&t->res, ERR_TOO_MANY_REDIRECTS,
		    "more than %ld redirects", cfg->max_redirects);
	} else if ((bad = url_parse(to, &next, why, sizeof why)) != NULL) {
		url_target_clear(&next);
		result_fail(&t->res, ERR_PROTOCOL, "redirect refused: %s", bad);
	} else {
		if (t->hops == 0) {
			t->origin = t->target;
			t->target.host = NULL;
		}
		url_target_clear(&t->target);
		t->target = next;
		if (t->hop_url != t->url)
			free(t->hop_url);
		t->hop_url = to;
		t->res.redirects = ++t->hops;
		task_redirect_method(t, t->res.status);
		t->state = TS_RESOLVE;
		sched_wake(t);
		return;
	}
	free(to);
	t->state = TS_DONE;
	sched_task_done(t);
}

static void
task_dns_done(struct dns_waiter *w)
{
	struct task	*t;

	t = (struct task *)((char *)w - offsetof(struct task, dnsw));
	sched_wake(t);
}

/* The attempt's time ran out while its name was being resolved. */
static void
task_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct task	*t = arg;

	(void)fd;
	(void)what;
	dns_waiter_cancel(&t->dnsw);
	result_fail(&t->res, ERR_TIMEOUT, "timed out resolving %s",
	    task_connects_to(t)->host);
	t->state = TS_DONE;
	sched_wake(t);
}

/* Bounds the DNS wait by what is left of the attempt's -t. */
static void
task_arm_timer(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);
	int64_t			 left;
	struct timeval		 tv;

	left = cfg->timeout_ms * 1000 - (clock_us() - t->t_start);
	if (left < 0)
		left = 0;
	if (t->timer == NULL &&
	    (t->timer = evtimer_new(sched_base(t->sched), task_timer_cb, t)) ==
	    NULL)
		msg_fatal("cannot create a task timer");
	tv = clock_timeval(left);
	evtimer_add(t->timer, &tv);
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
		dns_waiter_clear(&t->dnsw);
		t->t_dns = clock_us();
		if (dns_resolve(sched_dns(t->sched), task_connects_to(t)->host,
		    task_connects_to(t)->port, &t->dnsw) == DNS_PENDING) {
			t->state = TS_WAIT_DNS;
			task_arm_timer(t);
			return;
		}
		/* FALLTHROUGH */
	case TS_WAIT_DNS:
		if (t->timer != NULL)
			evtimer_del(t->timer);
		t->res.time.dns = clock_us() - t->t_dns;
		if (t->dnsw.error != NULL) {
			result_fail(&t->res, ERR_DNS, "%s", t->dnsw.error);
			t->state = TS_DONE;
			sched_task_done(t);
			return;
		}
		t->state = TS_XFER;
		xfer_start(sched_xfer(t->sched), t);
		return;
	case TS_XFER:
		/* Woken by xfer: the transfer ended and res is filled. */
		if (t->location != NULL && t->res.error == ERR_NONE) {
			task_redirect(t);
			return;
		}
		t->state = TS_DONE;
		/* FALLTHROUGH */
	case TS_DONE:
		sched_task_done(t);
		return;
	}
}

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
		sema_cancel(&t->permit);
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
		if (t->easy != NULL)
			xfer_abort(sched_xfer(t->sched), t);
		else if (t->location == NULL)
			return;			/* finished: its result stands */
		else {
			free(t->location);	/* between hops: not final */
			t->location = NULL;
		}
		break;
	case TS_DONE:
		return;
	}
	result_fail(&t->res, ERR_CANCELLED, "%s", why);
	t->state = TS_DONE;
	sched_wake(t);
}
