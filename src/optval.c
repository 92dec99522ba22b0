/*
 * optval.c: what an option's argument means.  The typed parsers every
 * plain row shares (whole numbers, byte counts, seconds, strings, flags)
 * and the setters of the options with rules of their own; each checks
 * its value and says, in one message naming the option, why not.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "msg.h"
#include "optval.h"
#include "result.h"
#include "shard.h"
#include "url.h"
#include "xmalloc.h"

#define OPTVAL_MAX_SECONDS	1000000.0

static int
optval_bad(const char *name, const char *arg, const char *why)
{
	msg_warn("--%s '%s': %s", name, arg, why);
	return -1;
}

/* The config field a row sets. */
static void *
optval_field(struct config *c, const struct opt *o)
{
	return (char *)c + o->field;
}

static void
optval_store(struct config *c, const struct opt *o, uint64_t v)
{
	if (o->size == sizeof(uint32_t))
		*(uint32_t *)optval_field(c, o) = (uint32_t)v;
	else
		*(uint64_t *)optval_field(c, o) = v;
}

static int
optval_uint(const struct opt *o, const char *arg, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0)
		return optval_bad(o->name, arg, "not a whole number");
	if (v < o->min || v > o->max) {
		msg_warn("--%s '%s': must be from %llu to %llu", o->name, arg,
		    (unsigned long long)o->min, (unsigned long long)o->max);
		return -1;
	}
	*out = v;
	return 0;
}

/* N, or N followed by K, M, G or T (binary multiples, as curl's). */
static int
optval_bytes(const struct opt *o, const char *arg, uint64_t *out)
{
	static const char	 units[] = "KMGT";
	const char		*u;
	char			*end;
	unsigned long long	 v;
	int			 shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] >= '0' && arg[0] <= '9' && *end != '\0' &&
	    end[1] == '\0' && (u = strchr(units, toupper(
	    (unsigned char)*end))) != NULL)
		shift = 10 * (int)(u - units + 1);
	else if (*end != '\0')
		errno = EINVAL;
	if (arg[0] < '0' || arg[0] > '9' || errno != 0 ||
	    (shift > 0 && v > (UINT64_MAX >> shift)))
		return optval_bad(o->name, arg, "not a number of bytes "
		    "(N, or N with K, M, G or T)");
	v <<= shift;
	if (v < o->min || v > o->max) {
		msg_warn("--%s '%s': must be from %llu to %llu bytes", o->name,
		    arg, (unsigned long long)o->min,
		    (unsigned long long)o->max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
optval_seconds(const struct opt *o, const char *arg, int64_t *ms)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(v))
		return optval_bad(o->name, arg, "not a number of seconds");
	if (v <= 0 || v > OPTVAL_MAX_SECONDS)
		return optval_bad(o->name, arg, "must be above 0 and at most "
		    "1000000 seconds");
	*ms = llround(v * 1000);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

/* An argument for row o: 0 taken, -1 a usage error, 1 done (--help). */
int
optval_set(struct config *c, const struct opt *o, const char *arg)
{
	uint64_t	v;
	int64_t		ms;

	switch (o->type) {
	case OPT_TITLE:
		return 0;
	case OPT_FLAG:
		*(int *)optval_field(c, o) = o->value;
		return 0;
	case OPT_UINT:
	case OPT_BYTES:
		if ((o->type == OPT_UINT ? optval_uint(o, arg, &v) :
		    optval_bytes(o, arg, &v)) != 0)
			return -1;
		optval_store(c, o, v);
		return 0;
	case OPT_SECONDS:
		if (optval_seconds(o, arg, &ms) != 0)
			return -1;
		*(int64_t *)optval_field(c, o) = ms;
		return 0;
	case OPT_STRING:
		if (arg[0] == '\0')
			return optval_bad(o->name, arg, "must not be empty");
		*(const char **)optval_field(c, o) = arg;
		return 0;
	case OPT_FN:
		return o->set(c, arg);
	}
	return -1;
}

static const char *
optval_getenv(const char *name, void *arg)
{
	(void)arg;
	return getenv(name);
}

/* --shard auto or auto/N: K, and N unless given, from the environment. */
static int
optval_shard_auto(struct config *c, const char *arg)
{
	char			 msg[768], *end;
	unsigned long long	 given = 0;
	uint64_t		 k, n;

	if (strcmp(arg, "auto") != 0) {
		errno = 0;
		given = strtoull(arg + 5, &end, 10);
		if (arg[4] != '/' || arg[5] < '0' || arg[5] > '9' ||
		    *end != '\0' || errno != 0 || given == 0)
			return optval_bad("shard", arg, "not auto/N with N "
			    "from 1");
	}
	if (shard_auto(optval_getenv, NULL, given, &k, &n, msg,
	    sizeof msg) != 0)
		return optval_bad("shard", arg, msg);
	c->shard_k = k;
	c->shard_n = n;
	free(c->shard_from);
	c->shard_from = xstrdup(msg);
	return 0;
}

int
optval_shard(struct config *c, const char *arg)
{
	unsigned long long	k, n;
	int			used = 0;

	if (strncmp(arg, "auto", 4) == 0)
		return optval_shard_auto(c, arg);
	if (sscanf(arg, "%llu/%llu%n", &k, &n, &used) != 2 ||
	    arg[used] != '\0' || arg[0] < '0' || arg[0] > '9' ||
	    strchr(arg, '-') != NULL || strchr(arg, '+') != NULL)
		return optval_bad("shard", arg, "not K/N");
	if (n == 0 || k == 0 || k > n)
		return optval_bad("shard", arg, "K must be from 1 to N");
	c->shard_k = k;
	c->shard_n = n;
	free(c->shard_from);
	c->shard_from = NULL;
	return 0;
}

int
optval_shard_by(struct config *c, const char *arg)
{
	if (strcmp(arg, "index") == 0)
		c->shard_by = SHARD_BY_INDEX;
	else if (strcmp(arg, "host") == 0)
		c->shard_by = SHARD_BY_HOST;
	else
		return optval_bad("shard-by", arg, "not index or host");
	return 0;
}

/*
 * --max-failures N, or P% with at most four decimals, kept in millionths
 * so that the exit status never hangs on a rounding.
 */
int
optval_max_failures(struct config *c, const char *arg)
{
	char			*end;
	unsigned long long	 v, frac = 0;
	size_t			 ndec = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || errno != 0)
		return optval_bad("max-failures", arg, "not N or P%");
	if (*end == '\0') {
		c->max_failures = v;
		c->max_failures_ppm = CONF_FAILURES_BY_COUNT;
		return 0;
	}
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9' && ndec < 4; ndec++)
			frac = frac * 10 + (unsigned long long)(*end++ - '0');
	if (end[0] != '%' || end[1] != '\0' || end[-1] == '.')
		return optval_bad("max-failures", arg, "not N or P% (a "
		    "percentage with at most four decimals)");
	for (; ndec < 4; ndec++)
		frac *= 10;
	if (v > 100 || (v == 100 && frac > 0))
		return optval_bad("max-failures", arg, "a percentage is "
		    "at most 100%");
	c->max_failures_ppm = (uint32_t)(v * 10000 + frac);
	return 0;
}

/* R, R/s or R/m starts; R may have decimals.  Kept as the gap between. */
static int
optval_pace(const char *name, const char *arg, int64_t *us)
{
	char	*end;
	double	 r, per_us = 1e6;

	errno = 0;
	r = strtod(arg, &end);
	if (end == arg || errno != 0 || !isfinite(r) || !isdigit(
	    (unsigned char)arg[0]))
		return optval_bad(name, arg, "not R, R/s or R/m");
	if (strcmp(end, "/m") == 0)
		per_us = 60e6;
	else if (*end != '\0' && strcmp(end, "/s") != 0)
		return optval_bad(name, arg, "not R, R/s or R/m");
	if (r <= 0 || per_us / r > 86400e6 || per_us / r < 1)
		return optval_bad(name, arg, "must be from 1 a day to "
		    "1000000 a second");
	*us = llround(per_us / r);
	return 0;
}

int
optval_rate(struct config *c, const char *arg)
{
	return optval_pace("rate", arg, &c->pace_us);
}

int
optval_per_host_rate(struct config *c, const char *arg)
{
	return optval_pace("per-host-rate", arg, &c->per_host_pace_us);
}

static void
optval_retry_add(struct config *c, unsigned long from, unsigned long to)
{
	for (; from <= to; from++)
		c->retry_on[from / 64] |= 1ULL << (from % 64);
}

int
optval_retry_on(struct config *c, const char *arg)
{
	const char	*p = arg;
	char		*end;
	unsigned long	 from, to;

	memset(c->retry_on, 0, sizeof c->retry_on);
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return optval_bad("retry-on", arg, "not a list of "
			    "statuses (429,500-504)");
		from = to = strtoul(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return optval_bad("retry-on", arg, "bad range");
			to = strtoul(end + 1, &end, 10);
		}
		if (from < 100 || to > 599 || from > to)
			return optval_bad("retry-on", arg, "statuses are from "
			    "100 to 599");
		optval_retry_add(c, from, to);
		if (*end == ',' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			return optval_bad("retry-on", arg, "not a list of "
			    "statuses (429,500-504)");
		p = end;
	}
	return 0;
}

int
optval_input_format(struct config *c, const char *arg)
{
	if (strcmp(arg, "lines") == 0)
		c->jsonl = 0;
	else if (strcmp(arg, "jsonl") == 0)
		c->jsonl = 1;
	else
		return optval_bad("input-format", arg, "unknown input format "
		    "(lines or jsonl)");
	return 0;
}

int
optval_proto_default(struct config *c, const char *arg)
{
	if (strcmp(arg, "http") != 0 && strcmp(arg, "https") != 0)
		return optval_bad("proto-default", arg, "not http or https");
	c->proto_default = arg;
	return 0;
}

/* --with-body, or --with-body=text|base64. */
int
optval_with_body(struct config *c, const char *arg)
{
	if (arg == NULL || strcmp(arg, "text") == 0)
		c->with_body = RESULT_BODY_TEXT;
	else if (strcmp(arg, "base64") == 0)
		c->with_body = RESULT_BODY_BYTES;
	else
		return optval_bad("with-body", arg, "not text or base64");
	return 0;
}

int
optval_hash(struct config *c, const char *arg)
{
	if (strcmp(arg, "sha256") != 0)
		return optval_bad("hash", arg, "only sha256 is known");
	c->hash_sha256 = 1;
	return 0;
}

int
optval_input(struct config *c, const char *arg)
{
	c->inputs = xrealloc(c->inputs, (c->ninputs + 1) * sizeof *c->inputs);
	c->inputs[c->ninputs++] = arg;
	return 0;
}

int
optval_format(struct config *c, const char *arg)
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
		return optval_bad("format", arg, "unknown format "
		    "(text, json, head or body)");
	return 0;
}

int
optval_verbose(struct config *c, const char *arg)
{
	(void)arg;
	c->verbose++;
	return 0;
}

int
optval_method(struct config *c, const char *arg)
{
	if (!http_token(arg))
		return optval_bad("method", arg, "not an HTTP method");
	c->method = arg;
	return 0;
}

static int
optval_one_line(const char *name, const char *arg)
{
	if (strpbrk(arg, "\r\n") != NULL)
		return optval_bad(name, arg, "contains a line break");
	return 0;
}

int
optval_user_agent(struct config *c, const char *arg)
{
	if (optval_one_line("user-agent", arg) != 0)
		return -1;
	c->user_agent = arg;
	return 0;
}

int
optval_header(struct config *c, const char *arg)
{
	if (optval_one_line("header", arg) != 0)
		return -1;
	if (strpbrk(arg, ":;") == NULL || arg[0] == ':' || arg[0] == ';')
		return optval_bad("header", arg, "not \"Name: value\"");
	c->headers = xrealloc(c->headers, (c->nheaders + 1) * sizeof *c->headers);
	c->headers[c->nheaders++] = arg;
	return 0;
}

int
optval_cacert(struct config *c, const char *arg)
{
	if (access(arg, R_OK) != 0)
		return optval_bad("cacert", arg, strerror(errno));
	c->cacert = arg;
	return 0;
}

int
optval_proxy(struct config *c, const char *arg)
{
	char	why[256];

	if (c->proxy_target == NULL)
		c->proxy_target = xcalloc(1, sizeof *c->proxy_target);
	url_target_clear(c->proxy_target);
	if (url_parse_proxy(arg, c->proxy_target, why, sizeof why) != NULL)
		return optval_bad("proxy", arg, why);
	c->proxy = arg;
	return 0;
}

int
optval_resolve(struct config *c, const char *arg)
{
	const char	*colon = strchr(arg, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == arg)
		return optval_bad("resolve", arg, "not HOST:PORT:ADDRESS");
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != ':' || end[1] == '\0' || errno != 0 ||
	    port < 1 || port > 65535)
		return optval_bad("resolve", arg, "not HOST:PORT:ADDRESS");
	c->resolves = xrealloc(c->resolves,
	    (c->nresolves + 1) * sizeof *c->resolves);
	c->resolves[c->nresolves++] = arg;
	return 0;
}

int
optval_data(struct config *c, const char *arg)
{
	c->data = arg;
	return 0;
}

/* --deny-addresses, --allow-addresses: a comma list of CIDRs each. */
static int
optval_addresses(struct config *c, const char *name,
    enum addrpolicy_list which, const char *arg)
{
	char	why[256];

	if (addrpolicy_add(&c->addrpolicy, which, arg, why, sizeof why) != 0)
		return optval_bad(name, arg, why);
	return 0;
}

int
optval_deny_addresses(struct config *c, const char *arg)
{
	return optval_addresses(c, "deny-addresses", ADDRPOLICY_DENY, arg);
}

int
optval_allow_addresses(struct config *c, const char *arg)
{
	return optval_addresses(c, "allow-addresses", ADDRPOLICY_ALLOW, arg);
}

int
optval_deny_private(struct config *c, const char *arg)
{
	(void)arg;
	addrpolicy_deny_private(&c->addrpolicy);
	return 0;
}

/*
 * Once every option is read, the policy's tables are sorted.  A policy
 * cannot go with --proxy: the proxy would resolve the names where no
 * address can be checked.
 */
int
optval_address_policy(struct config *c)
{
	addrpolicy_finish(&c->addrpolicy);
	if (c->proxy == NULL || !addrpolicy_active(&c->addrpolicy))
		return 0;
	msg_warn("--proxy cannot go with an address policy (--deny-addresses, "
	    "--allow-addresses, --deny-private): the proxy resolves names "
	    "where cofetch cannot check their addresses");
	return -1;
}
