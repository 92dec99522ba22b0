/*
 * jsoncheck.c: checks that a line is one JSON object (RFC 8259's grammar;
 * UTF-8 is not checked, the bytes are only copied) and reads one
 * top-level member as a whole number, in a single pass that allocates
 * nothing: one explicit stack of the open containers, a bit each.
 */
#include "config.h"

#include <string.h>

#include "jsoncheck.h"

enum jc_want {
	JC_VALUE,		/* a value starts here */
	JC_MEMBER,		/* an object member's name */
	JC_AFTER		/* a value ended: ',', or its container's end */
};

struct jc {
	const char	*p, *end;
	size_t		 depth;		/* containers open */
	unsigned char	 array[JSONCHECK_DEPTH_MAX / 8]; /* 1: array */
	int		 keyed;		/* the next value is the member's */
	int		 found;		/* JC_FOUND_*: what the value was */
	uint64_t	 value;
};

static int
jc_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
jc_hex(char c)
{
	return jc_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *
jc_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at an escape's backslash: after the escape, or NULL. */
static const char *
jc_escape(const char *p, const char *end)
{
	int	i;

	if (++p == end)
		return NULL;
	if (*p != '\0' && strchr("\"\\/bfnrt", *p) != NULL)
		return p + 1;
	if (*p != 'u' || end - p < 5)
		return NULL;
	for (i = 1; i <= 4; i++)
		if (!jc_hex(p[i]))
			return NULL;
	return p + 5;
}

/*
 * Whether any of the 8 bytes in w is a quote, a backslash or a control
 * character: the bytes a string's scan must stop at.  Each test is the
 * classic "has a zero byte" trick, (x - 0x01..) & ~x & 0x80.., on w
 * xored with the byte, and "has a byte below 0x20" on w itself.
 */
static int
jc_word_stops(uint64_t w)
{
	const uint64_t	ones = 0x0101010101010101ULL;
	const uint64_t	highs = 0x8080808080808080ULL;
	uint64_t	q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return ((((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((w - ones * 0x20) & ~w)) & highs) != 0;
}

/*
 * p at the opening quote: after the closing one, or NULL.  Inline: a
 * record's strings are short, and a call for each would be much of the
 * scan.
 */
static inline const char *
jc_string(const char *p, const char *end)
{
	unsigned char	c;
	uint64_t	w;

	p++;
	while (p < end) {
		/* Plain bytes a word at a time: most of a line is strings. */
		while (end - p >= 8) {
			memcpy(&w, p, 8);
			if (jc_word_stops(w))
				break;
			p += 8;
		}
		if (p == end)
			break;
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			p++;
		else if ((p = jc_escape(p, end)) == NULL)
			return NULL;
	}
	return NULL;
}

static const char *
jc_digits(const char *p, const char *end)
{
	if (p == end || !jc_digit(*p))
		return NULL;
	while (p < end && jc_digit(*p))
		p++;
	return p;
}

/* A number; *whole when it is a non-negative integer that fits in *v. */
static const char *
jc_number(const char *p, const char *end, int *whole, uint64_t *v)
{
	uint64_t	n = 0, d;
	int		fits = 1, neg = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end || !jc_digit(*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		for (; p < end && jc_digit(*p); p++) {
			d = (uint64_t)(*p - '0');
			if (n > (UINT64_MAX - d) / 10)
				fits = 0;
			n = n * 10 + d;
		}
	*whole = !neg && fits;
	*v = n;
	if (p < end && *p == '.') {
		*whole = 0;
		if ((p = jc_digits(p + 1, end)) == NULL)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*whole = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		p = jc_digits(p, end);
	}
	return p;
}

static const char *
jc_literal(const char *p, const char *end)
{
	const char	*word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
	size_t		 n = *p == 'f' ? 5 : 4;

	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return NULL;
	return p + n;
}

static int
jc_in_array(const struct jc *j)
{
	return (j->array[(j->depth - 1) / 8] >> ((j->depth - 1) % 8)) & 1;
}

/* Opens an object or array; the next thing wanted, or -1 too deep. */
static int
jc_open(struct jc *j, int array)
{
	unsigned char	bit;
	char		close = array ? ']' : '}';

	if (j->depth == JSONCHECK_DEPTH_MAX)
		return -1;
	bit = (unsigned char)(1u << (j->depth % 8));
	if (array)
		j->array[j->depth / 8] |= bit;
	else
		j->array[j->depth / 8] &= (unsigned char)~bit;
	j->depth++;
	j->p = jc_space(j->p + 1, j->end);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return JC_AFTER;
	}
	return array ? JC_VALUE : JC_MEMBER;
}

/* What the member's value was, once seen. */
enum {
	JC_FOUND_NONE,
	JC_FOUND_WHOLE,		/* a whole number, in value */
	JC_FOUND_TRUE,
	JC_FOUND_OTHER
};

/* The member's value, when this is it: noted, the first time only. */
static void
jc_note(struct jc *j, int found, uint64_t v)
{
	if (!j->keyed)
		return;
	j->keyed = 0;
	j->found = found;
	j->value = v;
}

/* A value at j->p: the next thing wanted, or -1 not JSON. */
static int
jc_value(struct jc *j)
{
	uint64_t	v = 0;
	int		whole = 0;

	switch (*j->p) {
	case '{':
	case '[':
		jc_note(j, JC_FOUND_OTHER, 0);
		return jc_open(j, *j->p == '[');
	case '"':
		j->p = jc_string(j->p, j->end);
		break;
	case 't':
	case 'f':
	case 'n':
		jc_note(j, *j->p == 't' ? JC_FOUND_TRUE : JC_FOUND_OTHER, 0);
		j->p = jc_literal(j->p, j->end);
		break;
	default:
		j->p = jc_number(j->p, j->end, &whole, &v);
		jc_note(j, whole ? JC_FOUND_WHOLE : JC_FOUND_OTHER, v);
		break;
	}
	jc_note(j, JC_FOUND_OTHER, 0);
	return j->p == NULL ? -1 : JC_AFTER;
}

/* A member's name and its colon: JC_VALUE, or -1. */
static int
jc_member(struct jc *j, const char *key, size_t keylen)
{
	const char	*name = j->p + 1;

	if (*j->p != '"' || (j->p = jc_string(j->p, j->end)) == NULL)
		return -1;
	if (j->depth == 1 && j->found == JC_FOUND_NONE &&
	    (size_t)(j->p - 1 - name) == keylen &&
	    memcmp(name, key, keylen) == 0)
		j->keyed = 1;
	j->p = jc_space(j->p, j->end);
	if (j->p == j->end || *j->p != ':')
		return -1;
	j->p++;
	return JC_VALUE;
}

/* After a value: a comma, or the end of the container it is in. */
static int
jc_after(struct jc *j)
{
	if (j->depth == 0)
		return -1;		/* something after the object */
	if (*j->p == ',') {
		j->p++;
		return jc_in_array(j) ? JC_VALUE : JC_MEMBER;
	}
	if (*j->p != (jc_in_array(j) ? ']' : '}'))
		return -1;
	j->p++;
	j->depth--;
	return JC_AFTER;
}

/* Scans s[0..len): 0 when it is one JSON object, key's value in j. */
static int
jc_scan(struct jc *j0, const char *s, size_t len, const char *key)
{
	struct jc	j;
	size_t		keylen = strlen(key);
	int		want = JC_VALUE;

	/* Not the stack: a bit is set as its level opens. */
	j.depth = 0;
	j.keyed = 0;
	j.found = 0;
	j.value = 0;
	j.end = s + len;
	j.p = jc_space(s, j.end);
	if (j.p == j.end || *j.p != '{')
		return -1;
	for (;;) {
		j.p = jc_space(j.p, j.end);
		if (j.p == j.end)
			break;
		switch (want) {
		case JC_VALUE:
			want = jc_value(&j);
			break;
		case JC_MEMBER:
			want = jc_member(&j, key, keylen);
			break;
		default:
			want = jc_after(&j);
			break;
		}
		if (want < 0)
			return -1;
	}
	if (want != JC_AFTER || j.depth != 0)
		return -1;
	j0->found = j.found;
	j0->value = j.value;
	return 0;
}

/*
 * Whether s[0..len) is one JSON object, white space around it allowed,
 * whose top-level member key (the first, if named twice) is a whole
 * number, put in *value.
 */
enum jsoncheck
jsoncheck_object(const char *s, size_t len, const char *key,
    uint64_t *value)
{
	struct jc	j;

	if (jc_scan(&j, s, len, key) != 0)
		return JSONCHECK_NOT_OBJECT;
	if (j.found != JC_FOUND_WHOLE)
		return JSONCHECK_NO_MEMBER;
	*value = j.value;
	return JSONCHECK_OK;
}

/* Whether s[0..len), one JSON object, has the top-level member key true. */
int
jsoncheck_true(const char *s, size_t len, const char *key)
{
	struct jc	j;

	return jc_scan(&j, s, len, key) == 0 && j.found == JC_FOUND_TRUE;
}
