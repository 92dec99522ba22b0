/*
 * mbox.h: a queue of messages from any thread to the thread that runs one
 * event loop, which gets them in batches, in the order they were posted;
 * mbox_out gathers one writer's posts for the end of its loop's pass.
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

struct mbox_out	*mbox_out_new(struct event_base *, struct mbox *);
void		 mbox_out_free(struct mbox_out *);
void		 mbox_out_post(struct mbox_out *, const struct mbox_msg *);
void		 mbox_out_flush(struct mbox_out *);

#endif
