/*
 * reorder.h: the -k window.  Results finish in any order and leave in
 * input order; the window holds at most cap of them, so the scheduler asks
 * reorder_fits() before admitting an index.
 */
#ifndef COFETCH_REORDER_H
#define COFETCH_REORDER_H

#include <stddef.h>
#include <stdint.h>

struct reorder_slot {
	void	*item;		/* the caller's: a line, a held body */
	int	 ready;
};

struct reorder {
	struct reorder_slot	*slots;
	size_t			 cap;
	uint64_t		 next;		/* the index to leave next */
	size_t			 held;
};

void	reorder_init(struct reorder *, size_t);
void	reorder_free(struct reorder *, void (*)(void *));
int	reorder_fits(const struct reorder *, uint64_t);
void	reorder_put(struct reorder *, uint64_t, void *);
int	reorder_pop(struct reorder *, void **);
int	reorder_pass(struct reorder *, uint64_t);

#endif
