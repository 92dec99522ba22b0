/*
 * save.h: -o DIR, each body to its own file in DIR and never outside it.
 */
#ifndef COFETCH_SAVE_H
#define COFETCH_SAVE_H

#include <stddef.h>
#include <stdint.h>

#define SAVE_NAME_MAX	160	/* bytes of a file name, index included */

struct saver;

struct saved {
	struct saver	*saver;
	int		 fd;		/* the hidden file; -1 until written */
	uint64_t	 index;
	const char	*url;		/* the task's, not owned */
	char		 tmp[64];
};

struct saver	*save_new(const char *);
void		 save_free(struct saver *);
void		 save_name(uint64_t, const char *, char *, size_t);
void		 save_begin(struct saver *, struct saved *, uint64_t,
		    const char *);
int		 save_write(struct saved *, const void *, size_t);
int		 save_truncate(struct saved *);
char		*save_commit(struct saved *, char *, size_t);
void		 save_discard(struct saved *);

#endif
