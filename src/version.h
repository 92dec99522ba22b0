/*
 * version.h: what cofetch is and what it runs on, for --version.
 */
#ifndef COFETCH_VERSION_H
#define COFETCH_VERSION_H

void	version_print(void);

#endif
