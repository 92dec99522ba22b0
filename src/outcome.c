/*
 * outcome.c: what a transfer came to.  Reads libcurl's answers about a
 * finished (or cut) transfer into its task's result: status, times,
 * error kind and message, and what the output shows of the final
 * response (headers, preview lines, title).  Runs on the thread that ran
 * the transfer, before the task goes back to the main thread.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "charset.h"
#include "conf.h"
#include "html.h"
#include "outcome.h"
#include "preview.h"
#include "result.h"
#include "sched.h"
#include "task.h"
#include "utf8.h"
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
outcome_collect_times(const struct task *t, CURL *e, struct result_times *tm)
{
	int64_t	lookup, conn, app, pre, first, before;
	char	*scheme = NULL;
	int	 https;

	before = t->t_xfer - t->t_start;
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

/* Fills the task's result from the finished (or aborted) transfer. */
void
outcome_collect(struct task *t, CURL *e)
{
	struct result	*r = &t->res;
	long		 v = 0;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &v);
	r->status = v;
	v = 0;
	curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &v);
	r->http_version = r->status > 0 ? outcome_http_version(v) : NULL;
	r->redirects = t->hops;
	t->retry_after = outcome_time(e, CURLINFO_RETRY_AFTER);
	free(r->content_type);
	r->content_type = outcome_info_str(e, CURLINFO_CONTENT_TYPE);
	free(r->effective_url);
	r->effective_url = outcome_info_str(e, CURLINFO_EFFECTIVE_URL);
	outcome_collect_times(t, e, &r->time);
}

/*
 * The preview's lines in UTF-8: from the declared charset, or for an HTML
 * page that declares none and is not valid UTF-8, from windows-1252.  A
 * body without a Content-Type is only repaired.
 */
static void
outcome_head_lines(struct task *t)
{
	struct result	*r = &t->res;
	struct buf	*l = &t->preview->lines;
	const char	*cs = NULL;

	if (t->html != NULL && t->hop_body == HOP_BODY_KEPT) {
		cs = html_charset(t->html);
		if (cs == NULL && t->html->active == 1 &&
		    t->res.content_type != NULL && l->len > 0 &&
		    !utf8_valid((unsigned char *)l->data, l->len))
			cs = "windows-1252";
	}
	free(r->head);
	if (!charset_is_utf8(cs)) {
		r->head = charset_to_utf8(cs, l->data, l->len, &r->head_len);
		return;
	}
	r->head = xmemdup(l->len ? l->data : "", l->len);
	r->head_len = l->len;
}

/*
 * What the output shows of the final response, once one came: headers,
 * preview lines and, in json, the title.
 */
static void
outcome_head(struct task *t, CURLcode rc)
{
	struct result	*r = &t->res;

	if (r->status == 0)
		return;
	if (t->headers != NULL) {
		free(r->headers);
		r->headers = xmemdup(t->headers->len ? t->headers->data : "",
		    t->headers->len);
		r->headers_len = t->headers->len;
	}
	if (t->html != NULL && t->hop_body == HOP_BODY_KEPT &&
	    t->html->active && sched_config(t->sched)->format == FMT_JSON) {
		html_end(t->html);
		free(r->title);
		r->title = html_title(t->html);
	}
	if (t->preview == NULL)
		return;
	if (rc == CURLE_OK)
		preview_end(t->preview);
	outcome_head_lines(t);
}

void
outcome_classify(struct task *t, CURLcode rc)
{
	struct result	*r = &t->res;
	enum err_kind	 kind;

	if (rc == CURLE_WRITE_ERROR && t->stopped)
		rc = CURLE_OK;		/* we ended it: we had enough */
	if (rc == CURLE_WRITE_ERROR && t->io_error != NULL) {
		result_fail(r, ERR_OTHER, "%s", t->io_error);
		return;
	}
	if (rc == CURLE_WRITE_ERROR && t->over_decoded) {
		result_fail(r, ERR_TOO_LARGE, "body decodes to more than %llu "
		    "bytes (--max-decoded)", (unsigned long long)
		    sched_config(t->sched)->max_decoded);
		return;
	}
	outcome_head(t, rc);
	if (rc == CURLE_OK) {
		if (r->status >= 400)
			result_fail(r, ERR_HTTP, "HTTP status %ld", r->status);
		return;
	}
	t->out_of_memory = rc == CURLE_OUT_OF_MEMORY;
	kind = rc == CURLE_RECV_ERROR ? outcome_recv_kind(t->errbuf) :
	    outcome_err_kind(rc);
	result_fail(r, kind, "%s", t->errbuf[0] != '\0' ? t->errbuf :
	    curl_easy_strerror(rc));
}
