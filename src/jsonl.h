/*
 * jsonl.h: --input-format jsonl: one JSON object a line naming a request,
 * {"url", "id", "method", "headers", "data"}, only "url" required.
 */
#ifndef COFETCH_JSONL_H
#define COFETCH_JSONL_H

#include <stddef.h>

struct request_line {
	char	 *url;
	char	 *id;		/* the id as compact JSON; NULL: none */
	char	 *method;	/* NULL: GET, or POST with data */
	char	 *data;		/* the request body; NULL: none */
	char	**headers;	/* "Name: value", or "Name;" when empty */
	size_t	  nheaders;
};

const char	*jsonl_parse(const char *, size_t, struct request_line *);
void		 jsonl_clear(struct request_line *);

#endif
