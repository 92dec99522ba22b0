#!/bin/bash
# t-layers.sh: src/ keeps its layers (src/LAYERS): every file is in one,
# includes only its own layer's headers or lower ones, no modules include
# each other around a cycle, and no source file grows past 600 lines.
# The same checks run on a copy of src/ with an upward include and a
# cycle planted, which they must find.
. "$(dirname "$0")/lib.sh"
top=${SRCDIR:-$(dirname "$0")/..}

# scan DIR: one line per fault of DIR against DIR/LAYERS: "unlisted M",
# "upward FILE H", "cycle ..." (tsort's words).
scan() {
	local dir=$1 f m h
	: >"$TMP/edges"
	for f in "$dir"/*.c "$dir"/*.h; do
		m=$(basename "$f")
		m=${m%.*}
		[ "$m" = config ] && continue
		sed -n 's/^#include "\([a-z0-9_]*\)\.h".*/\1/p' "$f" |
		    grep -vx config | while read -r h; do
			[ "$h" != "$m" ] && echo "$h $m"
		done >>"$TMP/edges"
		echo "$m $m" >>"$TMP/edges"
	done
	awk -v file="$dir/LAYERS" '
	    BEGIN {
		while ((getline line < file) > 0) {
			if (line ~ /^#/ || line !~ /:/)
				continue
			n = split(line, w, /[ \t]+/)
			name = w[1]; sub(/:$/, "", name)
			if (!(name in rank))
				rank[name] = nr++
			for (i = 2; i <= n; i++)
				layer[w[i]] = rank[name]
		}
	    }
	    {
		for (i = 1; i <= 2; i++)
			if (!($i in layer) && !seen[$i]++)
				print "unlisted " $i
		if (($1 in layer) && ($2 in layer) && layer[$1] > layer[$2])
			print "upward " $2 " includes " $1 ".h"
	    }' "$TMP/edges"
	sort -u "$TMP/edges" | tsort 2>&1 >/dev/null | sed 's/^/cycle /'
}

check_eq "src/ keeps its layers, with no include cycle" "" "$(scan "$top/src")"

long=
for f in "$top"/src/*.c; do
	n=$(wc -l <"$f")
	[ "$n" -gt 600 ] && long="$long $(basename "$f"):$n"
done
check_eq "no source file over 600 lines" "" "$long"

plant=$TMP/plant
cp -r "$top/src" "$plant"
echo '#include "sched.h"' >>"$plant/buf.c"
echo '#include "task.h"' >>"$plant/gate.h"
touch "$plant/stray.c"
scan "$plant" >"$TMP/faults"
check "an upward include is found" grep -q '^upward buf includes sched.h' \
    "$TMP/faults"
check "a cycle is found" grep -q '^cycle' "$TMP/faults"
check "a file in no layer is found" grep -q '^unlisted stray$' "$TMP/faults"
finish
