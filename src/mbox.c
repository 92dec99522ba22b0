/*
 * mbox.c: a queue between threads.  A writer wakes the reader's loop (an
 * eventfd) only when the queue was empty, so a busy reader takes many
 * messages per wake-up and a busy writer makes no system call per message.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <event2/event.h>

#include "mbox.h"
#include "msg.h"
#include "xmalloc.h"

struct mbox {
	pthread_mutex_t	 lock;
	struct mbox_msg	*msgs;		/* the writers', under lock */
	size_t		 n, cap;
	struct mbox_msg	*taken;		/* the reader's batch */
	size_t		 taken_cap;
	int		 fd;
	struct event	*ev;
	mbox_cb		*cb;
	void		*arg;
};

/* The reader's: swaps the queue with its own array, then runs the batch. */
static void
mbox_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mbox	*mb = arg;
	struct mbox_msg	*msgs;
	uint64_t	 count;
	size_t		 n, cap;

	(void)what;
	if (read(fd, &count, sizeof count) < 0 && errno != EAGAIN)
		msg_fatal("cannot read a thread's wake-up: %s",
		    strerror(errno));
	pthread_mutex_lock(&mb->lock);
	msgs = mb->msgs;
	cap = mb->cap;
	n = mb->n;
	mb->msgs = mb->taken;
	mb->cap = mb->taken_cap;
	mb->n = 0;
	pthread_mutex_unlock(&mb->lock);
	mb->taken = msgs;
	mb->taken_cap = cap;
	if (n > 0)
		mb->cb(msgs, n, mb->arg);
}

struct mbox *
mbox_new(struct event_base *base, mbox_cb *cb, void *arg)
{
	struct mbox	*mb;

	mb = xcalloc(1, sizeof *mb);
	pthread_mutex_init(&mb->lock, NULL);
	mb->cb = cb;
	mb->arg = arg;
	if ((mb->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		msg_fatal("cannot create an eventfd: %s", strerror(errno));
	mb->ev = event_new(base, mb->fd, EV_READ | EV_PERSIST, mbox_read_cb,
	    mb);
	if (mb->ev == NULL || event_add(mb->ev, NULL) != 0)
		msg_fatal("cannot watch a thread's queue");
	return mb;
}

/* Only once neither side runs any more; what is still queued is dropped. */
void
mbox_free(struct mbox *mb)
{
	event_free(mb->ev);
	close(mb->fd);
	pthread_mutex_destroy(&mb->lock);
	free(mb->msgs);
	free(mb->taken);
	free(mb);
}

void
mbox_post(struct mbox *mb, const struct mbox_msg *m)
{
	uint64_t	one = 1;
	int		was_empty;

	pthread_mutex_lock(&mb->lock);
	if (mb->n == mb->cap) {
		mb->cap = mb->cap ? mb->cap * 2 : 64;
		mb->msgs = xrealloc(mb->msgs, mb->cap * sizeof *mb->msgs);
	}
	mb->msgs[mb->n++] = *m;
	was_empty = mb->n == 1;
	pthread_mutex_unlock(&mb->lock);
	/* An eventfd's write fails only past 2^64 - 2 unread: never. */
	if (was_empty && write(mb->fd, &one, sizeof one) < 0)
		msg_fatal("cannot wake a thread: %s", strerror(errno));
}
