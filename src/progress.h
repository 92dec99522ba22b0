/*
 * progress.h: the progress line on standard error, redrawn from a timer.
 */
#ifndef COFETCH_PROGRESS_H
#define COFETCH_PROGRESS_H

#include <stdint.h>

struct event_base;
struct sched;
struct sink;

struct progress	*progress_new(struct event_base *, const struct sink *,
		    const struct sched *, int64_t);
void		 progress_free(struct progress *);

#endif
