/*
 * opts.c: the option table.  One row per option drives getopt_long, the
 * value checks and the --help text, so they cannot drift apart.  Usage
 * errors print one message and make cofetch exit 2 before any fetch.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "msg.h"
#include "opts.h"
#include "url.h"
#include "version.h"
#include "xmalloc.h"

#define OPTS_MAX_JOBS		1000000
#define OPTS_MAX_THREADS	64
#define OPTS_MAX_SECONDS	1000000.0
#define OPTS_MIN_WINDOW		1024

struct opt {
	const char	*name;		/* long name; NULL: a section title */
	int		 letter;	/* short option, or 0 */
	const char	*arg;		/* argument name, NULL if none */
	const char	*help;
	int		(*set)(struct config *, const char *);
	size_t		 flag;		/* no set(): the int field to set */
	int		 value;		/* ... and its value */
};

/* A row's action: a function, or for a flag only the int field to set. */
#define SET(fn)		(fn), 0, 0
#define FLAG(field, v)	NULL, offsetof(struct config, field), (v)

static int
opts_bad(const char *name, const char *arg, const char *why)
{
	msg_warn("--%s '%s': %s", name, arg, why);
	return -1;
}

static int
opts_uint(const char *name, const char *arg, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0)
		return opts_bad(name, arg, "not a whole number");
	if (v < min || v > max) {
		msg_warn("--%s '%s': must be from %lu to %lu", name, arg,
		    min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
opts_seconds(const char *name, const char *arg, int64_t *ms)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(v))
		return opts_bad(name, arg, "not a number of seconds");
	if (v <= 0 || v > OPTS_MAX_SECONDS)
		return opts_bad(name, arg, "must be above 0 and at most "
		    "1000000 seconds");
	*ms = llround(v * 1000);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

static int
set_jobs(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("jobs", arg, 1, OPTS_MAX_JOBS, &v) != 0)
		return -1;
	c->jobs = (unsigned)v;
	return 0;
}

static int
set_timeout(struct config *c, const char *arg)
{
	return opts_seconds("timeout", arg, &c->timeout_ms);
}

static int
set_connect_timeout(struct config *c, const char *arg)
{
	return opts_seconds("connect-timeout", arg, &c->connect_timeout_ms);
}

static int
set_deadline(struct config *c, const char *arg)
{
	return opts_seconds("deadline", arg, &c->deadline_ms);
}

/* K/N with 1 <= K <= N. */
static int
set_shard(struct config *c, const char *arg)
{
	unsigned long long	k, n;
	int			used = 0;

	if (sscanf(arg, "%llu/%llu%n", &k, &n, &used) != 2 ||
	    arg[used] != '\0' || arg[0] < '0' || arg[0] > '9' ||
	    strchr(arg, '-') != NULL || strchr(arg, '+') != NULL)
		return opts_bad("shard", arg, "not K/N");
	if (n == 0 || k == 0 || k > n)
		return opts_bad("shard", arg, "K must be from 1 to N");
	c->shard_k = k;
	c->shard_n = n;
	return 0;
}

static int
set_per_host(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("per-host", arg, 1, OPTS_MAX_JOBS, &v) != 0)
		return -1;
	c->per_host = (unsigned)v;
	return 0;
}

static int
set_threads(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("threads", arg, 0, OPTS_MAX_THREADS, &v) != 0)
		return -1;
	c->threads = (int)v;
	return 0;
}

/* R, R/s or R/m starts; R may have decimals.  Kept as the gap between. */
static int
set_rate(struct config *c, const char *arg)
{
	char	*end;
	double	 r, per_us = 1e6;

	errno = 0;
	r = strtod(arg, &end);
	if (end == arg || errno != 0 || !isfinite(r) || !isdigit(
	    (unsigned char)arg[0]))
		return opts_bad("rate", arg, "not R, R/s or R/m");
	if (strcmp(end, "/m") == 0)
		per_us = 60e6;
	else if (*end != '\0' && strcmp(end, "/s") != 0)
		return opts_bad("rate", arg, "not R, R/s or R/m");
	if (r <= 0 || per_us / r > 86400e6 || per_us / r < 1)
		return opts_bad("rate", arg, "must be from 1 a day to "
		    "1000000 a second");
	c->pace_us = llround(per_us / r);
	return 0;
}

static int
set_retries(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("retries", arg, 0, 100, &v) != 0)
		return -1;
	c->retries = (unsigned)v;
	return 0;
}

static void
opts_retry_add(struct config *c, unsigned long from, unsigned long to)
{
	for (; from <= to; from++)
		c->retry_on[from / 64] |= 1ULL << (from % 64);
}

/* Statuses and ranges, "429,500-504"; an empty list retries none. */
static int
set_retry_on(struct config *c, const char *arg)
{
	const char	*p = arg;
	char		*end;
	unsigned long	 from, to;

	memset(c->retry_on, 0, sizeof c->retry_on);
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return opts_bad("retry-on", arg, "not a list of "
			    "statuses (429,500-504)");
		from = to = strtoul(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return opts_bad("retry-on", arg, "bad range");
			to = strtoul(end + 1, &end, 10);
		}
		if (from < 100 || to > 599 || from > to)
			return opts_bad("retry-on", arg, "statuses are from "
			    "100 to 599");
		opts_retry_add(c, from, to);
		if (*end == ',' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			return opts_bad("retry-on", arg, "not a list of "
			    "statuses (429,500-504)");
		p = end;
	}
	return 0;
}

static int
set_skip_done(struct config *c, const char *arg)
{
	if (arg[0] == '\0')
		return opts_bad("skip-done", arg, "no file");
	c->skip_done = arg;
	return 0;
}

static int
set_input_format(struct config *c, const char *arg)
{
	if (strcmp(arg, "lines") == 0)
		c->jsonl = 0;
	else if (strcmp(arg, "jsonl") == 0)
		c->jsonl = 1;
	else
		return opts_bad("input-format", arg, "unknown input format "
		    "(lines or jsonl)");
	return 0;
}

static int
set_input(struct config *c, const char *arg)
{
	c->inputs = xrealloc(c->inputs, (c->ninputs + 1) * sizeof *c->inputs);
	c->inputs[c->ninputs++] = arg;
	return 0;
}

static int
set_window(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("window", arg, 1, 100000000, &v) != 0)
		return -1;
	c->window = v;
	return 0;
}

static int
set_format(struct config *c, const char *arg)
{
	if (strcmp(arg, "text") == 0)
		c->format = FMT_TEXT;
	else if (strcmp(arg, "json") == 0)
		c->format = FMT_JSON;
	else if (strcmp(arg, "head") == 0)
		c->format = FMT_HEAD;
	else if (strcmp(arg, "body") == 0)
		c->format = FMT_BODY;
	else
		return opts_bad("format", arg, "unknown format "
		    "(text, json, head or body)");
	return 0;
}

static int
set_lines(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("lines", arg, 1, 100000, &v) != 0)
		return -1;
	c->lines = v;
	c->lines_given = 1;
	return 0;
}

static int
set_max_decoded(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("max-decoded", arg, 0, (unsigned long)-1, &v) != 0)
		return -1;
	c->max_decoded = v;
	return 0;
}

static int
set_max_bytes(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("max-bytes", arg, 1, (unsigned long)-1, &v) != 0)
		return -1;
	c->max_bytes = v;
	return 0;
}

static int
set_output_dir(struct config *c, const char *arg)
{
	if (arg[0] == '\0')
		return opts_bad("output-dir", arg, "no directory");
	c->output_dir = arg;
	return 0;
}

static int
set_verbose(struct config *c, const char *arg)
{
	(void)arg;
	c->verbose++;
	return 0;
}

static int
set_max_redirects(struct config *c, const char *arg)
{
	unsigned long	v;

	if (opts_uint("max-redirects", arg, 0, 1000, &v) != 0)
		return -1;
	c->max_redirects = (long)v;
	return 0;
}

static int
set_method(struct config *c, const char *arg)
{
	if (!http_token(arg))
		return opts_bad("method", arg, "not an HTTP method");
	c->method = arg;
	return 0;
}

static int
set_data(struct config *c, const char *arg)
{
	c->data = arg;
	return 0;
}

/* Header values must not smuggle in another header or request line. */
static int
opts_one_line(const char *name, const char *arg)
{
	if (strpbrk(arg, "\r\n") != NULL)
		return opts_bad(name, arg, "contains a line break");
	return 0;
}

static int
set_user_agent(struct config *c, const char *arg)
{
	if (opts_one_line("user-agent", arg) != 0)
		return -1;
	c->user_agent = arg;
	return 0;
}

/* "K: V" adds, "K:" removes a default header, "K;" sends it empty. */
static int
set_header(struct config *c, const char *arg)
{
	if (opts_one_line("header", arg) != 0)
		return -1;
	if (strpbrk(arg, ":;") == NULL || arg[0] == ':' || arg[0] == ';')
		return opts_bad("header", arg, "not \"Name: value\"");
	c->headers = xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
	c->headers[c->nheaders++] = arg;
	return 0;
}

static int
set_cacert(struct config *c, const char *arg)
{
	if (access(arg, R_OK) != 0)
		return opts_bad("cacert", arg, strerror(errno));
	c->cacert = arg;
	return 0;
}

static int
set_proxy(struct config *c, const char *arg)
{
	char	why[256];

	if (c->proxy_target == NULL)
		c->proxy_target = xcalloc(1, sizeof *c->proxy_target);
	url_target_clear(c->proxy_target);
	if (url_parse_proxy(arg, c->proxy_target, why, sizeof why) != NULL)
		return opts_bad("proxy", arg, why);
	c->proxy = arg;
	return 0;
}

static int
set_dns_servers(struct config *c, const char *arg)
{
	if (arg[0] == '\0')
		return opts_bad("dns-servers", arg, "no server");
	c->dns_servers = arg;
	return 0;
}

static int
set_dns_timeout(struct config *c, const char *arg)
{
	return opts_seconds("dns-timeout", arg, &c->dns_timeout_ms);
}

/* HOST:PORT:ADDR[,ADDR...], as curl's --resolve takes it. */
static int
set_resolve(struct config *c, const char *arg)
{
	const char	*colon = strchr(arg, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == arg)
		return opts_bad("resolve", arg, "not HOST:PORT:ADDRESS");
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != ':' || end[1] == '\0' || errno != 0 ||
	    port < 1 || port > 65535)
		return opts_bad("resolve", arg, "not HOST:PORT:ADDRESS");
	c->resolves = xrealloc(c->resolves,
	    (c->nresolves + 1) * sizeof *c->resolves);
	c->resolves[c->nresolves++] = arg;
	return 0;
}

static int	set_help(struct config *, const char *);
static int	set_version(struct config *, const char *);

static const struct opt opts_table[] = {
	{ NULL, 0, NULL, "Input:", SET(NULL) },
	{ "input", 'i', "FILE", "read URLs from FILE, one a line ('-' is "
	    "standard input); repeatable", SET(set_input) },
	{ "input-format", 0, "FMT", "lines (default): one URL a line; jsonl: "
	    "one object a line, {\"url\", \"id\", \"method\", \"headers\", "
	    "\"data\"}", SET(set_input_format) },
	{ "shard", 0, "K/N", "keep only the lines whose index i has "
	    "i mod N = K-1 (indices stay global)", SET(set_shard) },
	{ "skip-done", 0, "FILE", "skip the URLs a previous -f json output "
	    "FILE records as ok (resume a run)", SET(set_skip_done) },
	{ NULL, 0, NULL, "Scheduling:", SET(NULL) },
	{ "jobs", 'j', "N", "at most N tasks in flight (default 50)",
	    SET(set_jobs) },
	{ "per-host", 0, "N", "at most N tasks in flight to one host:port "
	    "(default: no cap)", SET(set_per_host) },
	{ "threads", 0, "N", "run transfers on N threads besides the main "
	    "one; 0: all on it (default: one a CPU past -j 1000 without "
	    "ulimit -v, else 0)",
	    SET(set_threads) },
	{ "rate", 0, "R", "start requests evenly spaced at R a second (R/s) "
	    "or R a minute (R/m); no bursts", SET(set_rate) },
	{ "timeout", 't', "SEC", "total time for one attempt, decimals "
	    "allowed (default 30)", SET(set_timeout) },
	{ "connect-timeout", 0, "SEC", "time to connect for one attempt "
	    "(default 10)", SET(set_connect_timeout) },
	{ "deadline", 0, "SEC", "budget for the whole run: then every task "
	    "still waiting or in flight is cancelled, no more input is read",
	    SET(set_deadline) },
	{ "retries", 0, "N", "retry transient failures up to N times, with "
	    "backoff and jitter, honouring Retry-After (default 0)",
	    SET(set_retries) },
	{ "retry-on", 0, "LIST", "HTTP statuses counted as transient, like "
	    "429,500-504 (default 429,502,503,504)", SET(set_retry_on) },
	{ "fail-fast", 0, NULL, "the first failed task cancels all others",
	    FLAG(fail_fast, 1) },
	{ NULL, 0, NULL, "Output:", SET(NULL) },
	{ "keep-order", 'k', NULL, "write results in input order (default: "
	    "as they complete)", FLAG(keep_order, 1) },
	{ "window", 0, "N", "with -k, results held at most while an earlier "
	    "one runs (default 1024 or 4 x jobs)", SET(set_window) },
	{ "format", 'f', "FMT", "text (default) or json, one line per URL; "
	    "head, each page's first lines; or body, the bodies themselves",
	    SET(set_format) },
	{ "lines", 'n', "N", "lines of each body for head, and for json's "
	    "\"head\" field (default 3)", SET(set_lines) },
	{ "max-bytes", 0, "N", "stop each body after N bytes (truncated, "
	    "still ok)", SET(set_max_bytes) },
	{ "max-decoded", 0, "N", "a compressed body may decode to at most N "
	    "bytes, else too_large (default 1 GiB; 0: no bound)",
	    SET(set_max_decoded) },
	{ "with-headers", 0, NULL, "json gains \"headers\": the final "
	    "response's, lower-cased names to arrays of values",
	    FLAG(with_headers, 1) },
	{ "title-only", 0, NULL, "stop each HTML body once its title is in "
	    "(json: bytes counts what was read, truncated is true)",
	    FLAG(title_only, 1) },
	{ "output-dir", 'o', "DIR", "save each body to a file in DIR, named "
	    "from its index and URL; json gains \"path\"", SET(set_output_dir) },
	{ "progress", 0, NULL, "a progress line on standard error (default: "
	    "when it is a terminal)", FLAG(progress, 1) },
	{ "no-progress", 0, NULL, "no progress line", FLAG(progress, 0) },
	{ "quiet", 'q', NULL, "no end-of-run summary on standard error",
	    FLAG(quiet, 1) },
	{ "verbose", 'v', NULL, "more messages on standard error",
	    SET(set_verbose) },
	{ NULL, 0, NULL, "HTTP:", SET(NULL) },
	{ "method", 'X', "M", "request method (default GET, or POST with -d)",
	    SET(set_method) },
	{ "header", 'H', "\"K: V\"", "send this header; \"K:\" removes one, "
	    "\"K;\" sends it empty; repeatable", SET(set_header) },
	{ "user-agent", 'A', "S", "User-Agent header (default cofetch/VERSION)",
	    SET(set_user_agent) },
	{ "data", 'd', "S", "send S as the request body (method POST unless "
	    "-X says otherwise)", SET(set_data) },
	{ "http1.1", 0, NULL, "use HTTP/1.1 only", FLAG(http_version, CONF_HTTP_1_1) },
	{ "http2", 0, NULL, "ask for HTTP/2 over plain http too (over https it "
	    "is negotiated by default)", FLAG(http_version, CONF_HTTP_2) },
	{ "insecure", 0, NULL, "do not verify TLS certificates",
	    FLAG(insecure, 1) },
	{ "cacert", 0, "FILE", "verify TLS certificates against the CAs in "
	    "FILE", SET(set_cacert) },
	{ "proxy", 0, "URL", "send every request through this proxy (http, "
	    "https, socks4a or socks5h)", SET(set_proxy) },
	{ "no-follow", 0, NULL, "do not follow redirects", FLAG(follow, 0) },
	{ "max-redirects", 0, "N", "follow at most N redirects (default 10)",
	    SET(set_max_redirects) },
	{ NULL, 0, NULL, "DNS (c-ares, on the event loop):", SET(NULL) },
	{ "dns-servers", 0, "IP[:PORT][,...]", "ask these DNS servers instead "
	    "of /etc/resolv.conf's", SET(set_dns_servers) },
	{ "resolve", 0, "HOST:PORT:ADDR", "connect to ADDR (a comma list "
	    "allowed) for HOST:PORT, without DNS, as curl does; repeatable",
	    SET(set_resolve) },
	{ "dns-timeout", 0, "SEC", "give up resolving a name after SEC "
	    "(default 5)", SET(set_dns_timeout) },
	{ NULL, 0, NULL, "Information:", SET(NULL) },
	{ "help", 'h', NULL, "print this help and exit", SET(set_help) },
	{ "version", 'V', NULL, "print the versions of cofetch and its "
	    "libraries and exit", SET(set_version) },
};
#define OPTS_COUNT (sizeof opts_table / sizeof opts_table[0])

/* Prints text from column 28, wrapped before column 80. */
static void
opts_help_wrap(const char *text, size_t col)
{
	const char	*word = text, *end;
	size_t		 len;

	while (*word != '\0') {
		end = strchr(word, ' ');
		len = end ? (size_t)(end - word) : strlen(word);
		if (col > 28 && col + 1 + len > 79) {
			printf("\n%28s", "");
			col = 28;
		} else if (col > 28) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)len, word);
		col += len;
		word += len;
		while (*word == ' ')
			word++;
	}
	putchar('\n');
}

static void
opts_help(void)
{
	const struct opt	*o;
	char			 left[64];
	size_t			 i;
	int			 n;

	printf("Usage: cofetch [OPTIONS] [URL ...]\n"
	    "Fetch many URLs at once: one result line per URL.\n"
	    "URLs come from the arguments, then from each -i source; with "
	    "neither,\nfrom standard input.\n");
	for (i = 0; i < OPTS_COUNT; i++) {
		o = &opts_table[i];
		if (o->name == NULL) {
			printf("\n%s\n", o->help);
			continue;
		}
		snprintf(left, sizeof left, "%c%c%c --%s%s%s",
		    o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		    o->letter ? ',' : ' ', o->name, o->arg ? " " : "",
		    o->arg ? o->arg : "");
		n = printf("  %-25s", left);
		if (n > 27) {
			printf("\n%28s", "");
			n = 28;
		} else
			n = printf(" ") + n;
		opts_help_wrap(o->help, (size_t)n);
	}
	printf("\nExit status: 0 all ok, 1 some failed, 2 usage error, "
	    "130/143 interrupted,\n141 standard output closed. "
	    "See cofetch(1).\n");
}

/* --help and --version act at once and end the run. */
static int
set_help(struct config *c, const char *arg)
{
	(void)c;
	(void)arg;
	opts_help();
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

static void
opts_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->jobs = 50;
	c->threads = -1;
	c->timeout_ms = 30000;
	c->connect_timeout_ms = 10000;
	c->format = FMT_TEXT;
	c->lines = 3;
	c->max_decoded = (uint64_t)1 << 30;
	c->follow = 1;
	c->max_redirects = 10;
	c->dns_timeout_ms = 5000;
	c->progress = -1;
	opts_retry_add(c, 429, 429);
	opts_retry_add(c, 502, 504);
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
		if (o->name == NULL)
			continue;
		lo[n].name = o->name;
		lo[n].has_arg = o->arg ? required_argument : no_argument;
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
		if (opts_table[i].name != NULL && opts_table[i].letter == ch)
			return &opts_table[i];
	return NULL;
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
	int			 ch, rc;

	opts_defaults(c);
	opts_getopt_tables(lo, so);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if ((o = opts_find(ch)) == NULL)
			return opts_unknown(argv, ch);
		if (o->set == NULL) {
			*(int *)(void *)((char *)c + o->flag) = o->value;
			continue;
		}
		if ((rc = o->set(c, optarg)) < 0)
			return OPTS_USAGE;
		if (rc > 0)
			return OPTS_DONE;
	}
	c->urls = argv + optind;
	c->nurls = (size_t)(argc - optind);
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
	if (c->proxy_target != NULL) {
		url_target_clear(c->proxy_target);
		free(c->proxy_target);
	}
	c->proxy_target = NULL;
	c->inputs = NULL;
	c->resolves = NULL;
	c->headers = NULL;
}
