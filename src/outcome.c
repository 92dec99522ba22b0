/*
 * outcome.c: what a transfer came to.  Reads libcurl's answers about a
 * finished (or cut) transfer into its job: status, times, error kind and
 * message, the redirect to follow, and what the body sink shows of the
 * final response.  Runs on the thread that ran the transfer, before the
 * job goes back to the main thread.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "bodysink.h"
#include "clock.h"
#include "job.h"
#include "outcome.h"
#include "result.h"
#include "xmalloc.h"

static enum err_kind
outcome_err_kind(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ERR_DNS;
	case CURLE_COULDNT_CONNECT:
		return ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return ERR_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
		return ERR_TLS;
	case CURLE_TOO_MANY_REDIRECTS:
		return ERR_TOO_MANY_REDIRECTS;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_RANGE_ERROR:
		return ERR_PROTOCOL;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		return ERR_RESET;
	case CURLE_FILESIZE_EXCEEDED:
		return ERR_TOO_LARGE;
	default:
		return ERR_OTHER;
	}
}

/*
 * libcurl 7.88 reports a malformed chunk, and response headers past its
 * 300 KB bound, as CURLE_RECV_ERROR like a reset; only its message tells
 * them apart.  Unlike a reset, neither is worth another attempt.
 */
static enum err_kind
outcome_recv_kind(const char *msg)
{
	static const char	too_large[] = "Too large response headers";

	if (strstr(msg, "chunked-encoding") != NULL)
		return ERR_PROTOCOL;
	if (strncmp(msg, too_large, sizeof too_large - 1) == 0)
		return ERR_TOO_LARGE;
	return ERR_RESET;
}

static int64_t
outcome_time(CURL *e, CURLINFO what)
{
	curl_off_t	v = 0;

	if (curl_easy_getinfo(e, what, &v) != CURLE_OK || v < 0)
		return 0;
	return v;
}

static const char *
outcome_http_version(long v)
{
	switch (v) {
	case CURL_HTTP_VERSION_1_0: return "1.0";
	case CURL_HTTP_VERSION_1_1: return "1.1";
	case CURL_HTTP_VERSION_2_0: return "2";
	case CURL_HTTP_VERSION_3: return "3";
	default: return NULL;
	}
}

/*
 * curl's times are cumulative from the transfer's start; the result has
 * each phase's own duration, null for a phase that never happened, and
 * ttfb and total from the attempt's start (so they include DNS, which
 * the task timed).  A reused connection has no connect time in curl, but
 * it reached the request (pretransfer), so connect and tls took 0.
 */
static void
outcome_times(const struct xfer_job *j, CURL *e, struct result_times *tm)
{
	int64_t	lookup, conn, app, pre, first, before;
	char	*scheme = NULL;
	int	 https;

	before = j->priv.started - j->began;
	lookup = outcome_time(e, CURLINFO_NAMELOOKUP_TIME_T);
	conn = outcome_time(e, CURLINFO_CONNECT_TIME_T);
	app = outcome_time(e, CURLINFO_APPCONNECT_TIME_T);
	pre = outcome_time(e, CURLINFO_PRETRANSFER_TIME_T);
	first = outcome_time(e, CURLINFO_STARTTRANSFER_TIME_T);
	curl_easy_getinfo(e, CURLINFO_SCHEME, &scheme);
	https = scheme != NULL && strcasecmp(scheme, "https") == 0;
	if (conn > 0) {
		tm->connect = conn > lookup ? conn - lookup : 0;
		if (app > 0)
			tm->tls = app > conn ? app - conn : 0;
		else
			tm->tls = https ? TIME_UNKNOWN : 0;
	} else if (pre > 0)
		tm->connect = tm->tls = 0;
	else
		tm->connect = tm->tls = TIME_UNKNOWN;
	tm->ttfb = first > 0 ? before + first : TIME_UNKNOWN;
	tm->total = before + outcome_time(e, CURLINFO_TOTAL_TIME_T);
}

static char *
outcome_info_str(CURL *e, CURLINFO what)
{
	char	*s = NULL;

	if (curl_easy_getinfo(e, what, &s) != CURLE_OK || s == NULL)
		return NULL;
	return xstrdup(s);
}

/* A response header as sent (the first of its name), or NULL. */
static char *
outcome_header(CURL *e, const char *name)
{
	struct curl_header	*h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return xstrdup(h->value);
}

/* Where the response came from, and its validators (a 304's too). */
static void
outcome_record(struct result *r, CURL *e)
{
	free(r->remote_ip);
	r->remote_ip = outcome_info_str(e, CURLINFO_PRIMARY_IP);
	if (r->remote_ip != NULL && r->remote_ip[0] == '\0') {
		free(r->remote_ip);
		r->remote_ip = NULL;
	}
	free(r->etag);
	free(r->last_modified);
	r->etag = r->last_modified = NULL;
	if (r->status == 0)
		return;
	r->etag = outcome_header(e, "ETag");
	r->last_modified = outcome_header(e, "Last-Modified");
}

/* A 3xx with a Location, when following: the hop the task takes next. */
static void
outcome_location(struct xfer_job *j, CURL *e)
{
	free(j->location);
	j->location = NULL;
	if (bodysink_follows(j->body->pol, j->res->status))
		j->location = outcome_info_str(e, CURLINFO_REDIRECT_URL);
}

/* Fills the job's result from the finished (or cut) transfer. */
void
outcome_collect(struct xfer_job *j, CURL *e)
{
	struct result	*r = j->res;
	long		 v = 0;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &v);
	r->status = v;
	v = 0;
	curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &v);
	r->http_version = r->status > 0 ? outcome_http_version(v) : NULL;
	r->redirects = j->hops;
	r->bytes = j->body->bytes;
	r->truncated = j->body->truncated;
	j->retry_after = outcome_time(e, CURLINFO_RETRY_AFTER);
	free(r->content_type);
	r->content_type = outcome_info_str(e, CURLINFO_CONTENT_TYPE);
	free(r->effective_url);
	r->effective_url = outcome_info_str(e, CURLINFO_EFFECTIVE_URL);
	outcome_times(j, e, &r->time);
	outcome_record(r, e);
	outcome_location(j, e);
}

/*
 * A transfer that xfer_abort() stopped: curl's total time only moves at
 * progress updates, so it is timed here.
 */
void
outcome_cut(struct xfer_job *j, CURL *e)
{
	outcome_collect(j, e);
	j->res->time.total = clock_us() - j->began;
	j->cut = 1;
}

/* The error, if any, of a transfer that ended with rc. */
void
outcome_classify(struct xfer_job *j, CURLcode rc)
{
	const struct bodysink	*b = j->body;
	struct result		*r = j->res;
	enum err_kind		 kind;

	if (rc == CURLE_WRITE_ERROR && b->stopped)
		rc = CURLE_OK;		/* we ended it: we had enough */
	if (rc == CURLE_WRITE_ERROR && b->io_error != NULL) {
		result_fail(r, ERR_OTHER, "%s", b->io_error);
		return;
	}
	if (rc == CURLE_WRITE_ERROR && b->over_decoded) {
		result_fail(r, ERR_TOO_LARGE, "body decodes to more than %llu "
		    "bytes (--max-decoded)", (unsigned long long)
		    b->pol->max_decoded);
		return;
	}
	bodysink_end(j->body, r, rc == CURLE_OK);
	if (rc == CURLE_OK) {
		if (r->status >= 400)
			result_fail(r, ERR_HTTP, "HTTP status %ld", r->status);
		return;
	}
	j->out_of_memory = rc == CURLE_OUT_OF_MEMORY;
	kind = rc == CURLE_RECV_ERROR ? outcome_recv_kind(j->priv.errbuf) :
	    outcome_err_kind(rc);
	result_fail(r, kind, "%s", j->priv.errbuf[0] != '\0' ?
	    j->priv.errbuf : curl_easy_strerror(rc));
}
