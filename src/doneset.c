/*
 * doneset.c: reads a previous -f json output with cJSON and keeps a hash
 * of every URL it records as ok, in an open-addressing table.  Strings
 * are not kept: two different URLs share a 64-bit hash with odds of
 * about n^2 / 2^65 (1 in 30 million for a million URLs), the price of
 * memory that does not grow with URL length.
 *
 * The file may end in a partial line (a run killed mid-write): that line
 * is ignored.  Other lines that are not results are counted and reported
 * once, since the file is meant to be one of ours.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "doneset.h"
#include "hash.h"
#include "msg.h"
#include "xmalloc.h"

struct doneset {
	uint64_t	*slots;		/* 0: empty */
	size_t		 nslots;	/* a power of two */
	size_t		 count;
	int		 cut;		/* the file ends in a partial line */
};

/* 0 marks an empty slot, so no URL may hash to it. */
static uint64_t
doneset_hash(const char *s, size_t len)
{
	uint64_t	h = hash_mix(hash_bytes(HASH_SEED, s, len));

	return h != 0 ? h : 1;
}

static size_t
doneset_find(const struct doneset *d, uint64_t h)
{
	size_t	i = (size_t)h & (d->nslots - 1);

	while (d->slots[i] != 0 && d->slots[i] != h)
		i = (i + 1) & (d->nslots - 1);
	return i;
}

static void
doneset_add(struct doneset *d, uint64_t h)
{
	uint64_t	*old = d->slots;
	size_t		 n = d->nslots, i;

	if ((d->count + 1) * 2 > d->nslots) {
		d->nslots *= 2;
		d->slots = xcalloc(d->nslots, sizeof *d->slots);
		for (i = 0; i < n; i++)
			if (old[i] != 0)
				d->slots[doneset_find(d, old[i])] = old[i];
		free(old);
	}
	i = doneset_find(d, h);
	if (d->slots[i] == 0) {
		d->slots[i] = h;
		d->count++;
	}
}

/* 1 if the line is a result, added when it is ok. */
static int
doneset_line(struct doneset *d, const char *line, size_t len)
{
	cJSON		*o = cJSON_ParseWithLength(line, len);
	const cJSON	*url;
	int		 result;

	url = cJSON_GetObjectItemCaseSensitive(o, "url");
	result = cJSON_IsObject(o) && cJSON_IsString(url);
	if (result && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")))
		doneset_add(d, doneset_hash(url->valuestring,
		    strlen(url->valuestring)));
	cJSON_Delete(o);
	return result;
}

/* NULL (with a message) when the file cannot be read. */
struct doneset *
doneset_load(const char *path)
{
	struct doneset	*d;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, bad = 0;
	ssize_t		 n;

	if ((f = fopen(path, "r")) == NULL) {
		msg_warn("--skip-done %s: %s", path, strerror(errno));
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	d->nslots = 1024;
	d->slots = xcalloc(d->nslots, sizeof *d->slots);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n') {
			d->cut = 1;	/* cut short: never a whole result */
			break;
		}
		if (!doneset_line(d, line, (size_t)n - 1) && n > 1)
			bad++;
	}
	free(line);
	if (ferror(f)) {
		msg_warn("--skip-done %s: %s", path, strerror(errno));
		fclose(f);
		doneset_free(d);
		return NULL;
	}
	fclose(f);
	if (bad > 0)
		msg_warn("--skip-done %s: %zu lines are not cofetch json results; "
		    "ignored", path, bad);
	msg_debug("--skip-done %s: %zu URLs done", path, d->count);
	return d;
}

void
doneset_free(struct doneset *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

int
doneset_has(const struct doneset *d, const char *url, size_t len)
{
	return d->slots[doneset_find(d, doneset_hash(url, len))] != 0;
}

int
doneset_cut(const struct doneset *d)
{
	return d->cut;
}
