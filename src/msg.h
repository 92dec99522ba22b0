/*
 * msg.h: messages to standard error, each one line with the "cofetch: "
 * prefix, written with a single write(2) so lines never interleave.
 */
#ifndef COFETCH_MSG_H
#define COFETCH_MSG_H

void	msg_set_verbose(int);
int	msg_verbose(void);
void	msg_status(const char *);
void	msg_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	msg_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	msg_fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
