/*
 * recfile.h: a previous -f json output read back, one record a line,
 * for --skip-done and --revalidate.  A cut last line (a run killed
 * mid-write) is no record; other lines that are not results are counted
 * and reported once.
 */
#ifndef COFETCH_RECFILE_H
#define COFETCH_RECFILE_H

/* What a line of the file says of its URL. */
struct record {
	const char	*url;		/* as the line has it */
	int		 ok;
	const char	*etag;		/* NULL: none */
	const char	*last_modified;	/* NULL: none */
};

typedef void	recfile_fn(void *, const struct record *);

int	recfile_read(const char *, const char *, recfile_fn *, void *, int *);
int	recfile_line(const char *, size_t, struct record *, void **);
void	recfile_line_free(void *);

#endif
