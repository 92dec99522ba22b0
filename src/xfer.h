/*
 * xfer.h: transfers on libcurl's multi_socket interface, driven by the
 * libevent loop, or on transfer threads' loops.  A finished transfer's
 * result is in its task and the task is handed to done(), on the main
 * thread, which must only wake it.
 */
#ifndef COFETCH_XFER_H
#define COFETCH_XFER_H

#include <stddef.h>

struct event_base;
struct config;
struct saver;
struct spool;
struct task;

struct xfer	*xfer_new(struct event_base *, const struct config *,
		    void (*)(struct task *), struct spool *, struct saver *);
void		 xfer_free(struct xfer *);
void		 xfer_start(struct xfer *, struct task *);
void		 xfer_shrink(struct xfer *, size_t);
void		 xfer_abort(struct task *, const char *);
void		 xfer_halt(struct xfer *);
void		 xfer_drop(struct xfer *, struct task *);
unsigned long	 xfer_curl_resolves(const struct xfer *);

#endif
