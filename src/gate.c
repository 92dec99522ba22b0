/*
 * gate.c: the -j semaphore, one semaphore per live host:port for
 * --per-host (in a host table, so only hosts with live tasks cost
 * anything), and --rate's spacing of starts: one timer over a FIFO, a
 * token bucket of one, so never a burst.
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
#include "sema.h"
#include "xmalloc.h"

struct gate_host {
	struct hostmap_entry	 key;
	struct sema		 sema;
};

struct gate {
	const struct config	*cfg;
	struct sema		 jobs;		/* -j */
	struct hostmap		 hosts;		/* --per-host */
	TAILQ_HEAD(, gate_ticket) pacing;	/* --rate: waiting for a slot */
	struct event		*pace;
	int64_t			 next_start;	/* the next slot */
};

static void	gate_pace_cb(evutil_socket_t, short, void *);

struct gate *
gate_new(struct event_base *base, const struct config *cfg)
{
	struct gate	*g;

	g = xcalloc(1, sizeof *g);
	g->cfg = cfg;
	sema_init(&g->jobs, cfg->jobs);
	hostmap_init(&g->hosts);
	TAILQ_INIT(&g->pacing);
	if (cfg->pace_us > 0 &&
	    (g->pace = evtimer_new(base, gate_pace_cb, g)) == NULL)
		msg_fatal("cannot create the --rate timer");
	return g;
}

/* Every ticket must be cleared first. */
void
gate_free(struct gate *g)
{
	hostmap_free(&g->hosts);
	if (g->pace != NULL)
		event_free(g->pace);
	free(g);
}

/* The permit granted is the first one the ticket lacks: the host's first. */
static void
gate_granted(struct sema_waiter *w)
{
	struct gate_ticket	*tk = CONTAINER_OF(w, struct gate_ticket, wait);

	if (tk->host != NULL && !tk->has_host)
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
	struct gate_host	*h;

	tk->wait.grant = gate_granted;
	tk->ready = ready;
	if (g->cfg->per_host == 0)
		return;
	h = (struct gate_host *)(void *)hostmap_ref(&g->hosts, host, port,
	    sizeof *h);
	if (h->key.refs == 1)
		sema_init(&h->sema, g->cfg->per_host);
	tk->host = h;
}

/* The task ends: whatever the ticket waits for or holds goes back. */
void
gate_ticket_clear(struct gate *g, struct gate_ticket *tk)
{
	gate_cancel(g, tk);
	gate_leave(g, tk);
	if (tk->host != NULL)
		hostmap_unref(&g->hosts, &tk->host->key);
	tk->host = NULL;
}

/*
 * 1 if the ticket holds its host's permit and a -j one.  Else it waits in
 * the queue of the one it lacks, and ready() follows the grant.
 */
int
gate_enter(struct gate *g, struct gate_ticket *tk)
{
	if (tk->host != NULL && !tk->has_host) {
		if (!sema_acquire(&tk->host->sema, &tk->wait))
			return 0;
		tk->has_host = 1;
	}
	if (!tk->has_job) {
		if (!sema_acquire(&g->jobs, &tk->wait))
			return 0;
		tk->has_job = 1;
	}
	return 1;
}

/* Gives back the ticket's permits: its task is done, or backing off. */
void
gate_leave(struct gate *g, struct gate_ticket *tk)
{
	if (tk->has_host) {
		tk->has_host = 0;
		sema_release(&tk->host->sema);
	}
	if (tk->has_job) {
		tk->has_job = 0;
		sema_release(&g->jobs);
	}
}

/*
 * --rate: 1 if the ticket's task may start now.  Starts are at least
 * pace_us apart, first come first served; else it waits for its slot and
 * ready() follows.
 */
int
gate_pace(struct gate *g, struct gate_ticket *tk)
{
	int64_t		now;
	struct timeval	tv;

	if (g->pace == NULL || tk->paced) {
		tk->paced = 0;
		return 1;
	}
	now = clock_us();
	if (TAILQ_EMPTY(&g->pacing) && now >= g->next_start) {
		g->next_start = now + g->cfg->pace_us;
		return 1;
	}
	TAILQ_INSERT_TAIL(&g->pacing, tk, pace);
	tk->pacing = 1;
	if (!evtimer_pending(g->pace, NULL)) {
		tv = clock_timeval(g->next_start - now);
		evtimer_add(g->pace, &tv);
	}
	return 0;
}

static void
gate_unpace(struct gate *g, struct gate_ticket *tk)
{
	if (!tk->pacing)
		return;
	TAILQ_REMOVE(&g->pacing, tk, pace);
	tk->pacing = 0;
}

/* Stops waiting, for a permit or for a start slot. */
void
gate_cancel(struct gate *g, struct gate_ticket *tk)
{
	sema_cancel(&tk->wait);
	gate_unpace(g, tk);
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
	gate_unpace(g, tk);
	tk->paced = 1;
	tk->ready(tk);
	g->next_start = (now > g->next_start ? now : g->next_start) +
	    g->cfg->pace_us;
	if (TAILQ_EMPTY(&g->pacing))
		return;
	tv = clock_timeval(g->next_start - now);
	evtimer_add(g->pace, &tv);
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
