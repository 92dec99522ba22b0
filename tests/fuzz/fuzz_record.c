/*
 * fuzz_record.c: --revalidate's reader, given a previous output that is
 * whatever a disk, a cut write or a hostile hand left.  Loading never
 * fails on it, every record read has a URL, and no validator it would
 * send back holds a line break or another control byte.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/recfile.h"
#include "../../src/validators.h"
#include "fuzz.h"

static int
fuzz_header_safe(const char *v)
{
	for (; v != NULL && *v != '\0'; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct validators	*v;
	struct validator	 got;
	struct record		 r;
	const char		*p = (const char *)data, *end = p + size, *nl;
	char			 path[] = "/tmp/fuzz_record.XXXXXX";
	void			*keep;
	int			 fd;

	if ((fd = mkstemp(path)) < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	v = validators_load(path, "http");
	unlink(path);
	FUZZ_CHECK(v != NULL);
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if (recfile_line(p, (size_t)(nl - p), &r, &keep)) {
			FUZZ_CHECK(r.url != NULL);
			validators_get(v, r.url, strlen(r.url), &got);
			FUZZ_CHECK(fuzz_header_safe(got.etag));
			FUZZ_CHECK(fuzz_header_safe(got.last_modified));
		}
		recfile_line_free(keep);
	}
	validators_free(v);
	return 0;
}
