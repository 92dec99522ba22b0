/*
 * xfer.h: transfers on libcurl's multi_socket interface, driven by the
 * main thread's libevent loop or by transfer threads' loops.  A job goes
 * in with xfer_start() and comes back through its done() on the main
 * thread, always, its result filled.
 */
#ifndef COFETCH_XFER_H
#define COFETCH_XFER_H

#include <stddef.h>

struct event_base;
struct config;
struct xfer_job;

struct xfer	*xfer_new(struct event_base *, const struct config *);
void		 xfer_free(struct xfer *);
void		 xfer_start(struct xfer *, struct xfer_job *);
void		 xfer_abort(struct xfer *, struct xfer_job *);
void		 xfer_drop(struct xfer *, struct xfer_job *);
void		 xfer_shrink(struct xfer *, size_t);
void		 xfer_halt(struct xfer *);
unsigned long	 xfer_curl_resolves(const struct xfer *);

#endif
