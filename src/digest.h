/*
 * digest.h: SHA-256 of a body as it streams in (OpenSSL's libcrypto),
 * for --hash sha256.
 */
#ifndef COFETCH_DIGEST_H
#define COFETCH_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX	64	/* characters of a SHA-256 in hex */

struct digest;

struct digest	*digest_new(void);
void		 digest_free(struct digest *);
void		 digest_reset(struct digest *);
void		 digest_update(struct digest *, const void *, size_t);
void		 digest_hex(struct digest *, char *);

#endif
