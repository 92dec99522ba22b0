/*
 * reorder.c: a ring of cap slots indexed by (index mod cap), the next index
 * to leave at its head.  Memory is cap slots plus the results they hold,
 * whatever the input's length.  Pure: no I/O.
 */
#include "config.h"

#include <stdlib.h>

#include "msg.h"
#include "reorder.h"
#include "xmalloc.h"

void
reorder_init(struct reorder *w, size_t cap)
{
	w->slots = xcalloc(cap, sizeof *w->slots);
	w->cap = cap;
	w->next = 0;
	w->held = 0;
}

/* Frees the window and, through free_item, the items still held. */
void
reorder_free(struct reorder *w, void (*free_item)(void *))
{
	size_t	i;

	for (i = 0; i < w->cap; i++)
		if (w->slots[i].ready)
			free_item(w->slots[i].item);
	free(w->slots);
	w->slots = NULL;
}

/* Whether index may be admitted: its slot lies inside the window. */
int
reorder_fits(const struct reorder *w, uint64_t index)
{
	return index >= w->next && index - w->next < w->cap;
}

/* Stores the result for index, taking ownership of item. */
void
reorder_put(struct reorder *w, uint64_t index, void *item)
{
	struct reorder_slot	*s;

	if (!reorder_fits(w, index))
		msg_fatal("reorder: index %llu outside the window",
		    (unsigned long long)index);
	s = &w->slots[index % w->cap];
	if (s->ready)
		msg_fatal("reorder: index %llu stored twice",
		    (unsigned long long)index);
	s->item = item;
	s->ready = 1;
	w->held++;
}

/* Takes the next result in order if it has arrived; the caller frees it. */
int
reorder_pop(struct reorder *w, void **item)
{
	struct reorder_slot	*s = &w->slots[w->next % w->cap];

	if (!s->ready)
		return 0;
	*item = s->item;
	s->item = NULL;
	s->ready = 0;
	w->next++;
	w->held--;
	return 1;
}

/*
 * If index is the next to leave, it leaves now without being stored (the
 * caller writes it out directly) and 1 is returned.
 */
int
reorder_pass(struct reorder *w, uint64_t index)
{
	if (index != w->next || w->slots[index % w->cap].ready)
		return 0;
	w->next++;
	return 1;
}
