/*
 * complete.h: shell completion scripts (bash, zsh, fish) made from the
 * option table, so a new option completes without anyone remembering to.
 */
#ifndef COFETCH_COMPLETE_H
#define COFETCH_COMPLETE_H

#include <stddef.h>

struct opt;

int	complete_script(const struct opt *, size_t, const char *);

#endif
