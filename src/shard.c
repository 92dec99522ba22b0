/*
 * shard.c: the shard rules.  By index, line i is shard (i mod N) + 1; by
 * host, shard (FNV-1a-64 of its host mod N) + 1, so every URL of a host
 * goes to one shard.  --shard auto reads K and N from the variables a
 * job-array scheduler exports for each of its tasks.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "shard.h"

/*
 * What a scheduler exports: the task's number; the array's first number
 * and step (NULL: first is base, step 1, as with a 0- or 1-based index);
 * and its size, as a count or as the last task's number (NULL: the
 * scheduler says none, --shard auto/N must).
 */
struct shard_sched {
	const char	*name;
	const char	*id;
	const char	*first;
	const char	*step;
	const char	*total;
	int		 total_is_last;
	uint64_t	 base;
};

static const struct shard_sched shard_scheds[] = {
	{ "Slurm", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN",
	    "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT", 0, 0 },
	{ "Grid Engine", "SGE_TASK_ID", "SGE_TASK_FIRST", "SGE_TASK_STEPSIZE",
	    "SGE_TASK_LAST", 1, 0 },
	{ "GitLab CI", "CI_NODE_INDEX", NULL, NULL, "CI_NODE_TOTAL", 0, 1 },
	{ "Kubernetes", "JOB_COMPLETION_INDEX", NULL, NULL, NULL, 0, 0 },
	{ "AWS Batch", "AWS_BATCH_JOB_ARRAY_INDEX", NULL, NULL, NULL, 0, 0 },
};
#define SHARD_SCHEDS	(sizeof shard_scheds / sizeof shard_scheds[0])

/* Where a message is built: msg[len], written up to *off. */
struct shard_text {
	char	*s;
	size_t	 size;
	size_t	 off;
};

static void	shard_say(struct shard_text *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
shard_say(struct shard_text *t, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (t->off >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->off, t->size - t->off, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->off += (size_t)n;
}

uint64_t
shard_host_hash(const char *host)
{
	size_t		len = strlen(host), i;
	uint64_t	h = HASH_SEED;
	unsigned char	c;

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)host[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = hash_bytes(h, &c, 1);
	}
	return h;
}

/*
 * Whether shard k of n keeps line index: by its host, or by its index
 * when host is NULL (--shard-by index, or a line with no host).
 */
int
shard_keeps(uint64_t k, uint64_t n, uint64_t index, const char *host)
{
	if (n == 0)
		return 1;
	if (host == NULL)
		return index % n == k - 1;
	return shard_host_hash(host) % n == k - 1;
}

/*
 * A variable's value; unset, empty and Grid Engine's "undefined" (a job
 * that is not an array) are all NULL.
 */
static const char *
shard_var(shard_lookup_fn *get, void *arg, const char *name)
{
	const char	*v;

	if (name == NULL || (v = get(name, arg)) == NULL || v[0] == '\0' ||
	    strcmp(v, "undefined") == 0)
		return NULL;
	return v;
}

/* A companion variable, required once the task's number is set. */
static int
shard_number(shard_lookup_fn *get, void *arg, const char *name,
    uint64_t *v, struct shard_text *used, struct shard_text *why)
{
	const char		*s = shard_var(get, arg, name);
	char			*end;
	unsigned long long	 n;

	if (s == NULL) {
		shard_say(why, "%s is not set", name);
		return -1;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0) {
		shard_say(why, "%s='%s' is not a whole number", name, s);
		return -1;
	}
	*v = n;
	shard_say(used, " %s=%s", name, s);
	return 0;
}

/* The array's size: the scheduler's, which must agree with a given n. */
static int
shard_total(shard_lookup_fn *get, void *arg, const struct shard_sched *sc,
    uint64_t first, uint64_t step, uint64_t given_n, uint64_t *n,
    struct shard_text *used, struct shard_text *why)
{
	uint64_t	v;

	*n = given_n;
	if (sc->total == NULL || (given_n > 0 &&
	    shard_var(get, arg, sc->total) == NULL))
		return 0;
	if (shard_number(get, arg, sc->total, &v, used, why) != 0)
		return -1;
	if (sc->total_is_last) {
		if (v < first) {
			shard_say(why, "%s=%llu is below %s=%llu", sc->total,
			    (unsigned long long)v, sc->first,
			    (unsigned long long)first);
			return -1;
		}
		v = (v - first) / step + 1;
	}
	if (given_n > 0 && v != given_n) {
		shard_say(why, "%s makes %llu tasks, not %llu", sc->total,
		    (unsigned long long)v, (unsigned long long)given_n);
		return -1;
	}
	*n = v;
	return 0;
}

/* K and N from the variables of scheduler sc, whose task number is set. */
static int
shard_from(shard_lookup_fn *get, void *arg, const struct shard_sched *sc,
    uint64_t given_n, uint64_t *k, uint64_t *n, struct shard_text *out)
{
	char			 used_s[512];
	struct shard_text	 used = { used_s, sizeof used_s, 0 };
	uint64_t		 id, first = sc->base, step = 1;

	used_s[0] = '\0';
	if (sc->total == NULL && given_n == 0) {
		shard_say(out, "%s (%s) gives no count of tasks: use "
		    "--shard auto/N", sc->id, sc->name);
		return -1;
	}
	if (shard_number(get, arg, sc->id, &id, &used, out) != 0 ||
	    (sc->first != NULL && shard_number(get, arg, sc->first, &first,
	    &used, out) != 0) ||
	    (sc->step != NULL && shard_number(get, arg, sc->step, &step,
	    &used, out) != 0))
		return -1;
	if (step == 0 || id < first || (id - first) % step != 0) {
		shard_say(out, "%s=%llu is not a task of an array from %llu in "
		    "steps of %llu", sc->id, (unsigned long long)id,
		    (unsigned long long)first, (unsigned long long)step);
		return -1;
	}
	*k = (id - first) / step + 1;
	if (shard_total(get, arg, sc, first, step, given_n, n, &used, out) != 0)
		return -1;
	if (*n == 0 || *k > *n) {
		shard_say(out, "%s=%llu makes shard %llu of %llu", sc->id,
		    (unsigned long long)id, (unsigned long long)*k,
		    (unsigned long long)*n);
		return -1;
	}
	shard_say(out, "shard %llu/%llu from %s:%s", (unsigned long long)*k,
	    (unsigned long long)*n, sc->name, used_s);
	return 0;
}

/* None found: every variable that was looked for. */
static void
shard_looked_for(uint64_t given_n, struct shard_text *out)
{
	const struct shard_sched	*sc;
	const char			*sep = "";
	size_t				 i;

	shard_say(out, "no job-array task in the environment (looked for ");
	for (i = 0; i < SHARD_SCHEDS; i++) {
		sc = &shard_scheds[i];
		if (sc->total == NULL && given_n == 0)
			continue;
		shard_say(out, "%s%s", sep, sc->id);
		if (sc->first != NULL)
			shard_say(out, ", %s, %s", sc->first, sc->step);
		if (sc->total != NULL && given_n == 0)
			shard_say(out, ", %s", sc->total);
		sep = "; ";
	}
	if (given_n == 0) {
		shard_say(out, "; and, with --shard auto/N, ");
		sep = "";
		for (i = 0; i < SHARD_SCHEDS; i++)
			if (shard_scheds[i].total == NULL) {
				shard_say(out, "%s%s", sep, shard_scheds[i].id);
				sep = ", ";
			}
	}
	shard_say(out, ")");
}

/*
 * --shard auto (given_n 0) or auto/N: K and N from the first scheduler
 * whose task number is set.  0 with msg saying where they came from, or
 * -1 with msg saying why not.
 */
int
shard_auto(shard_lookup_fn *get, void *arg, uint64_t given_n, uint64_t *k,
    uint64_t *n, char *msg, size_t size)
{
	struct shard_text	out = { msg, size, 0 };
	size_t			i;

	msg[0] = '\0';
	for (i = 0; i < SHARD_SCHEDS; i++)
		if (shard_var(get, arg, shard_scheds[i].id) != NULL)
			return shard_from(get, arg, &shard_scheds[i], given_n,
			    k, n, &out);
	shard_looked_for(given_n, &out);
	return -1;
}
