/*
 * curlfloor.c: libcurl's floor for scripts/bench.  The least a client on
 * libcurl's multi_socket interface and one libevent loop does per URL: a
 * URL read, a transfer started, its body dropped, its status counted, its
 * easy handle reused; with what cofetch does to keep libcurl 7.88 linear
 * at thousands of transfers (below).  What cofetch spends beyond this is
 * its own; what this spends beyond h2load is libcurl's and OpenSSL's.
 *
 * usage: curlfloor -i FILE -j N [-c CAFILE] [-1]
 * Prints "status codes: N 2xx, M other, F failed"; exits 0 when every URL
 * was answered 2xx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#define FLOOR_USAGE	"usage: curlfloor -i FILE -j N [-c CAFILE] [-1]"
#define FLOOR_J_MAX	100000
/*
 * Transfers a multi handle: removing a transfer whose connection it kept,
 * libcurl 7.88 walks every connection of the multi handle (looking for
 * connect-only ones to close), so cofetch spreads them over multi handles
 * of this many (xfer.c's XFER_SHARD_MAX).
 */
#define FLOOR_SHARD_MAX	1000

struct floor;

struct floor_shard {
	struct floor	*f;
	CURLM		*multi;
	struct event	*timer;
	long		 active;	/* handles in the multi */
};

struct floor {
	struct event_base	*base;
	struct floor_shard	*shards;
	size_t			 nshards, nactive;
	FILE			*in;
	char			*line;
	size_t			 linecap;
	const char		*cafile;
	int			 http1;
	struct floor_end {
		CURL		*easy;
		CURLcode	 rc;
	}			*done;		/* one drain's ended transfers */
	long			 ok, other, failed;
};

static size_t
floor_drop(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* The next URL of the list into e, or 0 at its end. */
static int
floor_next_url(struct floor *f, CURL *e)
{
	ssize_t	len;

	while ((len = getline(&f->line, &f->linecap, f->in)) != -1) {
		while (len > 0 && (f->line[len - 1] == '\n' ||
		    f->line[len - 1] == '\r'))
			f->line[--len] = '\0';
		if (len == 0)
			continue;
		curl_easy_setopt(e, CURLOPT_URL, f->line);
		/* As cofetch: over plain HTTP a transfer would wait for the
		 * first response on its host to learn it cannot multiplex. */
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, (long)(!f->http1 &&
		    strncmp(f->line, "https:", 6) == 0));
		return 1;
	}
	return 0;
}

static CURL *
floor_easy(struct floor *f)
{
	CURL	*e;

	if ((e = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, floor_drop);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, f->http1 ?
	    CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS);
	if (f->cafile != NULL) {
		curl_easy_setopt(e, CURLOPT_CAINFO, f->cafile);
		/* Keeps libcurl 7.88's cached CA store (see easy.c). */
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	}
	return e;
}

/* A transfer that ended: its status counted, its handle given the next URL. */
static void
floor_done(struct floor_shard *s, CURL *e, CURLcode rc)
{
	struct floor	*f = s->f;
	long		 code = 0;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		f->failed++;
	else if (code >= 200 && code < 300)
		f->ok++;
	else
		f->other++;
	curl_multi_remove_handle(s->multi, e);
	if (floor_next_url(f, e)) {
		curl_multi_add_handle(s->multi, e);
		return;
	}
	curl_easy_cleanup(e);
	if (--s->active == 0 && --f->nactive == 0)
		event_base_loopbreak(f->base);
}

/*
 * Every message is read before any handle is removed: libcurl 7.88's
 * curl_multi_remove_handle walks the unread messages.
 */
static void
floor_drain(struct floor_shard *s)
{
	CURLMsg	*m;
	int	 left;
	long	 n = 0, i;

	while ((m = curl_multi_info_read(s->multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE && n < s->active) {
			s->f->done[n].easy = m->easy_handle;
			s->f->done[n++].rc = m->data.result;
		}
	for (i = 0; i < n; i++)
		floor_done(s, s->f->done[i].easy, s->f->done[i].rc);
}

static void
floor_on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct floor_shard	*s = arg;
	int			 running, flags = 0;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(s->multi, fd, flags, &running);
	floor_drain(s);
}

static void
floor_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct floor_shard	*s = arg;
	int			 running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	floor_drain(s);
}

/* libcurl's socket callback: one persistent event a socket, its socketp. */
static int
floor_socket_cb(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct floor_shard	*s = arg;
	struct event		*ev = sockp;
	short			 kind;

	(void)e;
	if (ev != NULL) {
		event_free(ev);
		curl_multi_assign(s->multi, fd, NULL);
	}
	if (what == CURL_POLL_REMOVE)
		return 0;
	kind = EV_PERSIST | (what & CURL_POLL_IN ? EV_READ : 0) |
	    (what & CURL_POLL_OUT ? EV_WRITE : 0);
	ev = event_new(s->f->base, fd, kind, floor_on_socket, s);
	if (ev == NULL || event_add(ev, NULL) != 0)
		return -1;
	curl_multi_assign(s->multi, fd, ev);
	return 0;
}

static int
floor_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct floor_shard	*s = arg;
	struct timeval		 tv;

	(void)multi;
	if (ms < 0)
		return evtimer_del(s->timer);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return evtimer_add(s->timer, &tv);
}

/* A shard with up to j transfers started; 0 when the list ran out. */
static int
floor_shard_start(struct floor *f, struct floor_shard *s, long j)
{
	CURL	*e;

	s->f = f;
	if ((s->multi = curl_multi_init()) == NULL ||
	    (s->timer = evtimer_new(f->base, floor_on_timer, s)) == NULL)
		return -1;
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, floor_socket_cb);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, floor_timer_cb);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
	/* As cofetch sizes it: a connection for each transfer, and one. */
	curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, j + 1);
	for (; s->active < j; s->active++) {
		if ((e = floor_easy(f)) == NULL)
			return -1;
		if (!floor_next_url(f, e)) {
			curl_easy_cleanup(e);
			break;
		}
		curl_multi_add_handle(s->multi, e);
	}
	if (s->active > 0)
		f->nactive++;
	return s->active > 0;
}

static int
floor_start(struct floor *f, long j)
{
	size_t	i;
	long	each;
	int	rc;

	f->nshards = (size_t)((j + FLOOR_SHARD_MAX - 1) / FLOOR_SHARD_MAX);
	each = (j + (long)f->nshards - 1) / (long)f->nshards;
	if ((f->shards = calloc(f->nshards, sizeof(*f->shards))) == NULL ||
	    (f->done = calloc((size_t)each, sizeof(*f->done))) == NULL)
		return -1;
	for (i = 0; i < f->nshards; i++)
		if ((rc = floor_shard_start(f, &f->shards[i], each)) <= 0)
			return rc;
	return 0;
}

static void
floor_free(struct floor *f)
{
	size_t	i;

	for (i = 0; i < f->nshards; i++) {
		if (f->shards[i].multi != NULL)
			curl_multi_cleanup(f->shards[i].multi);
		if (f->shards[i].timer != NULL)
			event_free(f->shards[i].timer);
	}
	free(f->shards);
	free(f->done);
	free(f->line);
}

int
main(int argc, char **argv)
{
	struct floor	 f = { 0 };
	struct rlimit	 rl;
	const char	*path = NULL;
	long		 j = 0;
	int		 ch;

	while ((ch = getopt(argc, argv, "1c:i:j:")) != -1) {
		switch (ch) {
		case '1':
			f.http1 = 1;
			break;
		case 'c':
			f.cafile = optarg;
			break;
		case 'i':
			path = optarg;
			break;
		case 'j':
			j = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "%s\n", FLOOR_USAGE);
			return 2;
		}
	}
	if (path == NULL || j < 1 || j > FLOOR_J_MAX) {
		fprintf(stderr, "%s\n", FLOOR_USAGE);
		return 2;
	}
	/* A socket a transfer, as cofetch raises its limit (main.c). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((f.in = fopen(path, "r")) == NULL) {
		perror(path);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((f.base = event_base_new()) == NULL || floor_start(&f, j) < 0) {
		fprintf(stderr, "curlfloor: out of memory\n");
		return 2;
	}
	if (f.nactive > 0)
		event_base_dispatch(f.base);
	printf("status codes: %ld 2xx, %ld other, %ld failed\n", f.ok,
	    f.other, f.failed);
	floor_free(&f);
	event_base_free(f.base);
	curl_global_cleanup();
	fclose(f.in);
	return f.other == 0 && f.failed == 0 ? 0 : 1;
}
