/*
 * recfile.c: reads a previous -f json output with cJSON, line by line,
 * handing each record to the caller in file order (so the newest of a
 * URL comes last).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "msg.h"
#include "recfile.h"

static const char *
recfile_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * One line as a record: 1 when it is one (its strings live until
 * recfile_line_free(*keep)), else 0.
 */
int
recfile_line(const char *line, size_t len, struct record *r, void **keep)
{
	cJSON	*o = cJSON_ParseWithLength(line, len);

	*keep = o;
	memset(r, 0, sizeof *r);
	if (!cJSON_IsObject(o) || (r->url = recfile_str(o, "url")) == NULL)
		return 0;
	r->ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"));
	r->etag = recfile_str(o, "etag");
	r->last_modified = recfile_str(o, "last_modified");
	return 1;
}

void
recfile_line_free(void *keep)
{
	cJSON_Delete(keep);
}

/*
 * Calls each() for every record of the file at path; opt names the
 * option for messages.  0 when read (*cut: its last line was cut short),
 * -1 with a message when it cannot be.
 */
int
recfile_read(const char *path, const char *opt, recfile_fn *each, void *arg,
    int *cut)
{
	struct record	 r;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, bad = 0;
	ssize_t		 n;
	void		*keep;

	*cut = 0;
	if ((f = fopen(path, "r")) == NULL) {
		msg_warn("%s %s: %s", opt, path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n') {
			*cut = 1;	/* cut short: never a whole result */
			break;
		}
		if (recfile_line(line, (size_t)n - 1, &r, &keep))
			each(arg, &r);
		else if (n > 1)
			bad++;
		recfile_line_free(keep);
	}
	free(line);
	if (ferror(f)) {
		msg_warn("%s %s: %s", opt, path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	if (bad > 0)
		msg_warn("%s %s: %zu lines are not cofetch json results; "
		    "ignored", opt, path, bad);
	return 0;
}
