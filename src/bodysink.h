/*
 * bodysink.h: where a response goes while it streams in.  Its header
 * lines are kept for --with-headers; its body bytes fan out to the held
 * body (-f body), the file being saved (-o), the title scanner and the
 * preview, within --max-bytes and --max-decoded, and the sink says when
 * the output has all it wants so the transfer can end early.  Pure: it
 * knows nothing of libcurl, which the transfer reads for it.
 */
#ifndef COFETCH_BODYSINK_H
#define COFETCH_BODYSINK_H

#include <stddef.h>
#include <stdint.h>

struct body;
struct buf;
struct config;
struct digest;
struct html;
struct preview;
struct result;
struct saved;
struct saver;
struct spool;

/* What the run's output takes of every response. */
struct bodysink_policy {
	uint64_t	 max_bytes;	/* 0: no bound */
	uint64_t	 max_decoded;	/* a compressed body's; 0: no bound */
	size_t		 lines;		/* preview lines; 0: no preview */
	int		 title;		/* json's title, known before a stop */
	int		 title_only;	/* stop once the title is in */
	int		 headers;	/* --with-headers */
	int		 follow;	/* redirects followed: bodies drained */
	int		 json_body;	/* --with-body: an enum result_body */
	int		 sha256;	/* --hash sha256 */
	struct spool	*spool;		/* -f body: bodies held here */
	struct saver	*saver;		/* -o: bodies saved here */
};

/* Known from a hop's first body bytes: whether the output takes them. */
enum hop_body {
	HOP_BODY_NONE,		/* no body bytes yet */
	HOP_BODY_DRAINED,	/* a redirect to follow: read, not kept */
	HOP_BODY_KEPT		/* the body the result describes */
};

/* What a chunk of the body came to. */
enum bodysink_status {
	BODYSINK_MORE,		/* taken: go on */
	BODYSINK_ENOUGH,	/* the output has what it wants: stop */
	BODYSINK_FAILED		/* could not be kept, or decodes too large */
};

/*
 * One task's, made when its first transfer starts (a task waiting for a
 * permit costs none of it).  The outcome reads stopped, over_decoded and
 * io_error to tell a deliberate stop from a failure.
 */
struct bodysink {
	const struct bodysink_policy	*pol;
	enum hop_body			 hop;
	uint64_t			 bytes;		/* kept, this hop */
	uint64_t			 decode_left;	/* of --max-decoded */
	int				 truncated;
	int				 stopped;	/* cut on purpose */
	int				 over_decoded;
	char				*io_error;	/* why keeping failed */
	int				 made;		/* the parts below */
	struct preview			*preview;	/* -f head or -n */
	struct html			*html;		/* title, charset */
	struct buf			*headers;	/* --with-headers */
	struct body			*content;	/* -f body */
	struct saved			*file;		/* -o */
	struct buf			*json_body;	/* --with-body */
	struct digest			*digest;	/* --hash sha256 */
};

void	bodysink_policy_init(struct bodysink_policy *, const struct config *);
void	bodysink_init(struct bodysink *, const struct bodysink_policy *);
void	bodysink_free(struct bodysink *);
int	bodysink_open(struct bodysink *, uint64_t, const char *);
void	bodysink_header(struct bodysink *, const char *, size_t);
int	bodysink_follows(const struct bodysink_policy *, long);
void	bodysink_begin(struct bodysink *, long, const char *, int);
enum bodysink_status bodysink_write(struct bodysink *, const char *, size_t);
void	bodysink_end(struct bodysink *, struct result *, int);
void	bodysink_keep(struct bodysink *, struct result *);

#endif
