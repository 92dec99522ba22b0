/*
 * t_preview.c: the line collector: blank lines skipped, CRLF trimmed,
 * done as soon as N lines are in, the same however the body is split,
 * long lines cut, a last line without a newline kept at the end.
 */
#include <stdlib.h>

#include "../../src/preview.h"
#include "unit.h"

/* Feeds body in pieces of step bytes; the kept lines, '|' separated. */
static int
collect(const char *body, size_t len, size_t want, size_t step, char *out,
    size_t outlen, int *done)
{
	struct preview	p;
	size_t		off = 0, n, i;

	preview_init(&p, want);
	*done = 0;
	while (off < len && !*done) {
		n = len - off < step ? len - off : step;
		*done = preview_feed(&p, body + off, n);
		off += n;
	}
	if (!*done)
		preview_end(&p);
	for (i = 0; i < p.lines.len && i < outlen - 1; i++)
		out[i] = p.lines.data[i] == '\n' ? '|' : p.lines.data[i];
	out[i] = '\0';
	n = p.have;
	preview_free(&p);
	return (int)n;
}

static int
same_for_all_steps(const char *body, size_t want, const char *expect)
{
	static const size_t	steps[] = { 1, 2, 3, 7, 4096 };
	char			out[8192];
	size_t			i;
	int			done;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		collect(body, strlen(body), want, steps[i], out, sizeof out,
		    &done);
		if (strcmp(out, expect) != 0) {
			printf("# step %zu: %s\n", steps[i], out);
			return 0;
		}
	}
	return 1;
}

int
main(void)
{
	char	big[3 * PREVIEW_LINE_MAX], out[16384];
	int	done, have;

	CHECK("three lines", same_for_all_steps("a\nb\nc\nd\n", 3, "a|b|c|"));
	CHECK("blank lines skipped", same_for_all_steps("\n \n\t\na\n\n b\n",
	    5, "a| b|"));
	CHECK("CRLF trimmed", same_for_all_steps("a\r\nb\r\n", 2, "a|b|"));
	CHECK("last line without newline", same_for_all_steps("a\nlast", 5,
	    "a|last|"));
	have = collect("a\nb\nc\nd\n", 8, 2, 1, out, sizeof out, &done);
	CHECK("done as soon as N are in", done && have == 2);
	have = collect("a\nb", 3, 5, 3, out, sizeof out, &done);
	CHECK("not done on a short body", !done && have == 2);

	memset(big, 'x', sizeof big - 2);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	have = collect(big, strlen(big), 1, 1000, out, sizeof out, &done);
	CHECK("a long line is cut", done && have == 1 &&
	    strlen(out) == PREVIEW_LINE_MAX + 1);
	return unit_done("t_preview");
}
