/*
 * usage.c: --help, written from the option table: each option's line,
 * its help and its default, wrapped to 80 columns.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "optval.h"
#include "usage.h"

#define USAGE_COL	28	/* where the help text starts */

/* Prints text from column col, wrapped before column 80. */
static size_t
usage_wrap(const char *text, size_t col)
{
	const char	*word = text, *end;
	size_t		 len;

	while (*word != '\0') {
		end = strchr(word, ' ');
		len = end ? (size_t)(end - word) : strlen(word);
		if (col > USAGE_COL && col + 1 + len > 79) {
			printf("\n%*s", USAGE_COL, "");
			col = USAGE_COL;
		} else if (col > USAGE_COL) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)len, word);
		col += len;
		word += len;
		while (*word == ' ')
			word++;
	}
	return col;
}

static void
usage_option(const struct opt *o)
{
	char	left[64], dflt[128];
	size_t	col;
	int	n;

	snprintf(left, sizeof left, "%c%c%c --%s%s%s%s",
	    o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
	    o->letter ? ',' : ' ', o->name, o->arg == NULL ? "" :
	    o->optional ? "[=" : " ", o->arg ? o->arg : "",
	    o->optional ? "]" : "");
	n = printf("  %-25s", left);
	if (n > USAGE_COL - 1) {
		printf("\n%*s", USAGE_COL, "");
		n = USAGE_COL;
	} else
		n = printf(" ") + n;
	col = usage_wrap(o->help, (size_t)n);
	dflt[0] = '\0';
	if (o->dflt != NULL)
		snprintf(dflt, sizeof dflt, "(default %s)", o->dflt);
	else if (o->by_default != NULL)
		snprintf(dflt, sizeof dflt, "(by default %s)", o->by_default);
	if (dflt[0] != '\0')
		usage_wrap(dflt, col);
	putchar('\n');
}

/* The option table is the caller's: n rows. */
void
usage_help(const struct opt *rows, size_t n)
{
	size_t	i;

	printf("Usage: cofetch [OPTIONS] [URL ...]\n"
	    "Fetch many URLs at once: one result line per URL.\n"
	    "URLs come from the arguments, then from each -i source; with "
	    "neither,\nfrom standard input.\n");
	for (i = 0; i < n; i++) {
		if (rows[i].type == OPT_TITLE)
			printf("\n%s\n", rows[i].help);
		else
			usage_option(&rows[i]);
	}
	printf("\nExit status: 0 all ok, 1 some failed, 2 usage error, "
	    "130/143 interrupted,\n141 standard output closed. "
	    "See cofetch(1).\n");
}
