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
#include "conf.h"
#include "dns.h"
#include "jsonl.h"
#include "msg.h"
#include "retry.h"
#include "save.h"
#include "sched.h"
#include "spool.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

static void	task_dns_done(struct dns_waiter *);
static void	task_end(struct task *);

/* Method and body: the jsonl line's, else -X's and -d's. */
static void
task_request(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);

	t->method = t->req != NULL && t->req->method != NULL ?
	    t->req->method : cfg->method;
	t->data = t->req != NULL && t->req->data != NULL ?
	    t->req->data : cfg->data;
}

struct task *
task_new(struct sched *s, uint64_t index, const char *url, size_t len)
{
	struct task	*t;

	t = xcalloc(1, sizeof *t);
	t->sched = s;
	t->state = TS_QUEUED;
	t->url = xmemdup(url, len);
	t->hop_url = t->url;
	task_request(t);
	t->dnsw.done = task_dns_done;
	result_init(&t->res, index, t->url, len);
	t->t_admit = clock_us();
	return t;
}

/*
 * What the output needs of a transfer, made when the first attempt
 * starts: a task waiting for a busy host costs only its line.
 */
static void
task_outputs(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);

	if (cfg->format == FMT_HEAD || cfg->lines_given) {
		t->preview = xmalloc(sizeof *t->preview);
		preview_init(t->preview, cfg->lines);
	}
	if (cfg->format == FMT_JSON || t->preview != NULL) {
		t->html = xmalloc(sizeof *t->html);
		html_init(t->html);
	}
	if (cfg->with_headers) {
		t->headers = xmalloc(sizeof *t->headers);
		buf_init(t->headers);
	}
}

/* Takes what the jsonl line asked for beyond its URL (rl is emptied). */
void
task_set_request(struct task *t, struct request_line *rl)
{
	free(rl->url);
	rl->url = NULL;
	if (rl->id == NULL && rl->method == NULL && rl->data == NULL &&
	    rl->headers == NULL)
		return;
	t->req = xmalloc(sizeof *t->req);
	*t->req = *rl;
	memset(rl, 0, sizeof *rl);
	t->res.id = t->req->id;
	task_request(t);
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
	free(t->cancel_why);
	if (t->req != NULL) {
		jsonl_clear(t->req);
		free(t->req);
	}
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

	return cfg->proxy != NULL ? cfg->proxy_target : &t->target;
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
	task_end(t);
}

static void
task_dns_done(struct dns_waiter *w)
{
	struct task	*t;

	t = (struct task *)(void *)((char *)w - offsetof(struct task, dnsw));
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

/* One timer a task: the DNS wait's end, or a backoff's. */
static void
task_timer(struct task *t, event_callback_fn cb, int64_t us)
{
	struct timeval	tv = clock_timeval(us < 0 ? 0 : us);

	if (t->timer == NULL)
		t->timer = evtimer_new(sched_base(t->sched), cb, t);
	else
		evtimer_assign(t->timer, sched_base(t->sched), cb, t);
	if (t->timer == NULL || evtimer_add(t->timer, &tv) != 0)
		msg_fatal("cannot set a task timer");
}

/* Bounds the DNS wait by what is left of the attempt's -t. */
static void
task_arm_timer(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);

	task_timer(t, task_timer_cb,
	    cfg->timeout_ms * 1000 - (clock_us() - t->t_start));
}

/* An attempt starts: timeouts count from here, never from admission. */
static void
task_begin(struct task *t)
{
	if (t->res.attempts == 0)
		task_outputs(t);
	t->res.attempts++;
	t->t_start = clock_us();
	t->res.time.queued = t->t_start - t->t_admit;
}

/* Whether the failure may pass if tried again. */
static int
task_transient(const struct task *t)
{
	switch (t->res.error) {
	case ERR_DNS:
		return !t->dnsw.lasting;
	case ERR_CONNECT:
	case ERR_TIMEOUT:
	case ERR_RESET:
		return 1;
	case ERR_HTTP:
		return conf_retry_status(sched_config(t->sched), t->res.status);
	default:
		return 0;
	}
}

/* Back to the first hop's request, for another attempt. */
static void
task_rewind(struct task *t)
{
	if (t->hops > 0) {
		url_target_clear(&t->target);
		t->target = t->origin;
		t->origin.host = NULL;
	}
	if (t->hop_url != t->url)
		free(t->hop_url);
	t->hop_url = t->url;
	t->hops = 0;
	task_request(t);
	free(t->io_error);
	t->io_error = NULL;
	t->retry_after = 0;
	t->out_of_memory = 0;
	result_retry(&t->res);
}

static void
task_backoff_cb(evutil_socket_t fd, short what, void *arg)
{
	struct task	*t = arg;

	(void)fd;
	(void)what;
	task_rewind(t);
	t->state = TS_QUEUED;
	t->t_admit = clock_us();
	sched_wake(t);
}

/*
 * Failed for lack of memory: -j is lower now, so it goes again whatever
 * --retries says, twice at most, unless it may have sent a body or a
 * method that must not be repeated.
 */
static int
task_memory_retry(struct task *t)
{
	if (!t->out_of_memory || t->memory_retries >= TASK_MEMORY_RETRIES ||
	    t->data != NULL || (t->method != NULL &&
	    strcmp(t->method, "GET") != 0 && strcmp(t->method, "HEAD") != 0))
		return 0;
	t->memory_retries++;
	return 1;
}

/*
 * A transient failure with attempts left waits and goes again, holding
 * no permit meanwhile.  Not when the wait would outlast --deadline or the
 * server asks for too long a wait: the failure is then the result.
 */
static int
task_retry(struct task *t)
{
	const struct config	*cfg = sched_config(t->sched);
	int64_t			 delay;

	if (sched_stopping(t->sched))
		return 0;
	if (task_memory_retry(t))
		delay = retry_delay_us((unsigned)t->memory_retries, 0,
		    sched_random(t->sched));
	else if ((unsigned)t->res.attempts > cfg->retries ||
	    !task_transient(t))
		return 0;
	else
		delay = retry_delay_us((unsigned)t->res.attempts,
		    t->retry_after, sched_random(t->sched));
	if (delay < 0 || !sched_before_deadline(t->sched, clock_us() + delay))
		return 0;
	msg_debug("#%llu %s: %s; attempt %d in %.3f s",
	    (unsigned long long)t->res.index, t->url, t->res.message,
	    t->res.attempts + 1, (double)delay / 1e6);
	sched_release(t);
	t->state = TS_BACKOFF;
	task_timer(t, task_backoff_cb, delay);
	return 1;
}

/*
 * Once the result is final (not to be tried again): the final response's
 * body goes to the result (-f body) and its file gets its name (-o);
 * error statuses included, transport failures not.
 */
static void
task_keep(struct task *t)
{
	struct result	*r = &t->res;
	char		 err[512];
	int		 has_body;

	if (t->location != NULL)
		return;		/* a hop on the way: its body was drained */
	has_body = r->status > 0 &&
	    (r->error == ERR_NONE || r->error == ERR_HTTP);
	if (t->file != NULL && has_body) {
		if ((r->path = save_commit(t->file, err, sizeof err)) == NULL) {
			result_fail(r, ERR_OTHER, "%s", err);
			has_body = 0;
		}
	}
	if (t->content != NULL && has_body) {
		r->body = t->content;
		t->content = NULL;
	}
}

/* The result is final unless it is tried again. */
static void
task_end(struct task *t)
{
	t->state = TS_DONE;
	if (task_retry(t))
		return;
	task_keep(t);
	sched_task_done(t);
}

void
task_step(struct task *t)
{
	switch (t->state) {
	case TS_QUEUED:
		if (!sched_acquire(t))
			return;
		t->state = TS_PACED;
		__attribute__((fallthrough));
	case TS_PACED:
		if (!sched_pace(t))
			return;
		task_begin(t);
		t->state = TS_RESOLVE;
		__attribute__((fallthrough));
	case TS_RESOLVE:
		dns_waiter_clear(&t->dnsw);
		t->t_dns = clock_us();
		if (dns_resolve(sched_dns(t->sched), task_connects_to(t)->host,
		    task_connects_to(t)->port, &t->dnsw) == DNS_PENDING) {
			t->state = TS_WAIT_DNS;
			task_arm_timer(t);
			return;
		}
		__attribute__((fallthrough));
	case TS_WAIT_DNS:
		if (t->timer != NULL)
			evtimer_del(t->timer);
		t->res.time.dns = clock_us() - t->t_dns;
		if (t->dnsw.error != NULL) {
			result_fail(&t->res, ERR_DNS, "%s", t->dnsw.error);
			task_end(t);
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
		task_end(t);
		return;
	case TS_BACKOFF:
		return;
	case TS_DONE:
		task_end(t);
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
	case TS_PACED:
		sched_unpace(t);
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
		if (t->easy != NULL) {
			xfer_abort(t, why);	/* it comes back through xfer */
			return;
		} else if (t->location == NULL)
			return;			/* finished: its result stands */
		else {
			free(t->location);	/* between hops: not final */
			t->location = NULL;
		}
		break;
	case TS_BACKOFF:
		evtimer_del(t->timer);
		result_fail(&t->res, ERR_CANCELLED, "%s (waiting to retry after: "
		    "%s)", why, t->res.message);
		t->state = TS_DONE;
		sched_wake(t);
		return;
	case TS_DONE:
		return;
	}
	result_fail(&t->res, ERR_CANCELLED, "%s", why);
	t->state = TS_DONE;
	sched_wake(t);
}
