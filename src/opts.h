/*
 * opts.h: the option table and the command-line parser that fills the
 * run's configuration (conf.h) from it.  One row per option carries its
 * type, bounds and default, so parsing, checking, --help (usage.c) and
 * the defaults themselves come from the same place.
 */
#ifndef COFETCH_OPTS_H
#define COFETCH_OPTS_H

#include <stddef.h>

#include "conf.h"
#include "optval.h"

enum opts_status {
	OPTS_RUN,			/* go on and fetch */
	OPTS_DONE,			/* --help or --version printed */
	OPTS_USAGE			/* bad usage, message printed */
};

const struct opt	*opts_rows(size_t *);
enum opts_status	 opts_parse(struct config *, int, char **);
void			 opts_free(struct config *);

#endif
