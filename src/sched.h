/*
 * sched.h: the scheduler.  Admits input lines as tasks while a -j permit
 * (and, with -k, the reorder window) has room, runs woken tasks from one
 * kick event, and ends the loop when every admitted task is done.
 */
#ifndef COFETCH_SCHED_H
#define COFETCH_SCHED_H

#include <stdint.h>

struct event_base;
struct config;
struct doneset;
struct dns;
struct gate;
struct input;
struct saver;
struct sink;
struct spool;
struct validators;
struct xfer;

struct sched	*sched_new(struct event_base *, const struct config *,
		    struct input *, struct sink *, struct dns *, struct xfer *);
void		 sched_free(struct sched *);
void		 sched_keep_bodies(struct sched *, struct spool *,
		    struct saver *);
void		 sched_skip_done(struct sched *, struct doneset *);
void		 sched_revalidate(struct sched *, struct validators *);
void		 sched_set_deadline(struct sched *, int64_t);
void		 sched_start(struct sched *);
void		 sched_kick(void *);
void		 sched_stop(struct sched *, const char *);
void		 sched_abort(struct sched *);
uint64_t	 sched_skipped(const struct sched *);
uint64_t	 sched_repeats(const struct sched *);
unsigned	 sched_in_flight(const struct sched *);
const struct gate *sched_gate(const struct sched *);
int		 sched_total(const struct sched *, uint64_t *);

#endif
