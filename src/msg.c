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
static int msg_status_shown;	/* a status line is on the screen */

/* Erases the status line from the start of the terminal's line. */
#define MSG_ERASE	"\r\033[K"

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
static void msg_write(const char *, va_list)
    __attribute__((format(printf, 1, 0)));

static void
msg_write(const char *fmt, va_list ap)
{
	char	line[1024];
	int	n;
	size_t	len;

	n = snprintf(line, sizeof line, "%scofetch: ",
	    msg_status_shown ? MSG_ERASE : "");
	msg_status_shown = 0;
	n += vsnprintf(line + n, sizeof line - n, fmt, ap);
	len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

/*
 * Draws text as the status line (a progress line) in place of the last
 * one, without a newline; NULL erases it.  A message erases it first, and
 * the next call draws it again below.
 */
void
msg_status(const char *text)
{
	char	line[256];
	int	n;

	if (text == NULL && !msg_status_shown)
		return;
	n = snprintf(line, sizeof line, "%s%s", MSG_ERASE,
	    text != NULL ? text : "");
	if (n >= (int)sizeof line)
		n = sizeof line - 1;
	msg_status_shown = text != NULL;
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
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
