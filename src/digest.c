/*
 * digest.c: a streaming SHA-256 over OpenSSL's EVP interface, never a
 * hand-written one.  Pure: bytes in, hex out.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/evp.h>

#include "digest.h"
#include "msg.h"

struct digest {
	EVP_MD_CTX	*ctx;
};

struct digest *
digest_new(void)
{
	struct digest	*d;

	if ((d = calloc(1, sizeof *d)) == NULL ||
	    (d->ctx = EVP_MD_CTX_new()) == NULL)
		msg_fatal("out of memory for a digest");
	digest_reset(d);
	return d;
}

void
digest_free(struct digest *d)
{
	if (d == NULL)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

/* Starts again, for another body. */
void
digest_reset(struct digest *d)
{
	if (EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		msg_fatal("cannot start a SHA-256");
}

void
digest_update(struct digest *d, const void *data, size_t len)
{
	if (len > 0 && EVP_DigestUpdate(d->ctx, data, len) != 1)
		msg_fatal("cannot update a SHA-256");
}

/* The digest of what came since the reset, in lower-case hex (NUL ended). */
void
digest_hex(struct digest *d, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		md[EVP_MAX_MD_SIZE];
	unsigned int		n = 0, i;

	if (EVP_DigestFinal_ex(d->ctx, md, &n) != 1)
		msg_fatal("cannot finish a SHA-256");
	for (i = 0; i < n && i * 2 < DIGEST_HEX; i++) {
		out[i * 2] = hex[md[i] >> 4];
		out[i * 2 + 1] = hex[md[i] & 15];
	}
	out[i * 2] = '\0';
	digest_reset(d);
}
