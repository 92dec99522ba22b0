/*
 * input.h: the URL sources (arguments, then each -i source, or standard
 * input) read lazily, one line per input_next() call.
 */
#ifndef COFETCH_INPUT_H
#define COFETCH_INPUT_H

struct event_base;
struct config;
struct line;

enum input_status {
	INPUT_LINE,		/* a line is ready */
	INPUT_WAIT,		/* none yet: notify() runs when one may be */
	INPUT_END		/* every source is exhausted */
};

struct input		*input_new(struct event_base *, const struct config *);
void			 input_free(struct input *);
void			 input_on_readable(struct input *, void (*)(void *),
			     void *);
enum input_status	 input_next(struct input *, struct line *);
void			 input_stop(struct input *);

#endif
