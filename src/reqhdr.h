/*
 * reqhdr.h: the header lines a request sends: cofetch's own (User-Agent,
 * Accept-Encoding), -H's, and an input line's, each replacing the ones
 * before of the same name, and no credentials on a hop to another host.
 * Pure: the transfer turns the lines into libcurl's list.
 */
#ifndef COFETCH_REQHDR_H
#define COFETCH_REQHDR_H

#include <stddef.h>

#define REQHDR_STD	2	/* User-Agent, Accept-Encoding */

struct reqhdr {
	char		 *std[REQHDR_STD];	/* NULL: not sent, or -H's */
	const char	**user;			/* -H, the config's */
	size_t		  nuser;
};

typedef void	reqhdr_add(void *, const char *);

void	 reqhdr_init(struct reqhdr *, const char *, const char *,
	    const char **, size_t);
void	 reqhdr_free(struct reqhdr *);
void	 reqhdr_each(const struct reqhdr *, char *const *, size_t, int,
	    reqhdr_add *, void *);
char	*reqhdr_line(const char *, const char *);

#endif
