/*
 * easy.c: the easy handles.  A pool of at most -j of them, set up once
 * with what every transfer of the run shares; per job, the URL, method,
 * headers, timeouts and addresses; the write and header callbacks that
 * pass the response to the job's body sink; and the life of the
 * CURLOPT_RESOLVE entries, so that libcurl never resolves a name itself
 * (a resolver-start callback counts any lookup it would still start:
 * the tripwire the tests require to stay at 0).
 */
#include "config.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "bodysink.h"
#include "conf.h"
#include "easy.h"
#include "http.h"
#include "job.h"
#include "msg.h"
#include "reqhdr.h"
#include "xmalloc.h"

_Static_assert(JOB_ERRBUF >= CURL_ERROR_SIZE, "job errbuf too small");

struct easy_pool {
	const struct config	*cfg;
	CURL			**idle;
	size_t			  nidle;
	size_t			  max;		/* -j, or less once short */
	struct reqhdr		  hdr;
	struct curl_slist	 *headers;	/* every request's */
	struct curl_slist	 *headers_foreign; /* without credentials */
	atomic_ulong		  curl_resolves;	/* the tripwire */
};

static struct curl_slist *
easy_slist_add(struct curl_slist *l, const char *line)
{
	if ((l = curl_slist_append(l, line)) == NULL)
		msg_fatal("out of memory");
	return l;
}

/* l with one more line, formatted; most fit the stack, as per request. */
static struct curl_slist *easy_slist_addf(struct curl_slist *, const char *,
    ...) __attribute__((format(printf, 2, 3)));

static struct curl_slist *
easy_slist_addf(struct curl_slist *l, const char *fmt, ...)
{
	char	 small[512], *line = small;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg_fatal("cannot format a libcurl list line");
	if ((size_t)n >= sizeof small) {
		line = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(line, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	l = easy_slist_add(l, line);
	if (line != small)
		free(line);
	return l;
}

static void
easy_header_add(void *arg, const char *line)
{
	struct curl_slist	**l = arg;

	*l = easy_slist_add(*l, line);
}

/* The header lines of a request, as libcurl takes them. */
static struct curl_slist *
easy_headers(const struct easy_pool *p, char *const *own, size_t n,
    int foreign)
{
	struct curl_slist	*l = NULL;

	reqhdr_each(&p->hdr, own, n, foreign, easy_header_add, &l);
	return l;
}

/*
 * cofetch's own headers go in the header list rather than
 * CURLOPT_USERAGENT and CURLOPT_ACCEPT_ENCODING because libcurl 7.88
 * formats those two anew for every request with its own printf, which
 * costs more than the rest of the request's headers.
 * CURLOPT_ACCEPT_ENCODING stays set: it is what turns on decoding.
 */
static void
easy_std_headers(struct easy_pool *p, const struct config *cfg)
{
	const curl_version_info_data	*v = curl_version_info(CURLVERSION_NOW);
	char				 ae[64] = "";

	if (v->features & CURL_VERSION_LIBZ)
		strcat(ae, ", deflate, gzip");
	if (v->features & CURL_VERSION_BROTLI)
		strcat(ae, ", br");
	if (v->features & CURL_VERSION_ZSTD)
		strcat(ae, ", zstd");
	reqhdr_init(&p->hdr, cfg->user_agent != NULL ? cfg->user_agent :
	    "cofetch/" PACKAGE_VERSION, ae[0] != '\0' ? ae + 2 : NULL,
	    cfg->headers, cfg->nheaders);
	p->headers = easy_headers(p, NULL, 0, 0);
	p->headers_foreign = easy_headers(p, NULL, 0, 1);
}

struct easy_pool *
easy_pool_new(const struct config *cfg)
{
	struct easy_pool	*p;

	p = xcalloc(1, sizeof *p);
	p->cfg = cfg;
	p->max = cfg->jobs;
	p->idle = xcalloc(p->max, sizeof *p->idle);
	easy_std_headers(p, cfg);
	return p;
}

/* The handles in use must be back. */
void
easy_pool_free(struct easy_pool *p)
{
	easy_limit(p, 0);
	curl_slist_free_all(p->headers);
	curl_slist_free_all(p->headers_foreign);
	reqhdr_free(&p->hdr);
	free(p->idle);
	free(p);
}

/*
 * Runs inside curl: a name libcurl would resolve itself.  libcurl 7.88
 * calls this before it checks for an IPv6 literal, which needs no lookup
 * and cannot have a CURLOPT_RESOLVE entry, so those are not counted.
 * Under an address policy the lookup is also refused (the transfer fails
 * as dns): its answer would be an address nobody checked.
 */
static int
easy_resolver_start_cb(void *resolver, void *reserved, void *arg)
{
	struct xfer_job		*j = arg;
	struct easy_pool	*p = j->priv.pool;

	(void)resolver;
	(void)reserved;
	if (j->host[0] == '[')
		return 0;
	atomic_fetch_add(&p->curl_resolves, 1);
	return addrpolicy_active(&p->cfg->addrpolicy);
}

/*
 * Runs inside curl, at the end of a response's head: a redirect to be
 * followed keeps the connection, as its next hop may go to the same
 * host:port.  libcurl 7.88 reads CURLOPT_FORBID_REUSE only once the
 * transfer is done (multi_done), so it may still change here.
 */
static void
easy_keep_for_redirect(struct xfer_job *j)
{
	long	code = 0;

	curl_easy_getinfo(j->priv.easy, CURLINFO_RESPONSE_CODE, &code);
	if (!bodysink_follows(j->body->pol, code))
		return;
	j->priv.closes = 0;
	curl_easy_setopt(j->priv.easy, CURLOPT_FORBID_REUSE, 0L);
}

/* Runs inside curl: record only. */
static size_t
easy_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer_job	*j = arg;
	size_t		 len = size * n;

	if (j->priv.closes && len > 0 && len <= 2 &&
	    (data[0] == '\r' || data[0] == '\n'))
		easy_keep_for_redirect(j);
	bodysink_header(j->body, data, len);
	return len;
}

/*
 * Runs inside curl, at a hop's first body bytes: the status and type are
 * final by now.  Content-Encoding is asked for only when a bound needs it.
 */
static void
easy_body_begins(struct xfer_job *j, CURL *e)
{
	struct curl_header	*enc;
	long			 code = 0;
	char			*ct = NULL;
	int			 compressed = 0;

	if (j->body->pol->max_decoded > 0 && curl_easy_header(e,
	    "Content-Encoding", 0, CURLH_HEADER, -1, &enc) == CURLHE_OK)
		compressed = strcasecmp(enc->value, "identity") != 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
	bodysink_begin(j->body, code, ct, compressed);
}

/*
 * Runs inside curl: record only.  Once the body has given what the output
 * needs (the preview's lines, the title, --max-bytes), the transfer is
 * ended here on purpose; the outcome reports that as success.
 */
static size_t
easy_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer_job	*j = arg;
	size_t		 len = size * n;

	if (j->body->hop == HOP_BODY_NONE)
		easy_body_begins(j, j->priv.easy);
	if (bodysink_write(j->body, data, len) != BODYSINK_MORE)
		return CURL_WRITEFUNC_ERROR;
	return len;
}

/*
 * Certificate authorities from a file alone, --cacert's or libcurl's own
 * bundle, never also from a directory: libcurl 7.88 keeps the CA store it
 * loaded in the multi handle only when no CA directory is set, and
 * Debian's libcurl sets /etc/ssl/certs beside its bundle, so each new
 * connection parsed the whole file again.  This also makes --cacert mean
 * that file's authorities and no others, as documented.  A libcurl built
 * with a directory and no bundle keeps its directory.
 */
static void
easy_ca_file_only(const struct config *c, CURL *e)
{
	char	*bundle = NULL;

	if (c->cacert == NULL &&
	    (curl_easy_getinfo(e, CURLINFO_CAINFO, &bundle) != CURLE_OK ||
	    bundle == NULL))
		return;
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
}

/*
 * What every transfer of the run shares, set once per easy handle: the
 * handles are never reset, because curl_easy_reset() and setting all
 * options again cost more per request than the rest of cofetch's work.
 * Whatever differs between jobs is set for each (easy_setup) or put back
 * when the handle returns to the pool (easy_put).
 */
static void
easy_defaults(const struct config *c, CURL *e)
{
	long	v = CURL_HTTP_VERSION_2TLS;

	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, easy_write_cb);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, easy_header_cb);
	curl_easy_setopt(e, CURLOPT_RESOLVER_START_FUNCTION,
	    easy_resolver_start_cb);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* The task follows redirects itself, each hop through c-ares. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (c->http_version == CONF_HTTP_1_1)
		v = CURL_HTTP_VERSION_1_1;
	else if (c->http_version == CONF_HTTP_2)
		v = CURL_HTTP_VERSION_2_0;
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, v);
	if (c->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->cacert);
	easy_ca_file_only(c, e);
	/*
	 * Never the environment's http_proxy and the like: libcurl would
	 * resolve such a proxy's name itself, and reads the environment
	 * again for every request.
	 */
	curl_easy_setopt(e, CURLOPT_PROXY, c->proxy != NULL ? c->proxy : "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "");
}

/* A handle for a job: an idle one, or a new one (NULL: out of memory). */
CURL *
easy_get(struct easy_pool *p)
{
	CURL	*e;

	if (p->nidle > 0)
		return p->idle[--p->nidle];
	if ((e = curl_easy_init()) == NULL)
		return NULL;
	easy_defaults(p->cfg, e);
	return e;
}

/*
 * Puts back what j set that the next job may not set; whatever every job
 * sets (URL, headers, buffers, callbacks' data) is left to the next.
 * libcurl only reads those during a transfer.  At most -j handles are
 * ever in use, so the pool never holds more.
 */
void
easy_put(struct easy_pool *p, CURL *e, const struct xfer_job *j)
{
	if (j->data != NULL || j->method != NULL) {
		/* POSTFIELDS selects POST even when NULL; HTTPGET undoes it. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	}
	/* An IPv6 literal's job sets none, and j's list is freed now. */
	curl_easy_setopt(e, CURLOPT_RESOLVE, NULL);
	if (p->nidle < p->max)
		p->idle[p->nidle++] = e;
	else
		curl_easy_cleanup(e);
}

/*
 * Idle handles keep their buffers: when memory ran out and -j was
 * lowered, no more are kept than the new -j (0 frees them all).
 */
void
easy_limit(struct easy_pool *p, size_t max)
{
	p->max = max;
	while (p->nidle > max)
		curl_easy_cleanup(p->idle[--p->nidle]);
}

void
easy_resolves_init(struct easy_resolves *r)
{
	hostmap_init(&r->entries);
	r->forget = NULL;
}

void
easy_resolves_free(struct easy_resolves *r)
{
	curl_slist_free_all(r->forget);
	r->forget = NULL;
	hostmap_free(&r->entries);
}

/*
 * The addresses c-ares found, as host:port:addr[,addr] for libcurl, after
 * the entries no live transfer needs any more, which are dropped.
 * libcurl 7.88 keeps CURLOPT_RESOLVE entries for good in the multi
 * handle's cache and scans that whole cache after every transfer, so
 * keeping one entry per host ever fetched made a run over many hosts
 * quadratic.  A transfer may look its entry up again after it started
 * (waiting to multiplex, or retrying a dead connection), so an entry goes
 * only once no live transfer uses its host:port.
 */
static void
easy_resolve_entry(struct xfer_job *j, CURL *e, struct easy_resolves *r)
{
	if (j->addrs == NULL)
		return;		/* an IPv6 literal: libcurl connects as is */
	/* libcurl keeps the pointer: the list lives until the job ends. */
	j->priv.resolve = easy_slist_addf(r->forget, "%s:%ld:%s", j->host,
	    j->port, j->addrs);
	r->forget = NULL;
	j->priv.entry = hostmap_ref(&r->entries, j->host, j->port,
	    sizeof *j->priv.entry);
	curl_easy_setopt(e, CURLOPT_RESOLVE, j->priv.resolve);
}

/*
 * Method and body: -X and -d, as redirects have left them.  libcurl
 * copies the method; out of memory, the request would go out as a GET.
 */
static CURLcode
easy_request(const struct xfer_job *j, CURL *e)
{
	enum http_method	kind = http_method_kind(j->method);

	if (j->data != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(j->data));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->data);
		if (j->method != NULL && kind != HTTP_POST)
			return curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST,
			    j->method);
	} else if (kind == HTTP_HEAD)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (kind != HTTP_GET)
		return curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method);
	return CURLE_OK;
}

/*
 * The job's own options, with budget_ms left of its -t.  Only the
 * options libcurl copies can fail, and only out of memory.
 */
CURLcode
easy_setup(struct easy_pool *p, CURL *e, struct xfer_job *j,
    struct easy_resolves *r, long budget_ms)
{
	const struct config	*c = p->cfg;
	long			 connect_ms;
	CURLcode		 rc;

	connect_ms = c->connect_timeout_ms < budget_ms ?
	    (long)c->connect_timeout_ms : budget_ms;
	if ((rc = curl_easy_setopt(e, CURLOPT_URL, j->url)) != CURLE_OK)
		return rc;
	j->priv.pool = p;
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->priv.errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_RESOLVER_START_DATA, j);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, budget_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	if (j->nheaders > 0) {
		j->priv.headers = easy_headers(p, j->headers, j->nheaders,
		    j->foreign);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->priv.headers);
	} else
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->foreign ?
		    p->headers_foreign : p->headers);
	/*
	 * Where HTTP/2 may be negotiated, wait for a connection that could
	 * multiplex rather than open more.  Never over plain HTTP/1.1: there
	 * every request behind a slow one would wait for it.
	 */
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, (long)(c->http_version !=
	    CONF_HTTP_1_1 && (j->https || c->http_version == CONF_HTTP_2)));
	easy_resolve_entry(j, e, r);
	return easy_request(j, e);
}

/*
 * As the transfer joins its multi handle, on that handle's thread: its
 * connection is closed once it is done, not kept, when no other task is
 * for its host:port and the connections open already fill the cache
 * (full).  Kept, it would make libcurl 7.88 close the oldest idle one
 * instead, and such an eviction leaves the closed connection's host in
 * the cache as an empty entry until the multi handle goes
 * (Curl_conncache_extract_oldest); every later eviction walks all of
 * them, so over thousands of hosts each transfer's end cost a walk over
 * every host evicted before.
 */
void
easy_keep_connection(struct xfer_job *j, int full)
{
	j->priv.closes = j->host_alone && full;
	curl_easy_setopt(j->priv.easy, CURLOPT_FORBID_REUSE,
	    (long)j->priv.closes);
}

/*
 * The job's lists go.  When it was the last live transfer to its
 * host:port, the next one to start drops the entry from libcurl's cache.
 */
void
easy_finish(struct xfer_job *j, struct easy_resolves *r)
{
	struct hostmap_entry	*h = j->priv.entry;

	if (h != NULL) {
		j->priv.entry = NULL;
		if (h->refs == 1)
			r->forget = easy_slist_addf(r->forget, "-%s:%ld",
			    h->name, h->port);
		hostmap_unref(&r->entries, h);
	}
	curl_slist_free_all(j->priv.resolve);
	j->priv.resolve = NULL;
	curl_slist_free_all(j->priv.headers);
	j->priv.headers = NULL;
}

/* How many names libcurl tried to resolve by itself (should be 0). */
unsigned long
easy_curl_resolves(const struct easy_pool *p)
{
	return atomic_load(&p->curl_resolves);
}
