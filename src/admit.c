/*
 * admit.c: an input line becomes a task.  Reads the line (a URL, or with
 * --input-format jsonl an object naming a request), puts the default
 * scheme in front of a line without one, leaves out what --skip-done or
 * --unique say to, and makes bad lines bad_input results.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "doneset.h"
#include "jsonl.h"
#include "lines.h"
#include "reqhdr.h"
#include "schemeless.h"
#include "shard.h"
#include "task.h"
#include "urlset.h"
#include "validators.h"
#include "xmalloc.h"

/* NULL if the line names a request (jsonl's fields in rl), else why not. */
static const char *
task_read_line(const struct task_env *env, const struct line *ln,
    struct request_line *rl)
{
	memset(rl, 0, sizeof *rl);
	if (ln->flags & LINE_HAS_NUL)
		return "line contains a NUL byte";
	if (ln->flags & LINE_TOO_LONG)
		return "line longer than 8192 bytes";
	if (env->cfg->jsonl)
		return jsonl_parse(ln->s, ln->len, rl);
	return NULL;
}

/*
 * --revalidate: the request carries the previous run's validators, after
 * the line's own headers (so they are sent on every hop, and replace any
 * of the same name).
 */
void
task_validate(struct task *t, const struct validator *v)
{
	size_t	i, n = t->req != NULL ? t->req->nheaders : 0;

	t->hdrs = xcalloc(n + 2, sizeof *t->hdrs);
	for (i = 0; i < n; i++)
		t->hdrs[t->nhdrs++] = t->req->headers[i];
	if (v->etag != NULL)
		t->hdrs[t->nhdrs++] = t->cond[0] =
		    reqhdr_line("If-None-Match", v->etag);
	if (v->last_modified != NULL)
		t->hdrs[t->nhdrs++] = t->cond[1] =
		    reqhdr_line("If-Modified-Since", v->last_modified);
	t->validator = *v;
}

/*
 * --shard-by host: whether the line is another shard's; a bad line, with
 * no host, goes by its index.  (By index, the scheduler decided before.)
 */
static int
task_other_shard(const struct task_env *env, uint64_t index, const char *host)
{
	const struct config	*cfg = env->cfg;

	return cfg->shard_by == SHARD_BY_HOST &&
	    !shard_keeps(cfg->shard_k, cfg->shard_n, index, host);
}

/*
 * Whether a line whose URL (as fetched) is u is left out: --skip-done has
 * it as ok, or --unique has seen it already in this run.
 */
static int
task_skips(struct task_env *env, const char *u, size_t len)
{
	if (env->done != NULL && doneset_has(env->done, u, len)) {
		env->skipped++;
		return 1;
	}
	if (env->seen != NULL && !urlset_add(env->seen, u, len)) {
		env->repeats++;
		return 1;
	}
	return 0;
}

/*
 * An input line becomes a task, or NULL when --skip-done, --unique or
 * --shard-by host leaves it out.  A bad line's task is done at once (a bad_input result
 * that never takes a permit); any other waits at the gate once stepped.
 */
struct task *
task_admit(struct task_env *env, uint64_t index, const struct line *ln)
{
	struct request_line	 rl;
	struct validator	 v;
	struct task		*t;
	const char		*bad, *url;
	char			 why[256], *full;
	size_t			 len, flen = 0;

	bad = task_read_line(env, ln, &rl);
	url = rl.url != NULL ? rl.url : ln->s;
	len = rl.url != NULL ? strlen(rl.url) : ln->len;
	full = NULL;
	if (bad == NULL && len > 0)
		bad = schemeless_url(env->cfg->proto_default, url, len, &full,
		    &flen);
	if (bad == NULL && task_skips(env, full != NULL ? full : url,
	    full != NULL ? flen : len)) {
		free(full);
		jsonl_clear(&rl);
		return NULL;
	}
	t = task_new(env, index, url, len, full, &rl);
	if (bad == NULL && env->validators != NULL && validators_get(
	    env->validators, t->fetch_url, strlen(t->fetch_url), &v))
		task_validate(t, &v);
	if (bad == NULL && len == 0)
		bad = "empty URL";
	if (bad == NULL)
		bad = task_target(t, why, sizeof why);
	if (task_other_shard(env, index, bad == NULL ? t->target.host :
	    NULL)) {
		task_free(t);
		return NULL;
	}
	if (bad != NULL)
		task_bad(t, bad);
	return t;
}

