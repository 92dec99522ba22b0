/*
 * merge.h: cofetch --merge FILE...: the -k -f json outputs of a run's
 * shards, merged into one stream in index order on standard output.
 */
#ifndef COFETCH_MERGE_H
#define COFETCH_MERGE_H

#include <stddef.h>

enum merge_status {
	MERGE_OK,
	MERGE_BAD,		/* a line that cannot be merged, or a read or
				   write error: reported, output stops */
	MERGE_CLOSED,		/* the reader closed standard output */
	MERGE_USAGE		/* a file cannot be opened: nothing written */
};

enum merge_status	merge_files(char *const *, size_t);

#endif
