/*
 * validators.c: the URLs of a previous json output with their ETag and
 * Last-Modified, in an open-addressing table keyed by the URL's 64-bit
 * hash (as doneset.c keys them: as the run fetches them).  The newest
 * record of a URL wins, so a URL whose last result failed sends none.
 * A value that could not go into a header as it is (a line break, a
 * control byte) is not sent.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "msg.h"
#include "recfile.h"
#include "schemeless.h"
#include "validators.h"
#include "xmalloc.h"

#define VALIDATORS_SLOTS	1024	/* at first */

struct validators_slot {
	uint64_t	 h;		/* 0: empty */
	char		*etag;
	char		*last_modified;
};

struct validators {
	struct validators_slot	*slots;
	size_t			 nslots;	/* a power of two */
	size_t			 count;
	const char		*scheme;	/* --proto-default */
	int			 cut;
};

static uint64_t
validators_hash(const char *s, size_t len)
{
	uint64_t	h = hash_mix(hash_bytes(HASH_SEED, s, len));

	return h != 0 ? h : 1;
}

static struct validators_slot *
validators_find(const struct validators *v, uint64_t h)
{
	size_t	i = (size_t)h & (v->nslots - 1);

	while (v->slots[i].h != 0 && v->slots[i].h != h)
		i = (i + 1) & (v->nslots - 1);
	return &v->slots[i];
}

static void
validators_grow(struct validators *v)
{
	struct validators_slot	*old = v->slots;
	size_t			 n = v->nslots, i;

	v->nslots *= 2;
	v->slots = xcalloc(v->nslots, sizeof *v->slots);
	for (i = 0; i < n; i++)
		if (old[i].h != 0)
			*validators_find(v, old[i].h) = old[i];
	free(old);
}

/* A header value as sent back: NULL for none, or one with a control. */
static char *
validators_value(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || *s == '\0')
		return NULL;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return NULL;
	return xstrdup(s);
}

static void
validators_record(void *arg, const struct record *r)
{
	struct validators	*v = arg;
	struct validators_slot	*slot;
	size_t			 len = strlen(r->url);
	char			*full;
	uint64_t		 h;

	schemeless_url(v->scheme, r->url, len, &full, &len);
	h = validators_hash(full != NULL ? full : r->url, len);
	free(full);
	if ((v->count + 1) * 4 > v->nslots * 3)
		validators_grow(v);
	slot = validators_find(v, h);
	if (slot->h == 0) {
		slot->h = h;
		v->count++;
	}
	free(slot->etag);
	free(slot->last_modified);
	slot->etag = r->ok ? validators_value(r->etag) : NULL;
	slot->last_modified = r->ok ? validators_value(r->last_modified) : NULL;
}

/* NULL (with a message) when the file cannot be read. */
struct validators *
validators_load(const char *path, const char *scheme)
{
	struct validators	*v;

	v = xcalloc(1, sizeof *v);
	v->nslots = VALIDATORS_SLOTS;
	v->slots = xcalloc(v->nslots, sizeof *v->slots);
	v->scheme = scheme;
	if (recfile_read(path, "--revalidate", validators_record, v,
	    &v->cut) != 0) {
		validators_free(v);
		return NULL;
	}
	msg_debug("--revalidate %s: %zu URLs", path, v->count);
	return v;
}

void
validators_free(struct validators *v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nslots; i++) {
		free(v->slots[i].etag);
		free(v->slots[i].last_modified);
	}
	free(v->slots);
	free(v);
}

/* 1 when url (as the run fetches it) has a validator to send, in *out. */
int
validators_get(const struct validators *v, const char *url, size_t len,
    struct validator *out)
{
	const struct validators_slot	*slot;

	slot = validators_find(v, validators_hash(url, len));
	out->etag = slot->etag;
	out->last_modified = slot->last_modified;
	return slot->h != 0 && (slot->etag != NULL ||
	    slot->last_modified != NULL);
}

/* Whether the file ended in a cut line. */
int
validators_cut(const struct validators *v)
{
	return v->cut;
}
