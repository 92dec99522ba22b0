/*
 * input.c: reads URL lines from the arguments and from files, pipes and
 * terminals without ever blocking the loop.  Pipes, sockets and terminals
 * are read once per readiness event (so a read never blocks and their
 * O_NONBLOCK flag, shared with other processes, is left alone); regular
 * files never block and are read directly.  Reading happens only when the
 * scheduler asks for a line, which is what bounds memory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "input.h"
#include "lines.h"
#include "msg.h"
#include "xmalloc.h"

struct source {
	const char	*name;		/* for messages */
	int		 fd;		/* -1: the URL arguments */
	int		 pollable;
};

struct input {
	struct event_base	*base;
	const struct config	*cfg;
	struct source		*src;
	size_t			 nsrc;
	size_t			 cur;
	size_t			 argi;
	struct lines		 lines;
	struct event		*ev;		/* current source readable */
	int			 readable;
	void			(*notify)(void *);
	void			*arg;
};

static int
input_pollable(int fd)
{
	struct stat	st;

	if (fstat(fd, &st) != 0)
		return 0;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    (S_ISCHR(st.st_mode) && isatty(fd));
}

static int
input_add_fd(struct input *in, const char *path)
{
	struct source	*s = &in->src[in->nsrc];
	int		 fd;

	if (strcmp(path, "-") == 0) {
		s->name = "standard input";
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		msg_warn("cannot open %s: %s", path, strerror(errno));
		return -1;
	} else
		s->name = path;
	s->fd = fd;
	s->pollable = input_pollable(fd);
	in->nsrc++;
	return 0;
}

/* Opens every -i file now, so a typo fails before anything is fetched. */
struct input *
input_new(struct event_base *base, const struct config *cfg)
{
	struct input	*in;
	size_t		 i;

	in = xcalloc(1, sizeof *in);
	in->base = base;
	in->cfg = cfg;
	in->src = xcalloc(cfg->ninputs + 2, sizeof *in->src);
	if (cfg->nurls > 0) {
		in->src[0].name = "arguments";
		in->src[0].fd = -1;
		in->nsrc = 1;
	}
	for (i = 0; i < cfg->ninputs; i++) {
		if (input_add_fd(in, cfg->inputs[i]) != 0) {
			input_free(in);
			return NULL;
		}
	}
	if (in->nsrc == 0)
		input_add_fd(in, "-");
	lines_init(&in->lines);
	return in;
}

static void
input_close_current(struct input *in)
{
	struct source	*s = &in->src[in->cur];

	if (in->ev != NULL) {
		event_free(in->ev);
		in->ev = NULL;
	}
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	s->fd = -1;
}

void
input_free(struct input *in)
{
	for (; in->cur < in->nsrc; in->cur++)
		input_close_current(in);
	lines_free(&in->lines);
	free(in->src);
	free(in);
}

void
input_on_readable(struct input *in, void (*notify)(void *), void *arg)
{
	in->notify = notify;
	in->arg = arg;
}

static void
input_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct input	*in = arg;

	(void)fd;
	(void)what;
	in->readable = 1;
	event_del(in->ev);
	in->notify(in->arg);
}

/* Readiness is awaited only while the scheduler wants a line. */
static void
input_await(struct input *in, struct source *s)
{
	if (in->ev == NULL) {
		in->ev = event_new(in->base, s->fd, EV_READ | EV_PERSIST,
		    input_ready_cb, in);
		if (in->ev == NULL)
			msg_fatal("cannot watch %s", s->name);
	}
	event_add(in->ev, NULL);
}

/* One read(2); EOF and read errors both end the source. */
static void
input_read(struct input *in, struct source *s)
{
	char	*p;
	size_t	 avail;
	ssize_t	 n;

	in->readable = 0;
	p = lines_space(&in->lines, &avail);
	n = read(s->fd, p, avail);
	if (n > 0)
		lines_fill(&in->lines, (size_t)n);
	else if (n == 0)
		lines_set_eof(&in->lines);
	else if (errno != EINTR && errno != EAGAIN) {
		msg_warn("cannot read %s: %s", s->name, strerror(errno));
		lines_set_eof(&in->lines);
	}
}

static int
input_next_arg(struct input *in, struct line *ln)
{
	const char	*a;

	if (in->argi >= in->cfg->nurls)
		return 0;
	a = in->cfg->urls[in->argi++];
	ln->s = a;
	ln->len = strlen(a);
	ln->flags = 0;
	if (ln->len > LINE_MAX_BYTES) {
		ln->len = LINE_MAX_BYTES;
		ln->flags = LINE_TOO_LONG;
	}
	line_trim(ln);
	return 1;
}

enum input_status
input_next(struct input *in, struct line *ln)
{
	struct source	*s;

	while (in->cur < in->nsrc) {
		s = &in->src[in->cur];
		if (s->fd < 0) {
			if (input_next_arg(in, ln))
				return INPUT_LINE;
		} else {
			if (lines_next(&in->lines, ln))
				return INPUT_LINE;
			if (!in->lines.eof) {
				if (s->pollable && !in->readable) {
					input_await(in, s);
					return INPUT_WAIT;
				}
				input_read(in, s);
				continue;
			}
		}
		input_close_current(in);
		lines_reset(&in->lines);
		in->readable = 0;
		in->cur++;
	}
	return INPUT_END;
}

void
input_stop(struct input *in)
{
	if (in->ev != NULL)
		event_del(in->ev);
}
