/*
 * testd_gzip.c: the test server's gzip bodies: /gzip/N framed by hand, a
 * stored deflate block, and /bomb/MIB, a gzip bomb made once with zlib.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include <zlib.h>

#include "serve.h"
#include "testd.h"

#define BOMB_MIB_MAX	65536		/* /bomb: 64 GiB, 64 MB sent */

/* A gzip member's end: the CRC-32 and the size mod 2^32, little-endian. */
static void
gzip_trailer(struct evbuffer *b, uLong crc, uint64_t size)
{
	unsigned char	tail[8];
	int		i;

	for (i = 0; i < 4; i++) {
		tail[i] = (unsigned char)(crc >> (8 * i));
		tail[4 + i] = (unsigned char)(size >> (8 * i));
	}
	evbuffer_add(b, tail, sizeof tail);
}

/*
 * /gzip/N: N bytes of 'z' sent with Content-Encoding: gzip, as one stored
 * (uncompressed) deflate block: the gzip framing itself, byte by byte.
 */
void
route_gzip(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	static const unsigned char	 head[10] = { 0x1f, 0x8b, 8, 0, 0, 0,
	    0, 0, 0, 255 };
	unsigned char			 block[5];
	unsigned char			*data;
	struct evbuffer			*b;
	uLong				 crc;
	long				 n = a->n[0];

	if (n < 0 || n > 65535 || (data = malloc((size_t)n + 1)) == NULL) {
		reply_str(srv, req, 400, "0..65535 bytes\n");
		return;
	}
	memset(data, 'z', (size_t)n);
	crc = crc32(0, data, (uInt)n);
	block[0] = 1;			/* final block, stored */
	block[1] = (unsigned char)(n & 0xff);
	block[2] = (unsigned char)(n >> 8);
	block[3] = (unsigned char)(~n & 0xff);
	block[4] = (unsigned char)((~n >> 8) & 0xff);
	b = evbuffer_new();
	evbuffer_add(b, head, sizeof head);
	evbuffer_add(b, block, sizeof block);
	evbuffer_add(b, data, (size_t)n);
	gzip_trailer(b, crc, (uint64_t)n);
	free(data);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Encoding", "gzip");
	reply_buffer(srv, req, 200, b);
}

/*
 * A gzip bomb's parts, made once: the gzip header with the first MiB of
 * zeros, a MiB of zeros more (valid again and again, since all it refers
 * back to is zeros), and the final empty block.  Each ends on a byte, so
 * any number of middles fit between.
 */
struct bomb {
	unsigned char	 first[2048], middle[2048], last[64];
	size_t		 nfirst, nmiddle, nlast;
	uLong		 crc_mib;		/* of one MiB of zeros */
};

static size_t
bomb_deflate(z_stream *z, const unsigned char *in, size_t n, int flush,
    unsigned char *out, size_t cap)
{
	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	if (deflate(z, flush) == Z_STREAM_ERROR || z->avail_in != 0 ||
	    z->avail_out == 0)
		serve_fail("cannot make the gzip bomb");
	return cap - z->avail_out;
}

static const struct bomb *
bomb_parts(void)
{
	static struct bomb	 b;
	static unsigned char	*zeros;
	z_stream		 z;

	if (zeros != NULL)
		return &b;
	if ((zeros = calloc(1, 1 << 20)) == NULL)
		serve_fail("out of memory");
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		serve_fail("deflateInit2");
	b.nfirst = bomb_deflate(&z, zeros, 1 << 20, Z_SYNC_FLUSH, b.first,
	    sizeof b.first);
	b.nmiddle = bomb_deflate(&z, zeros, 1 << 20, Z_SYNC_FLUSH, b.middle,
	    sizeof b.middle);
	b.nlast = bomb_deflate(&z, NULL, 0, Z_FINISH, b.last, sizeof b.last);
	if (b.nlast < 8)
		serve_fail("cannot make the gzip bomb");
	b.nlast -= 8;			/* the trailer is made per size */
	deflateEnd(&z);
	b.crc_mib = crc32(0, zeros, 1 << 20);
	return &b;
}

/*
 * /bomb/MIB: MIB MiB of zeros, gzipped to about a thousandth of that;
 * /bomb/MIB/redirect sends it as the body of a redirect to /bytes/1.
 */
void
route_bomb(struct server *srv, struct evhttp_request *req,
    const struct route_args *a)
{
	const struct bomb	*bp = bomb_parts();
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*b;
	uLong			 crc = 0;
	long			 i, mib = a->n[0];

	if (mib < 1 || mib > BOMB_MIB_MAX) {
		reply_str(srv, req, 400, "1..65536 MiB\n");
		return;
	}
	b = evbuffer_new();
	evbuffer_add_reference(b, bp->first, bp->nfirst, NULL, NULL);
	crc = crc32_combine(crc, bp->crc_mib, 1 << 20);
	for (i = 1; i < mib; i++) {
		evbuffer_add_reference(b, bp->middle, bp->nmiddle, NULL, NULL);
		crc = crc32_combine(crc, bp->crc_mib, 1 << 20);
	}
	evbuffer_add_reference(b, bp->last, bp->nlast, NULL, NULL);
	gzip_trailer(b, crc, (uint64_t)mib << 20);
	evhttp_add_header(out, "Content-Encoding", "gzip");
	content_type(req, "application/octet-stream");
	if (strstr(evhttp_request_get_uri(req), "/redirect") != NULL) {
		evhttp_add_header(out, "Location", "/bytes/1");
		evhttp_send_reply(req, 302, "Found", b);
	} else
		evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	srv->inflight--;
}
