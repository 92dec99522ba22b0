/*
 * sink.c: result lines to standard output.
 *
 * Lines are appended to one buffer and written when the scheduler's kick
 * ends (one write for all results of a loop pass) or when it grows past
 * SINK_FLUSH_AT.  Only whole lines enter the buffer and a write is retried
 * until all of it is out, so no line is ever cut or interleaved.
 *
 * A pipe's reader going away (| head -1) shows as EPIPE on the next write;
 * to notice it without waiting for one, a pipe on standard output is also
 * watched: epoll reports an error on the write end once the read end is
 * closed.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "conf.h"
#include "format.h"
#include "msg.h"
#include "reorder.h"
#include "sink.h"
#include "spool.h"
#include "xmalloc.h"

#define SINK_FLUSH_AT	65536

/* A line waiting in the -k window. */
struct sink_line {
	size_t	len;
	char	data[];
};

struct sink {
	const struct config	*cfg;
	struct buf		 out;		/* whole lines not yet written */
	struct buf		 line;		/* scratch for -k */
	void			(*free_item)(void *); /* of the window */
	struct reorder		 window;
	struct event		*watch;		/* reader of a pipe gone */
	enum sink_state		 state;
	int			 parts;		/* FORMAT_* for json lines */
	void			(*on_close)(void *);
	void			*arg;
	struct sink_counts	 counts;
};

static void
sink_closed(struct sink *k, enum sink_state st)
{
	if (k->state != SINK_OK)
		return;
	k->state = st;
	if (k->watch != NULL)
		event_del(k->watch);
	if (k->on_close != NULL)
		k->on_close(k->arg);
}

static void
sink_watch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sink	*k = arg;
	struct pollfd	 p = { .fd = fd, .events = POLLOUT };

	(void)what;
	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)))
		sink_closed(k, SINK_CLOSED);
}

static void
sink_watch_stdout(struct sink *k, struct event_base *base)
{
	struct stat	st;

	if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISFIFO(st.st_mode))
		return;
	k->watch = event_new(base, STDOUT_FILENO, EV_READ | EV_PERSIST,
	    sink_watch_cb, k);
	if (k->watch != NULL && event_add(k->watch, NULL) != 0) {
		event_free(k->watch);
		k->watch = NULL;
	}
}

static void
sink_free_body(void *b)
{
	body_free(b);
}

struct sink *
sink_new(struct event_base *base, const struct config *cfg)
{
	struct sink	*k;

	k = xcalloc(1, sizeof *k);
	k->cfg = cfg;
	k->parts = (cfg->lines_given ? FORMAT_HEAD : 0) |
	    (cfg->with_headers ? FORMAT_HEADERS : 0) |
	    (cfg->output_dir != NULL ? FORMAT_PATH : 0) |
	    (cfg->jsonl ? FORMAT_ID : 0) |
	    (cfg->with_chain ? FORMAT_CHAIN : 0) |
	    (cfg->with_body ? FORMAT_BODY : 0) |
	    (cfg->hash_sha256 ? FORMAT_SHA256 : 0) |
	    (cfg->revalidate != NULL ? FORMAT_UNCHANGED : 0);
	buf_init(&k->out);
	buf_init(&k->line);
	if (cfg->keep_order)
		reorder_init(&k->window, cfg->window);
	k->free_item = cfg->format == FMT_BODY ? sink_free_body : free;
	sink_watch_stdout(k, base);
	return k;
}

void
sink_free(struct sink *k)
{
	if (k->watch != NULL)
		event_free(k->watch);
	if (k->cfg->keep_order)
		reorder_free(&k->window, k->free_item);
	buf_free(&k->out);
	buf_free(&k->line);
	free(k);
}

void
sink_on_close(struct sink *k, void (*fn)(void *), void *arg)
{
	k->on_close = fn;
	k->arg = arg;
}

/* With -k, an index may start only if its result will fit the window. */
int
sink_has_room(const struct sink *k, uint64_t index)
{
	return !k->cfg->keep_order || reorder_fits(&k->window, index);
}

static void
sink_count(struct sink *k, const struct result *r)
{
	k->counts.results++;
	k->counts.by_error[r->error]++;
	if (r->error == ERR_NONE)
		k->counts.ok++;
	else if (r->error == ERR_CANCELLED)
		k->counts.cancelled++;
	else
		k->counts.failed++;
}

/* -f body: the body's bytes, read back from memory and the spool. */
static void
sink_put_body(struct sink *k, const struct body *b)
{
	uint64_t	at = 0;
	ssize_t		n;

	while (b != NULL && k->state == SINK_OK && at < b->len) {
		buf_grow(&k->out, SINK_FLUSH_AT);
		n = body_read(b, at, k->out.data + k->out.len, SINK_FLUSH_AT);
		if (n <= 0) {
			msg_warn("cannot read a held body back: %s",
			    n < 0 ? strerror(errno) : "it is short");
			sink_closed(k, SINK_FAILED);
			return;
		}
		k->out.len += (size_t)n;
		at += (uint64_t)n;
		if (k->out.len >= SINK_FLUSH_AT)
			sink_flush(k);
	}
}

/* With -k: writes what has become the head of the window. */
static void
sink_drain(struct sink *k)
{
	struct sink_line	*held;
	void			*item;

	while (k->cfg->keep_order && reorder_pop(&k->window, &item)) {
		if (item == NULL)
			continue;		/* a skipped index */
		if (k->cfg->format == FMT_BODY) {
			sink_put_body(k, item);
			body_free(item);
			continue;
		}
		held = item;
		buf_add(&k->out, held->data, held->len);
		free(held);
	}
}

/*
 * Bodies leave whole, in output order; a failure has no body, so it is
 * told on standard error, where it cannot mix with them.
 */
static void
sink_emit_body(struct sink *k, struct result *r)
{
	struct body	*b = r->body;

	r->body = NULL;
	if (r->error != ERR_NONE && !k->cfg->quiet)
		msg_warn("%s: %s: %s", r->url, err_name(r->error),
		    r->message != NULL ? r->message : "");
	if (k->cfg->keep_order && !reorder_pass(&k->window, r->index)) {
		reorder_put(&k->window, r->index, b);
		b = NULL;
	}
	sink_put_body(k, b);
	body_free(b);
	sink_drain(k);
}

static void
sink_emit_line(struct sink *k, const struct result *r)
{
	struct sink_line	*held;

	if (!k->cfg->keep_order || reorder_pass(&k->window, r->index))
		format_result(&k->out, r, k->cfg->format, k->parts);
	else {
		buf_reset(&k->line);
		format_result(&k->line, r, k->cfg->format, k->parts);
		held = xmalloc(sizeof *held + k->line.len);
		held->len = k->line.len;
		memcpy(held->data, k->line.data, k->line.len);
		reorder_put(&k->window, r->index, held);
	}
	sink_drain(k);
}

/* Takes what the sink keeps of r (a -f body body); r stays the caller's. */
void
sink_emit(struct sink *k, struct result *r)
{
	if (k->state != SINK_OK)
		return;
	sink_count(k, r);
	if (k->cfg->format == FMT_BODY)
		sink_emit_body(k, r);
	else
		sink_emit_line(k, r);
	if (k->out.len >= SINK_FLUSH_AT)
		sink_flush(k);
}

/* An index that gets no result (--shard): -k must not wait for it. */
void
sink_skip(struct sink *k, uint64_t index)
{
	if (!k->cfg->keep_order || k->state != SINK_OK)
		return;
	if (!reorder_pass(&k->window, index))
		reorder_put(&k->window, index, NULL);
	sink_drain(k);
}

/* Waits for room on a descriptor someone else made non-blocking. */
static int
sink_wait_writable(void)
{
	struct pollfd	p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&p, 1, -1) < 0 && errno != EINTR ? -1 : 0;
}

void
sink_flush(struct sink *k)
{
	size_t	off = 0;
	ssize_t	n;

	while (k->state == SINK_OK && off < k->out.len) {
		n = write(STDOUT_FILENO, k->out.data + off, k->out.len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && sink_wait_writable() == 0)
			continue;
		if (n < 0 && errno == EPIPE)
			sink_closed(k, SINK_CLOSED);
		else {
			msg_warn("cannot write results: %s",
			    n < 0 ? strerror(errno) : "no progress");
			sink_closed(k, SINK_FAILED);
		}
	}
	buf_reset(&k->out);
}

enum sink_state
sink_state(const struct sink *k)
{
	return k->state;
}

const struct sink_counts *
sink_counts(const struct sink *k)
{
	return &k->counts;
}
