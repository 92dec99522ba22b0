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
	FMT_HEAD
};

void	format_result(struct buf *, const struct result *, enum format, int);

#endif
