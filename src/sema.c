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
	TAILQ_INIT(&s->waiters);
}

/* 1: the permit is held now.  0: queued; w->grant() runs when it is. */
int
sema_acquire(struct sema *s, struct sema_waiter *w)
{
	if (s->avail > 0 && TAILQ_EMPTY(&s->waiters)) {
		s->avail--;
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

	if ((w = TAILQ_FIRST(&s->waiters)) == NULL) {
		s->avail++;
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
