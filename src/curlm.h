/*
 * curlm.h: one libcurl multi handle on one event loop: its sockets'
 * events, its timer, and the transfers it finishes, each handed to the
 * owner's callback.  Knows nothing of what a transfer is for.
 */
#ifndef COFETCH_CURLM_H
#define COFETCH_CURLM_H

#include <curl/curl.h>

struct event_base;

/* A transfer ended with rc; it is still in the multi handle. */
typedef void	curlm_done_fn(void *, CURL *, CURLcode);

struct curlm	*curlm_new(struct event_base *, curlm_done_fn *, void *);
void		 curlm_close(struct curlm *);
void		 curlm_free(struct curlm *);
CURLMcode	 curlm_add(struct curlm *, CURL *);
void		 curlm_remove(struct curlm *, CURL *);
void		 curlm_max_connects(struct curlm *, long);
int		 curlm_full(const struct curlm *);
unsigned	 curlm_running(const struct curlm *);
unsigned long	 curlm_unseen_closes(const struct curlm *);

#endif
