/*
 * mbox.h: a queue of messages from any thread to the thread that runs one
 * event loop, which gets them in batches, in the order they were posted.
 */
#ifndef COFETCH_MBOX_H
#define COFETCH_MBOX_H

#include <stddef.h>

struct event_base;

struct mbox_msg {
	int	 kind;
	void	*to;
	void	*what;
	long	 n;
};

typedef void	mbox_cb(const struct mbox_msg *, size_t, void *);

struct mbox	*mbox_new(struct event_base *, mbox_cb *, void *);
void		 mbox_free(struct mbox *);
void		 mbox_post(struct mbox *, const struct mbox_msg *);

#endif
