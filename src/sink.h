/*
 * sink.h: where results go.  Formats each result as one line, keeps input
 * order with -k through a bounded window, writes whole lines to standard
 * output, and notices when its reader has gone.
 */
#ifndef COFETCH_SINK_H
#define COFETCH_SINK_H

#include <stdint.h>

#include "result.h"

struct event_base;
struct config;

enum sink_state {
	SINK_OK,
	SINK_CLOSED,		/* the reader closed standard output */
	SINK_FAILED		/* another write error, already reported */
};

struct sink_counts {
	uint64_t	results;
	uint64_t	ok;
	uint64_t	failed;
	uint64_t	cancelled;
	uint64_t	by_error[ERR__COUNT];
};

struct sink			*sink_new(struct event_base *,
				    const struct config *);
void				 sink_free(struct sink *);
void				 sink_on_close(struct sink *, void (*)(void *),
				    void *);
int				 sink_has_room(const struct sink *, uint64_t);
void				 sink_emit(struct sink *, struct result *);
void				 sink_skip(struct sink *, uint64_t);
void				 sink_flush(struct sink *);
enum sink_state			 sink_state(const struct sink *);
const struct sink_counts	*sink_counts(const struct sink *);

#endif
