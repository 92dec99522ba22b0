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

start_testd
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
