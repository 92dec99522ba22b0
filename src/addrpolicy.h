/*
 * addrpolicy.h: which addresses a hop may connect to (--deny-addresses,
 * --allow-addresses, --deny-private).  Pure: tables of prefixes built
 * once from the options, then read by every hop without allocating.
 */
#ifndef COFETCH_ADDRPOLICY_H
#define COFETCH_ADDRPOLICY_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 (an IPv4-mapped IPv6 address included) and the rest of IPv6. */
enum addrpolicy_family {
	ADDRPOLICY_V4,
	ADDRPOLICY_V6
};

enum addrpolicy_list {
	ADDRPOLICY_DENY,
	ADDRPOLICY_ALLOW
};

/* The option a prefix came from, for messages. */
enum addrpolicy_origin {
	ADDRPOLICY_GIVEN_DENY,
	ADDRPOLICY_GIVEN_ALLOW,
	ADDRPOLICY_PRIVATE
};

/*
 * A prefix: its first address as two 64-bit halves (an IPv4 address in
 * the top 32 bits of hi), its length in bits, its family and origin.
 */
struct addrpolicy_prefix {
	uint64_t	hi, lo;
	unsigned char	len;
	unsigned char	family;
	unsigned char	origin;
};

/* Sorted by first address, no prefix inside another once finished. */
struct addrpolicy_table {
	struct addrpolicy_prefix	*v;
	size_t				 n;
};

struct addrpolicy {
	struct addrpolicy_table	deny[2];	/* --deny-addresses, by family */
	struct addrpolicy_table	priv[2];	/* --deny-private */
	struct addrpolicy_table	allow[2];
};

enum addrpolicy_verdict {
	ADDRPOLICY_PASS,
	ADDRPOLICY_DENIED,		/* rule holds it, or what it reaches */
	ADDRPOLICY_NOT_ALLOWED,		/* an allow list, without it */
	ADDRPOLICY_NOT_AN_ADDRESS
};

/* Why one address did not pass. */
struct addrpolicy_refusal {
	enum addrpolicy_verdict		 verdict;
	const struct addrpolicy_prefix	*rule;		/* a deny rule */
	int				 embedded;	/* rule holds v4 */
	uint64_t			 v4;		/* the IPv4 address an
							   IPv6 one reaches */
	char				 addr[64];	/* as given, cut */
};

int			 addrpolicy_add(struct addrpolicy *,
			     enum addrpolicy_list, const char *, char *,
			     size_t);
void			 addrpolicy_deny_private(struct addrpolicy *);
void			 addrpolicy_finish(struct addrpolicy *);
void			 addrpolicy_free(struct addrpolicy *);
enum addrpolicy_verdict	 addrpolicy_check(const struct addrpolicy *,
			     const char *, size_t, struct addrpolicy_refusal *);
void			 addrpolicy_explain(const struct addrpolicy_refusal *,
			     const char *, char *, size_t);
int			 addrpolicy_blocks(const struct addrpolicy *,
			     const char *, char *, char *, size_t);

/* Whether any address is refused at all. */
static inline int
addrpolicy_active(const struct addrpolicy *p)
{
	return p->deny[ADDRPOLICY_V4].n + p->deny[ADDRPOLICY_V6].n +
	    p->priv[ADDRPOLICY_V4].n + p->priv[ADDRPOLICY_V6].n +
	    p->allow[ADDRPOLICY_V4].n + p->allow[ADDRPOLICY_V6].n > 0;
}

#endif
