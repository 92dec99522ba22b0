/*
 * t_task.c: the task's state machine on a real gate and a real loop,
 * with link-time fakes of what lies below it (DNS, transfers, the URL
 * parser), as curl's unit tests do: queued -> paced -> resolve -> xfer
 * -> redirect -> backoff -> done, a cancel in every state, the
 * deadline, a stopping run, bad and skipped lines, and retries after
 * running out of memory.  No libcurl, no c-ares, no network.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "../../src/clock.h"
#include "../../src/conf.h"
#include "../../src/dns.h"
#include "../../src/doneset.h"
#include "../../src/gate.h"
#include "../../src/job.h"
#include "../../src/lines.h"
#include "../../src/task.h"
#include "../../src/url.h"
#include "../../src/xfer.h"
#include "../../src/xmalloc.h"
#include "unit.h"

#define MAX_SEEN	64

/* What the scheduler would have reported. */
struct seen {
	uint64_t	index;
	enum err_kind	error;
	long		status;
	int		attempts;
	long		redirects;
	char		message[256];
};

static struct {
	struct event_base	*base;
	struct config		 cfg;
	struct task_env		 env;
	struct bodysink_policy	 body;
	TAILQ_HEAD(, task)	 ready;
	struct seen		 seen[MAX_SEEN];
	int			 nseen;
	/* The fake DNS: answers at once, or leaves the waiter on entry. */
	enum { DNS_FAKE_NOW, DNS_FAKE_LATER, DNS_FAKE_FAIL, DNS_FAKE_NX }
				 dns_mode;
	struct dnscache		 dns_cache;
	char			 dns_host[128];	/* the last name asked */
	/* The fake xfer: the jobs it holds, oldest first. */
	struct xfer_job		*jobs[MAX_SEEN];
	int			 njobs;
	int			 aborts;
	int			 start_fails;
} w;

/* Fakes of the layers below the task, linked in their place. */

enum dns_status
dns_resolve(struct dns *d, const char *host, long port, struct dns_waiter *dw)
{
	struct dns_entry	*e;

	(void)d;
	(void)port;
	snprintf(w.dns_host, sizeof w.dns_host, "%s", host);
	switch (w.dns_mode) {
	case DNS_FAKE_NOW:
		dw->addrs = xstrdup("127.0.0.1");
		return DNS_DONE;
	case DNS_FAKE_FAIL:
	case DNS_FAKE_NX:
		dw->error = xstrdup("cannot resolve");
		dw->lasting = w.dns_mode == DNS_FAKE_NX;
		return DNS_DONE;
	case DNS_FAKE_LATER:
		break;
	}
	if ((e = dnscache_get(&w.dns_cache, host, 0)) == NULL)
		e = dnscache_add(&w.dns_cache, host);
	dns_entry_wait(e, dw);
	return DNS_PENDING;
}

void
xfer_start(struct xfer *x, struct xfer_job *j)
{
	(void)x;
	if (w.start_fails) {
		result_fail(j->res, ERR_TIMEOUT, "no time left to start");
		j->done(j);
		return;
	}
	w.jobs[w.njobs++] = j;
}

void
xfer_abort(struct xfer *x, struct xfer_job *j)
{
	(void)x;
	(void)j;
	w.aborts++;
}

void
xfer_drop(struct xfer *x, struct xfer_job *j)
{
	(void)x;
	(void)j;
}

const char *
url_parse(const char *u, struct url_target *t, char *why, size_t len)
{
	size_t	skip, n;

	memset(t, 0, sizeof *t);
	if (strncmp(u, "http://", 7) == 0)
		skip = 7;
	else if (strncmp(u, "https://", 8) == 0)
		skip = 8;
	else {
		snprintf(why, len, "not an http or https URL");
		return why;
	}
	n = strcspn(u + skip, ":/?#");
	t->host = xmemdup(u + skip, n);
	t->https = skip == 8;
	t->port = u[skip + n] == ':' ? atol(u + skip + n + 1) :
	    t->https ? 443 : 80;
	return NULL;
}

void
url_target_clear(struct url_target *t)
{
	free(t->host);
	t->host = NULL;
}

/* The fake scheduler: a run queue, and what finished tasks came to. */

static void
fake_wake(struct task *t)
{
	if (t->on_ready)
		return;
	t->on_ready = 1;
	TAILQ_INSERT_TAIL(&w.ready, t, ready);
}

static void
fake_finished(struct task *t)
{
	struct seen	*s = &w.seen[w.nseen++];

	s->index = t->res.index;
	s->error = t->res.error;
	s->status = t->res.status;
	s->attempts = t->res.attempts;
	s->redirects = t->res.redirects;
	snprintf(s->message, sizeof s->message, "%s",
	    t->res.message != NULL ? t->res.message : "");
	task_free(t);
}

static void
run_ready(void)
{
	struct task	*t;

	while ((t = TAILQ_FIRST(&w.ready)) != NULL) {
		TAILQ_REMOVE(&w.ready, t, ready);
		t->on_ready = 0;
		task_step(t);
	}
}

/* Steps and runs the loop until cond() holds, for 3 s at most. */
static int
run_until(int (*cond)(void))
{
	int64_t	end = clock_us() + 3000000;

	for (;;) {
		run_ready();
		if (cond())
			return 1;
		if (clock_us() > end)
			return 0;
		event_base_loop(w.base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
		usleep(1000);
	}
}

static int	want_jobs, want_seen;

static int
have_jobs(void)
{
	return w.njobs >= want_jobs;
}

static int
have_seen(void)
{
	return w.nseen >= want_seen;
}

static int
wait_jobs(int n)
{
	want_jobs = n;
	return run_until(have_jobs);
}

static int
wait_seen(int n)
{
	want_seen = n;
	return run_until(have_seen);
}

/* A new world with the contract's defaults; change cfg, then begin(). */
static void
world(void)
{
	memset(&w, 0, sizeof w);
	w.base = event_base_new();
	w.cfg.jobs = 50;
	w.cfg.timeout_ms = 30000;
	w.cfg.connect_timeout_ms = 10000;
	w.cfg.follow = 1;
	w.cfg.max_redirects = 10;
	w.cfg.proto_default = "http";
	w.cfg.retry_on[503 / 64] |= 1ULL << (503 % 64);
	TAILQ_INIT(&w.ready);
	dnscache_init(&w.dns_cache, 100);
}

static void
begin(void)
{
	bodysink_policy_init(&w.body, &w.cfg);
	w.env.cfg = &w.cfg;
	w.env.base = w.base;
	w.env.gate = gate_new(w.base, &w.cfg, 42);
	w.env.body = &w.body;
	w.env.rng = 42;
	w.env.wake = fake_wake;
	w.env.finished = fake_finished;
}

static void	job_answer(int, long, const char *);

/* Whatever the fake xfer still holds ends, so every task is freed. */
static void
end(void)
{
	int	i;

	for (i = 0; i < w.njobs; i++)
		if (w.jobs[i] != NULL)
			job_answer(i, 200, NULL);
	run_ready();
	gate_free(w.env.gate);
	dnscache_free(&w.dns_cache);
	event_base_free(w.base);
}

static struct task *
admit(uint64_t index, const char *url)
{
	struct line	 ln = { url, strlen(url), 0 };
	struct task	*t = task_admit(&w.env, index, &ln);

	if (t != NULL)
		task_step(t);
	return t;
}

/* The fake xfer ends job i: a response with status (and a Location). */
static void
job_answer(int i, long status, const char *location)
{
	struct xfer_job	*j = w.jobs[i];

	w.jobs[i] = NULL;
	j->res->status = status;
	j->res->redirects = j->hops;
	if (status >= 400)
		result_fail(j->res, ERR_HTTP, "HTTP status %ld", status);
	if (location != NULL)
		j->location = xstrdup(location);
	j->done(j);
}

static void
check_admission(void)
{
	struct task	*t;
	char		 path[] = "/tmp/t_task.XXXXXX";
	FILE		*f;
	int		 fd;

	world();
	begin();
	t = admit(0, "ftp://example.test/");
	CHECK("a bad line is done at once, never at the gate", t != NULL &&
	    w.nseen == 1 && w.seen[0].error == ERR_BAD_INPUT &&
	    gate_in_flight(w.env.gate) == 0 && w.njobs == 0);
	admit(1, "");
	CHECK("an empty URL is bad input", w.nseen == 2 &&
	    w.seen[1].error == ERR_BAD_INPUT &&
	    strcmp(w.seen[1].message, "empty URL") == 0);
	if ((fd = mkstemp(path)) >= 0 && (f = fdopen(fd, "w")) != NULL) {
		fputs("{\"url\":\"http://done.test/\",\"ok\":true}\n", f);
		fclose(f);
	}
	w.env.done = doneset_load(path, "http");
	unlink(path);
	CHECK("a line --skip-done records is no task",
	    admit(2, "http://done.test/") == NULL && w.env.skipped == 1 &&
	    w.nseen == 2);
	doneset_free(w.env.done);
	end();
}

static void
check_happy_path(void)
{
	struct task	*t;

	world();
	begin();
	t = admit(0, "http://a.test:8080/x");
	CHECK("queued -> paced -> resolve -> xfer in one step",
	    w.njobs == 1 && t->state == TS_XFER && t->in_xfer &&
	    gate_in_flight(w.env.gate) == 1);
	CHECK("the job carries the request", w.jobs[0]->port == 8080 &&
	    strcmp(w.jobs[0]->host, "a.test") == 0 &&
	    strcmp(w.jobs[0]->url, "http://a.test:8080/x") == 0 &&
	    strcmp(w.jobs[0]->addrs, "127.0.0.1") == 0 &&
	    !w.jobs[0]->foreign && w.jobs[0]->hops == 0);
	job_answer(0, 200, NULL);
	CHECK("xfer -> done: reported, permit back", wait_seen(1) &&
	    w.seen[0].error == ERR_NONE && w.seen[0].attempts == 1 &&
	    gate_in_flight(w.env.gate) == 0);
	end();
}

static void
check_gate(void)
{
	struct task	*t2, *a2;

	world();
	w.cfg.jobs = 1;
	begin();
	admit(0, "http://a.test/");
	t2 = admit(1, "http://b.test/");
	CHECK("without a -j permit a task stays queued",
	    w.njobs == 1 && t2->state == TS_QUEUED);
	job_answer(0, 200, NULL);
	CHECK("the permit goes to the waiting task", wait_jobs(2) &&
	    t2->state == TS_XFER);
	job_answer(1, 200, NULL);
	wait_seen(2);
	end();

	world();
	w.cfg.jobs = 2;
	w.cfg.per_host = 1;
	begin();
	admit(0, "http://a.test/");
	a2 = admit(1, "http://a.test/");
	admit(2, "http://b.test/");
	CHECK("a busy host's task waits without a -j permit",
	    a2->state == TS_QUEUED && w.njobs == 2 &&
	    strcmp(w.jobs[1]->host, "b.test") == 0 &&
	    gate_in_flight(w.env.gate) == 2);
	job_answer(0, 200, NULL);
	CHECK("and goes when its host is free", wait_jobs(3) &&
	    a2->state == TS_XFER);
	job_answer(1, 200, NULL);
	job_answer(2, 200, NULL);
	wait_seen(3);
	end();
}

static void
check_paced(void)
{
	struct task	*t2;
	int64_t		 t0;

	world();
	w.cfg.pace_us = 50000;
	begin();
	t0 = clock_us();
	admit(0, "http://a.test/");
	t2 = admit(1, "http://a.test/");
	CHECK("--rate: the second start waits for its slot, permit held",
	    w.njobs == 1 && t2->state == TS_PACED &&
	    gate_in_flight(w.env.gate) == 2);
	CHECK("paced -> resolve when the slot comes", wait_jobs(2) &&
	    clock_us() - t0 >= 45000 && t2->res.time.queued >= 45000);
	job_answer(0, 200, NULL);
	job_answer(1, 200, NULL);
	wait_seen(2);
	end();
}

static int	want_state;
static struct task *watched;

static int
in_state(void)
{
	return (int)watched->state == want_state;
}

static void
check_host_pause(void)
{
	struct task	*t2;
	int64_t		 t0;

	world();
	w.cfg.pace_us = 100000;
	begin();
	admit(0, "http://a.test/");
	t2 = admit(1, "http://a.test/");
	CHECK("the second task waits for its --rate slot", t2->state == TS_PACED);
	t0 = clock_us();
	job_answer(0, 429, NULL);
	watched = t2;
	want_state = TS_QUEUED;
	CHECK("paced -> queued: a 429 paused the host before the slot came",
	    run_until(in_state) && gate_paused(w.env.gate) == 1 &&
	    gate_in_flight(w.env.gate) == 0);
	CHECK("queued -> xfer once the pause (0.5-1 s) is over",
	    wait_jobs(2) && clock_us() - t0 >= 490000 &&
	    t2->res.time.queued >= 490000);
	end();
}

static void
check_dns(void)
{
	struct task		*t;
	struct dns_entry	*e;

	world();
	w.dns_mode = DNS_FAKE_LATER;
	begin();
	t = admit(0, "http://slow.test/");
	CHECK("resolve -> wait_dns while the name is looked up",
	    t->state == TS_WAIT_DNS && t->dnsw.on != NULL && w.njobs == 0);
	e = dnscache_get(&w.dns_cache, "slow.test", 0);
	dns_entry_settle(e, DNS_OK, "127.0.0.2", NULL, 1000000);
	CHECK("wait_dns -> xfer with the answer", wait_jobs(1) &&
	    strcmp(w.jobs[0]->addrs, "127.0.0.2") == 0 &&
	    t->res.time.dns >= 0);
	job_answer(0, 200, NULL);
	wait_seen(1);
	end();

	world();
	w.dns_mode = DNS_FAKE_LATER;
	w.cfg.timeout_ms = 50;
	begin();
	admit(0, "http://never.test/");
	CHECK("-t ends a wait for DNS as a timeout", wait_seen(1) &&
	    w.seen[0].error == ERR_TIMEOUT &&
	    strstr(w.seen[0].message, "resolving never.test") != NULL);
	e = dnscache_get(&w.dns_cache, "never.test", 0);
	dns_entry_settle(e, DNS_FAILED, NULL, "no answer", 0);
	end();

	world();
	w.dns_mode = DNS_FAKE_NX;
	w.cfg.retries = 3;
	begin();
	admit(0, "http://nx.test/");
	CHECK("NXDOMAIN is final, even with --retries", wait_seen(1) &&
	    w.seen[0].error == ERR_DNS && w.seen[0].attempts == 1);
	end();

	world();
	w.dns_mode = DNS_FAKE_FAIL;
	w.cfg.retries = 1;
	begin();
	t = admit(0, "http://flaky.test/");
	CHECK("a DNS failure backs off, holding no permit",
	    t->state == TS_BACKOFF && gate_in_flight(w.env.gate) == 0);
	w.dns_mode = DNS_FAKE_NOW;
	CHECK("backoff -> queued -> xfer on the second attempt",
	    wait_jobs(1) && t->res.attempts == 2);
	job_answer(0, 200, NULL);
	CHECK("and its result is the second attempt's", wait_seen(1) &&
	    w.seen[0].error == ERR_NONE && w.seen[0].attempts == 2);
	end();
}

static void
check_redirects(void)
{
	struct task	*t;

	world();
	w.cfg.method = "POST";
	w.cfg.data = "x=1";
	begin();
	t = admit(0, "http://a.test/");
	job_answer(0, 302, "http://b.test:81/next");
	CHECK("xfer -> redirect -> resolve -> xfer, to the new host",
	    wait_jobs(2) && strcmp(w.jobs[1]->host, "b.test") == 0 &&
	    w.jobs[1]->port == 81 && w.jobs[1]->hops == 1 &&
	    w.jobs[1]->foreign);
	CHECK("302 turns POST into GET without a body",
	    w.jobs[1]->method == NULL && w.jobs[1]->data == NULL);
	job_answer(1, 307, "http://b.test:81/again");
	CHECK("307 keeps the method", wait_jobs(3) &&
	    w.jobs[2]->method == NULL && t->res.redirects == 2);
	job_answer(2, 200, NULL);
	CHECK("redirects are counted in the result", wait_seen(1) &&
	    w.seen[0].error == ERR_NONE && w.seen[0].redirects == 2);
	end();

	world();
	w.cfg.method = "PUT";
	w.cfg.data = "x=1";
	w.cfg.max_redirects = 1;
	begin();
	admit(0, "http://a.test/");
	job_answer(0, 308, "http://a.test/b");
	CHECK("308 keeps method and body, same host is not foreign",
	    wait_jobs(2) && strcmp(w.jobs[1]->method, "PUT") == 0 &&
	    w.jobs[1]->data != NULL && !w.jobs[1]->foreign);
	job_answer(1, 301, "http://a.test/c");
	CHECK("past --max-redirects: too_many_redirects", wait_seen(1) &&
	    w.seen[0].error == ERR_TOO_MANY_REDIRECTS);
	end();

	world();
	begin();
	admit(0, "http://a.test/");
	job_answer(0, 302, "file:///etc/passwd");
	CHECK("a redirect to another scheme is refused", wait_seen(1) &&
	    w.seen[0].error == ERR_PROTOCOL && w.njobs == 1);
	end();
}

static void
check_backoff(void)
{
	struct task	*t;

	world();
	w.cfg.retries = 1;
	w.cfg.jobs = 1;
	begin();
	t = admit(0, "http://a.test/");
	job_answer(0, 503, NULL);
	run_ready();
	CHECK("a --retry-on status backs off, permit given back",
	    t->state == TS_BACKOFF && gate_in_flight(w.env.gate) == 0);
	admit(1, "http://b.test/");
	CHECK("another task takes the permit meanwhile", w.njobs == 2);
	job_answer(1, 200, NULL);
	CHECK("backoff -> queued -> xfer again", wait_jobs(3) &&
	    t->state == TS_XFER && t->res.attempts == 2);
	job_answer(2, 503, NULL);
	CHECK("attempts used up: the status is the result", wait_seen(2) &&
	    w.seen[1].error == ERR_HTTP && w.seen[1].attempts == 2);
	end();

	world();
	w.cfg.retries = 5;
	begin();
	w.env.deadline = clock_us();
	admit(0, "http://a.test/");
	job_answer(0, 503, NULL);
	CHECK("no wait is begun past --deadline", wait_seen(1) &&
	    w.seen[0].error == ERR_HTTP && w.seen[0].attempts == 1);
	end();

	world();
	w.cfg.retries = 5;
	begin();
	w.env.stopping = 1;
	admit(0, "http://a.test/");
	job_answer(0, 503, NULL);
	CHECK("a stopping run retries nothing", wait_seen(1) &&
	    w.seen[0].attempts == 1);
	end();
}

/* The fake xfer ends job i as xfer_abort() would have. */
static void
job_cut(int i)
{
	struct xfer_job	*j = w.jobs[i];

	w.jobs[i] = NULL;
	j->cut = 1;
	j->done(j);
}

/* The fake xfer fails job i with kind, for lack of memory or not. */
static void
job_fail(int i, enum err_kind kind, int oom)
{
	struct xfer_job	*j = w.jobs[i];

	w.jobs[i] = NULL;
	j->out_of_memory = oom;
	result_fail(j->res, kind, "failed");
	j->done(j);
}

static void
check_memory(void)
{
	world();
	begin();
	admit(0, "http://a.test/");
	job_fail(0, ERR_OTHER, 1);
	CHECK("out of memory, a GET goes again without --retries",
	    wait_jobs(2));
	job_fail(1, ERR_OTHER, 1);
	CHECK("twice", wait_jobs(3));
	job_fail(2, ERR_OTHER, 1);
	CHECK("and no more", wait_seen(1) && w.seen[0].error == ERR_OTHER &&
	    w.seen[0].attempts == 3 && w.njobs == 3);
	end();

	world();
	w.cfg.data = "x=1";
	begin();
	admit(0, "http://a.test/");
	job_fail(0, ERR_OTHER, 1);
	CHECK("a request with a body is not sent again", wait_seen(1) &&
	    w.seen[0].attempts == 1);
	end();

	world();
	begin();
	w.start_fails = 1;
	admit(0, "http://a.test/");
	CHECK("a transfer that cannot start is the result", wait_seen(1) &&
	    w.seen[0].error == ERR_TIMEOUT && gate_in_flight(w.env.gate) == 0);
	end();
}

/* Steps the first woken task once, not what it wakes in turn. */
static void
step_once(void)
{
	struct task	*t = TAILQ_FIRST(&w.ready);

	TAILQ_REMOVE(&w.ready, t, ready);
	t->on_ready = 0;
	task_step(t);
}

static int
cancelled(int i, const char *why)
{
	return w.nseen > i && w.seen[i].error == ERR_CANCELLED &&
	    strstr(w.seen[i].message, why) != NULL;
}

static void
check_cancel_waiting(void)
{
	struct task		*t;
	struct dns_entry	*e;

	world();
	w.cfg.jobs = 1;
	w.cfg.pace_us = 1000000;
	begin();
	admit(0, "http://a.test/");
	t = admit(1, "http://a.test/");
	task_cancel(t, "stop");
	CHECK("cancel while queued", t->state == TS_DONE && wait_seen(1) &&
	    cancelled(0, "stop"));
	end();

	world();
	w.cfg.pace_us = 1000000;
	begin();
	admit(0, "http://a.test/");
	t = admit(1, "http://a.test/");
	task_cancel(t, "stop");
	CHECK("cancel while paced", wait_seen(1) && cancelled(0, "stop") &&
	    gate_in_flight(w.env.gate) == 1);
	end();

	world();
	w.dns_mode = DNS_FAKE_LATER;
	begin();
	t = admit(0, "http://slow.test/");
	task_cancel(t, "stop");
	CHECK("cancel while waiting for DNS", wait_seen(1) &&
	    cancelled(0, "stop"));
	e = dnscache_get(&w.dns_cache, "slow.test", 0);
	dns_entry_settle(e, DNS_OK, "127.0.0.1", NULL, 1000000);
	run_ready();
	CHECK("and the answer wakes nobody", w.njobs == 0 && w.nseen == 1);
	end();

	world();
	w.cfg.retries = 1;
	begin();
	t = admit(0, "http://a.test/");
	job_answer(0, 503, NULL);
	run_ready();
	task_cancel(t, "stop");
	CHECK("cancel while backing off", wait_seen(1) &&
	    cancelled(0, "(waiting to retry after: HTTP status 503)"));
	end();
}

static void
check_cancel_xfer(void)
{
	struct task	*t;

	world();
	begin();
	t = admit(0, "http://a.test/");
	task_cancel(t, "stop");
	task_cancel(t, "again");
	CHECK("cancel in flight asks xfer once, and waits for it",
	    w.aborts == 1 && w.nseen == 0 && t->state == TS_XFER);
	job_cut(0);
	CHECK("the cut transfer is cancelled", wait_seen(1) &&
	    cancelled(0, "stop"));
	end();

	world();
	begin();
	t = admit(0, "http://a.test/");
	task_cancel(t, "stop");
	job_answer(0, 200, NULL);
	CHECK("a transfer that finished first keeps its result",
	    wait_seen(1) && w.seen[0].error == ERR_NONE);
	end();

	world();
	begin();
	t = admit(0, "http://a.test/");
	task_cancel(t, "stop");
	job_answer(0, 302, "http://b.test/");
	CHECK("a redirect that crossed the cancel is not followed",
	    wait_seen(1) && cancelled(0, "stop") && w.njobs == 1);
	end();

	world();
	begin();
	t = admit(0, "http://a.test/");
	job_answer(0, 302, "http://b.test/");
	task_cancel(t, "stop");
	CHECK("cancel between hops", wait_seen(1) && cancelled(0, "stop") &&
	    w.njobs == 1);
	end();

	world();
	begin();
	t = admit(0, "http://a.test/");
	job_answer(0, 302, "http://b.test/");
	step_once();
	CHECK("after a redirect the task resolves again",
	    t->state == TS_RESOLVE && t->on_ready);
	task_cancel(t, "stop");
	task_cancel(t, "again");
	CHECK("cancel while resolving; a second cancel changes nothing",
	    wait_seen(1) && cancelled(0, "stop") && w.njobs == 1);
	end();
}

int
main(void)
{
	check_admission();
	check_happy_path();
	check_gate();
	check_paced();
	check_host_pause();
	check_dns();
	check_redirects();
	check_backoff();
	check_memory();
	check_cancel_waiting();
	check_cancel_xfer();
	return unit_done("t_task");
}
