/*
 * addrpolicy.c: the address policy.  Each list is a table of prefixes per
 * family, sorted, with every prefix that lies inside another dropped, so
 * the prefixes left are disjoint and the only one that can hold an
 * address is the last to start at or below it: one binary search a table.
 *
 * IPv4 is a family of its own, and an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is the IPv4 address it maps, since that is where the
 * kernel connects it; so ::/0 is all of IPv6 and none of IPv4.  An IPv6
 * address whose packets a tunnel or translator hands to an IPv4 address
 * (ap_embedded) is also held to the IPv4 deny list as that address.
 * Addresses are read with inet_pton(3), the parser libcurl reads
 * CURLOPT_RESOLVE entries and IP literals with.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrpolicy.h"
#include "msg.h"
#include "xmalloc.h"

#define AP_TEXT_MAX	64	/* an address or CIDR, brackets included */

/*
 * --deny-private: every range that is not the public Internet.  Cloud
 * metadata services sit inside them: 169.254.169.254 (link-local),
 * fd00:ec2::254 (unique-local), 100.100.100.200 (CGNAT), 192.0.0.192.
 */
static const char *const ap_private[] = {
	"0.0.0.0/8",		/* this network: 0.0.0.0 connects here */
	"10.0.0.0/8",		/* RFC 1918 */
	"100.64.0.0/10",	/* CGNAT, RFC 6598 */
	"127.0.0.0/8",		/* loopback */
	"169.254.0.0/16",	/* link-local */
	"172.16.0.0/12",	/* RFC 1918 */
	"192.0.0.0/24",		/* IETF protocol assignments */
	"192.168.0.0/16",	/* RFC 1918 */
	"198.18.0.0/15",	/* benchmarking, RFC 2544 */
	"224.0.0.0/4",		/* multicast */
	"240.0.0.0/4",		/* reserved, 255.255.255.255 broadcast */
	"::/128",		/* unspecified: connects here */
	"::1/128",		/* loopback */
	"64:ff9b:1::/48",	/* local-use NAT64, RFC 8215 */
	"fc00::/7",		/* unique-local */
	"fe80::/10",		/* link-local */
	"fec0::/10",		/* site-local, deprecated */
	"ff00::/8",		/* multicast */
};

static const char *const ap_origin_names[] = {
	[ADDRPOLICY_GIVEN_DENY] = "--deny-addresses",
	[ADDRPOLICY_GIVEN_ALLOW] = "--allow-addresses",
	[ADDRPOLICY_PRIVATE] = "--deny-private",
};

static uint64_t
ap_be64(const unsigned char *b)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/*
 * s (n bytes) as an address: its family and halves.  Brackets are taken
 * off; a zone ("%eth0") only where zone is set, as libcurl takes one in
 * a URL's host but not in a CURLOPT_RESOLVE entry.
 */
static int
ap_parse(const char *s, size_t n, int zone, enum addrpolicy_family *fam,
    uint64_t *hi, uint64_t *lo)
{
	char		 buf[AP_TEXT_MAX], *p = buf, *pct;
	unsigned char	 a[16];

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']') {
		buf[n - 1] = '\0';
		p++;
	}
	if (inet_pton(AF_INET, p, a) == 1) {
		*fam = ADDRPOLICY_V4;
		*hi = ap_be64(a) & 0xffffffff00000000ULL;
		*lo = 0;
		return 1;
	}
	if (zone && (pct = strchr(p, '%')) != NULL)
		*pct = '\0';
	if (inet_pton(AF_INET6, p, a) != 1)
		return 0;
	*hi = ap_be64(a);
	*lo = ap_be64(a + 8);
	*fam = ADDRPOLICY_V6;
	if (*hi == 0 && *lo >> 32 == 0xffff) {	/* ::ffff:a.b.c.d */
		*fam = ADDRPOLICY_V4;
		*hi = *lo << 32;
		*lo = 0;
	}
	return 1;
}

/* Whether prefix p holds the address (hi, lo) of its family. */
static int
ap_holds(const struct addrpolicy_prefix *p, uint64_t hi, uint64_t lo)
{
	if (p->len == 0)
		return 1;
	if (p->len <= 64)
		return ((hi ^ p->hi) >> (64 - p->len)) == 0;
	return hi == p->hi && ((lo ^ p->lo) >> (128 - p->len)) == 0;
}

/* The prefix of t that holds (hi, lo), or NULL. */
static const struct addrpolicy_prefix *
ap_find(const struct addrpolicy_table *t, uint64_t hi, uint64_t lo)
{
	const struct addrpolicy_prefix	*v = t->v;
	size_t				 first = 0, end = t->n, mid;

	while (first < end) {
		mid = first + (end - first) / 2;
		if (v[mid].hi < hi || (v[mid].hi == hi && v[mid].lo <= lo))
			first = mid + 1;
		else
			end = mid;
	}
	if (first == 0 || !ap_holds(&v[first - 1], hi, lo))
		return NULL;
	return &v[first - 1];
}

/*
 * The IPv4 address an IPv6 one hands its packets to: IPv4-compatible
 * (::a.b.c.d, deprecated, but not :: or ::1), NAT64's well-known prefix
 * (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::/48) and Teredo (2001::/32,
 * the client's address inverted in the last 32 bits).
 */
static int
ap_embedded(uint64_t hi, uint64_t lo, uint64_t *v4)
{
	if (hi == 0 && lo >> 32 == 0 && lo > 1)
		*v4 = lo << 32;
	else if (hi == 0x0064ff9b00000000ULL && lo >> 32 == 0)
		*v4 = lo << 32;
	else if (hi >> 48 == 0x2002)
		*v4 = hi << 16 & 0xffffffff00000000ULL;
	else if (hi >> 32 == 0x20010000)
		*v4 = ~lo << 32;
	else
		return 0;
	return 1;
}

/* A prefix, or with len -1 an address, as text. */
static void
ap_text(int family, uint64_t hi, uint64_t lo, int len, char *buf,
    size_t size)
{
	unsigned char	a[16];
	char		ip[INET6_ADDRSTRLEN];
	int		i;

	for (i = 0; i < 8; i++) {
		a[i] = (unsigned char)(hi >> (56 - 8 * i));
		a[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
	}
	inet_ntop(family == ADDRPOLICY_V4 ? AF_INET : AF_INET6, a, ip,
	    sizeof ip);
	if (len < 0)
		snprintf(buf, size, "%s", ip);
	else
		snprintf(buf, size, "%s/%d", ip, len);
}

/* One CIDR (or bare address) of a list into p; NULL, or why not. */
static const char *
ap_prefix(const char *s, size_t n, struct addrpolicy_prefix *p)
{
	const char		*slash = memchr(s, '/', n), *d;
	enum addrpolicy_family	 fam;
	uint64_t		 hi, lo, mhi, mlo;
	long			 len = -1, max;

	if (!ap_parse(s, slash != NULL ? (size_t)(slash - s) : n, 0, &fam,
	    &hi, &lo))
		return "is not an IP address or CIDR";
	if (slash != NULL) {
		if (s + n - slash < 2 || s + n - slash > 4)
			return "has no prefix length from 0 to 128";
		for (len = 0, d = slash + 1; d < s + n; d++) {
			if (*d < '0' || *d > '9')
				return "has no prefix length from 0 to 128";
			len = len * 10 + (*d - '0');
		}
	}
	/* An IPv4-mapped prefix, written as IPv6, counts 96 bits fewer. */
	max = fam == ADDRPOLICY_V4 ? 32 : 128;
	if (fam == ADDRPOLICY_V4 && len >= 0 && memchr(s, ':', n) != NULL) {
		if (len < 96)
			return "is IPv4-mapped: its prefix length must be 96 "
			    "or more";
		len -= 96;
	}
	if (len > max)
		return fam == ADDRPOLICY_V4 ? "has a prefix length over 32" :
		    "has a prefix length over 128";
	p->len = (unsigned char)(len < 0 ? max : len);
	mhi = p->len == 0 ? 0 : p->len >= 64 ? ~0ULL : ~0ULL << (64 - p->len);
	mlo = p->len <= 64 ? 0 : p->len == 128 ? ~0ULL :
	    ~0ULL << (128 - p->len);
	if ((hi & ~mhi) != 0 || (lo & ~mlo) != 0)
		return "has address bits set past its prefix length";
	p->hi = hi;
	p->lo = lo;
	p->family = (unsigned char)fam;
	return NULL;
}

static void
ap_append(struct addrpolicy_table *t, const struct addrpolicy_prefix *p)
{
	t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
	t->v[t->n++] = *p;
}

/*
 * Adds a comma list of CIDRs, or bare addresses (/32, /128), to the deny
 * or the allow list.  -1 and why when an item is not one.
 */
int
addrpolicy_add(struct addrpolicy *ap, enum addrpolicy_list which,
    const char *list, char *why, size_t whylen)
{
	struct addrpolicy_prefix	 p;
	const char			*s = list, *end, *bad;
	size_t				 n;

	memset(&p, 0, sizeof p);
	p.origin = which == ADDRPOLICY_DENY ? ADDRPOLICY_GIVEN_DENY :
	    ADDRPOLICY_GIVEN_ALLOW;
	for (;;) {
		s += strspn(s, " ");
		end = s + strcspn(s, ",");
		for (n = (size_t)(end - s); n > 0 && s[n - 1] == ' '; n--)
			;
		if ((bad = ap_prefix(s, n, &p)) != NULL) {
			snprintf(why, whylen, "'%.*s' %s", (int)n, s, bad);
			return -1;
		}
		ap_append(which == ADDRPOLICY_DENY ? &ap->deny[p.family] :
		    &ap->allow[p.family], &p);
		if (*end == '\0')
			return 0;
		s = end + 1;
	}
}

void
addrpolicy_deny_private(struct addrpolicy *ap)
{
	struct addrpolicy_prefix	p;
	size_t				i;

	memset(&p, 0, sizeof p);
	p.origin = ADDRPOLICY_PRIVATE;
	for (i = 0; i < sizeof ap_private / sizeof ap_private[0]; i++) {
		if (ap_prefix(ap_private[i], strlen(ap_private[i]), &p) != NULL)
			abort();	/* the table above is wrong */
		ap_append(&ap->priv[p.family], &p);
	}
}

static int
ap_order(const void *a, const void *b)
{
	const struct addrpolicy_prefix	*x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/*
 * Sorted by first address, the shorter prefix first, each prefix is kept
 * only when the last one kept does not hold it: the table is then
 * disjoint, as ap_find needs.
 */
static void
ap_table_finish(struct addrpolicy_table *t)
{
	size_t	i, kept = 0;

	if (t->n == 0)
		return;
	qsort(t->v, t->n, sizeof *t->v, ap_order);
	for (i = 1; i < t->n; i++)
		if (!ap_holds(&t->v[kept], t->v[i].hi, t->v[i].lo))
			t->v[++kept] = t->v[i];
	t->n = kept + 1;
}

/* Once every list is in: the tables are made ready for lookups. */
void
addrpolicy_finish(struct addrpolicy *ap)
{
	int	f;

	for (f = ADDRPOLICY_V4; f <= ADDRPOLICY_V6; f++) {
		ap_table_finish(&ap->deny[f]);
		ap_table_finish(&ap->priv[f]);
		ap_table_finish(&ap->allow[f]);
	}
}

void
addrpolicy_free(struct addrpolicy *ap)
{
	int	f;

	for (f = ADDRPOLICY_V4; f <= ADDRPOLICY_V6; f++) {
		free(ap->deny[f].v);
		free(ap->priv[f].v);
		free(ap->allow[f].v);
	}
	memset(ap, 0, sizeof *ap);
}

/*
 * The rule of the deny tables t (by family) that holds the address, or
 * the IPv4 address an IPv6 one reaches; r->embedded says which.
 */
static const struct addrpolicy_prefix *
ap_denied(const struct addrpolicy_table *t, enum addrpolicy_family fam,
    uint64_t hi, uint64_t lo, struct addrpolicy_refusal *r)
{
	const struct addrpolicy_prefix	*rule;

	if ((rule = ap_find(&t[fam], hi, lo)) != NULL)
		return rule;
	if (fam == ADDRPOLICY_V6 && ap_embedded(hi, lo, &r->v4) &&
	    (rule = ap_find(&t[ADDRPOLICY_V4], r->v4, 0)) != NULL)
		r->embedded = 1;
	return rule;
}

/*
 * Whether the address s (n bytes; brackets and, for an IPv6 literal's
 * zone, "%zone" allowed) may be connected to; r says why not.  A
 * --deny-addresses entry wins over an allow entry; an allow entry is an
 * exception to --deny-private (one internal host among the private
 * ranges); with an allow list, nothing else passes.
 */
static enum addrpolicy_verdict
ap_check(const struct addrpolicy *ap, const char *s, size_t n, int zone,
    struct addrpolicy_refusal *r)
{
	enum addrpolicy_family	fam;
	uint64_t		hi, lo;
	int			allows, allowed = 0;

	r->rule = NULL;
	r->embedded = 0;
	r->verdict = ADDRPOLICY_PASS;
	allows = ap->allow[ADDRPOLICY_V4].n + ap->allow[ADDRPOLICY_V6].n > 0;
	if (!ap_parse(s, n, zone, &fam, &hi, &lo))
		r->verdict = ADDRPOLICY_NOT_AN_ADDRESS;
	else if ((r->rule = ap_denied(ap->deny, fam, hi, lo, r)) != NULL)
		r->verdict = ADDRPOLICY_DENIED;
	else if (allows && !(allowed = ap_find(&ap->allow[fam], hi, lo) !=
	    NULL))
		r->verdict = ADDRPOLICY_NOT_ALLOWED;
	else if (!allowed &&
	    (r->rule = ap_denied(ap->priv, fam, hi, lo, r)) != NULL)
		r->verdict = ADDRPOLICY_DENIED;
	if (r->verdict != ADDRPOLICY_PASS)
		snprintf(r->addr, sizeof r->addr, "%.*s", (int)n, s);
	return r->verdict;
}

enum addrpolicy_verdict
addrpolicy_check(const struct addrpolicy *ap, const char *s, size_t n,
    struct addrpolicy_refusal *r)
{
	return ap_check(ap, s, n, 0, r);
}

/* Why r's address was refused, after "host: " unless host is it. */
void
addrpolicy_explain(const struct addrpolicy_refusal *r, const char *host,
    char *buf, size_t size)
{
	char	rule[AP_TEXT_MAX], v4[AP_TEXT_MAX], name[300] = "";

	if (host != NULL && strcmp(host, r->addr) != 0)
		snprintf(name, sizeof name, "%s: ", host);
	switch (r->verdict) {
	case ADDRPOLICY_DENIED:
		ap_text(r->rule->family, r->rule->hi, r->rule->lo,
		    r->rule->len, rule, sizeof rule);
		if (!r->embedded) {
			snprintf(buf, size, "%s%s is in %s (%s)", name, r->addr,
			    rule, ap_origin_names[r->rule->origin]);
			break;
		}
		ap_text(ADDRPOLICY_V4, r->v4, 0, -1, v4, sizeof v4);
		snprintf(buf, size, "%s%s reaches %s, which is in %s (%s)",
		    name, r->addr, v4, rule, ap_origin_names[r->rule->origin]);
		break;
	case ADDRPOLICY_NOT_ALLOWED:
		snprintf(buf, size, "%s%s is not in --allow-addresses", name,
		    r->addr);
		break;
	case ADDRPOLICY_NOT_AN_ADDRESS:
		snprintf(buf, size, "%s'%s' is not an IP address", name,
		    r->addr);
		break;
	case ADDRPOLICY_PASS:
		snprintf(buf, size, "%s%s passes", name, r->addr);
		break;
	}
}

/*
 * Whether the policy blocks a hop to host (as url_parse spells it), whose
 * name resolved to addrs ("a,b,[c]"), which keeps only the addresses that
 * pass, in their order; addrs NULL: host is an IPv6 literal, which libcurl
 * connects to as it is, and which passes or not as a whole.  When any
 * address is refused, why names the first and its rule; when others pass,
 * -v says so.
 */
int
addrpolicy_blocks(const struct addrpolicy *ap, const char *host,
    char *addrs, char *why, size_t whylen)
{
	struct addrpolicy_refusal	 r, first;
	char				*in, *out, *end;
	size_t				 n, kept = 0, refused = 0, len;
	int				 more;

	why[0] = '\0';
	if (!addrpolicy_active(ap))
		return 0;
	if (addrs == NULL) {
		if (ap_check(ap, host, strlen(host), 1, &r) ==
		    ADDRPOLICY_PASS)
			return 0;
		addrpolicy_explain(&r, NULL, why, whylen);
		return 1;
	}
	first.verdict = ADDRPOLICY_PASS;
	for (in = out = addrs, more = 1; more; in = end + 1) {
		end = in + strcspn(in, ",");
		more = *end == ',';
		n = (size_t)(end - in);
		if (ap_check(ap, in, n, 0, &r) != ADDRPOLICY_PASS) {
			if (refused++ == 0)
				first = r;
			continue;
		}
		if (kept++ > 0)
			*out++ = ',';
		memmove(out, in, n);
		out += n;
	}
	*out = '\0';
	if (refused == 0)
		return 0;
	addrpolicy_explain(&first, host, why, whylen);
	len = strlen(why);
	if (refused > 1 && len < whylen)
		snprintf(why + len, whylen - len, " (and %zu more refused)",
		    refused - 1);
	if (kept == 0)
		return 1;
	msg_debug("%s; its other addresses are used", why);
	return 0;
}
