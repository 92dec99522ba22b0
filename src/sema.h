/*
 * sema.h: a counting semaphore with a FIFO of waiters (asyncio.Semaphore).
 * A waiter is embedded in whatever waits; grant() is called when a permit
 * is handed to it, and must only schedule work, not do it.
 */
#ifndef COFETCH_SEMA_H
#define COFETCH_SEMA_H

#include <sys/queue.h>

struct sema;

struct sema_waiter {
	TAILQ_ENTRY(sema_waiter)  entry;
	void			(*grant)(struct sema_waiter *);
	struct sema		 *queued;	/* the semaphore waited on */
};

struct sema {
	unsigned			avail;
	unsigned			held;
	unsigned			retiring;	/* dropped when released */
	TAILQ_HEAD(, sema_waiter)	waiters;
};

void	sema_init(struct sema *, unsigned);
int	sema_acquire(struct sema *, struct sema_waiter *);
void	sema_release(struct sema *);
void	sema_cancel(struct sema_waiter *);
unsigned sema_shrink(struct sema *, unsigned);

static inline unsigned
sema_available(const struct sema *s)
{
	return s->avail;
}

static inline unsigned
sema_held(const struct sema *s)
{
	return s->held;
}

#endif
