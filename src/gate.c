/*
 * gate.c: the -j semaphore; per host:port, in a host table (only hosts
 * with live tasks, or paused, cost anything), the --per-host semaphore,
 * the --per-host-rate spacing, the pause after a 429 and whether any
 * other task is for it (gate_alone); and --rate's spacing of all starts:
 * one timer over a FIFO, a token bucket of one, so never a burst.
 *
 * A host's turn comes in FIFO order once its pause is over and, with
 * --per-host-rate, once the last start to it is far enough back; only one
 * ticket at a time is then between its turn and its start, so starts to
 * one host are never closer than the rate allows, whatever the -j and
 * --rate waits in between.  A host paused while a ticket waits there is
 * seen at the start itself: the ticket gives its -j permit back and
 * waits for the host again.
 */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "clock.h"
#include "conf.h"
#include "container.h"
#include "gate.h"
#include "hostmap.h"
#include "msg.h"
#include "retry.h"
#include "sema.h"
#include "xmalloc.h"

#define GATE_PAUSE_FIRST_US	1000000		/* a 429 without Retry-After */
#define GATE_PAUSE_MAX_US	60000000	/* the doubling stops here */

struct gate_host {
	struct hostmap_entry	 key;
	struct gate		*gate;
	int			 capped;	/* --per-host: sema counts */
	struct sema		 sema;
	TAILQ_HEAD(, gate_ticket) waiting;	/* for the host's turn */
	struct gate_ticket	*claimed;	/* past its turn, not started */
	int64_t			 next_start;	/* --per-host-rate's next slot */
	int64_t			 paused_until;
	unsigned		 strikes;	/* pausing answers in a row */
	int			 paused;	/* on the paused list, referenced */
	TAILQ_ENTRY(gate_host)	 paused_link;
	struct event		*timer;		/* the next turn, or the pause's end */
};

struct gate {
	const struct config	*cfg;
	struct event_base	*base;
	struct sema		 jobs;		/* -j */
	struct hostmap		 hosts;
	int			 backoff;
	TAILQ_HEAD(, gate_host)	 paused;
	unsigned		 npaused;
	TAILQ_HEAD(, gate_ticket) pacing;	/* --rate: waiting for a slot */
	struct event		*pace;
	int64_t			 next_start;	/* --rate's next slot */
	int64_t			 deadline;	/* --deadline; 0: none */
	uint64_t		 rng;		/* the pauses' jitter */
	struct gate_stats	 stats;
};

static void	gate_pace_cb(evutil_socket_t, short, void *);
static void	gate_host_cb(evutil_socket_t, short, void *);

struct gate *
gate_new(struct event_base *base, const struct config *cfg, uint64_t seed)
{
	struct gate	*g;

	g = xcalloc(1, sizeof *g);
	g->cfg = cfg;
	g->base = base;
	g->rng = seed != 0 ? seed : 1;
	sema_init(&g->jobs, cfg->jobs);
	hostmap_init(&g->hosts);
	g->backoff = !cfg->no_host_backoff;
	TAILQ_INIT(&g->paused);
	TAILQ_INIT(&g->pacing);
	if (cfg->pace_us > 0 &&
	    (g->pace = evtimer_new(base, gate_pace_cb, g)) == NULL)
		msg_fatal("cannot create the --rate timer");
	return g;
}

static void
gate_host_free(struct gate_host *h)
{
	if (h->timer != NULL)
		event_free(h->timer);
	free(h);
}

/* Every ticket must be cleared first: what is left are paused hosts. */
void
gate_free(struct gate *g)
{
	struct gate_host	*h;

	while ((h = TAILQ_FIRST(&g->paused)) != NULL) {
		TAILQ_REMOVE(&g->paused, h, paused_link);
		hostmap_remove(&g->hosts, &h->key);
		gate_host_free(h);
	}
	hostmap_free(&g->hosts);
	if (g->pace != NULL)
		event_free(g->pace);
	free(g);
}

/* Pauses end by the run's --deadline (a clock_us() time) at the latest. */
void
gate_set_deadline(struct gate *g, int64_t at)
{
	g->deadline = at;
}

static struct gate_host *
gate_host_get(struct gate *g, const char *name, long port)
{
	struct gate_host	*h;

	h = (struct gate_host *)(void *)hostmap_ref(&g->hosts, name, port,
	    sizeof *h);
	if (h->key.refs > 1)
		return h;
	h->gate = g;
	h->capped = g->cfg->per_host > 0;
	if (h->capped)
		sema_init(&h->sema, g->cfg->per_host);
	TAILQ_INIT(&h->waiting);
	return h;
}

static void
gate_host_put(struct gate *g, struct gate_host *h)
{
	if (h->key.refs == 1 && h->timer != NULL) {
		event_free(h->timer);
		h->timer = NULL;
	}
	hostmap_unref(&g->hosts, &h->key);
}

/* When the host's next turn may come. */
static int64_t
gate_host_ready_at(const struct gate *g, const struct gate_host *h)
{
	if (g->cfg->per_host_pace_us > 0 && h->next_start > h->paused_until)
		return h->next_start;
	return h->paused_until;
}

/* The host's timer: for its next turn, or for its pause to end. */
static void
gate_host_arm(struct gate *g, struct gate_host *h)
{
	struct timeval	tv;
	int64_t		at;

	if (!TAILQ_EMPTY(&h->waiting) && h->claimed == NULL)
		at = gate_host_ready_at(g, h);
	else if (h->paused)
		at = h->paused_until;
	else {
		if (h->timer != NULL)
			evtimer_del(h->timer);
		return;
	}
	if (h->timer == NULL &&
	    (h->timer = evtimer_new(g->base, gate_host_cb, h)) == NULL)
		msg_fatal("cannot create a host's timer");
	at -= clock_us();
	tv = clock_timeval(at > 0 ? at : 0);
	evtimer_add(h->timer, &tv);
}

/* Turns come to the oldest waiting tickets, one at a time with a rate. */
static void
gate_host_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gate_host	*h = arg;
	struct gate		*g = h->gate;
	struct gate_ticket	*tk;
	int64_t			 now = clock_us();
	int			 resumed = 0;

	(void)fd;
	(void)what;
	if (h->paused && now >= h->paused_until) {
		h->paused = 0;
		TAILQ_REMOVE(&g->paused, h, paused_link);
		g->npaused--;
		resumed = 1;
	}
	while ((tk = TAILQ_FIRST(&h->waiting)) != NULL && h->claimed == NULL &&
	    now >= gate_host_ready_at(g, h)) {
		TAILQ_REMOVE(&h->waiting, tk, turn);
		tk->turning = 0;
		tk->has_turn = 1;
		if (g->cfg->per_host_pace_us > 0)
			h->claimed = tk;
		tk->ready(tk);
	}
	gate_host_arm(g, h);
	if (resumed)
		gate_host_put(g, h);	/* the pause's reference */
}

/* The permit granted is the first one the ticket lacks: the host's first. */
static void
gate_granted(struct sema_waiter *w)
{
	struct gate_ticket	*tk = CONTAINER_OF(w, struct gate_ticket, wait);

	if (tk->host != NULL && tk->host->capped && !tk->has_host)
		tk->has_host = 1;
	else
		tk->has_job = 1;
	tk->ready(tk);
}

/* A task's ticket, for host:port (its first hop's), from admission on. */
void
gate_ticket_init(struct gate *g, struct gate_ticket *tk, const char *host,
    long port, void (*ready)(struct gate_ticket *))
{
	tk->wait.grant = gate_granted;
	tk->ready = ready;
	tk->host = gate_host_get(g, host, port);
}

/* The task ends: whatever the ticket waits for or holds goes back. */
void
gate_ticket_clear(struct gate *g, struct gate_ticket *tk)
{
	gate_cancel(g, tk);
	gate_leave(g, tk);
	if (tk->host != NULL)
		gate_host_put(g, tk->host);
	tk->host = NULL;
}

/* 1 once the ticket is past its host's turn; else it waits in line. */
static int
gate_turn(struct gate *g, struct gate_ticket *tk)
{
	struct gate_host	*h = tk->host;

	if (tk->has_turn)
		return 1;
	if (TAILQ_EMPTY(&h->waiting) && h->claimed == NULL &&
	    clock_us() >= gate_host_ready_at(g, h)) {
		tk->has_turn = 1;
		if (g->cfg->per_host_pace_us > 0)
			h->claimed = tk;
		return 1;
	}
	TAILQ_INSERT_TAIL(&h->waiting, tk, turn);
	tk->turning = 1;
	gate_host_arm(g, h);
	return 0;
}

/*
 * GATE_GO once the ticket holds its host's permit, is past its host's
 * turn and holds a -j permit; else it waits for the one it lacks.
 */
enum gate_status
gate_enter(struct gate *g, struct gate_ticket *tk)
{
	struct gate_host	*h = tk->host;

	if (h != NULL && h->capped && !tk->has_host) {
		if (!sema_acquire(&h->sema, &tk->wait))
			return GATE_WAIT;
		tk->has_host = 1;
	}
	if (h != NULL && !gate_turn(g, tk))
		return GATE_WAIT;
	if (!tk->has_job) {
		if (!sema_acquire(&g->jobs, &tk->wait))
			return GATE_WAIT;
		tk->has_job = 1;
	}
	return GATE_GO;
}

/* A ticket past its turn no longer is; the next in line may come. */
static void
gate_unturn(struct gate *g, struct gate_ticket *tk)
{
	struct gate_host	*h = tk->host;

	tk->has_turn = 0;
	if (h->claimed == tk) {
		h->claimed = NULL;
		gate_host_arm(g, h);
	}
}

/*
 * The task starts now, unless its host was paused since its turn came:
 * then its -j permit goes back and it waits at the head of its host's
 * line.  A start to a host with a rate sets the host's next slot.
 */
static enum gate_status
gate_started(struct gate *g, struct gate_ticket *tk)
{
	struct gate_host	*h = tk->host;
	int64_t			 now = clock_us();

	if (h == NULL)
		return GATE_GO;
	if (now < h->paused_until) {
		gate_unturn(g, tk);
		tk->has_job = 0;
		sema_release(&g->jobs);
		TAILQ_INSERT_HEAD(&h->waiting, tk, turn);
		tk->turning = 1;
		gate_host_arm(g, h);
		return GATE_REQUEUED;
	}
	if (g->cfg->per_host_pace_us > 0)
		h->next_start = now + g->cfg->per_host_pace_us;
	gate_unturn(g, tk);
	return GATE_GO;
}

/*
 * --rate: GATE_GO if the ticket's task may start now.  Starts are at
 * least pace_us apart, first come first served; else it waits for its
 * slot and ready() follows.
 */
enum gate_status
gate_pace(struct gate *g, struct gate_ticket *tk)
{
	int64_t		now;
	struct timeval	tv;

	if (g->pace == NULL || tk->paced) {
		tk->paced = 0;
		return gate_started(g, tk);
	}
	now = clock_us();
	if (TAILQ_EMPTY(&g->pacing) && now >= g->next_start) {
		g->next_start = now + g->cfg->pace_us;
		return gate_started(g, tk);
	}
	TAILQ_INSERT_TAIL(&g->pacing, tk, pace);
	tk->pacing = 1;
	if (!evtimer_pending(g->pace, NULL)) {
		tv = clock_timeval(g->next_start - now);
		evtimer_add(g->pace, &tv);
	}
	return GATE_WAIT;
}

static void
gate_pace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct gate		*g = arg;
	struct gate_ticket	*tk;
	struct timeval		 tv;
	int64_t			 now = clock_us();

	(void)fd;
	(void)what;
	if ((tk = TAILQ_FIRST(&g->pacing)) == NULL)
		return;
	TAILQ_REMOVE(&g->pacing, tk, pace);
	tk->pacing = 0;
	tk->paced = 1;
	tk->ready(tk);
	g->next_start = (now > g->next_start ? now : g->next_start) +
	    g->cfg->pace_us;
	if (TAILQ_EMPTY(&g->pacing))
		return;
	tv = clock_timeval(g->next_start - now);
	evtimer_add(g->pace, &tv);
}

/* Gives back what the ticket holds: its task is done, or backing off. */
void
gate_leave(struct gate *g, struct gate_ticket *tk)
{
	if (tk->has_host) {
		tk->has_host = 0;
		sema_release(&tk->host->sema);
	}
	if (tk->has_turn)
		gate_unturn(g, tk);
	if (tk->has_job) {
		tk->has_job = 0;
		sema_release(&g->jobs);
	}
}

/* Stops waiting: for a permit, a host's turn or a start slot. */
void
gate_cancel(struct gate *g, struct gate_ticket *tk)
{
	sema_cancel(&tk->wait);
	if (tk->turning) {
		TAILQ_REMOVE(&tk->host->waiting, tk, turn);
		tk->turning = 0;
	}
	if (tk->pacing) {
		TAILQ_REMOVE(&g->pacing, tk, pace);
		tk->pacing = 0;
	}
}

/* How long a pausing answer pauses: Retry-After, else 1 s doubling. */
static int64_t
gate_pause_us(struct gate *g, const struct gate_host *h, int64_t retry_after)
{
	int64_t		d = GATE_PAUSE_FIRST_US;
	unsigned	i;

	if (retry_after > 0)
		return (retry_after < RETRY_AFTER_MAX_S ? retry_after :
		    RETRY_AFTER_MAX_S) * 1000000;
	for (i = 1; i < h->strikes && d < GATE_PAUSE_MAX_US; i++)
		d *= 2;
	if (d > GATE_PAUSE_MAX_US)
		d = GATE_PAUSE_MAX_US;
	/* Equal jitter: hosts paused together do not all come back at once. */
	return d / 2 + (int64_t)(retry_random(&g->rng) % (uint64_t)(d / 2 + 1));
}

/*
 * A response came from host:port with this status (and Retry-After, in
 * seconds, or 0).  Host back-off: a 429, or a 503 with Retry-After,
 * pauses the host: no new request starts to it until the pause ends
 * (Retry-After capped at 120 s, else 1 s doubling with each further one
 * in a row up to 60 s, with jitter; never past --deadline).  Any other
 * answer ends the series.  Requests in flight finish as they will.
 */
void
gate_answer(struct gate *g, const char *host, long port, long status,
    int64_t retry_after)
{
	struct gate_host	*h;
	int64_t			 now, until, from;

	if (!g->backoff)
		return;
	h = (struct gate_host *)(void *)hostmap_find(&g->hosts, host, port);
	if (status != 429 && !(status == 503 && retry_after > 0)) {
		if (h != NULL)
			h->strikes = 0;
		return;
	}
	if (h == NULL || !h->paused) {
		h = gate_host_get(g, host, port);	/* the pause's */
		h->paused = 1;
		TAILQ_INSERT_TAIL(&g->paused, h, paused_link);
		g->npaused++;
	}
	h->strikes++;
	now = clock_us();
	until = now + gate_pause_us(g, h, retry_after);
	if (g->deadline != 0 && until > g->deadline)
		until = g->deadline;
	if (until > h->paused_until) {
		from = h->paused_until > now ? h->paused_until : now;
		g->stats.pauses++;
		g->stats.paused_us += until - from;
		h->paused_until = until;
		msg_debug("pausing %s:%ld for %.1f s (%ld)", h->key.name,
		    h->key.port, (double)(until - now) / 1e6, status);
	}
	gate_host_arm(g, h);
}

/* 1 when no other task of the run is for the ticket's host:port. */
int
gate_alone(const struct gate_ticket *tk)
{
	const struct gate_host	*h = tk->host;

	return h != NULL && h->key.refs - (h->paused ? 1 : 0) == 1;
}

/* Tasks holding a -j permit now. */
unsigned
gate_in_flight(const struct gate *g)
{
	return sema_held(&g->jobs);
}

/* -j permits free now: whether another task could start at once. */
unsigned
gate_room(const struct gate *g)
{
	return sema_available(&g->jobs);
}

/* -j lowered to at most n, as permits come back; the new cap. */
unsigned
gate_shrink(struct gate *g, unsigned n)
{
	return sema_shrink(&g->jobs, n);
}

/* Hosts paused now. */
unsigned
gate_paused(const struct gate *g)
{
	return g->npaused;
}

const struct gate_stats *
gate_stats(const struct gate *g)
{
	return &g->stats;
}
