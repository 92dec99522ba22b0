/*
 * opts.h: the command-line parser that fills the run's configuration
 * (conf.h) from one option table (which also writes --help).
 */
#ifndef COFETCH_OPTS_H
#define COFETCH_OPTS_H

#include "conf.h"

enum opts_status {
	OPTS_RUN,			/* go on and fetch */
	OPTS_DONE,			/* --help or --version printed */
	OPTS_USAGE			/* bad usage, message printed */
};

enum opts_status	opts_parse(struct config *, int, char **);
void			opts_free(struct config *);

#endif
