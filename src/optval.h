/*
 * optval.h: an option's row (its type, bounds, default and help) and the
 * setters that turn an argument into the run's configuration.  A setter
 * returns 0 when the value is taken, -1 (its message printed) when it is
 * not, 1 when it has done its whole job (--help, --version).
 */
#ifndef COFETCH_OPTVAL_H
#define COFETCH_OPTVAL_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

enum opt_type {
	OPT_TITLE,		/* not an option: a section of --help */
	OPT_FLAG,		/* sets an int field to value */
	OPT_UINT,		/* a whole number from min to max */
	OPT_BYTES,		/* a byte count, K, M, G or T allowed */
	OPT_SECONDS,		/* seconds, decimals allowed, kept as ms */
	OPT_STRING,		/* a non-empty string, kept as given */
	OPT_FN			/* a setter of its own */
};

struct opt {
	const char	*name;		/* long name */
	int		 letter;	/* short option, or 0 */
	const char	*arg;		/* the argument's name; NULL: none */
	enum opt_type	 type;
	size_t		 field;		/* offsetof(struct config, ...) */
	size_t		 size;		/* ... and its size */
	uint64_t	 min, max;	/* OPT_UINT, OPT_BYTES */
	int		 value;		/* OPT_FLAG */
	int		(*set)(struct config *, const char *);	/* OPT_FN */
	const char	*dflt;		/* the default, parsed like an
					   argument before argv is read */
	const char	*by_default;	/* a default worked out at run time,
					   in words, for --help */
	const char	*values;	/* a closed set, "a|b|c" */
	int		 file;		/* the argument names a file */
	int		 dir;		/* ... or a directory */
	int		 many;		/* may be given more than once */
	int		 optional;	/* the argument may be left out */
	const char	*help;
};

int	optval_set(struct config *, const struct opt *, const char *);
int	optval_shard(struct config *, const char *);
int	optval_shard_by(struct config *, const char *);
int	optval_max_failures(struct config *, const char *);
int	optval_rate(struct config *, const char *);
int	optval_per_host_rate(struct config *, const char *);
int	optval_retry_on(struct config *, const char *);
int	optval_input_format(struct config *, const char *);
int	optval_input(struct config *, const char *);
int	optval_proto_default(struct config *, const char *);
int	optval_with_body(struct config *, const char *);
int	optval_hash(struct config *, const char *);
int	optval_format(struct config *, const char *);
int	optval_verbose(struct config *, const char *);
int	optval_method(struct config *, const char *);
int	optval_user_agent(struct config *, const char *);
int	optval_header(struct config *, const char *);
int	optval_cacert(struct config *, const char *);
int	optval_proxy(struct config *, const char *);
int	optval_resolve(struct config *, const char *);
int	optval_data(struct config *, const char *);
int	optval_deny_addresses(struct config *, const char *);
int	optval_allow_addresses(struct config *, const char *);
int	optval_deny_private(struct config *, const char *);
int	optval_address_policy(struct config *);

#endif
