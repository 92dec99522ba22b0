/*
 * t_addrpolicy.c: the address policy's matcher.  Every --deny-private
 * range at both edges and just outside them; IPv4-mapped addresses as
 * IPv4; the IPv6 forms that reach an IPv4 address (compatible, NAT64,
 * 6to4, Teredo); allow and deny lists alone and together, a deny entry
 * winning; overlapping lists against a plain linear scan; what a CIDR
 * may and may not look like; a hop's address list filtered in place,
 * with the message naming the address and the rule.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/addrpolicy.h"
#include "unit.h"

static enum addrpolicy_verdict
verdict(const struct addrpolicy *p, const char *addr)
{
	struct addrpolicy_refusal	r;

	return addrpolicy_check(p, addr, strlen(addr), &r);
}

/* Each private range: its first and last address, and its neighbours. */
static const struct edge {
	const char	*addr;
	int		 denied;
} private_edges[] = {
	{ "0.0.0.0", 1 }, { "0.255.255.255", 1 }, { "1.0.0.0", 0 },
	{ "9.255.255.255", 0 }, { "10.0.0.0", 1 }, { "10.255.255.255", 1 },
	{ "11.0.0.0", 0 },
	{ "100.63.255.255", 0 }, { "100.64.0.0", 1 },
	{ "100.100.100.200", 1 }, { "100.127.255.255", 1 },
	{ "100.128.0.0", 0 },
	{ "126.255.255.255", 0 }, { "127.0.0.0", 1 }, { "127.0.0.1", 1 },
	{ "127.255.255.255", 1 }, { "128.0.0.0", 0 },
	{ "169.253.255.255", 0 }, { "169.254.0.0", 1 },
	{ "169.254.169.254", 1 }, { "169.254.255.255", 1 },
	{ "169.255.0.0", 0 },
	{ "172.15.255.255", 0 }, { "172.16.0.0", 1 }, { "172.31.255.255", 1 },
	{ "172.32.0.0", 0 },
	{ "191.255.255.255", 0 }, { "192.0.0.0", 1 }, { "192.0.0.192", 1 },
	{ "192.0.0.255", 1 }, { "192.0.1.0", 0 },
	{ "192.167.255.255", 0 }, { "192.168.0.0", 1 },
	{ "192.168.255.255", 1 }, { "192.169.0.0", 0 },
	{ "198.17.255.255", 0 }, { "198.18.0.0", 1 }, { "198.19.255.255", 1 },
	{ "198.20.0.0", 0 },
	{ "223.255.255.255", 0 }, { "224.0.0.0", 1 }, { "239.255.255.255", 1 },
	{ "240.0.0.0", 1 }, { "255.255.255.254", 1 }, { "255.255.255.255", 1 },
	{ "8.8.8.8", 0 }, { "93.184.216.34", 0 }, { "192.0.2.1", 0 },
	{ "::", 1 }, { "::1", 1 },
	{ "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", 0 }, { "64:ff9b:1::", 1 },
	{ "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", 1 }, { "64:ff9b:2::", 0 },
	{ "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0 }, { "fc00::", 1 },
	{ "fd00:ec2::254", 1 },
	{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 },
	{ "fe00::", 0 },
	{ "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0 }, { "fe80::", 1 },
	{ "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 }, { "fec0::", 1 },
	{ "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 }, { "ff00::", 1 },
	{ "ff02::1", 1 }, { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 },
	{ "2606:4700::1111", 0 }, { "2001:db8::1", 0 },
	/* IPv4-mapped: the IPv4 address itself, in any spelling. */
	{ "::ffff:127.0.0.1", 1 }, { "::ffff:7f00:1", 1 },
	{ "0:0:0:0:0:ffff:7f00:1", 1 }, { "::FFFF:169.254.169.254", 1 },
	{ "::ffff:8.8.8.8", 0 }, { "[::ffff:10.0.0.1]", 1 },
	/* IPv4-compatible (::2 is 0.0.0.2), NAT64, 6to4, Teredo. */
	{ "::127.0.0.1", 1 }, { "::2", 1 }, { "::8.8.8.8", 0 },
	{ "64:ff9b::127.0.0.1", 1 }, { "64:ff9b::a9fe:a9fe", 1 },
	{ "64:ff9b::8.8.8.8", 0 },
	{ "2002:7f00:1::", 1 }, { "2002:a00:1:ffff::1", 1 },
	{ "2002:808:808::1", 0 },
	{ "2001::80ff:fefe", 1 }, { "2001::f7f7:f7f7", 0 },
	{ "2001:0:1::80ff:fefe", 1 },
};

static void
check_private(void)
{
	struct addrpolicy		 p;
	struct addrpolicy_refusal	 r;
	char				 name[128];
	size_t				 i;
	int				 denied;

	memset(&p, 0, sizeof p);
	CHECK("no policy: inactive", !addrpolicy_active(&p));
	addrpolicy_deny_private(&p);
	addrpolicy_finish(&p);
	CHECK("--deny-private: active", addrpolicy_active(&p));
	for (i = 0; i < sizeof private_edges / sizeof private_edges[0]; i++) {
		const struct edge *e = &private_edges[i];

		denied = addrpolicy_check(&p, e->addr, strlen(e->addr), &r) ==
		    ADDRPOLICY_DENIED;
		snprintf(name, sizeof name, "--deny-private %s %s",
		    e->denied ? "denies" : "passes", e->addr);
		CHECK(name, denied == e->denied && (!denied ||
		    r.rule->origin == ADDRPOLICY_PRIVATE));
	}
	addrpolicy_free(&p);
}

static int
add(struct addrpolicy *p, enum addrpolicy_list which, const char *list)
{
	char	why[256];

	return addrpolicy_add(p, which, list, why, sizeof why);
}

static void
check_lists(void)
{
	struct addrpolicy	p;

	memset(&p, 0, sizeof p);
	add(&p, ADDRPOLICY_ALLOW, "127.0.0.1");
	addrpolicy_finish(&p);
	CHECK("allow: a bare address is /32",
	    verdict(&p, "127.0.0.1") == ADDRPOLICY_PASS &&
	    verdict(&p, "127.0.0.2") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "127.0.0.0") == ADDRPOLICY_NOT_ALLOWED);
	CHECK("allow: ::ffff:127.0.0.1 is 127.0.0.1",
	    verdict(&p, "::ffff:127.0.0.1") == ADDRPOLICY_PASS &&
	    verdict(&p, "[::ffff:7f00:1]") == ADDRPOLICY_PASS);
	CHECK("allow: an IPv4 list admits no IPv6",
	    verdict(&p, "::1") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "::127.0.0.1") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "64:ff9b::7f00:1") == ADDRPOLICY_NOT_ALLOWED);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_ALLOW, "::1");
	add(&p, ADDRPOLICY_ALLOW, "2001:db8::/32");
	addrpolicy_finish(&p);
	CHECK("allow: a bare IPv6 address is /128",
	    verdict(&p, "::1") == ADDRPOLICY_PASS &&
	    verdict(&p, "::2") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "[::1]") == ADDRPOLICY_PASS);
	CHECK("allow: repeated, both lists count",
	    verdict(&p, "2001:db8:ffff::1") == ADDRPOLICY_PASS &&
	    verdict(&p, "2001:db9::") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff") ==
	    ADDRPOLICY_NOT_ALLOWED);
	CHECK("allow: an IPv6 list admits no IPv4",
	    verdict(&p, "127.0.0.1") == ADDRPOLICY_NOT_ALLOWED);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_DENY, "127.0.0.2,10.0.0.0/8");
	addrpolicy_finish(&p);
	CHECK("deny alone: the rest passes",
	    verdict(&p, "127.0.0.1") == ADDRPOLICY_PASS &&
	    verdict(&p, "127.0.0.2") == ADDRPOLICY_DENIED &&
	    verdict(&p, "127.0.0.3") == ADDRPOLICY_PASS &&
	    verdict(&p, "10.1.2.3") == ADDRPOLICY_DENIED &&
	    verdict(&p, "::1") == ADDRPOLICY_PASS);
	CHECK("deny: what reaches a denied IPv4 address is denied",
	    verdict(&p, "::ffff:127.0.0.2") == ADDRPOLICY_DENIED &&
	    verdict(&p, "::127.0.0.2") == ADDRPOLICY_DENIED &&
	    verdict(&p, "64:ff9b::a01:203") == ADDRPOLICY_DENIED &&
	    verdict(&p, "2002:a00:1::") == ADDRPOLICY_DENIED &&
	    verdict(&p, "2002:b00:1::") == ADDRPOLICY_PASS);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_ALLOW, "127.0.0.0/8");
	add(&p, ADDRPOLICY_DENY, "127.0.0.2");
	addrpolicy_finish(&p);
	CHECK("allow and deny: a deny entry wins",
	    verdict(&p, "127.0.0.1") == ADDRPOLICY_PASS &&
	    verdict(&p, "127.0.0.2") == ADDRPOLICY_DENIED &&
	    verdict(&p, "127.0.0.3") == ADDRPOLICY_PASS &&
	    verdict(&p, "128.0.0.1") == ADDRPOLICY_NOT_ALLOWED);
	addrpolicy_deny_private(&p);
	addrpolicy_finish(&p);
	CHECK("allow and --deny-private: an allow entry is an exception, a "
	    "--deny-addresses entry still wins",
	    verdict(&p, "127.0.0.1") == ADDRPOLICY_PASS &&
	    verdict(&p, "127.0.0.2") == ADDRPOLICY_DENIED &&
	    verdict(&p, "10.0.0.1") == ADDRPOLICY_NOT_ALLOWED);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_ALLOW, "10.0.0.5");
	addrpolicy_deny_private(&p);
	addrpolicy_finish(&p);
	CHECK("--deny-private with one internal host allowed",
	    verdict(&p, "10.0.0.5") == ADDRPOLICY_PASS &&
	    verdict(&p, "10.0.0.6") == ADDRPOLICY_NOT_ALLOWED &&
	    verdict(&p, "[::ffff:10.0.0.5]") == ADDRPOLICY_PASS &&
	    verdict(&p, "8.8.8.8") == ADDRPOLICY_NOT_ALLOWED);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_DENY, "::/0");
	addrpolicy_finish(&p);
	CHECK("::/0 is all of IPv6 and none of IPv4",
	    verdict(&p, "2606:4700::1") == ADDRPOLICY_DENIED &&
	    verdict(&p, "8.8.8.8") == ADDRPOLICY_PASS &&
	    verdict(&p, "::ffff:8.8.8.8") == ADDRPOLICY_PASS);
	addrpolicy_free(&p);
	add(&p, ADDRPOLICY_DENY, "::ffff:0:0/96");
	addrpolicy_finish(&p);
	CHECK("::ffff:0:0/96 is all of IPv4",
	    verdict(&p, "8.8.8.8") == ADDRPOLICY_DENIED &&
	    verdict(&p, "2606:4700::1") == ADDRPOLICY_PASS);
	addrpolicy_free(&p);
	add(&p, ADDRPOLICY_DENY, "::ffff:10.0.0.0/104, 0.0.0.0/0");
	addrpolicy_finish(&p);
	CHECK("a mapped CIDR counts 96 bits fewer; spaces after commas",
	    verdict(&p, "10.9.9.9") == ADDRPOLICY_DENIED &&
	    verdict(&p, "11.0.0.0") == ADDRPOLICY_DENIED);
	addrpolicy_free(&p);
}

static const char *const bad_cidrs[] = {
	"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/8/8", "10.1.0.0/8",
	"::1/64", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/1000",
	"10.0.0", "0x7f.1", "2130706433", "010.0.0.1", "127.1", "host.test",
	"fe80::1%eth0", "::ffff:10.0.0.0/8", "10.0.0.0,", ",10.0.0.0",
	"10.0.0.0,,10.0.0.1", "1.2.3.4.5", "[::1", "::1]", ":::",
	"0.0.0.0/0x",
	"1234567890123456789012345678901234567890123456789012345678901234",
};

static void
check_bad(void)
{
	struct addrpolicy	 p;
	char			 why[256], name[160];
	size_t			 i;
	int			 rc;

	memset(&p, 0, sizeof p);
	for (i = 0; i < sizeof bad_cidrs / sizeof bad_cidrs[0]; i++) {
		rc = addrpolicy_add(&p, ADDRPOLICY_DENY, bad_cidrs[i], why,
		    sizeof why);
		snprintf(name, sizeof name, "not a CIDR: '%.60s'",
		    bad_cidrs[i]);
		CHECK(name, rc == -1 && why[0] == '\'');
	}
	rc = addrpolicy_add(&p, ADDRPOLICY_DENY, "10.0.0.0/8,10.1.0.0/8", why,
	    sizeof why);
	CHECK("the bad item is named", rc == -1 &&
	    strcmp(why, "'10.1.0.0/8' has address bits set past its prefix "
	    "length") == 0);
	CHECK("good forms", add(&p, ADDRPOLICY_DENY, "0.0.0.0/0,::/0,"
	    "10.0.0.0/8,[::1],[::1]/128,1.2.3.4/32,::ffff:1.2.3.4,"
	    "::ffff:0:0/96,fe80::/10,255.255.255.255/32,[10.0.0.1]") == 0);
	addrpolicy_free(&p);
}

/* A plain linear scan, to hold the sorted, merged tables to. */
struct naive {
	unsigned char	a[16];
	int		len;
	int		deny;
};

static int
naive_holds(const struct naive *n, const unsigned char *a)
{
	int	bits = n->len, i;

	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != n->a[i])
			return 0;
	return bits == 0 || ((a[i] ^ n->a[i]) >> (8 - bits)) == 0;
}

static void
naive_addr(uint32_t r, unsigned char *a)
{
	memset(a, 0, 16);
	a[0] = (unsigned char)(r >> 24);
	a[1] = (unsigned char)(r >> 16);
	a[2] = (unsigned char)(r >> 8);
	a[3] = (unsigned char)r;
}

/*
 * 300 random IPv4 prefixes, overlapping, nested and repeated, half deny
 * and half allow; 20,000 random addresses, many at a prefix's edge, must
 * get from the tables what a linear scan of the rules gives.
 */
static void
check_random(void)
{
	struct addrpolicy	 p;
	struct naive		 rules[300], *k;
	unsigned char		 a[16];
	char			 text[64], ip[INET_ADDRSTRLEN];
	uint32_t		 x, base;
	unsigned		 seed = 12345;
	size_t			 i, j, agree = 0;
	int			 denied, allowed;

	memset(&p, 0, sizeof p);
	for (i = 0; i < 300; i++) {
		rules[i].len = 1 + (int)(rand_r(&seed) % 32);
		rules[i].deny = rand_r(&seed) % 2;
		/* From a few /8s, so that prefixes overlap. */
		x = (uint32_t)(rand_r(&seed) % 4) << 24 |
		    ((uint32_t)rand_r(&seed) & 0xffffff);
		if (rules[i].len < 32)
			x &= ~0U << (32 - rules[i].len);
		naive_addr(x, rules[i].a);
		inet_ntop(AF_INET, rules[i].a, ip, sizeof ip);
		snprintf(text, sizeof text, "%s/%d", ip, rules[i].len);
		add(&p, rules[i].deny ? ADDRPOLICY_DENY : ADDRPOLICY_ALLOW,
		    text);
	}
	addrpolicy_finish(&p);
	for (i = 0; i < 20000; i++) {
		/* Half of them within 2 of a prefix's first or last address. */
		k = &rules[rand_r(&seed) % 300];
		base = (uint32_t)k->a[0] << 24 | (uint32_t)k->a[1] << 16 |
		    (uint32_t)k->a[2] << 8 | k->a[3];
		if (rand_r(&seed) % 2 && k->len < 32)
			base |= ~0U >> k->len;
		x = i % 2 ? base + (uint32_t)(rand_r(&seed) % 5) - 2 :
		    (uint32_t)(rand_r(&seed) % 4) << 24 |
		    ((uint32_t)rand_r(&seed) & 0xffffff);
		naive_addr(x, a);
		denied = allowed = 0;
		for (j = 0; j < 300; j++)
			if (naive_holds(&rules[j], a)) {
				if (rules[j].deny)
					denied = 1;
				else
					allowed = 1;
			}
		inet_ntop(AF_INET, a, ip, sizeof ip);
		if (verdict(&p, ip) == (denied ? ADDRPOLICY_DENIED : allowed ?
		    ADDRPOLICY_PASS : ADDRPOLICY_NOT_ALLOWED))
			agree++;
	}
	CHECK("300 overlapping prefixes: 20,000 addresses as a linear scan",
	    agree == 20000);
	addrpolicy_free(&p);
}

static void
check_hop(void)
{
	struct addrpolicy	p;
	char			addrs[128], why[256];
	int			n;

	memset(&p, 0, sizeof p);
	snprintf(addrs, sizeof addrs, "127.0.0.1");
	CHECK("no policy: nothing blocked, nothing looked at",
	    addrpolicy_blocks(&p, "[::1]", NULL, why, sizeof why) == 0 &&
	    addrpolicy_blocks(&p, "h", addrs, why, sizeof why) == 0 &&
	    why[0] == '\0');
	add(&p, ADDRPOLICY_DENY, "127.0.0.2");
	addrpolicy_finish(&p);
	snprintf(addrs, sizeof addrs, "127.0.0.2,127.0.0.1,[::1],127.0.0.2");
	n = addrpolicy_blocks(&p, "mixed.test", addrs, why, sizeof why);
	CHECK("mixed: only what passes is left, in order", n == 0 &&
	    strcmp(addrs, "127.0.0.1,[::1]") == 0);
	CHECK("mixed: the first refused named, with its rule",
	    strcmp(why, "mixed.test: 127.0.0.2 is in 127.0.0.2/32 "
	    "(--deny-addresses) (and 1 more refused)") == 0);
	snprintf(addrs, sizeof addrs, "127.0.0.1,[::1]");
	n = addrpolicy_blocks(&p, "v6.test", addrs, why, sizeof why);
	CHECK("all pass: the list as it was, no message", n == 0 &&
	    strcmp(addrs, "127.0.0.1,[::1]") == 0 && why[0] == '\0');
	snprintf(addrs, sizeof addrs, "127.0.0.2");
	n = addrpolicy_blocks(&p, "127.0.0.2", addrs, why, sizeof why);
	CHECK("a literal refused: nothing left, named once", n == 1 &&
	    addrs[0] == '\0' && strcmp(why, "127.0.0.2 is in 127.0.0.2/32 "
	    "(--deny-addresses)") == 0);
	snprintf(addrs, sizeof addrs, "[::ffff:127.0.0.2],nonsense,");
	n = addrpolicy_blocks(&p, "h.test", addrs, why, sizeof why);
	CHECK("mapped, not an address, empty: all refused", n == 1 &&
	    addrs[0] == '\0' && strcmp(why, "h.test: [::ffff:127.0.0.2] is "
	    "in 127.0.0.2/32 (--deny-addresses) (and 2 more refused)") == 0);
	addrpolicy_free(&p);

	addrpolicy_deny_private(&p);
	addrpolicy_finish(&p);
	n = addrpolicy_blocks(&p, "[::1]", NULL, why, sizeof why);
	CHECK("an IPv6 literal is checked as it is", n == 1 &&
	    strcmp(why, "[::1] is in ::1/128 (--deny-private)") == 0);
	n = addrpolicy_blocks(&p, "[fe80::1%25eth0]", NULL, why, sizeof why);
	CHECK("an IPv6 literal's zone is no way around", n == 1 &&
	    strstr(why, "fe80::/10") != NULL);
	n = addrpolicy_blocks(&p, "[64:ff9b::a9fe:a9fe]", NULL, why,
	    sizeof why);
	CHECK("NAT64 named with what it reaches", n == 1 && strcmp(why,
	    "[64:ff9b::a9fe:a9fe] reaches 169.254.169.254, which is in "
	    "169.254.0.0/16 (--deny-private)") == 0);
	n = addrpolicy_blocks(&p, "[2606:4700::1111]", NULL, why, sizeof why);
	CHECK("a public IPv6 literal passes", n == 0 && why[0] == '\0');
	snprintf(addrs, sizeof addrs, "fe80::1%%eth0");
	n = addrpolicy_blocks(&p, "h.test", addrs, why, sizeof why);
	CHECK("a zone in a resolved list is not an address (nor to libcurl)",
	    n == 1 && strstr(why, "is not an IP address") != NULL);
	addrpolicy_free(&p);

	add(&p, ADDRPOLICY_ALLOW, "127.0.0.1");
	addrpolicy_finish(&p);
	snprintf(addrs, sizeof addrs, "127.0.0.2");
	n = addrpolicy_blocks(&p, "rebind.test", addrs, why, sizeof why);
	CHECK("not allowed: named", n == 1 && strcmp(why, "rebind.test: "
	    "127.0.0.2 is not in --allow-addresses") == 0);
	addrpolicy_free(&p);
}

int
main(void)
{
	check_private();
	check_lists();
	check_bad();
	check_random();
	check_hop();
	return unit_done("t_addrpolicy");
}
