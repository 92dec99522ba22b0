/*
 * opts.c: the option table.  One row per option carries its type, bounds
 * and default; the default is parsed through the same setter an argument
 * goes through, before argv is read, so it is written once and can never
 * be out of the option's own bounds.  Usage errors print one message and
 * make cofetch exit 2 before any fetch.
 */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "msg.h"
#include "optval.h"
#include "opts.h"
#include "result.h"
#include "url.h"
#include "usage.h"
#include "version.h"

#define OPTS_MAX_JOBS		1000000
#define OPTS_MAX_THREADS	64
#define OPTS_MIN_WINDOW		1024
#define OPTS_BODY_MAX_BYTES	(1024 * 1024)	/* --with-body's --max-bytes */

static int	set_help(struct config *, const char *);
static int	set_version(struct config *, const char *);
static int	set_completion(struct config *, const char *);

#define FIELD(f)	.field = offsetof(struct config, f),		\
			.size = sizeof(((struct config *)0)->f)
#define TITLE(t)	{ .type = OPT_TITLE, .help = (t) }
#define OPT(n, l, a)	.name = (n), .letter = (l), .arg = (a)
#define FLAG(f, v)	.type = OPT_FLAG, FIELD(f), .value = (v)
#define UINT(f, lo, hi)	.type = OPT_UINT, FIELD(f), .min = (lo), .max = (hi)
#define BYTES(f, lo)	.type = OPT_BYTES, FIELD(f), .min = (lo),	\
			.max = UINT64_MAX
#define SECONDS(f)	.type = OPT_SECONDS, FIELD(f)
#define STRING(f)	.type = OPT_STRING, FIELD(f)
#define FN(fn)		.type = OPT_FN, .set = (fn)

static const struct opt opts_table[] = {
	TITLE("Input:"),
	{ OPT("input", 'i', "FILE"), FN(optval_input), .file = 1, .many = 1,
	    .help = "read URLs from FILE, one a line ('-' is standard "
	    "input); repeatable" },
	{ OPT("input-format", 0, "FMT"), FN(optval_input_format), .dflt = "lines",
	    .values = "lines|jsonl", .help = "lines: one URL a line; jsonl: "
	    "one object a line, {\"url\", \"id\", \"method\", \"headers\", "
	    "\"data\"}" },
	{ OPT("shard", 0, "K/N"), FN(optval_shard), .help = "keep only the lines "
	    "whose index i has i mod N = K-1 (indices stay global); auto: K "
	    "and N from a job array's environment (Slurm, Grid Engine, GitLab "
	    "CI), auto/N: K only (also Kubernetes, AWS Batch)" },
	{ OPT("shard-by", 0, "WHAT"), FN(optval_shard_by), .dflt = "index",
	    .values = "index|host", .help = "index: by i as above; host: by "
	    "FNV-1a-64 of the line's host mod N, so each host is one shard's" },
	{ OPT("merge", 0, NULL), FLAG(merge, 1), .help = "merge the -k -f "
	    "json outputs of a run's shards, the FILEs given as arguments ('-' "
	    "is standard input), into one in index order; no other option "
	    "applies" },
	{ OPT("skip-done", 0, "FILE"), STRING(skip_done), .file = 1,
	    .help = "skip the URLs a previous -f json output FILE records as "
	    "ok (resume a run)" },
	{ OPT("unique", 0, NULL), FLAG(unique, 1), .help = "fetch each "
	    "distinct URL once: later repeats are skipped, as --skip-done "
	    "skips" },
	{ OPT("proto-default", 0, "SCHEME"), FN(optval_proto_default),
	    .dflt = "http", .values = "http|https", .help = "the scheme of "
	    "a line without one, like example.com or 10.0.0.1:8080/x" },
	TITLE("Scheduling:"),
	{ OPT("jobs", 'j', "N"), UINT(jobs, 1, OPTS_MAX_JOBS), .dflt = "50",
	    .help = "at most N tasks in flight" },
	{ OPT("per-host", 0, "N"), UINT(per_host, 1, OPTS_MAX_JOBS),
	    .by_default = "no cap",
	    .help = "at most N tasks in flight to one host:port" },
	{ OPT("threads", 0, "N"), UINT(threads, 0, OPTS_MAX_THREADS),
	    .by_default = "one a CPU past -j 1000 without ulimit -v, else 0",
	    .help = "run transfers on N threads besides the main one; 0: all "
	    "on it" },
	{ OPT("rate", 0, "R"), FN(optval_rate), .help = "start requests evenly "
	    "spaced at R a second (R/s) or R a minute (R/m); no bursts" },
	{ OPT("per-host-rate", 0, "R"), FN(optval_per_host_rate),
	    .help = "start requests to one host:port evenly spaced at R a "
	    "second (R/s) or R a minute (R/m); no bursts" },
	{ OPT("no-host-backoff", 0, NULL), FLAG(no_host_backoff, 1),
	    .help = "do not pause a host that answers 429 (or 503 with "
	    "Retry-After)" },
	{ OPT("timeout", 't', "SEC"), SECONDS(timeout_ms), .dflt = "30",
	    .help = "total time for one attempt, decimals allowed" },
	{ OPT("connect-timeout", 0, "SEC"), SECONDS(connect_timeout_ms),
	    .dflt = "10", .help = "time to connect for one attempt" },
	{ OPT("deadline", 0, "SEC"), SECONDS(deadline_ms), .help = "budget "
	    "for the whole run: then every task still waiting or in flight is "
	    "cancelled, no more input is read" },
	{ OPT("retries", 0, "N"), UINT(retries, 0, 100), .dflt = "0",
	    .help = "retry transient failures up to N times, with backoff "
	    "and jitter, honouring Retry-After" },
	{ OPT("retry-on", 0, "LIST"), FN(optval_retry_on),
	    .dflt = "429,502,503,504", .help = "HTTP statuses counted as "
	    "transient, like 429,500-504" },
	{ OPT("fail-fast", 0, NULL), FLAG(fail_fast, 1),
	    .help = "the first failed task cancels all others" },
	{ OPT("max-failures", 0, "N|P%"), FN(optval_max_failures),
	    .dflt = "0", .help = "exit status 0 when at most N results (or P "
	    "percent of them) are not ok" },
	TITLE("Output:"),
	{ OPT("keep-order", 'k', NULL), FLAG(keep_order, 1),
	    .help = "write results in input order (default: as they "
	    "complete)" },
	{ OPT("window", 0, "N"), UINT(window, 1, 100000000),
	    .by_default = "1024 or 4 x jobs, whichever is more",
	    .help = "with -k, results held at most while an earlier one runs" },
	{ OPT("format", 'f', "FMT"), FN(optval_format), .dflt = "text",
	    .values = "text|json|head|body", .help = "text or json, one line "
	    "per URL; head, each page's first lines; or body, the bodies "
	    "themselves" },
	{ OPT("lines", 'n', "N"), UINT(lines, 1, 100000), .dflt = "3",
	    .help = "lines of each body for head, and for json's \"head\" "
	    "field" },
	{ OPT("max-bytes", 0, "N"), BYTES(max_bytes, 1),
	    .by_default = "none, or 1M with --with-body", .help = "stop each "
	    "body after N bytes (truncated, still ok); K, M, G allowed" },
	{ OPT("max-decoded", 0, "N"), BYTES(max_decoded, 0), .dflt = "1G",
	    .help = "a compressed body may decode to at most N bytes, else "
	    "too_large; 0: no bound" },
	{ OPT("with-headers", 0, NULL), FLAG(with_headers, 1),
	    .help = "json gains \"headers\": the final response's, "
	    "lower-cased names to arrays of values" },
	{ OPT("with-chain", 0, NULL), FLAG(with_chain, 1), .help = "json "
	    "gains \"chain\": url, status and location of every response of "
	    "the final attempt" },
	{ OPT("with-body", 0, "MODE"), FN(optval_with_body), .optional = 1,
	    .values = "text|base64", .help = "json gains \"body\": the body "
	    "as UTF-8 text (the default), or base64" },
	{ OPT("hash", 0, "ALGO"), FN(optval_hash), .values = "sha256",
	    .help = "json gains the body's hash: sha256" },
	{ OPT("revalidate", 0, "FILE"), STRING(revalidate), .file = 1,
	    .help = "send the validators a previous -f json output FILE "
	    "records (If-None-Match, If-Modified-Since); a 304 is unchanged" },
	{ OPT("title-only", 0, NULL), FLAG(title_only, 1), .help = "stop each "
	    "HTML body once its title is in (json: bytes counts what was read, "
	    "truncated is true)" },
	{ OPT("output-dir", 'o', "DIR"), STRING(output_dir), .dir = 1,
	    .help = "save each body to a file in DIR, named from its index "
	    "and URL; json gains \"path\"" },
	{ OPT("progress", 0, NULL), FLAG(progress, CONF_PROGRESS_ON),
	    .help = "a progress line on standard error (default: when it is a "
	    "terminal)" },
	{ OPT("no-progress", 0, NULL), FLAG(progress, CONF_PROGRESS_OFF),
	    .help = "no progress line" },
	{ OPT("quiet", 'q', NULL), FLAG(quiet, 1),
	    .help = "no end-of-run summary on standard error" },
	{ OPT("verbose", 'v', NULL), FN(optval_verbose), .many = 1,
	    .help = "more messages on standard error" },
	TITLE("HTTP:"),
	{ OPT("method", 'X', "M"), FN(optval_method),
	    .by_default = "GET, or POST with -d", .help = "request method" },
	{ OPT("header", 'H', "\"K: V\""), FN(optval_header), .many = 1,
	    .help = "send this "
	    "header; \"K:\" removes one, \"K;\" sends it empty; repeatable" },
	{ OPT("user-agent", 'A', "S"), FN(optval_user_agent),
	    .by_default = "cofetch/VERSION", .help = "User-Agent header" },
	{ OPT("data", 'd', "S"), FN(optval_data), .help = "send S as the request "
	    "body (method POST unless -X says otherwise)" },
	{ OPT("http1.1", 0, NULL), FLAG(http_version, CONF_HTTP_1_1),
	    .help = "use HTTP/1.1 only" },
	{ OPT("http2", 0, NULL), FLAG(http_version, CONF_HTTP_2),
	    .help = "ask for HTTP/2 over plain http too (over https it is "
	    "negotiated by default)" },
	{ OPT("insecure", 0, NULL), FLAG(insecure, 1),
	    .help = "do not verify TLS certificates" },
	{ OPT("cacert", 0, "FILE"), FN(optval_cacert), .file = 1,
	    .help = "verify TLS certificates against FILE's CAs alone" },
	{ OPT("proxy", 0, "URL"), FN(optval_proxy), .help = "send every request "
	    "through this proxy (http, https, socks4a or socks5h)" },
	{ OPT("no-follow", 0, NULL), FLAG(follow, 0),
	    .help = "do not follow redirects" },
	{ OPT("max-redirects", 0, "N"), UINT(max_redirects, 0, 1000),
	    .dflt = "10", .help = "follow at most N redirects" },
	TITLE("Address policy (every hop, after DNS, before connecting):"),
	{ OPT("deny-addresses", 0, "CIDR[,...]"), FN(optval_deny_addresses),
	    .many = 1, .help = "never connect to these addresses (a bare "
	    "address is /32 or /128); repeatable" },
	{ OPT("allow-addresses", 0, "CIDR[,...]"), FN(optval_allow_addresses),
	    .many = 1, .help = "connect to these addresses only; a denied "
	    "one stays denied; repeatable" },
	{ OPT("deny-private", 0, NULL), FN(optval_deny_private),
	    .help = "never connect to loopback, private, link-local, CGNAT, "
	    "multicast or cloud metadata addresses, IPv4 or IPv6" },
	TITLE("DNS (c-ares, on the event loop):"),
	{ OPT("dns-servers", 0, "IP[:PORT][,...]"), STRING(dns_servers),
	    .help = "ask these DNS servers instead of /etc/resolv.conf's" },
	{ OPT("resolve", 0, "HOST:PORT:ADDR"), FN(optval_resolve), .many = 1,
	    .help = "connect "
	    "to ADDR (a comma list allowed) for HOST:PORT, without DNS, as curl "
	    "does; repeatable" },
	{ OPT("dns-timeout", 0, "SEC"), SECONDS(dns_timeout_ms), .dflt = "5",
	    .help = "give up resolving a name after SEC" },
	TITLE("Information:"),
	{ OPT("help", 'h', NULL), FN(set_help),
	    .help = "print this help and exit" },
	{ OPT("version", 'V', NULL), FN(set_version), .help = "print the "
	    "versions of cofetch and its libraries and exit" },
	{ OPT("completion", 0, "SHELL"), FN(set_completion),
	    .values = "bash|zsh|fish", .help = "print a completion script for "
	    "SHELL, made from this table, and exit" },
};
#define OPTS_COUNT (sizeof opts_table / sizeof opts_table[0])

/* --help and --version act at once and end the run. */
static int
set_help(struct config *c, const char *arg)
{
	(void)c;
	(void)arg;
	usage_help(opts_table, OPTS_COUNT);
	return 1;
}

static int
set_completion(struct config *c, const char *arg)
{
	(void)c;
	if (complete_script(opts_table, OPTS_COUNT, arg) != 0) {
		msg_warn("--completion '%s': not bash, zsh or fish", arg);
		return -1;
	}
	return 1;
}

static int
set_version(struct config *c, const char *arg)
{
	(void)c;
	(void)arg;
	version_print();
	return 1;
}


const struct opt *
opts_rows(size_t *n)
{
	*n = OPTS_COUNT;
	return opts_table;
}

/* Every row's default, through its own setter. */
static void
opts_defaults(struct config *c)
{
	size_t	i;

	memset(c, 0, sizeof *c);
	c->threads = -1;		/* by -j and the CPUs */
	c->follow = 1;
	for (i = 0; i < OPTS_COUNT; i++)
		if (opts_table[i].dflt != NULL &&
		    optval_set(c, &opts_table[i], opts_table[i].dflt) != 0)
			msg_fatal("--%s's default '%s' is not valid",
			    opts_table[i].name, opts_table[i].dflt);
}

/* getopt_long's tables, built from opts_table. */
static void
opts_getopt_tables(struct option *lo, char *so)
{
	const struct opt	*o;
	size_t			 i, n = 0;

	*so++ = ':';
	for (i = 0; i < OPTS_COUNT; i++) {
		o = &opts_table[i];
		if (o->type == OPT_TITLE)
			continue;
		lo[n].name = o->name;
		lo[n].has_arg = o->arg == NULL ? no_argument : o->optional ?
		    optional_argument : required_argument;
		lo[n].flag = NULL;
		lo[n].val = (int)(256 + i);
		n++;
		if (o->letter != 0) {
			*so++ = (char)o->letter;
			if (o->arg)
				*so++ = ':';
		}
	}
	memset(&lo[n], 0, sizeof lo[n]);
	*so = '\0';
}

static const struct opt *
opts_find(int ch)
{
	size_t	i;

	if (ch >= 256 && (size_t)(ch - 256) < OPTS_COUNT)
		return &opts_table[ch - 256];
	for (i = 0; i < OPTS_COUNT; i++)
		if (opts_table[i].type != OPT_TITLE &&
		    opts_table[i].letter == ch)
			return &opts_table[i];
	return NULL;
}

/* cofetch --merge FILE...: the files are the arguments, nothing else. */
static enum opts_status
opts_merge(const struct config *c, int given)
{
	if (given > 1) {
		msg_warn("--merge takes no other option");
		return OPTS_USAGE;
	}
	if (c->nurls == 0) {
		msg_warn("--merge needs the files to merge (FILE..., '-' for "
		    "standard input)");
		return OPTS_USAGE;
	}
	return OPTS_RUN;
}

static enum opts_status
opts_unknown(char **argv, int ch)
{
	const char	*word = argv[optind - 1];

	if (ch == ':')
		msg_warn("option '%s' needs an argument", word);
	else if (optopt != 0)
		msg_warn("unknown option '-%c'", optopt);
	else
		msg_warn("unknown option '%s'", word);
	msg_warn("try 'cofetch --help'");
	return OPTS_USAGE;
}

enum opts_status
opts_parse(struct config *c, int argc, char **argv)
{
	struct option		 lo[OPTS_COUNT + 1];
	char			 so[OPTS_COUNT * 2 + 2];
	const struct opt	*o;
	int			 ch, rc, given = 0;

	opts_defaults(c);
	opts_getopt_tables(lo, so);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if ((o = opts_find(ch)) == NULL)
			return opts_unknown(argv, ch);
		given++;
		if (o->field == offsetof(struct config, lines) &&
		    o->type == OPT_UINT)
			c->lines_given = 1;
		if ((rc = optval_set(c, o, optarg)) < 0)
			return OPTS_USAGE;
		if (rc > 0)
			return OPTS_DONE;
	}
	if (optval_address_policy(c) != 0)
		return OPTS_USAGE;
	c->urls = argv + optind;
	c->nurls = (size_t)(argc - optind);
	if (c->merge)
		return opts_merge(c, given);
	if (c->revalidate != NULL && c->skip_done != NULL) {
		msg_warn("--revalidate and --skip-done do not go together: "
		    "a resumed run skips what --revalidate would check");
		return OPTS_USAGE;
	}
	if (c->with_body != RESULT_BODY_NONE && c->max_bytes == 0)
		c->max_bytes = OPTS_BODY_MAX_BYTES;
	if (c->window == 0)
		c->window = c->jobs * 4 > OPTS_MIN_WINDOW ? c->jobs * 4 :
		    OPTS_MIN_WINDOW;
	return OPTS_RUN;
}

void
opts_free(struct config *c)
{
	free(c->inputs);
	free(c->resolves);
	free(c->headers);
	addrpolicy_free(&c->addrpolicy);
	free(c->shard_from);
	if (c->proxy_target != NULL) {
		url_target_clear(c->proxy_target);
		free(c->proxy_target);
	}
	c->proxy_target = NULL;
	c->inputs = NULL;
	c->resolves = NULL;
	c->headers = NULL;
	c->shard_from = NULL;
}
