/*
 * task.c: the per-URL state machine (asyncio's Task as a switch).  Only
 * the scheduler's kick event calls task_step(), never a library callback,
 * so a step may freely start, stop and finish transfers.  Everything a
 * task uses comes from its task_env; it never calls the scheduler.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "addrpolicy.h"
#include "bodysink.h"
#include "clock.h"
#include "conf.h"
#include "container.h"
#include "dns.h"
#include "gate.h"
#include "http.h"
#include "jsonl.h"
#include "msg.h"
#include "retry.h"
#include "task.h"
#include "xfer.h"
#include "xmalloc.h"

static void	task_end(struct task *);

/* Method and body: the jsonl line's, else -X's and -d's. */
static void
task_request(struct task *t)
{
	const struct config	*cfg = t->env->cfg;

	t->method = t->req != NULL && t->req->method != NULL ?
	    t->req->method : cfg->method;
	t->data = t->req != NULL && t->req->data != NULL ?
	    t->req->data : cfg->data;
}

static void
task_dns_done(struct dns_waiter *w)
{
	struct task	*t = CONTAINER_OF(w, struct task, dnsw);

	t->env->wake(t);
}

static void
task_ready(struct gate_ticket *tk)
{
	struct task	*t = CONTAINER_OF(tk, struct task, ticket);

	t->env->wake(t);
}

/* Runs on the main thread when xfer gives the job back: only wakes. */
static void
task_xfer_done(struct xfer_job *j)
{
	struct task	*t = CONTAINER_OF(j, struct task, job);

	t->in_xfer = 0;
	t->env->wake(t);
}

/* Takes what the jsonl line asked for beyond its URL (rl is emptied). */
static void
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

/*
 * A task for the line url (as given), fetched as fetch_url (owned, or
 * NULL: url itself), with what its jsonl line asked for (rl, emptied).
 */
struct task *
task_new(struct task_env *env, uint64_t index, const char *url, size_t len,
    char *fetch_url, struct request_line *rl)
{
	struct task	*t;

	t = xcalloc(1, sizeof *t);
	t->env = env;
	t->state = TS_QUEUED;
	t->url = xmemdup(url, len);
	t->fetch_url = t->hop_url = fetch_url != NULL ? fetch_url : t->url;
	task_request(t);
	t->dnsw.done = task_dns_done;
	result_init(&t->res, index, t->url, len);
	bodysink_init(&t->body, env->body);
	t->job.body = &t->body;
	t->job.res = &t->res;
	t->job.done = task_xfer_done;
	t->t_admit = clock_us();
	task_set_request(t, rl);
	return t;
}

/*
 * Where the first hop goes: NULL, and the task waits at the gate once
 * stepped; else why the URL cannot be fetched.
 */
const char *
task_target(struct task *t, char *why, size_t len)
{
	const char	*bad;

	if ((bad = url_parse(t->fetch_url, &t->target, why, len)) != NULL)
		return bad;
	gate_ticket_init(t->env->gate, &t->ticket, t->target.host,
	    t->target.port, task_ready);
	return NULL;
}

/* A bad line's task: done at once, a result that never takes a permit. */
void
task_bad(struct task *t, const char *why)
{
	result_fail(&t->res, ERR_BAD_INPUT, "%s", why);
	t->state = TS_DONE;
}

void
task_free(struct task *t)
{
	gate_ticket_clear(t->env->gate, &t->ticket);
	dns_waiter_clear(&t->dnsw);
	if (t->timer != NULL)
		event_free(t->timer);
	bodysink_free(&t->body);
	free(t->job.location);
	free(t->cancel_why);
	free(t->hdrs);
	free(t->cond[0]);
	free(t->cond[1]);
	if (t->req != NULL) {
		jsonl_clear(t->req);
		free(t->req);
	}
	url_target_clear(&t->target);
	url_target_clear(&t->origin);
	result_clear(&t->res);
	if (t->hop_url != t->fetch_url)
		free(t->hop_url);
	if (t->fetch_url != t->url)
		free(t->fetch_url);
	free(t->url);
	free(t);
}

/* Teardown with the output gone: its transfer ends unreported. */
void
task_drop(struct task *t)
{
	if (t->in_xfer)
		xfer_drop(t->env->xfer, &t->job);
	task_free(t);
}

/*
 * The host:port this hop connects to, which is the one to resolve: the
 * proxy's when there is one (it resolves the target itself).
 */
static const struct url_target *
task_connects_to(const struct task *t)
{
	const struct config	*cfg = t->env->cfg;

	return cfg->proxy != NULL ? cfg->proxy_target : &t->target;
}

/* Whether this hop goes to another host:port than the first one did. */
static int
task_foreign_hop(const struct task *t)
{
	return t->hops > 0 && (t->target.port != t->origin.port ||
	    strcmp(t->target.host, t->origin.host) != 0);
}

/*
 * Follows the hop's Location: checked like an input URL (http and https
 * only, so a redirect can never read a file), its host resolved by c-ares
 * like any other.  The attempt's clock runs on across hops.
 */
static void
task_redirect(struct task *t)
{
	const struct config	*cfg = t->env->cfg;
	struct url_target	 next;
	const char		*bad;
	char			*to = t->job.location, why[256];

	t->job.location = NULL;
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
		if (t->hop_url != t->fetch_url)
			free(t->hop_url);
		t->hop_url = to;
		t->res.redirects = ++t->hops;
		if (!http_redirect_keeps_method(t->res.status) &&
		    http_method_kind(t->method) != HTTP_HEAD) {
			t->method = NULL;
			t->data = NULL;
		}
		t->state = TS_RESOLVE;
		t->env->wake(t);
		return;
	}
	free(to);
	task_end(t);
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
	t->env->wake(t);
}

/* One timer a task: the DNS wait's end, or a backoff's. */
static void
task_timer(struct task *t, event_callback_fn cb, int64_t us)
{
	struct timeval	tv = clock_timeval(us < 0 ? 0 : us);

	if (t->timer == NULL)
		t->timer = evtimer_new(t->env->base, cb, t);
	else
		evtimer_assign(t->timer, t->env->base, cb, t);
	if (t->timer == NULL || evtimer_add(t->timer, &tv) != 0)
		msg_fatal("cannot set a task timer");
}

/* An attempt starts: timeouts count from here, never from admission. */
static void
task_begin(struct task *t)
{
	t->res.attempts++;
	t->t_start = clock_us();
	t->res.time.queued = t->t_start - t->t_admit;
	t->res.started_ms = clock_wall_ms();
}

/*
 * Whether the attempt's request (its first hop's, as the input gave it)
 * may already have had its effect: it is not idempotent (a POST, PATCH)
 * and it may have reached the server, through an earlier hop or by a
 * connection made on this one.
 */
static int
task_may_have_acted(const struct task *t)
{
	const struct config	*cfg = t->env->cfg;
	const char		*m, *d;

	m = t->req != NULL && t->req->method != NULL ? t->req->method :
	    cfg->method;
	d = t->req != NULL && t->req->data != NULL ? t->req->data : cfg->data;
	if (http_idempotent(m, d != NULL))
		return 0;
	return t->hops > 0 || t->res.time.connect != TIME_UNKNOWN;
}

/*
 * Whether the failure may pass if tried again.  A timeout or a reset
 * repeats a request that may have had its effect only when sending it
 * twice is harmless; the --retry-on statuses are retried for any method.
 */
static int
task_transient(const struct task *t)
{
	switch (t->res.error) {
	case ERR_DNS:
		return !t->dnsw.lasting && (t->hops == 0 ||
		    !task_may_have_acted(t));
	case ERR_CONNECT:
		return t->hops == 0 || !task_may_have_acted(t);
	case ERR_TIMEOUT:
	case ERR_RESET:
		return !task_may_have_acted(t);
	case ERR_HTTP:
		return conf_retry_status(t->env->cfg, t->res.status);
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
	if (t->hop_url != t->fetch_url)
		free(t->hop_url);
	t->hop_url = t->fetch_url;
	t->hops = 0;
	task_request(t);
	t->job.retry_after = 0;
	t->job.out_of_memory = 0;
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
	t->env->wake(t);
}

/*
 * Failed for lack of memory: -j is lower now, so it goes again whatever
 * --retries says, twice at most, unless it may have sent a body or a
 * method that must not be repeated.
 */
static int
task_memory_retry(struct task *t)
{
	enum http_method	kind = http_method_kind(t->method);

	if (!t->job.out_of_memory ||
	    t->memory_retries >= TASK_MEMORY_RETRIES || t->data != NULL ||
	    (kind != HTTP_GET && kind != HTTP_HEAD))
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
	struct task_env	*env = t->env;
	int64_t		 delay;

	if (env->stopping)
		return 0;
	if (task_memory_retry(t))
		delay = retry_delay_us((unsigned)t->memory_retries, 0,
		    retry_random(&env->rng));
	else if ((unsigned)t->res.attempts > env->cfg->retries ||
	    !task_transient(t))
		return 0;
	else
		delay = retry_delay_us((unsigned)t->res.attempts,
		    t->job.retry_after, retry_random(&env->rng));
	if (delay < 0 || (env->deadline != 0 &&
	    clock_us() + delay >= env->deadline))
		return 0;
	msg_debug("#%llu %s: %s; attempt %d in %.3f s",
	    (unsigned long long)t->res.index, t->url, t->res.message,
	    t->res.attempts + 1, (double)delay / 1e6);
	gate_leave(env->gate, &t->ticket);
	t->state = TS_BACKOFF;
	task_timer(t, task_backoff_cb, delay);
	return 1;
}

/*
 * The result is final unless it is tried again; then the final
 * response's body is kept (a hop on the way had its body drained).
 */
static void
task_end(struct task *t)
{
	t->state = TS_DONE;
	if (task_retry(t))
		return;
	if (t->job.location == NULL)
		bodysink_keep(&t->body, &t->res);
	t->env->finished(t);
}

/*
 * A 304 to the validators sent: unchanged since the last run, whose
 * validators carry forward where the 304 sent none.
 */
static void
task_unchanged(struct task *t)
{
	struct result	*r = &t->res;

	r->unchanged = 1;
	if (r->etag == NULL && t->validator.etag != NULL)
		r->etag = xstrdup(t->validator.etag);
	if (r->last_modified == NULL && t->validator.last_modified != NULL)
		r->last_modified = xstrdup(t->validator.last_modified);
}

/*
 * The hop's addresses are known: its transfer starts with those the
 * address policy lets through, or the hop is blocked with nothing sent.
 */
static void
task_transfer(struct task *t)
{
	const struct url_target	*to = task_connects_to(t);
	struct xfer_job		*j = &t->job;
	char			 why[512];

	t->res.bytes = 0;
	t->res.truncated = 0;
	if (addrpolicy_blocks(&t->env->cfg->addrpolicy, to->host,
	    t->dnsw.addrs, why, sizeof why)) {
		result_fail(&t->res, ERR_BLOCKED, "%s", why);
		task_end(t);
		return;
	}
	if (bodysink_open(&t->body, t->res.index, t->url) != 0) {
		result_fail(&t->res, ERR_OTHER, "cannot save the body: %s",
		    strerror(errno));
		task_end(t);
		return;
	}
	j->url = t->hop_url;
	j->method = t->method;
	j->data = t->data;
	if (t->hdrs != NULL) {
		j->headers = t->hdrs;
		j->nheaders = t->nhdrs;
	} else {
		j->headers = t->req != NULL ? t->req->headers : NULL;
		j->nheaders = t->req != NULL ? t->req->nheaders : 0;
	}
	j->foreign = task_foreign_hop(t);
	j->host = to->host;
	j->port = to->port;
	j->host_alone = to == &t->target && !j->foreign &&
	    gate_alone(&t->ticket);
	j->https = t->target.https;
	j->addrs = t->dnsw.addrs;
	j->began = t->t_start;
	j->hops = t->hops;
	t->state = TS_XFER;
	t->in_xfer = 1;
	xfer_start(t->env->xfer, j);
}

/*
 * The job is back.  A transfer cut by a cancel is reported cancelled,
 * and so is a redirect that finished while the cancel was on its way:
 * its result is not final, and the next hop must not start.
 */
static void
task_xfer_back(struct task *t)
{
	if (t->res.status > 0 && !t->job.cut) {
		gate_answer(t->env->gate, t->target.host, t->target.port,
		    t->res.status, t->job.retry_after);
		if (t->env->cfg->with_chain)
			result_hop_add(&t->res, t->hop_url, t->res.status,
			    t->job.location);
		if (t->res.status == 304 && t->hdrs != NULL)
			task_unchanged(t);
	}
	if (t->cancel_why != NULL && (t->job.cut || t->job.location != NULL)) {
		free(t->job.location);
		t->job.location = NULL;
		result_fail(&t->res, ERR_CANCELLED, "%s", t->cancel_why);
	}
	if (t->job.location != NULL && t->res.error == ERR_NONE) {
		task_redirect(t);
		return;
	}
	task_end(t);
}

/* The hop's name: at once (a literal, a cached answer) or later. */
static int
task_resolve(struct task *t)
{
	const struct url_target	*to = task_connects_to(t);

	dns_waiter_clear(&t->dnsw);
	t->t_dns = clock_us();
	if (dns_resolve(t->env->dns, to->host, to->port, &t->dnsw) ==
	    DNS_DONE)
		return 1;
	t->state = TS_WAIT_DNS;
	task_timer(t, task_timer_cb, t->env->cfg->timeout_ms * 1000 -
	    (clock_us() - t->t_start));
	return 0;
}

void
task_step(struct task *t)
{
	switch (t->state) {
	case TS_QUEUED:
		if (gate_enter(t->env->gate, &t->ticket) != GATE_GO)
			return;
		t->state = TS_PACED;
		__attribute__((fallthrough));
	case TS_PACED:
		switch (gate_pace(t->env->gate, &t->ticket)) {
		case GATE_GO:
			break;
		case GATE_REQUEUED:
			t->state = TS_QUEUED;
			return;
		case GATE_WAIT:
			return;
		}
		task_begin(t);
		t->state = TS_RESOLVE;
		__attribute__((fallthrough));
	case TS_RESOLVE:
		if (!task_resolve(t))
			return;
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
		task_transfer(t);
		return;
	case TS_XFER:
		task_xfer_back(t);
		return;
	case TS_BACKOFF:
		return;
	case TS_DONE:
		task_end(t);
		return;
	}
}
