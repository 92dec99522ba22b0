/*
 * result.h: what cofetch reports for one input line, and the error kinds
 * of the contract.  Pure data: formats read it, the transfer fills it.
 */
#ifndef COFETCH_RESULT_H
#define COFETCH_RESULT_H

#include <stddef.h>
#include <stdint.h>

struct body;

enum err_kind {
	ERR_NONE,
	ERR_DNS,
	ERR_CONNECT,
	ERR_TLS,
	ERR_TIMEOUT,
	ERR_HTTP,
	ERR_TOO_MANY_REDIRECTS,
	ERR_PROTOCOL,
	ERR_RESET,
	ERR_BAD_INPUT,
	ERR_CANCELLED,
	ERR_TOO_LARGE,
	ERR_BLOCKED,		/* the address policy refused the hop */
	ERR_OTHER,
	ERR__COUNT
};

/* Durations in microseconds; TIME_UNKNOWN prints as null. */
#define TIME_UNKNOWN	(-1)

struct result_times {
	int64_t	queued;		/* admitted until it got its permit */
	int64_t	dns;		/* name lookup */
	int64_t	connect;	/* TCP connect */
	int64_t	tls;		/* TLS handshake */
	int64_t	ttfb;		/* attempt start to first response byte */
	int64_t	total;		/* the whole attempt */
};

/* One response of the attempt, for --with-chain. */
struct result_hop {
	char	*url;
	long	 status;
	char	*location;	/* absolute, or NULL */
};

/* --with-body: what "body" holds. */
enum result_body {
	RESULT_BODY_NONE,	/* no body came */
	RESULT_BODY_TEXT,	/* UTF-8, converted from the page's charset */
	RESULT_BODY_BYTES	/* as received, for base64 */
};

#define RESULT_SHA256_HEX	64

struct result {
	uint64_t		 index;
	const char		*url;		/* as given, not owned */
	size_t			 url_len;
	const char		*id;		/* jsonl's id as JSON, not owned */
	long			 status;	/* 0: no response */
	enum err_kind		 error;
	char			*message;
	char			*effective_url;
	long			 redirects;	/* -1: unknown */
	const char		*http_version;	/* static string or NULL */
	char			*content_type;
	uint64_t		 bytes;
	int			 truncated;
	int			 attempts;
	char			*title;
	char			*head;		/* preview lines, '\n' after each */
	size_t			 head_len;
	char			*headers;	/* "name: value\n" lines, as sent */
	size_t			 headers_len;
	struct body		*body;		/* -f body: the body, held */
	char			*path;		/* -o: where the body was saved */
	char			*remote_ip;	/* the final response's peer */
	int64_t			 started_ms;	/* the final attempt's slot, in
						   ms since 1970; -1 none */
	char			*etag;		/* as sent, or NULL */
	char			*last_modified;
	struct result_hop	*chain;		/* --with-chain */
	size_t			 nchain;
	enum result_body	 body_kind;	/* --with-body */
	char			*body_data;
	size_t			 body_len;
	char			 sha256[RESULT_SHA256_HEX + 1];	/* "": none */
	int			 unchanged;	/* --revalidate: a 304 to ours */
	struct result_times	 time;
};

void		 result_init(struct result *, uint64_t, const char *, size_t);
void		 result_clear(struct result *);
void		 result_retry(struct result *);
void		 result_hop_add(struct result *, const char *, long,
		    const char *);
void		 result_fail(struct result *, enum err_kind, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
const char	*err_name(enum err_kind);

static inline int
result_ok(const struct result *r)
{
	return r->error == ERR_NONE;
}

#endif
