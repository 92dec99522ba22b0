/*
 * t_hostmap.c: the host table (one entry per host:port whatever the
 * name's case, kept while referenced and freed with its last reference,
 * taken out by its owner, growing past its first buckets) and what
 * --per-host keeps in it: permits counted per host.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/hostmap.h"
#include "../../src/sema.h"
#include "unit.h"

struct permits {
	struct hostmap_entry	key;
	struct sema		sema;
};

static struct permits *
permits_ref(struct hostmap *m, const char *name, long port)
{
	struct permits	*p;

	p = (struct permits *)(void *)hostmap_ref(m, name, port, sizeof *p);
	if (p->key.refs == 1)
		sema_init(&p->sema, 2);
	return p;
}

static void
check_refs(void)
{
	struct hostmap		 m;
	struct permits		*a1, *a2, *b, *a80, *e[300];
	struct sema_waiter	 w;
	char			 name[32];
	int			 i;

	hostmap_init(&m);
	a1 = permits_ref(&m, "a.test", 443);
	a2 = permits_ref(&m, "A.Test", 443);
	b = permits_ref(&m, "b.test", 443);
	a80 = permits_ref(&m, "a.test", 80);
	CHECK("one entry per host:port, names without case", a1 == a2 &&
	    a1 != b && a1 != a80 && hostmap_count(&m) == 3);
	CHECK("the name is kept as first given",
	    strcmp(a1->key.name, "a.test") == 0 && a1->key.port == 443);
	CHECK("each host has its own permits",
	    sema_acquire(&a1->sema, &w) && sema_acquire(&a1->sema, &w) &&
	    sema_available(&a1->sema) == 0 && sema_available(&b->sema) == 2);
	sema_release(&a1->sema);
	sema_release(&a1->sema);
	CHECK("not the last reference", !hostmap_unref(&m, &a1->key));
	CHECK("kept while referenced", hostmap_count(&m) == 3);
	CHECK("the last reference frees it", hostmap_unref(&m, &a2->key));
	hostmap_unref(&m, &b->key);
	hostmap_unref(&m, &a80->key);
	CHECK("freed with the last reference", hostmap_count(&m) == 0 &&
	    hostmap_find(&m, "a.test", 443) == NULL);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "h%d.test", i);
		e[i] = permits_ref(&m, name, 80);
	}
	CHECK("the table grows", hostmap_count(&m) == 300 &&
	    permits_ref(&m, "h7.test", 80) == e[7] &&
	    hostmap_find(&m, "H299.TEST", 80) == &e[299]->key);
	hostmap_unref(&m, &e[7]->key);
	for (i = 0; i < 300; i++)
		hostmap_unref(&m, &e[i]->key);
	CHECK("and empties", hostmap_count(&m) == 0);
	hostmap_free(&m);
}

/* The DNS cache's way: entries its owner adds, takes out and frees. */
static void
check_owned(void)
{
	struct hostmap		 m;
	struct hostmap_entry	*e, *f;

	hostmap_init(&m);
	e = hostmap_add(&m, "x.test", 0, sizeof *e);
	CHECK("an added entry is found", hostmap_find(&m, "X.test", 0) == e &&
	    e->in_map && hostmap_find(&m, "x.test", 1) == NULL);
	hostmap_remove(&m, e);
	hostmap_remove(&m, e);
	CHECK("taken out once, and no longer found",
	    hostmap_find(&m, "x.test", 0) == NULL && !e->in_map &&
	    hostmap_count(&m) == 0);
	f = hostmap_add(&m, "x.test", 0, sizeof *f);
	CHECK("the name can come back while the old entry lives",
	    f != e && hostmap_find(&m, "x.test", 0) == f);
	free(e);
	hostmap_remove(&m, f);
	free(f);
	hostmap_free(&m);
}

int
main(void)
{
	check_refs();
	check_owned();
	return unit_done("t_hostmap");
}
