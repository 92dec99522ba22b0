/*
 * t_reorder.c: the -k window: results leave in index order, the window
 * refuses indices beyond its capacity, and its head can pass directly.
 */
#include <stdlib.h>

#include "../../src/reorder.h"
#include "../../src/xmalloc.h"
#include "unit.h"

static void
put(struct reorder *w, uint64_t i)
{
	char	s[32];
	int	n = snprintf(s, sizeof s, "%llu", (unsigned long long)i);

	reorder_put(w, i, xmemdup(s, (size_t)n + 1));
}

/* Pops everything ready into a comma list. */
static void
drain(struct reorder *w, char *out, size_t outlen)
{
	void	*d;
	size_t	 used = 0;

	out[0] = '\0';
	while (reorder_pop(w, &d)) {
		used += (size_t)snprintf(out + used, outlen - used, "%s%s",
		    used ? "," : "", (char *)d);
		free(d);
	}
}

int
main(void)
{
	struct reorder	w;
	char		out[256];

	reorder_init(&w, 4);
	CHECK("fits 0..3", reorder_fits(&w, 0) && reorder_fits(&w, 3));
	CHECK("refuses 4", !reorder_fits(&w, 4));
	put(&w, 2);
	put(&w, 1);
	drain(&w, out, sizeof out);
	CHECK("nothing before 0", strcmp(out, "") == 0);
	CHECK("pass refuses a later index", !reorder_pass(&w, 3));
	put(&w, 0);
	drain(&w, out, sizeof out);
	CHECK("0,1,2 leave in order", strcmp(out, "0,1,2") == 0);
	CHECK("window slides", reorder_fits(&w, 6) && !reorder_fits(&w, 7));
	CHECK("head passes", reorder_pass(&w, 3));
	put(&w, 5);
	CHECK("held count", w.held == 1);
	put(&w, 4);
	drain(&w, out, sizeof out);
	CHECK("4,5 after the pass", strcmp(out, "4,5") == 0);
	CHECK("refuses the past", !reorder_fits(&w, 2));
	put(&w, 7);
	reorder_free(&w, free);
	CHECK("free with held data", 1);
	return unit_done("t_reorder");
}
