/*
 * doneset.c: reads a previous -f json output with cJSON and keeps every
 * URL it records as ok in a URL set (urlset.c: hashes, not strings), as
 * the run fetches it: a line without a scheme with the default in front.
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
#include "msg.h"
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
		doneset_add(d, url->valuestring);
	cJSON_Delete(o);
	return result;
}

/* NULL (with a message) when the file cannot be read. */
struct doneset *
doneset_load(const char *path, const char *scheme)
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
	d->ok = urlset_new();
	d->scheme = scheme;
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
