/*
 * mbox.c: a queue between threads.  A writer wakes the reader's loop (an
 * eventfd) only when the queue was empty, so a busy reader takes many
 * messages per wake-up and a busy writer makes no system call per message.
 * A writer that runs a loop of its own posts through an mbox_out, which
 * hands over what one pass of that loop posted at the pass's end: one
 * lock and at most one wake-up for all of it.
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

/* msgs, grown to hold need messages. */
static struct mbox_msg *
mbox_room(struct mbox_msg *msgs, size_t *cap, size_t need)
{
	if (need <= *cap)
		return msgs;
	while (need > *cap)
		*cap = *cap > 0 ? *cap * 2 : 64;
	return xrealloc(msgs, *cap * sizeof *msgs);
}

static void
mbox_post_n(struct mbox *mb, const struct mbox_msg *m, size_t n)
{
	uint64_t	one = 1;
	int		was_empty;

	pthread_mutex_lock(&mb->lock);
	mb->msgs = mbox_room(mb->msgs, &mb->cap, mb->n + n);
	memcpy(mb->msgs + mb->n, m, n * sizeof *m);
	was_empty = mb->n == 0;
	mb->n += n;
	pthread_mutex_unlock(&mb->lock);
	/* An eventfd's write fails only past 2^64 - 2 unread: never. */
	if (was_empty && write(mb->fd, &one, sizeof one) < 0)
		msg_fatal("cannot wake a thread: %s", strerror(errno));
}

void
mbox_post(struct mbox *mb, const struct mbox_msg *m)
{
	mbox_post_n(mb, m, 1);
}

/*
 * The writer's side.  Its flush event is made active by the pass's first
 * post and so runs after the callbacks that were due before it, in the
 * same pass: a message waits microseconds, not a loop iteration.
 */
struct mbox_out {
	struct mbox	*to;
	struct event	*flush;		/* on the writer's loop */
	struct mbox_msg	*msgs;		/* posted since the last flush */
	size_t		 n, cap;
};

static void
mbox_out_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	mbox_out_flush(arg);
}

struct mbox_out *
mbox_out_new(struct event_base *base, struct mbox *to)
{
	struct mbox_out	*o;

	o = xcalloc(1, sizeof *o);
	o->to = to;
	if ((o->flush = event_new(base, -1, 0, mbox_out_cb, o)) == NULL)
		msg_fatal("cannot create a queue's flush");
	return o;
}

void
mbox_out_free(struct mbox_out *o)
{
	event_free(o->flush);
	free(o->msgs);
	free(o);
}

/* Posts m at the end of the writer's current pass. */
void
mbox_out_post(struct mbox_out *o, const struct mbox_msg *m)
{
	o->msgs = mbox_room(o->msgs, &o->cap, o->n + 1);
	o->msgs[o->n++] = *m;
	if (o->n == 1)
		event_active(o->flush, EV_TIMEOUT, 0);
}

/* Hands over what waits, now: before a message that must go at once. */
void
mbox_out_flush(struct mbox_out *o)
{
	if (o->n == 0)
		return;
	mbox_post_n(o->to, o->msgs, o->n);
	o->n = 0;
}
