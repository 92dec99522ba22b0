/*
 * hosts.h: --per-host, a semaphore for each host:port with live tasks.
 * A task holds a reference to its host's entry from admission to its
 * end; the entry goes when the last reference does.  Pure.
 */
#ifndef COFETCH_HOSTS_H
#define COFETCH_HOSTS_H

#include <stddef.h>

#include "sema.h"

struct host {
	struct host	*chain;		/* hash bucket */
	struct sema	 sema;
	size_t		 refs;
	long		 port;
	char		 name[];
};

struct hosts;

struct hosts	*hosts_new(unsigned);
void		 hosts_free(struct hosts *);
struct host	*hosts_get(struct hosts *, const char *, long);
void		 hosts_put(struct hosts *, struct host *);
size_t		 hosts_count(const struct hosts *);

#endif
