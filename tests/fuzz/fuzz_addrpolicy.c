/*
 * fuzz_addrpolicy.c: the address policy between a hop's addresses and
 * its CURLOPT_RESOLVE entry.  The input is a URL, a newline, then bytes
 * read as up to 8 addresses (a byte choosing IPv4 or IPv6, then 4 or 16
 * bytes), the answer a name resolved to.  Under three policies no address
 * the policy refuses is ever left in the entry: the list kept is exactly
 * the addresses a plain linear scan of the rules lets through, in their
 * order, and a hop is blocked exactly when none is.  An accepted URL's IP
 * literal, the address libcurl will connect to, is judged as the scan
 * judges it.  (A host that is no literal goes to c-ares as a name, even
 * one that inet_aton(3) would read as IPv4, like "%38.25": its answer is
 * a list like the one above.)
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "../../src/addrpolicy.h"
#include "../../src/url.h"
#include "fuzz.h"

#define FUZZ_ADDRS	8

enum scan_kind {
	SCAN_ALLOW,
	SCAN_DENY,		/* --deny-addresses */
	SCAN_PRIVATE		/* --deny-private */
};

/* A rule as the scan keeps it: the address's bytes and a length. */
struct scan_rule {
	int		v6;
	unsigned char	a[16];
	int		len;
	enum scan_kind	kind;
};

struct scan_policy {
	struct addrpolicy	p;
	struct scan_rule	rules[32];
	size_t			n;
	int			allow;		/* has an allow list */
};

static const char *const private_ranges[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
	"198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128",
	"64:ff9b:1::/48", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
};

static struct scan_policy	policies[3];

static void
scan_add(struct scan_policy *s, const char *cidr, enum scan_kind kind)
{
	struct scan_rule	*r = &s->rules[s->n++];
	char			 addr[64];
	const char		*slash = strchr(cidr, '/');

	snprintf(addr, sizeof addr, "%.*s", slash != NULL ?
	    (int)(slash - cidr) : (int)strlen(cidr), cidr);
	r->kind = kind;
	r->v6 = strchr(addr, ':') != NULL;
	FUZZ_CHECK(inet_pton(r->v6 ? AF_INET6 : AF_INET, addr, r->a) == 1);
	r->len = slash != NULL ? atoi(slash + 1) : r->v6 ? 128 : 32;
	if (r->v6 && r->a[10] == 0xff && r->a[11] == 0xff &&
	    memcmp(r->a, "\0\0\0\0\0\0\0\0\0\0", 10) == 0) {
		memmove(r->a, r->a + 12, 4);
		r->v6 = 0;
		r->len -= 96;
	}
	if (kind == SCAN_ALLOW)
		s->allow = 1;
}

static void
policy_list(struct scan_policy *s, enum addrpolicy_list which,
    const char *list)
{
	char	why[256], copy[256], *item, *save;

	FUZZ_CHECK(addrpolicy_add(&s->p, which, list, why, sizeof why) == 0);
	snprintf(copy, sizeof copy, "%s", list);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save))
		scan_add(s, item, which == ADDRPOLICY_DENY ? SCAN_DENY :
		    SCAN_ALLOW);
}

static void
policy_private(struct scan_policy *s)
{
	size_t	i;

	addrpolicy_deny_private(&s->p);
	for (i = 0; i < sizeof private_ranges / sizeof private_ranges[0]; i++)
		scan_add(s, private_ranges[i], SCAN_PRIVATE);
}

static void
policies_init(void)
{
	policy_private(&policies[0]);
	policy_list(&policies[1], ADDRPOLICY_ALLOW,
	    "8.8.8.0/24,2606:4700::/32,::ffff:1.1.1.0/120");
	policy_list(&policies[1], ADDRPOLICY_DENY, "8.8.8.8,::ffff:1.1.1.1");
	policy_private(&policies[2]);
	policy_list(&policies[2], ADDRPOLICY_ALLOW, "127.0.0.0/9,::1,8.8.8.8");
	addrpolicy_finish(&policies[0].p);
	addrpolicy_finish(&policies[1].p);
	addrpolicy_finish(&policies[2].p);
}

static int
scan_holds(const struct scan_rule *r, int v6, const unsigned char *a)
{
	int	bits = r->len, i;

	if (r->v6 != v6)
		return 0;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != r->a[i])
			return 0;
	return bits == 0 || ((a[i] ^ r->a[i]) >> (8 - bits)) == 0;
}

static int
scan_in(const struct scan_policy *s, enum scan_kind kind, int v6,
    const unsigned char *a)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->rules[i].kind == kind && scan_holds(&s->rules[i], v6, a))
			return 1;
	return 0;
}

/* The IPv4 address an IPv6 one reaches, if any, into v4. */
static int
scan_embedded(const unsigned char *a, unsigned char *v4)
{
	static const unsigned char	zero[12], nat64[12] = { 0, 0x64, 0xff,
					    0x9b };
	int				i;

	if (memcmp(a, zero, 12) == 0 && (memcmp(a + 12, zero, 3) != 0 ||
	    a[15] > 1))
		memcpy(v4, a + 12, 4);
	else if (memcmp(a, nat64, 12) == 0)
		memcpy(v4, a + 12, 4);
	else if (a[0] == 0x20 && a[1] == 0x02)
		memcpy(v4, a + 2, 4);
	else if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0)
		for (i = 0; i < 4; i++)
			v4[i] = (unsigned char)~a[12 + i];
	else
		return 0;
	return 1;
}

/* Whether the scan lets the address text through (brackets allowed). */
static int
scan_passes(const struct scan_policy *s, const char *text, int zone)
{
	unsigned char	a[16], v4[4];
	char		buf[64], *p = buf, *pct;
	size_t		n = strlen(text);
	int		v6 = 0, embedded;

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, text, n + 1);
	if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']') {
		buf[n - 1] = '\0';
		p++;
	}
	if (zone && strchr(p, ':') != NULL && (pct = strchr(p, '%')) != NULL)
		*pct = '\0';
	if (inet_pton(AF_INET, p, a) != 1) {
		if (inet_pton(AF_INET6, p, a) != 1)
			return 0;
		v6 = 1;
		if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
			memmove(a, a + 12, 4);
			v6 = 0;
		}
	}
	embedded = v6 && scan_embedded(a, v4);
	if (scan_in(s, SCAN_DENY, v6, a) || (embedded &&
	    scan_in(s, SCAN_DENY, 0, v4)))
		return 0;
	/* An allow entry is an exception to --deny-private. */
	if (s->allow)
		return scan_in(s, SCAN_ALLOW, v6, a);
	return !scan_in(s, SCAN_PRIVATE, v6, a) && !(embedded &&
	    scan_in(s, SCAN_PRIVATE, 0, v4));
}

/* The answer's addresses, as dns.c writes them for CURLOPT_RESOLVE. */
static size_t
fuzz_answer(const uint8_t *d, size_t n, char *out, size_t size,
    char addrs[][64])
{
	char	ip[INET6_ADDRSTRLEN];
	size_t	count = 0, len = 0;
	int	v6;

	out[0] = '\0';
	while (count < FUZZ_ADDRS && n >= 5) {
		v6 = d[0] & 1;
		if (v6 && n < 17)
			break;
		inet_ntop(v6 ? AF_INET6 : AF_INET, d + 1, ip, sizeof ip);
		snprintf(addrs[count], 64, v6 ? "[%s]" : "%s", ip);
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    count > 0 ? "," : "", addrs[count]);
		count++;
		d += v6 ? 17 : 5;
		n -= v6 ? 17 : 5;
	}
	return count;
}

static void
fuzz_check_answer(const struct scan_policy *s, const char *list,
    char addrs[][64], size_t count)
{
	char	entry[FUZZ_ADDRS * 64], want[FUZZ_ADDRS * 64], why[512];
	size_t	i, len = 0;
	int	blocked;

	want[0] = '\0';
	for (i = 0; i < count; i++)
		if (scan_passes(s, addrs[i], 0))
			len += (size_t)snprintf(want + len, sizeof want - len,
			    "%s%s", len > 0 ? "," : "", addrs[i]);
	snprintf(entry, sizeof entry, "%s", list);
	blocked = addrpolicy_blocks(&s->p, "name.test", entry, why,
	    sizeof why);
	FUZZ_CHECK(strcmp(entry, want) == 0);
	FUZZ_CHECK(blocked == (want[0] == '\0'));
	FUZZ_CHECK(!blocked || why[0] != '\0');
}

/* An accepted URL's host, when it is an IP literal. */
static void
fuzz_check_literal(const struct scan_policy *s, const char *host)
{
	struct in_addr	a4;
	char		entry[64], why[512];
	int		blocked;

	if (host[0] == '[') {
		blocked = addrpolicy_blocks(&s->p, host, NULL, why, sizeof why);
		FUZZ_CHECK(blocked == !scan_passes(s, host, 1));
		return;
	}
	if (inet_pton(AF_INET, host, &a4) != 1 || strlen(host) >= sizeof entry)
		return;
	snprintf(entry, sizeof entry, "%s", host);
	blocked = addrpolicy_blocks(&s->p, host, entry, why, sizeof why);
	FUZZ_CHECK(blocked == !scan_passes(s, host, 0));
	FUZZ_CHECK(strcmp(entry, blocked ? "" : host) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct url_target	 t;
	const uint8_t		*nl = memchr(data, '\n', size);
	char			*url, list[FUZZ_ADDRS * 64], why[256];
	char			 addrs[FUZZ_ADDRS][64];
	size_t			 ulen = nl != NULL ? (size_t)(nl - data) : size;
	size_t			 count, i;
	int			 literal;

	if (!ready) {
		policies_init();
		ready = 1;
	}
	if ((url = malloc(ulen + 1)) == NULL)
		return 0;
	memcpy(url, data, ulen);
	url[ulen] = '\0';
	count = nl != NULL ? fuzz_answer(nl + 1, size - ulen - 1, list,
	    sizeof list, addrs) : 0;
	t.host = NULL;
	literal = strlen(url) == ulen &&
	    url_parse(url, &t, why, sizeof why) == NULL;
	for (i = 0; i < sizeof policies / sizeof policies[0]; i++) {
		if (count > 0)
			fuzz_check_answer(&policies[i], list, addrs, count);
		if (literal)
			fuzz_check_literal(&policies[i], t.host);
	}
	url_target_clear(&t);
	free(url);
	return 0;
}
