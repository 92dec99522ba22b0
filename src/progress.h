/*
 * progress.h: the progress line on standard error, redrawn from a timer.
 */
#ifndef COFETCH_PROGRESS_H
#define COFETCH_PROGRESS_H

#include <stdint.h>

struct event_base;
struct sink;

/* What the line shows beyond the sink's counts, asked of the caller. */
struct progress_probe {
	int		 (*total)(const void *, uint64_t *);	/* 0: unknown yet */
	unsigned	 (*in_flight)(const void *);
	unsigned	 (*paused)(const void *);	/* hosts */
	const void	*arg;
};

struct progress	*progress_new(struct event_base *, const struct sink *,
		    const struct progress_probe *, int64_t);
void		 progress_free(struct progress *);

#endif
