/*
 * merge.c: cofetch --merge, a k-way merge of the -k -f json outputs of a
 * run's shards into what one unsharded -k run would have written.  Each
 * file is read in large blocks and keeps only its current line (the
 * head); a heap over the heads picks the lowest index; records are
 * copied byte for byte.  Anything that shows the files are not one run's
 * shards stops the merge, naming the file and line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "jsoncheck.h"
#include "merge.h"
#include "msg.h"
#include "xmalloc.h"

#define MERGE_READ	(256 * 1024)	/* a file's buffer, to start with */
#define MERGE_OUT	(1024 * 1024)	/* output written at once */

struct merge_file {
	const char	*name;		/* for messages */
	int		 fd;
	char		*buf;
	size_t		 cap;
	size_t		 start;		/* the head line starts here */
	size_t		 end;		/* bytes read: buf[0..end) */
	size_t		 scanned;	/* no newline in buf[start..scanned) */
	int		 eof;
	uint64_t	 lineno;	/* the head's line number, from 1 */
	size_t		 len;		/* the head's length, without '\n' */
	uint64_t	 index;		/* the head's index */
};

struct merge {
	struct merge_file	*files;
	size_t			 nfiles;
	size_t			*heap;		/* files, by head index */
	size_t			 nheap;
	size_t			*dup;		/* heap positions of one index */
	char			*out;
	size_t			 outlen;
	enum merge_status	 status;
	int			 out_gone;	/* a write failed */
	const struct merge_file	*last;		/* wrote the last record */
	uint64_t		 last_index, last_line;
};

static void
merge_fail(struct merge *m, const struct merge_file *f, const char *why)
{
	msg_warn("--merge %s:%llu: %s", f->name, (unsigned long long)f->lineno,
	    why);
	m->status = MERGE_BAD;
}

/* Reads more of f, after the head line's start; -1 on an error. */
static int
merge_read(struct merge *m, struct merge_file *f)
{
	ssize_t	n;

	if (f->start > 0) {
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->scanned -= f->start;
		f->start = 0;
	}
	if (f->end == f->cap) {		/* one line fills it: room for it */
		f->cap *= 2;
		f->buf = xrealloc(f->buf, f->cap);
	}
	do
		n = read(f->fd, f->buf + f->end, f->cap - f->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		msg_warn("--merge %s: %s", f->name, strerror(errno));
		m->status = MERGE_BAD;
		return -1;
	}
	f->eof = n == 0;
	f->end += (size_t)n;
	return 0;
}

/* The head's index, checked against the line before it in f. */
static int
merge_index(struct merge *m, struct merge_file *f)
{
	char		why[128];
	uint64_t	index;

	switch (jsoncheck_object(f->buf + f->start, f->len, "index", &index)) {
	case JSONCHECK_NOT_OBJECT:
		merge_fail(m, f, "not a JSON object");
		return -1;
	case JSONCHECK_NO_MEMBER:
		merge_fail(m, f, "no whole-number \"index\"");
		return -1;
	case JSONCHECK_OK:
		break;
	}
	if (f->lineno > 1 && index <= f->index) {
		snprintf(why, sizeof why, "index %llu %s %llu: not written "
		    "with -k", (unsigned long long)index, index == f->index ?
		    "again after" : "after", (unsigned long long)f->index);
		merge_fail(m, f, why);
		return -1;
	}
	f->index = index;
	return 0;
}

/*
 * The next line of f becomes its head: 1, or 0 at the end of f (a cut
 * last line is skipped with a warning), or -1 when it cannot be merged.
 */
static int
merge_next(struct merge *m, struct merge_file *f)
{
	char	*nl;

	while ((nl = memchr(f->buf + f->scanned, '\n',
	    f->end - f->scanned)) == NULL) {
		f->scanned = f->end;
		if (f->eof) {
			if (f->end > f->start)
				msg_warn("--merge %s:%llu: the last line is "
				    "cut short (a shard killed mid-write?); "
				    "skipped", f->name,
				    (unsigned long long)f->lineno + 1);
			return 0;
		}
		if (merge_read(m, f) != 0)
			return -1;
	}
	f->lineno++;
	f->len = (size_t)(nl - (f->buf + f->start));
	f->scanned = f->start + f->len;
	return merge_index(m, f) == 0 ? 1 : -1;
}

/* Written even after a bad line: what came before it is good. */
static void
merge_write(struct merge *m, const char *s, size_t len)
{
	if (m->out_gone || fd_write_all(STDOUT_FILENO, s, len) == 0)
		return;
	m->out_gone = 1;
	if (errno == EPIPE) {
		m->status = MERGE_CLOSED;
		return;
	}
	msg_warn("--merge: cannot write: %s", strerror(errno));
	m->status = MERGE_BAD;
}

static void
merge_flush(struct merge *m)
{
	merge_write(m, m->out, m->outlen);
	m->outlen = 0;
}

/* Writes f's head line, and its newline. */
static void
merge_emit(struct merge *m, struct merge_file *f)
{
	const char	*s = f->buf + f->start;
	size_t		 len = f->len + 1;

	if (m->outlen + len > MERGE_OUT)
		merge_flush(m);
	if (len > MERGE_OUT)
		merge_write(m, s, len);
	else {
		memcpy(m->out + m->outlen, s, len);
		m->outlen += len;
	}
	m->last = f;
	m->last_index = f->index;
	m->last_line = f->lineno;
	f->start += len;
	f->scanned = f->start;
}

/* A head line that another file's record of its index replaces. */
static void
merge_skip_head(struct merge_file *f)
{
	f->start += f->len + 1;
	f->scanned = f->start;
}

/* Heap order: the lower index first, then the file given first. */
static int
merge_before(const struct merge *m, size_t a, size_t b)
{
	const struct merge_file	*fa = &m->files[a], *fb = &m->files[b];

	return fa->index < fb->index || (fa->index == fb->index && a < b);
}

static void
merge_sift_down(struct merge *m, size_t i)
{
	size_t	child, tmp;

	while ((child = 2 * i + 1) < m->nheap) {
		if (child + 1 < m->nheap &&
		    merge_before(m, m->heap[child + 1], m->heap[child]))
			child++;
		if (!merge_before(m, m->heap[child], m->heap[i]))
			return;
		tmp = m->heap[i];
		m->heap[i] = m->heap[child];
		m->heap[child] = tmp;
		i = child;
	}
}

static int
merge_open(struct merge *m, char *const *names, size_t n)
{
	struct merge_file	*f;
	size_t			 i;
	int			 stdin_used = 0;

	m->files = xcalloc(n, sizeof *m->files);
	for (i = 0; i < n; i++) {
		f = &m->files[m->nfiles];
		f->name = names[i];
		if (strcmp(names[i], "-") == 0) {
			if (stdin_used++) {
				msg_warn("--merge: '-' given twice");
				return -1;
			}
			f->name = "(standard input)";
			f->fd = STDIN_FILENO;
		} else if ((f->fd = open(names[i], O_RDONLY | O_CLOEXEC)) < 0) {
			msg_warn("--merge %s: %s", names[i], strerror(errno));
			return -1;
		}
		posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		f->cap = MERGE_READ;
		f->buf = xmalloc(f->cap);
		m->nfiles++;
	}
	return 0;
}

static void
merge_close(struct merge *m)
{
	size_t	i;

	for (i = 0; i < m->nfiles; i++) {
		if (m->files[i].fd != STDIN_FILENO)
			close(m->files[i].fd);
		free(m->files[i].buf);
	}
	free(m->files);
	free(m->heap);
	free(m->dup);
	free(m->out);
}

/*
 * The files whose head has the same index as the heap's first, into
 * dup (heap positions): they are the top of the heap, all connected.
 */
static size_t
merge_same(const struct merge *m, size_t *dup)
{
	uint64_t	index = m->files[m->heap[0]].index;
	size_t		n = 0, i, k;

	dup[n++] = 0;
	for (k = 0; k < n; k++)
		for (i = 2 * dup[k] + 1; i <= 2 * dup[k] + 2 && i < m->nheap;
		    i++)
			if (m->files[m->heap[i]].index == index)
				dup[n++] = i;
	return n;
}

/*
 * One index in several files (a shard run again, with --skip-done of
 * what it had): the record that is ok, else the one of the file given
 * last.  Ok in two files is two runs' answers for one line: an error.
 */
static struct merge_file *
merge_pick(struct merge *m, const size_t *dup, size_t n)
{
	struct merge_file	*f, *ok = NULL, *last = NULL;
	char			 why[160];
	size_t			 i;

	for (i = 0; i < n; i++) {
		f = &m->files[m->heap[dup[i]]];
		if (last == NULL || f > last)
			last = f;
		if (!jsoncheck_true(f->buf + f->start, f->len, "ok"))
			continue;
		if (ok != NULL) {
			snprintf(why, sizeof why, "index %llu is ok at %s:%llu "
			    "too", (unsigned long long)f->index,
			    ok < f ? ok->name : f->name, (unsigned long long)
			    (ok < f ? ok->lineno : f->lineno));
			merge_fail(m, ok < f ? f : ok, why);
			return NULL;
		}
		ok = f;
	}
	return ok != NULL ? ok : last;
}

static void
merge_heapify(struct merge *m)
{
	size_t	i;

	for (i = m->nheap / 2 + 1; i-- > 0;)
		merge_sift_down(m, i);
}

/*
 * Takes the heap's first index: its record goes out, and every file that
 * had it at its head moves on to its next line.
 */
static void
merge_step(struct merge *m)
{
	struct merge_file	*f = &m->files[m->heap[0]], *g;
	size_t			*dup = m->dup, n, i;
	char			 why[128];

	if (m->last != NULL && f->index == m->last_index) {
		snprintf(why, sizeof why, "index %llu is also at %s:%llu",
		    (unsigned long long)f->index, m->last->name,
		    (unsigned long long)m->last_line);
		merge_fail(m, f, why);
		return;
	}
	n = merge_same(m, dup);
	if ((f = n > 1 ? merge_pick(m, dup, n) : f) == NULL)
		return;
	merge_emit(m, f);
	for (i = n; i-- > 0;) {
		g = &m->files[m->heap[dup[i]]];
		if (g != f)
			merge_skip_head(g);
		switch (merge_next(m, g)) {
		case 1:
			break;
		case 0:
			m->heap[dup[i]] = m->heap[--m->nheap];
			break;
		default:
			return;
		}
	}
	if (n == 1)
		merge_sift_down(m, 0);
	else
		merge_heapify(m);
}

enum merge_status
merge_files(char *const *names, size_t n)
{
	struct merge	m;
	size_t		i;
	int		r;

	memset(&m, 0, sizeof m);
	if (merge_open(&m, names, n) != 0) {
		merge_close(&m);
		return MERGE_USAGE;
	}
	m.heap = xcalloc(n, sizeof *m.heap);
	m.dup = xcalloc(n, sizeof *m.dup);
	m.out = xmalloc(MERGE_OUT);
	for (i = 0; i < n && m.status == MERGE_OK; i++)
		if ((r = merge_next(&m, &m.files[i])) > 0)
			m.heap[m.nheap++] = i;
	for (i = m.nheap; i-- > 0;)
		merge_sift_down(&m, i);
	while (m.nheap > 0 && m.status == MERGE_OK)
		merge_step(&m);
	merge_flush(&m);
	merge_close(&m);
	return m.status;
}
