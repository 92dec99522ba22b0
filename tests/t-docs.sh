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
check "README opens with the demo command" grep -q '^scripts/demo' \
    "$top/README.md"
check "README shows the test command" grep -q '^scripts/check' \
    "$top/README.md"
finish
