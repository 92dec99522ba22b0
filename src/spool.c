/*
 * spool.c: held bodies in bounded memory.  A body keeps its first bytes in
 * memory while the budget shared by all held bodies lasts; once it spills,
 * the rest of it goes to the spool file, so its bytes stay in order (memory
 * part, then extents).  Extents of bodies that are gone are punched out of
 * the file, and the file is emptied whenever nothing in it is live, so
 * disk use follows what is held, not what has passed through.  Transfer
 * threads add to bodies while the main thread resets and frees others, so
 * what the spool shares is changed under its lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "spool.h"
#include "xmalloc.h"

struct spool {
	pthread_mutex_t	lock;
	size_t		budget;		/* bytes all held bodies may keep */
	size_t		used;		/* what their memory parts take */
	int		fd;		/* -1 until the first spill */
	uint64_t	end;		/* where the next extent goes */
	uint64_t	live;		/* bytes of the file still held */
};

struct spool *
spool_new(size_t budget)
{
	struct spool	*sp;

	sp = xcalloc(1, sizeof *sp);
	pthread_mutex_init(&sp->lock, NULL);
	sp->budget = budget;
	sp->fd = -1;
	return sp;
}

void
spool_free(struct spool *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
}

/* The file, made on first need in $TMPDIR and unlinked at once. */
static int
spool_open(struct spool *sp)
{
	const char	*dir = getenv("TMPDIR");
	char		 path[4096];

	if (sp->fd >= 0)
		return 0;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/cofetch-spool-XXXXXX", dir);
	if ((sp->fd = mkostemp(path, O_CLOEXEC)) < 0)
		return -1;
	unlink(path);
	return 0;
}

/* Appends at the end: the file offset is kept at sp->end. */
static int
spool_append(struct spool *sp, const void *data, size_t len, uint64_t *off)
{
	if (spool_open(sp) != 0)
		return -1;
	*off = sp->end;
	if (fd_write_all(sp->fd, data, len) != 0) {
		(void)lseek(sp->fd, (off_t)sp->end, SEEK_SET);
		return -1;
	}
	sp->end += len;
	sp->live += len;
	return 0;
}

/* Gives back the file space of extents no body holds any more. */
static void
spool_release(struct spool *sp, const struct spool_extent *e)
{
	sp->live -= e->len;
	if (sp->live == 0) {
		if (ftruncate(sp->fd, 0) == 0 && lseek(sp->fd, 0, SEEK_SET) == 0)
			sp->end = 0;
		return;
	}
	/* Best effort: where holes are not supported the file just stays. */
	(void)fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)e->off, (off_t)e->len);
}

struct body *
body_new(struct spool *sp)
{
	struct body	*b;

	b = xcalloc(1, sizeof *b);
	b->spool = sp;
	buf_init(&b->mem);
	return b;
}

/* Empties the body (a new attempt, a new hop), keeping it usable. */
void
body_reset(struct body *b)
{
	struct spool	*sp = b->spool;

	pthread_mutex_lock(&sp->lock);
	while (b->next > 0)
		spool_release(sp, &b->ext[--b->next]);
	sp->used -= b->mem.cap;
	pthread_mutex_unlock(&sp->lock);
	buf_free(&b->mem);
	buf_init(&b->mem);
	b->len = 0;
}

void
body_free(struct body *b)
{
	if (b == NULL)
		return;
	body_reset(b);
	free(b->ext);
	free(b);
}

/*
 * Appends bytes; -1 with errno when the spool file cannot take them.  A
 * body that has spilled never goes back to memory: its order would break.
 */
int
body_add(struct body *b, const void *data, size_t len)
{
	struct spool		*sp = b->spool;
	struct spool_extent	*e;
	uint64_t		 off = 0;
	size_t			 cap = b->mem.cap;
	int			 in_mem, rc = 0;

	pthread_mutex_lock(&sp->lock);
	in_mem = b->next == 0 && sp->used + len <= sp->budget;
	if (in_mem) {
		buf_add(&b->mem, data, len);
		sp->used += b->mem.cap - cap;
	} else
		rc = spool_append(sp, data, len, &off);
	pthread_mutex_unlock(&sp->lock);
	if (rc != 0)
		return -1;
	b->len += len;
	if (in_mem)
		return 0;
	e = b->next > 0 ? &b->ext[b->next - 1] : NULL;
	if (e != NULL && e->off + e->len == off) {
		e->len += len;
		return 0;
	}
	if (b->next == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		b->ext = xrealloc(b->ext, b->cap * sizeof *b->ext);
	}
	b->ext[b->next++] = (struct spool_extent){ off, len };
	return 0;
}

/* Copies out up to len bytes from offset at; 0 at the end, -1 on error. */
ssize_t
body_read(const struct body *b, uint64_t at, void *out, size_t len)
{
	const struct spool_extent	*e;
	uint64_t			 skip;
	size_t				 i;
	ssize_t				 n;

	if (at < b->mem.len) {
		if (len > b->mem.len - at)
			len = (size_t)(b->mem.len - at);
		memcpy(out, b->mem.data + at, len);
		return (ssize_t)len;
	}
	skip = at - b->mem.len;
	for (i = 0; i < b->next; i++) {
		e = &b->ext[i];
		if (skip >= e->len) {
			skip -= e->len;
			continue;
		}
		if (len > e->len - skip)
			len = (size_t)(e->len - skip);
		do
			n = pread(b->spool->fd, out, len, (off_t)(e->off + skip));
		while (n < 0 && errno == EINTR);
		if (n == 0) {
			errno = EIO;	/* the file shrank under us */
			return -1;
		}
		return n;
	}
	return 0;
}
