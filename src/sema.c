/*
 * sema.c: FIFO counting semaphore.  A released permit goes straight to the
 * oldest waiter, so a stream of newcomers can never starve it.  Pure.
 */
#include "config.h"

#include <stddef.h>

#include "sema.h"

void
sema_init(struct sema *s, unsigned permits)
{
	s->avail = permits;
	s->held = 0;
	s->retiring = 0;
	TAILQ_INIT(&s->waiters);
}

/* 1: the permit is held now.  0: queued; w->grant() runs when it is. */
int
sema_acquire(struct sema *s, struct sema_waiter *w)
{
	if (s->avail > 0 && TAILQ_EMPTY(&s->waiters)) {
		s->avail--;
		s->held++;
		return 1;
	}
	TAILQ_INSERT_TAIL(&s->waiters, w, entry);
	w->queued = s;
	return 0;
}

void
sema_release(struct sema *s)
{
	struct sema_waiter	*w;

	if (s->retiring > 0) {
		s->retiring--;
		s->held--;
		return;
	}
	if ((w = TAILQ_FIRST(&s->waiters)) == NULL) {
		s->avail++;
		s->held--;
		return;
	}
	TAILQ_REMOVE(&s->waiters, w, entry);
	w->queued = NULL;
	w->grant(w);
}

/* Leaves the queue without a permit; harmless if w is not queued. */
void
sema_cancel(struct sema_waiter *w)
{
	if (w->queued == NULL)
		return;
	TAILQ_REMOVE(&w->queued->waiters, w, entry);
	w->queued = NULL;
}

/*
 * At most `permits' (at least 1) in all, held and free: free ones go at
 * once, held ones as they come back.  Returns how many there are now.
 */
unsigned
sema_shrink(struct sema *s, unsigned permits)
{
	unsigned	total = s->avail + s->held - s->retiring, drop;

	if (permits == 0)
		permits = 1;
	if (permits >= total)
		return total;
	drop = total - permits;
	if (drop <= s->avail)
		s->avail -= drop;
	else {
		s->retiring += drop - s->avail;
		s->avail = 0;
	}
	return permits;
}
