/*
 * gate.h: when a task may start.  A task holds a ticket from admission
 * to its end; through it, it takes its host's permit (--per-host), waits
 * for its host's turn (--per-host-rate, and while the host is paused
 * after a 429), takes a -j permit, and last waits for its --rate slot.
 * It waits at one of them at a time, so while its host is busy or paused
 * it holds no -j permit and tasks for other hosts go ahead.  ready() is
 * called when a wait ends, and may only schedule work.
 */
#ifndef COFETCH_GATE_H
#define COFETCH_GATE_H

#include <stdint.h>
#include <sys/queue.h>

#include "sema.h"

struct config;
struct event_base;
struct gate_host;

enum gate_status {
	GATE_GO,		/* may go on now */
	GATE_WAIT,		/* waits: ready() follows */
	GATE_REQUEUED		/* its host was paused meanwhile: it gave
				   its -j permit back and waits for its
				   host's turn again; ready() follows */
};

struct gate_ticket {
	struct sema_waiter	 wait;		/* the host's, then the -j one */
	struct gate_host	*host;		/* referenced; NULL: bad line */
	int			 has_host;	/* holds its host's permit */
	int			 has_turn;	/* past its host's turn */
	int			 has_job;	/* holds a -j permit */
	TAILQ_ENTRY(gate_ticket) turn;		/* its host's queue */
	int			 turning;	/* on it */
	TAILQ_ENTRY(gate_ticket) pace;		/* the --rate queue */
	int			 pacing;	/* on it */
	int			 paced;		/* its start slot came */
	void			(*ready)(struct gate_ticket *);
};

/* What host back-off did, for the summary. */
struct gate_stats {
	uint64_t	pauses;		/* hosts paused, or pauses made longer */
	int64_t		paused_us;	/* pause time set, in all */
};

struct gate	*gate_new(struct event_base *, const struct config *,
		    uint64_t);
void		 gate_free(struct gate *);
void		 gate_set_deadline(struct gate *, int64_t);
void		 gate_ticket_init(struct gate *, struct gate_ticket *,
		    const char *, long, void (*)(struct gate_ticket *));
void		 gate_ticket_clear(struct gate *, struct gate_ticket *);
enum gate_status gate_enter(struct gate *, struct gate_ticket *);
enum gate_status gate_pace(struct gate *, struct gate_ticket *);
void		 gate_leave(struct gate *, struct gate_ticket *);
void		 gate_cancel(struct gate *, struct gate_ticket *);
void		 gate_answer(struct gate *, const char *, long, long, int64_t);
int		 gate_alone(const struct gate_ticket *);
unsigned	 gate_in_flight(const struct gate *);
unsigned	 gate_room(const struct gate *);
unsigned	 gate_shrink(struct gate *, unsigned);
unsigned	 gate_paused(const struct gate *);
const struct gate_stats *gate_stats(const struct gate *);

#endif
