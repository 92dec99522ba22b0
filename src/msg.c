/*
 * msg.c: warnings, debug lines and fatal errors on standard error.  Owns
 * the verbosity level; never writes to standard output.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "msg.h"

static int msg_level;

void
msg_set_verbose(int level)
{
	msg_level = level;
}

int
msg_verbose(void)
{
	return msg_level;
}

/* One write per message: stderr may be shared with other processes. */
static void
msg_write(const char *fmt, va_list ap)
{
	char	line[1024];
	int	n;
	size_t	len;

	n = snprintf(line, sizeof line, "cofetch: ");
	n += vsnprintf(line + n, sizeof line - n, fmt, ap);
	len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

void
msg_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	msg_write(fmt, ap);
	va_end(ap);
}

void
msg_debug(const char *fmt, ...)
{
	va_list	ap;

	if (msg_level < 1)
		return;
	va_start(ap, fmt);
	msg_write(fmt, ap);
	va_end(ap);
}

void
msg_fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	msg_write(fmt, ap);
	va_end(ap);
	abort();
}
