/*
 * progress.c: --progress.  A timer redraws one line on standard error at
 * most PROGRESS_HZ times a second from the counts the sink and its probe
 * (the scheduler's) keep; nothing is counted twice and the hot path does
 * no work for it.
 * The line goes through msg_status(), so a warning printed meanwhile
 * erases it first and never shares a line with it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "clock.h"
#include "msg.h"
#include "progress.h"
#include "sink.h"
#include "xmalloc.h"

#define PROGRESS_HZ	10

struct progress {
	struct event		*tick;
	const struct sink	*sink;
	struct progress_probe	 probe;
	int64_t			 t0;
};

static void
progress_draw(const struct progress *p)
{
	const struct sink_counts	*c = sink_counts(p->sink);
	char				 line[192], total[32] = "", paused[32] = "";
	unsigned			 np;
	double				 secs;
	uint64_t			 n;

	secs = (double)(clock_us() - p->t0) / 1e6;
	if (p->probe.total(p->probe.arg, &n))
		snprintf(total, sizeof total, "/%llu", (unsigned long long)n);
	if ((np = p->probe.paused(p->probe.arg)) > 0)
		snprintf(paused, sizeof paused, ", %u host%s paused", np,
		    np == 1 ? "" : "s");
	snprintf(line, sizeof line, "cofetch: %llu%s done, %.0f/s, %llu "
	    "failed, %u in flight%s, %.1f s", (unsigned long long)c->results,
	    total, secs > 0 ? (double)c->results / secs : 0.0,
	    (unsigned long long)(c->failed + c->cancelled),
	    p->probe.in_flight(p->probe.arg), paused, secs);
	msg_status(line);
}

static void
progress_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	progress_draw(arg);
}

struct progress *
progress_new(struct event_base *base, const struct sink *sink,
    const struct progress_probe *probe, int64_t t0)
{
	struct progress	*p;
	struct timeval	 every = { 0, 1000000 / PROGRESS_HZ };

	p = xcalloc(1, sizeof *p);
	p->sink = sink;
	p->probe = *probe;
	p->t0 = t0;
	p->tick = event_new(base, -1, EV_PERSIST, progress_tick_cb, p);
	if (p->tick == NULL || event_add(p->tick, &every) != 0)
		msg_fatal("cannot start the progress timer");
	return p;
}

/* Stops the timer and erases the line, before the summary is written. */
void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	event_free(p->tick);
	msg_status(NULL);
	free(p);
}
