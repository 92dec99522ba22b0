/*
 * t_sema.c: the FIFO semaphore: permits up to the count, waiters granted
 * in arrival order, a cancelled waiter skipped, and shrinking: free
 * permits go at once, held ones as they come back, and never below one.
 */
#include <stddef.h>

#include "../../src/sema.h"
#include "unit.h"

struct waiter {
	struct sema_waiter	w;
	int			id;
};

static int granted[8], ngranted;

static void
grant(struct sema_waiter *w)
{
	granted[ngranted++] = ((struct waiter *)w)->id;
}

int
main(void)
{
	struct sema	s;
	struct waiter	w[5];
	int		i;

	for (i = 0; i < 5; i++) {
		w[i].w.grant = grant;
		w[i].w.queued = NULL;
		w[i].id = i;
	}
	sema_init(&s, 2);
	CHECK("first permit", sema_acquire(&s, &w[0].w) == 1);
	CHECK("second permit", sema_acquire(&s, &w[1].w) == 1);
	CHECK("none left", sema_available(&s) == 0);
	CHECK("third waits", sema_acquire(&s, &w[2].w) == 0);
	CHECK("fourth waits", sema_acquire(&s, &w[3].w) == 0);
	CHECK("fifth waits", sema_acquire(&s, &w[4].w) == 0);
	sema_cancel(&w[3].w);
	sema_release(&s);
	sema_release(&s);
	CHECK("granted in order, cancelled skipped", ngranted == 2 &&
	    granted[0] == 2 && granted[1] == 4);
	CHECK("grant does not free a permit", sema_available(&s) == 0);
	sema_release(&s);
	CHECK("release without waiters frees one", sema_available(&s) == 1);
	sema_cancel(&w[0].w);
	CHECK("cancel of a holder is harmless", sema_available(&s) == 1);
	sema_init(&s, 1);
	CHECK("waiters queue behind waiters", sema_acquire(&s, &w[0].w) == 1 &&
	    sema_acquire(&s, &w[1].w) == 0);
	sema_release(&s);
	CHECK("newcomer cannot jump the queue",
	    sema_acquire(&s, &w[2].w) == 0);
	ngranted = 0;
	sema_init(&s, 4);
	for (i = 0; i < 3; i++)
		sema_acquire(&s, &w[i].w);
	CHECK("shrink says how many are left", sema_shrink(&s, 2) == 2);
	CHECK("shrink takes the free permit", sema_available(&s) == 0 &&
	    sema_held(&s) == 3);
	CHECK("shrunk: a newcomer waits", sema_acquire(&s, &w[3].w) == 0);
	sema_release(&s);
	CHECK("the first permit back is retired", ngranted == 0 &&
	    sema_held(&s) == 2);
	sema_release(&s);
	CHECK("the next goes to the waiter", ngranted == 1 &&
	    granted[0] == 3 && sema_held(&s) == 2);
	CHECK("shrinking to more is nothing", sema_shrink(&s, 8) == 2 &&
	    sema_available(&s) == 0);
	sema_shrink(&s, 0);
	sema_release(&s);
	sema_release(&s);
	CHECK("never below one permit", sema_available(&s) == 1 &&
	    sema_held(&s) == 0);
	return unit_done("t_sema");
}
