/*
 * loop.h: how an event loop is made, the same for the main thread's and
 * for each transfer thread's.
 */
#ifndef COFETCH_LOOP_H
#define COFETCH_LOOP_H

struct event_base;

struct event_base	*loop_new(void);

#endif
