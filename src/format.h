/*
 * format.h: one result as one output line, in the formats of the contract.
 */
#ifndef COFETCH_FORMAT_H
#define COFETCH_FORMAT_H

#include "buf.h"
#include "result.h"

enum format {
	FMT_TEXT,
	FMT_JSON,
	FMT_HEAD,
	FMT_BODY		/* bodies themselves: the sink writes them */
};

/* Parts of a json line that are there only when asked for. */
#define FORMAT_HEAD	0x1	/* -n: "head" */
#define FORMAT_HEADERS	0x2	/* --with-headers: "headers" */
#define FORMAT_PATH	0x4	/* -o: "path" */
#define FORMAT_ID	0x8	/* --input-format jsonl: "id" */
#define FORMAT_CHAIN	0x10	/* --with-chain: "chain" */
#define FORMAT_BODY	0x20	/* --with-body: "body" */
#define FORMAT_SHA256	0x40	/* --hash sha256: "sha256" */
#define FORMAT_UNCHANGED 0x80	/* --revalidate: "unchanged" */

void	format_result(struct buf *, const struct result *, enum format, int);

#endif
