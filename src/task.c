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

#include "bodysink.h"
#include "clock.h"
#include "conf.h"
#include "container.h"
#include "dns.h"
#include "doneset.h"
#include "gate.h"
#include "http.h"
#include "jsonl.h"
#include "lines.h"
#include "msg.h"
#include "retry.h"
#include "shard.h"
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

static struct task *
task_new(struct task_env *env, uint64_t index, const char *url, size_t len)
{
	struct task	*t;

	t = xcalloc(1, sizeof *t);
	t->env = env;
	t->state = TS_QUEUED;
	t->url = xmemdup(url, len);
	t->hop_url = t->url;
	task_request(t);
	t->dnsw.done = task_dns_done;
	result_init(&t->res, index, t->url, len);
	bodysink_init(&t->body, env->body);
	t->job.body = &t->body;
	t->job.res = &t->res;
	t->job.done = task_xfer_done;
	t->t_admit = clock_us();
	return t;
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

/* NULL if the line names a request (jsonl's fields in rl), else why not. */
static const char *
task_read_line(const struct task_env *env, const struct line *ln,
    struct request_line *rl)
{
	memset(rl, 0, sizeof *rl);
	if (ln->flags & LINE_HAS_NUL)
		return "line contains a NUL byte";
	if (ln->flags & LINE_TOO_LONG)
		return "line longer than 8192 bytes";
	if (env->cfg->jsonl)
		return jsonl_parse(ln->s, ln->len, rl);
	return NULL;
}

/*
 * --shard-by host: whether the line is another shard's; a bad line, with
 * no host, goes by its index.  (By index, the scheduler decided before.)
 */
static int
task_other_shard(const struct task_env *env, uint64_t index, const char *host)
{
	const struct config	*cfg = env->cfg;

	return cfg->shard_by == SHARD_BY_HOST &&
	    !shard_keeps(cfg->shard_k, cfg->shard_n, index, host);
}

/*
 * An input line becomes a task, or NULL when --skip-done or --shard-by
 * host skips it.  A bad line's task is done at once (a bad_input result
 * that never takes a permit); any other waits at the gate once stepped.
 */
struct task *
task_admit(struct task_env *env, uint64_t index, const struct line *ln)
{
	struct request_line	 rl;
	struct task		*t;
	const char		*bad, *url;
	char			 why[256];
	size_t			 len;

	bad = task_read_line(env, ln, &rl);
	url = rl.url != NULL ? rl.url : ln->s;
	len = rl.url != NULL ? strlen(rl.url) : ln->len;
	if (bad == NULL && env->done != NULL && doneset_has(env->done, url,
	    len)) {
		env->skipped++;
		jsonl_clear(&rl);
		return NULL;
	}
	t = task_new(env, index, url, len);
	task_set_request(t, &rl);
	if (bad == NULL && len == 0)
		bad = "empty URL";
	if (bad == NULL)
		bad = url_parse(t->url, &t->target, why, sizeof why);
	if (task_other_shard(env, index, bad == NULL ? t->target.host : NULL)) {
		task_free(t);
		return NULL;
	}
	if (bad != NULL) {
		result_fail(&t->res, ERR_BAD_INPUT, "%s", bad);
		t->state = TS_DONE;
		return t;
	}
	gate_ticket_init(env->gate, &t->ticket, t->target.host,
	    t->target.port, task_ready);
	return t;
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
	if (t->req != NULL) {
		jsonl_clear(t->req);
		free(t->req);
	}
	url_target_clear(&t->target);
	url_target_clear(&t->origin);
	result_clear(&t->res);
	if (t->hop_url != t->url)
		free(t->hop_url);
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
		if (t->hop_url != t->url)
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
	if (t->hop_url != t->url)
		free(t->hop_url);
	t->hop_url = t->url;
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

/* The hop's addresses are known: its transfer starts. */
static void
task_transfer(struct task *t)
{
	const struct url_target	*to = task_connects_to(t);
	struct xfer_job		*j = &t->job;

	t->res.bytes = 0;
	t->res.truncated = 0;
	if (bodysink_open(&t->body, t->res.index, t->url) != 0) {
		result_fail(&t->res, ERR_OTHER, "cannot save the body: %s",
		    strerror(errno));
		task_end(t);
		return;
	}
	j->url = t->hop_url;
	j->method = t->method;
	j->data = t->data;
	j->headers = t->req != NULL ? t->req->headers : NULL;
	j->nheaders = t->req != NULL ? t->req->nheaders : 0;
	j->foreign = task_foreign_hop(t);
	j->host = to->host;
	j->port = to->port;
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
		if (!gate_enter(t->env->gate, &t->ticket))
			return;
		t->state = TS_PACED;
		__attribute__((fallthrough));
	case TS_PACED:
		if (!gate_pace(t->env->gate, &t->ticket))
			return;
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
