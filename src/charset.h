/*
 * charset.h: text from a server's charset to UTF-8 (iconv), with labels
 * read the way browsers read them and invalid bytes repaired.
 */
#ifndef COFETCH_CHARSET_H
#define COFETCH_CHARSET_H

#include <stddef.h>

#define CHARSET_NAME_MAX	40

int	 charset_of_content_type(const char *, char *, size_t);
int	 charset_is_utf8(const char *);
char	*charset_to_utf8(const char *, const char *, size_t, size_t *);

#endif
