/*
 * loop.c: the event loops' configuration.  Every loop is run by one
 * thread only, and threads hand work over through their own queues, so
 * libevent's locks would only cost.
 */
#include "config.h"

#include <event2/event.h>

#include "loop.h"
#include "msg.h"

struct event_base *
loop_new(void)
{
	struct event_config	*ec;
	struct event_base	*base;

	/* Without PRECISE_TIMER libevent's clock is only good to ~4 ms. */
	if ((ec = event_config_new()) == NULL)
		msg_fatal("cannot configure the event loop");
	event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
	event_config_set_flag(ec, EVENT_BASE_FLAG_NOLOCK);
	base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (base == NULL)
		msg_fatal("cannot create the event loop");
	return base;
}
