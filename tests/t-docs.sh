#!/bin/bash
# t-docs.sh: the man page, --help and README agree with the program: the
# page is clean mdoc, every option and JSON field is documented, and the
# README starts with the two commands.
. "$(dirname "$0")/lib.sh"
top=${SRCDIR:-$(dirname "$0")/..}
man=$top/man/cofetch.1

if command -v mandoc >/dev/null; then
	check_eq "mandoc -Tlint is clean" "" \
	    "$(mandoc -Tlint -W warning "$man" 2>&1)"
else
	not_ok "mandoc is not installed"
fi
help_opts=$("$COFETCH" --help | grep -o -- '--[a-z][a-z0-9.-]*' | sort -u)
man_opts=$(grep -E '^\.(It|Op) Fl' "$man" | grep -o 'Fl -[a-z][a-z0-9.-]*' |
    sed 's/^Fl -/--/' | sort -u)
check_eq "man page and --help list the same options" "$help_opts" "$man_opts"

# Every default --help states, in the words "(default X)", the man page
# states for the same option in the same words: both come from one row of
# the option table, so a default changed in one place fails here.
help_defaults() {
	awk '/^  (-., )?    --[a-z]|^  -., --[a-z]/ { if (name) print name "\t" text
	      name = $0; sub(/^ *(-., )? *--/, "", name); sub(/ .*/, "", name)
	      text = $0; next }
	    /^                            / { text = text " " $0; next }
	    { if (name) print name "\t" text; name = "" }
	    END { if (name) print name "\t" text }' |
	    sed -n 's/^\([^\t]*\)\t.*(default \([^)]*\)).*/\1 \2/p' |
	    tr -s ' '
}
man_default() {
	awk -v name="$1" '
	    /^\.It / { on = 0; for (i = 1; i <= NF; i++)
		if ($i == "-" name) on = 1; next }
	    /^\.El/ { on = 0 }
	    on { printf "%s ", $0 }' "$man" |
	    grep -o "(default $2)"
}
"$COFETCH" --help | help_defaults >"$TMP/defaults"
check "--help states defaults" test "$(wc -l <"$TMP/defaults")" -ge 8
missing=
while read -r name value; do
	man_default "$name" "$value" >/dev/null || missing="$missing --$name=$value"
done <"$TMP/defaults"
check_eq "the man page states each default --help states" "" "$missing"
sed 's/(default 50)/(default 60)/' "$man" >"$TMP/changed.1"
check "a default changed in one place is caught" test -n "$(
	man=$TMP/changed.1
	while read -r name value; do
		man_default "$name" "$value" >/dev/null || echo "$name"
	done <"$TMP/defaults")"

start_testd
check "every default parses: a run with no options works" \
    "$COFETCH" -q "$HTTP/status/200"
fields=$("$COFETCH" -q -f json "$HTTP/status/200" |
    jq -r '[keys_unsorted[], (.time | keys_unsorted[] | "time." + .)] | .[]')
missing=
for f in $fields; do
	grep -q "^\.It Va $f\$" "$man" || missing="$missing $f"
done
check_eq "every JSON field is in the man page" "" "$missing"
# The man page's EXAMPLES, run as they are written (as jq runs its
# manual): urls.txt holds test-server URLs and, last, one that fails;
# ssh runs its command here, make-urls prints urls.txt.
examples() {
	awk '/^\.Sh EXAMPLES/ { on = 1; next } /^\.Sh / { on = 0 }
	    !on { next }
	    /^\.\\" test: / { want = $3 == "exit" ? $4 : $3; next }
	    /^\.Bd -literal/ { body = ""; inbd = 1; next }
	    /^\.Ed/ { n++; f = dir "/ex" n ".sh"; printf "%s", body > f
		close(f); print n, (want == "" ? 0 : want); want = ""
		inbd = 0; next }
	    inbd { gsub(/\\e/, "\\"); gsub(/\\&/, ""); body = body $0 "\n" }
	' dir="$TMP/ex" "$man"
}
mkdir -p "$TMP/ex/bin" "$TMP/ex/urls"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$(realpath "$COFETCH")" \
    >"$TMP/ex/bin/cofetch"
printf '#!/bin/sh\nshift\nexec sh -c "$*"\n' >"$TMP/ex/bin/ssh"
printf '#!/bin/sh\nexec cat urls.txt\n' >"$TMP/ex/bin/make-urls"
chmod +x "$TMP/ex/bin/"*
for i in 1 2 3 4 5; do
	echo "$HTTP/lines/5?example=$i"
done >"$TMP/ex/urls/urls.txt"
echo "http://127.0.0.1:$(free_port)/refused" >>"$TMP/ex/urls/urls.txt"
# The parts of a two-shard run, for the examples that merge.
"$COFETCH" -q -k -f json --shard 1/2 -i "$TMP/ex/urls/urls.txt" \
    >"$TMP/ex/urls/part1.jsonl"
"$COFETCH" -q -k -f json --shard 2/2 -i "$TMP/ex/urls/urls.txt" \
    >"$TMP/ex/urls/part2.jsonl"
nex=0
nskip=0
while read -r n want; do
	if [ "$want" = skip ]; then
		nskip=$((nskip + 1))
		echo "# EXAMPLES $n is not run here (the page says why)"
		continue
	fi
	nex=$((nex + 1))
	run=$TMP/ex/run$n
	cp -r "$TMP/ex/urls" "$run"
	(cd "$run" && PATH=$TMP/ex/bin:$PATH timeout 60 \
	    bash -o pipefail "$TMP/ex/ex$n.sh" >out 2>err)
	rc=$?
	rm "$run/urls.txt" "$run/err" "$run/part1.jsonl" "$run/part2.jsonl"
	wrote=$(find "$run" -type f -size +0 | wc -l)
	if [ "$rc" = "$want" ] && [ "$wrote" -gt 0 ]; then
		ok "EXAMPLES $n exits $want and writes its output"
	else
		not_ok "EXAMPLES $n exits $want (not $rc), writes ($wrote files)"
		sed 's/^/#   /' "$TMP/ex/ex$n.sh"
	fi
done < <(examples)
check "the man page has examples to run" test "$nex" -ge 5
check "at most three examples are not run (with a reason each)" \
    test "$nskip" -le 3

check "README opens with the demo command" grep -q '^scripts/demo' \
    "$top/README.md"
check "README shows the test command" grep -q '^scripts/check' \
    "$top/README.md"
finish
