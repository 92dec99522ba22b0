/*
 * save.c: -o DIR.  A body is written to a hidden file made in DIR with
 * O_EXCL|O_NOFOLLOW (nothing planted there can redirect the write) and is
 * renamed to its final name only once the transfer has succeeded, so a
 * failed download leaves no file and a rename replaces a planted symlink
 * itself, never what it points to.  Names come from the index and the URL
 * with everything but [A-Za-z0-9._-] folded: no separator, no "..", no
 * control byte can reach the file system, and the index keeps them apart.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "msg.h"
#include "save.h"
#include "xmalloc.h"

struct saver {
	int	 dirfd;
	char	*dir;			/* as given, for the "path" field */
};

struct saver *
save_new(const char *dir)
{
	struct saver	*sv;
	size_t		 len;
	int		 fd;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		msg_warn("cannot create %s: %s", dir, strerror(errno));
		return NULL;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		msg_warn("cannot open %s: %s", dir, strerror(errno));
		return NULL;
	}
	sv = xcalloc(1, sizeof *sv);
	sv->dirfd = fd;
	sv->dir = xstrdup(dir);
	for (len = strlen(sv->dir); len > 1 && sv->dir[len - 1] == '/'; len--)
		sv->dir[len - 1] = '\0';
	return sv;
}

void
save_free(struct saver *sv)
{
	if (sv == NULL)
		return;
	close(sv->dirfd);
	free(sv->dir);
	free(sv);
}

static int
save_keeps(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * INDEX-host-path-query: user:password@ and #fragment left out, every run
 * of other bytes one '-', dots kept single, bounded by SAVE_NAME_MAX.
 */
void
save_name(uint64_t index, const char *url, char *out, size_t outlen)
{
	const char	*p, *at, *end;
	size_t		 n, max = outlen < SAVE_NAME_MAX + 1 ? outlen - 1 :
			    SAVE_NAME_MAX;
	unsigned char	 c, last = '-';

	n = (size_t)snprintf(out, outlen, "%llu-", (unsigned long long)index);
	p = (p = strstr(url, "://")) != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	for (; *p != '\0' && *p != '#' && n < max; p++) {
		c = (unsigned char)*p;
		if (!save_keeps(c))
			c = c == '.' ? '.' : '-';
		if ((c == '-' || c == '.') && (last == '-' || last == '.'))
			continue;
		out[n++] = (char)c;
		last = c;
	}
	while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
}

void
save_begin(struct saver *sv, struct saved *f, uint64_t index,
    const char *url)
{
	f->saver = sv;
	f->fd = -1;
	f->index = index;
	f->url = url;
	snprintf(f->tmp, sizeof f->tmp, ".cofetch-%ld-%llu.part",
	    (long)getpid(), (unsigned long long)index);
}

static int
save_open(struct saved *f)
{
	int	flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

	if (f->fd >= 0)
		return 0;
	f->fd = openat(f->saver->dirfd, f->tmp, flags, 0666);
	if (f->fd < 0 && errno == EEXIST) {
		/* Left by a killed run that had our pid: ours to replace. */
		unlinkat(f->saver->dirfd, f->tmp, 0);
		f->fd = openat(f->saver->dirfd, f->tmp, flags, 0666);
	}
	return f->fd < 0 ? -1 : 0;
}

/* -1 with errno set when the bytes could not all be written. */
int
save_write(struct saved *f, const void *data, size_t len)
{
	if (save_open(f) != 0)
		return -1;
	return fd_write_all(f->fd, data, len);
}

/* Starts the file over: a new attempt's body replaces the last one's. */
int
save_truncate(struct saved *f)
{
	if (f->fd < 0)
		return 0;
	return ftruncate(f->fd, 0) == 0 && lseek(f->fd, 0, SEEK_SET) == 0 ?
	    0 : -1;
}

/*
 * Gives the file its name; returns DIR/NAME (the caller's), or NULL with
 * why in err and no file left behind.
 */
char *
save_commit(struct saved *f, char *err, size_t errlen)
{
	struct saver	*sv = f->saver;
	char		 name[SAVE_NAME_MAX + 1], *path;
	size_t		 len;
	int		 rc;

	save_name(f->index, f->url, name, sizeof name);
	if (save_open(f) != 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s",
		    sv->dir, strerror(errno));
		return NULL;
	}
	rc = close(f->fd);
	f->fd = -1;
	if (rc != 0 || renameat(sv->dirfd, f->tmp, sv->dirfd, name) != 0) {
		snprintf(err, errlen, "cannot save %s/%s: %s", sv->dir, name,
		    strerror(errno));
		unlinkat(sv->dirfd, f->tmp, 0);
		return NULL;
	}
	len = strlen(sv->dir) + strlen(name) + 2;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s", sv->dir, name);
	return path;
}

/* The transfer failed or was cancelled: no file of it stays. */
void
save_discard(struct saved *f)
{
	if (f->fd < 0)
		return;
	close(f->fd);
	f->fd = -1;
	unlinkat(f->saver->dirfd, f->tmp, 0);
}
