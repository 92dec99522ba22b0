/*
 * gate.h: when a task may start.  A task holds a ticket from admission
 * to its end; through it, it takes its host's permit (--per-host) and a
 * -j permit, and then waits for its --rate slot.  It waits at one of
 * them at a time, so while its host is busy it holds no -j permit and
 * tasks for other hosts go ahead.  ready() is called when a wait ends,
 * and may only schedule work.
 */
#ifndef COFETCH_GATE_H
#define COFETCH_GATE_H

#include <sys/queue.h>

#include "sema.h"

struct config;
struct event_base;
struct gate_host;

struct gate_ticket {
	struct sema_waiter	 wait;		/* the host's, then the -j one */
	struct gate_host	*host;		/* --per-host: referenced */
	int			 has_host;	/* holds its host's permit */
	int			 has_job;	/* holds a -j permit */
	TAILQ_ENTRY(gate_ticket) pace;		/* the --rate queue */
	int			 pacing;	/* on it */
	int			 paced;		/* its start slot came */
	void			(*ready)(struct gate_ticket *);
};

struct gate	*gate_new(struct event_base *, const struct config *);
void		 gate_free(struct gate *);
void		 gate_ticket_init(struct gate *, struct gate_ticket *,
		    const char *, long, void (*)(struct gate_ticket *));
void		 gate_ticket_clear(struct gate *, struct gate_ticket *);
int		 gate_enter(struct gate *, struct gate_ticket *);
int		 gate_pace(struct gate *, struct gate_ticket *);
void		 gate_leave(struct gate *, struct gate_ticket *);
void		 gate_cancel(struct gate *, struct gate_ticket *);
unsigned	 gate_in_flight(const struct gate *);
unsigned	 gate_room(const struct gate *);
unsigned	 gate_shrink(struct gate *, unsigned);

#endif
