/*
 * usage.h: what cofetch says about its options, made from the option
 * table: --help.
 */
#ifndef COFETCH_USAGE_H
#define COFETCH_USAGE_H

#include <stddef.h>

struct opt;

void	usage_help(const struct opt *, size_t);

#endif
