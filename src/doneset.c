/*
 * doneset.c: reads a previous -f json output (recfile.c) and keeps every
 * URL it records as ok in a URL set (urlset.c: hashes, not strings), as
 * the run fetches it: a line without a scheme with the default in front.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doneset.h"
#include "msg.h"
#include "recfile.h"
#include "schemeless.h"
#include "urlset.h"
#include "xmalloc.h"

struct doneset {
	struct urlset	*ok;
	const char	*scheme;	/* --proto-default */
	int		 cut;		/* the file ends in a partial line */
};

/* A URL as the run fetches it: a line without a scheme gets the default. */
static void
doneset_add(struct doneset *d, const char *url)
{
	size_t	 len = strlen(url);
	char	*full;

	schemeless_url(d->scheme, url, len, &full, &len);
	urlset_add(d->ok, full != NULL ? full : url, len);
	free(full);
}

static void
doneset_record(void *arg, const struct record *r)
{
	if (r->ok)
		doneset_add(arg, r->url);
}

/* NULL (with a message) when the file cannot be read. */
struct doneset *
doneset_load(const char *path, const char *scheme)
{
	struct doneset	*d;

	d = xcalloc(1, sizeof *d);
	d->ok = urlset_new();
	d->scheme = scheme;
	if (recfile_read(path, "--skip-done", doneset_record, d,
	    &d->cut) != 0) {
		doneset_free(d);
		return NULL;
	}
	msg_debug("--skip-done %s: %zu URLs done", path, urlset_count(d->ok));
	return d;
}

void
doneset_free(struct doneset *d)
{
	if (d == NULL)
		return;
	urlset_free(d->ok);
	free(d);
}

/* Whether url (as the run fetches it) is recorded as ok. */
int
doneset_has(const struct doneset *d, const char *url, size_t len)
{
	return urlset_has(d->ok, url, len);
}

int
doneset_cut(const struct doneset *d)
{
	return d->cut;
}
