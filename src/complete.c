/*
 * complete.c: --completion bash|zsh|fish.  Each script is written from
 * the option table: every long and short name, its help as the
 * description, its closed set of values (-f, --input-format, ...) and
 * file or directory completion where the argument names one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "complete.h"
#include "optval.h"

/* s with each byte of special escaped by a backslash, and ' as '\'' . */
static void
complete_quoted(const char *s, const char *special)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else {
			if (strchr(special, *s) != NULL)
				putchar('\\');
			putchar(*s);
		}
	}
}

/* The values of a closed set, "a|b|c", as "a b c". */
static void
complete_values(const char *v)
{
	for (; *v != '\0'; v++)
		putchar(*v == '|' ? ' ' : *v);
}

static void
complete_bash_names(const struct opt *o)
{
	if (o->letter != 0)
		printf("-%c|", o->letter);
	printf("--%s", o->name);
}

static void
complete_bash(const struct opt *rows, size_t n)
{
	const char	*sep;
	size_t		 i;

	printf("# bash completion for cofetch, made by cofetch --completion "
	    "bash\n_cofetch()\n{\n\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tlocal prev=${COMP_WORDS[COMP_CWORD-1]}\n\n\tcase $prev in\n");
	for (i = 0; i < n; i++) {
		if (rows[i].type == OPT_TITLE || rows[i].arg == NULL ||
		    rows[i].optional)
			continue;
		putchar('\t');
		complete_bash_names(&rows[i]);
		if (rows[i].values != NULL) {
			printf(")\n\t\tCOMPREPLY=($(compgen -W '");
			complete_values(rows[i].values);
			printf("' -- \"$cur\"))\n\t\treturn ;;\n");
		} else if (rows[i].file || rows[i].dir)
			printf(")\n\t\tCOMPREPLY=($(compgen -%c -- \"$cur\"))\n"
			    "\t\treturn ;;\n", rows[i].dir ? 'd' : 'f');
		else
			printf(")\n\t\tCOMPREPLY=()\n\t\treturn ;;\n");
	}
	printf("\tesac\n\tcase $cur in\n\t-*)\n\t\tCOMPREPLY=($(compgen -W '");
	for (i = 0, sep = ""; i < n; i++)
		if (rows[i].type != OPT_TITLE) {
			printf("%s--%s", sep, rows[i].name);
			sep = " ";
		}
	printf("' -- \"$cur\"))\n\t\t;;\n\tesac\n}\n"
	    "complete -F _cofetch cofetch\n");
}

static void
complete_zsh_option(const struct opt *o)
{
	printf("  '%s", o->many ? "*" : "");
	if (o->letter != 0)
		printf("(-%c --%s)'{-%c%s,--%s%s}'", o->letter, o->name,
		    o->letter, o->arg ? "+" : "", o->name, o->arg ? "=" : "");
	else
		printf("--%s%s", o->name, o->arg == NULL ? "" : o->optional ?
		    "=-" : "=");
	putchar('[');
	complete_quoted(o->help, "[]\\:");
	putchar(']');
	if (o->arg != NULL) {
		putchar(':');
		complete_quoted(o->arg, "[]\\:()");
		putchar(':');
		if (o->values != NULL) {
			putchar('(');
			complete_values(o->values);
			putchar(')');
		} else if (o->file)
			fputs("_files", stdout);
		else if (o->dir)
			fputs("_files -/", stdout);
		else
			putchar(' ');
	}
	fputs("' \\\n", stdout);
}

static void
complete_zsh(const struct opt *rows, size_t n)
{
	size_t	i;

	printf("#compdef cofetch\n# zsh completion for cofetch, made by "
	    "cofetch --completion zsh\n_arguments -s -S \\\n");
	for (i = 0; i < n; i++)
		if (rows[i].type != OPT_TITLE)
			complete_zsh_option(&rows[i]);
	printf("  '*:URL:_urls'\n");
}

/* fish's single quotes take \' and \\ only. */
static void
complete_fish_quoted(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

static void
complete_fish(const struct opt *rows, size_t n)
{
	const struct opt	*o;
	size_t			 i;

	printf("# fish completion for cofetch, made by cofetch --completion "
	    "fish\ncomplete -c cofetch -f\n");
	for (i = 0; i < n; i++) {
		o = &rows[i];
		if (o->type == OPT_TITLE)
			continue;
		printf("complete -c cofetch");
		if (o->letter != 0)
			printf(" -s %c", o->letter);
		printf(" -l %s", o->name);
		if (o->optional)
			;	/* fish has no optional argument: a flag */
		else if (o->values != NULL) {
			printf(" -x -a '");
			complete_values(o->values);
			putchar('\'');
		} else if (o->file || o->dir)
			printf(" -r -F");
		else if (o->arg != NULL)
			printf(" -x");
		printf(" -d '");
		complete_fish_quoted(o->help);
		printf("'\n");
	}
}

/* 0 when the script for shell was written, -1 for a shell unknown. */
int
complete_script(const struct opt *rows, size_t n, const char *shell)
{
	if (strcmp(shell, "bash") == 0)
		complete_bash(rows, n);
	else if (strcmp(shell, "zsh") == 0)
		complete_zsh(rows, n);
	else if (strcmp(shell, "fish") == 0)
		complete_fish(rows, n);
	else
		return -1;
	return 0;
}
