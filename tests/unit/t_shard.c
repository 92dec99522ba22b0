/*
 * t_shard.c: the shard rules: FNV-1a-64 of the host (the reference
 * vectors, case, brackets), which shard keeps a line, and --shard auto's
 * K and N from each scheduler's variables, wrong values refused.
 */
#include <stdint.h>
#include <string.h>

#include "../../src/shard.h"
#include "unit.h"

/* The environment of a case: "NAME=VALUE" strings, NULL-terminated. */
static const char *
env_lookup(const char *name, void *arg)
{
	const char	**e = arg;
	size_t		  n = strlen(name);

	for (; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* K/N from env, given_n as --shard auto/N gives it; 0/0 when refused. */
static int
auto_is(uint64_t given_n, const char **env, uint64_t k, uint64_t n)
{
	char		msg[1024];
	uint64_t	gk = 0, gn = 0;

	if (shard_auto(env_lookup, env, given_n, &gk, &gn, msg,
	    sizeof msg) != 0)
		return k == 0 && n == 0;
	return gk == k && gn == n;
}

static void
check_hash(void)
{
	CHECK("FNV-1a-64 of \"\" is the offset basis",
	    shard_host_hash("") == 0xcbf29ce484222325ULL);
	CHECK("FNV-1a-64 of \"a\"", shard_host_hash("a") ==
	    0xaf63dc4c8601ec8cULL);
	CHECK("FNV-1a-64 of \"foobar\"", shard_host_hash("foobar") ==
	    0x85944171f73967e8ULL);
	CHECK("the host is lower-cased", shard_host_hash("Example.COM") ==
	    shard_host_hash("example.com"));
	CHECK("example.com", shard_host_hash("example.com") ==
	    0x576846634e2714c6ULL);
	CHECK("an IPv6 address without its brackets",
	    shard_host_hash("[::1]") == 0xa5097b184e5fcbacULL);
}

static void
check_keeps(void)
{
	uint64_t	i, k, kept;
	int		once = 1;

	for (i = 0; i < 100; i++) {
		for (k = 1, kept = 0; k <= 7; k++)
			kept += (uint64_t)shard_keeps(k, 7, i, NULL);
		once &= kept == 1 && shard_keeps(i % 7 + 1, 7, i, NULL);
	}
	CHECK("by index: line i is shard i mod N + 1, and one shard's",
	    once);
	CHECK("by host: the hash mod N + 1",
	    shard_keeps(0x576846634e2714c6ULL % 5 + 1, 5, 3, "example.com") &&
	    !shard_keeps((0x576846634e2714c6ULL + 1) % 5 + 1, 5, 3,
	    "example.com"));
	CHECK("N 0: every line", shard_keeps(0, 0, 12, "x") &&
	    shard_keeps(0, 0, 12, NULL));
}

static void
check_auto(void)
{
	const char	*none[] = { "HOME=/root", NULL };
	const char	*slurm[] = { "SLURM_ARRAY_TASK_ID=2",
	    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_STEP=1",
	    "SLURM_ARRAY_TASK_COUNT=4", NULL };
	const char	*slurm_step[] = { "SLURM_ARRAY_TASK_ID=17",
	    "SLURM_ARRAY_TASK_MIN=5", "SLURM_ARRAY_TASK_STEP=4",
	    "SLURM_ARRAY_TASK_COUNT=5", NULL };
	const char	*slurm_off[] = { "SLURM_ARRAY_TASK_ID=16",
	    "SLURM_ARRAY_TASK_MIN=5", "SLURM_ARRAY_TASK_STEP=4",
	    "SLURM_ARRAY_TASK_COUNT=5", NULL };
	const char	*slurm_nan[] = { "SLURM_ARRAY_TASK_ID=two",
	    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_STEP=1",
	    "SLURM_ARRAY_TASK_COUNT=4", NULL };
	const char	*slurm_no_min[] = { "SLURM_ARRAY_TASK_ID=1",
	    "SLURM_ARRAY_TASK_STEP=1", "SLURM_ARRAY_TASK_COUNT=4", NULL };
	const char	*slurm_over[] = { "SLURM_ARRAY_TASK_ID=4",
	    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_STEP=1",
	    "SLURM_ARRAY_TASK_COUNT=4", NULL };
	const char	*sge[] = { "SGE_TASK_ID=7", "SGE_TASK_FIRST=1",
	    "SGE_TASK_LAST=10", "SGE_TASK_STEPSIZE=3", NULL };
	const char	*sge_none[] = { "SGE_TASK_ID=undefined",
	    "SGE_TASK_FIRST=undefined", "SGE_TASK_LAST=undefined",
	    "SGE_TASK_STEPSIZE=undefined", NULL };
	const char	*gitlab[] = { "CI_NODE_INDEX=3", "CI_NODE_TOTAL=5",
	    NULL };
	const char	*gitlab_zero[] = { "CI_NODE_INDEX=0", "CI_NODE_TOTAL=5",
	    NULL };
	const char	*k8s[] = { "JOB_COMPLETION_INDEX=0", NULL };
	const char	*aws[] = { "AWS_BATCH_JOB_ARRAY_INDEX=9", NULL };
	const char	*both[] = { "JOB_COMPLETION_INDEX=1",
	    "CI_NODE_INDEX=2", "CI_NODE_TOTAL=2", NULL };
	char		 msg[1024];
	uint64_t	 k, n;

	CHECK("Slurm: task 2 of 0-3 is 3/4", auto_is(0, slurm, 3, 4));
	CHECK("Slurm: task 17 of 5-21:4 is 4/5", auto_is(0, slurm_step, 4, 5));
	CHECK("Slurm: a task off the step is refused",
	    auto_is(0, slurm_off, 0, 0));
	CHECK("Slurm: a word for a number is refused",
	    auto_is(0, slurm_nan, 0, 0));
	CHECK("Slurm: _MIN missing is refused", auto_is(0, slurm_no_min, 0, 0));
	CHECK("Slurm: K > N is refused", auto_is(0, slurm_over, 0, 0));
	CHECK("Slurm with auto/N: the same N agrees", auto_is(4, slurm, 3, 4));
	CHECK("Slurm with auto/N: another N is refused",
	    auto_is(8, slurm, 0, 0));
	CHECK("Grid Engine: task 7 of 1-10:3 is 3/4", auto_is(0, sge, 3, 4));
	CHECK("Grid Engine: \"undefined\" (no array) is not found",
	    auto_is(0, sge_none, 0, 0));
	CHECK("GitLab: CI_NODE_INDEX is K", auto_is(0, gitlab, 3, 5));
	CHECK("GitLab: index 0 is refused", auto_is(0, gitlab_zero, 0, 0));
	CHECK("Kubernetes: no count without auto/N", auto_is(0, k8s, 0, 0));
	CHECK("Kubernetes: index 0 of auto/3 is 1/3", auto_is(3, k8s, 1, 3));
	CHECK("AWS Batch: index 9 of auto/10 is 10/10",
	    auto_is(10, aws, 10, 10));
	CHECK("AWS Batch: index 9 of auto/9 is refused",
	    auto_is(9, aws, 0, 0));
	CHECK("GitLab comes before Kubernetes", auto_is(2, both, 2, 2));
	CHECK("nothing set is refused", auto_is(0, none, 0, 0) &&
	    auto_is(4, none, 0, 0));
	shard_auto(env_lookup, none, 0, &k, &n, msg, sizeof msg);
	CHECK("the refusal names every variable looked for",
	    strstr(msg, "SLURM_ARRAY_TASK_ID") != NULL &&
	    strstr(msg, "SGE_TASK_STEPSIZE") != NULL &&
	    strstr(msg, "CI_NODE_TOTAL") != NULL &&
	    strstr(msg, "JOB_COMPLETION_INDEX") != NULL &&
	    strstr(msg, "AWS_BATCH_JOB_ARRAY_INDEX") != NULL);
	shard_auto(env_lookup, slurm, 0, &k, &n, msg, sizeof msg);
	CHECK("what was used is said", strcmp(msg, "shard 3/4 from Slurm: "
	    "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 "
	    "SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=4") == 0);
}

int
main(void)
{
	check_hash();
	check_keeps();
	check_auto();
	return unit_done("t_shard");
}
