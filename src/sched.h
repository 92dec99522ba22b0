/*
 * sched.h: the scheduler.  Admits input lines as tasks while the -j
 * semaphore (and, with -k, the reorder window) has room, runs woken tasks
 * from one kick event, and ends the loop when every admitted task is done.
 */
#ifndef COFETCH_SCHED_H
#define COFETCH_SCHED_H

#include <stdint.h>

struct event_base;
struct config;
struct doneset;
struct dns;
struct input;
struct sink;
struct task;
struct xfer;

struct sched	*sched_new(struct event_base *, const struct config *,
		    struct input *, struct sink *, struct dns *, struct xfer *);
void		 sched_free(struct sched *);
void		 sched_start(struct sched *);
void		 sched_kick(void *);
void		 sched_stop(struct sched *, const char *);
void		 sched_abort(struct sched *);
void		 sched_wake(struct task *);
void		 sched_task_done(struct task *);
int		 sched_acquire(struct task *);
void		 sched_release(struct task *);
int		 sched_pace(struct task *);
void		 sched_unpace(struct task *);
int		 sched_stopping(const struct sched *);
void		 sched_skip_done(struct sched *, struct doneset *);
uint64_t	 sched_skipped(const struct sched *);
void		 sched_set_deadline(struct sched *, int64_t);
int		 sched_before_deadline(const struct sched *, int64_t);
uint64_t	 sched_random(struct sched *);
struct xfer	*sched_xfer(const struct sched *);
struct dns	*sched_dns(const struct sched *);
struct event_base *sched_base(const struct sched *);
const struct config *sched_config(const struct sched *);
unsigned	 sched_in_flight(const struct sched *);
int		 sched_total(const struct sched *, uint64_t *);

#endif
