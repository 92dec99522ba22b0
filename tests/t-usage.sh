#!/bin/bash
# t-usage.sh: usage errors exit 2 with a message on stderr, nothing on
# stdout and nothing fetched.
. "$(dirname "$0")/lib.sh"
start_testd
reset_stats

usage_error() {
	local name=$1 out err rc
	shift
	"$COFETCH" "$@" "$HTTP/status/200" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && [ -s "$TMP/err" ]; then
		ok "usage error: $name"
	else
		not_ok "usage error: $name (exit $rc)"
		sed 's/^/#   /' "$TMP/out" "$TMP/err"
	fi
}

usage_error "-j 0" -j 0
usage_error "-j abc" -j abc
usage_error "-j -3" -j -3
usage_error "-j 5x" -j 5x
usage_error "unknown long option" --bogus
usage_error "unknown short option" -Z
usage_error "missing argument" -j
usage_error "unknown format" -f xml
usage_error "-t abc" -t abc
usage_error "-t 0" -t 0
usage_error "-t nan" -t nan
usage_error "--connect-timeout -1" --connect-timeout -1
usage_error "--window 0" --window 0
usage_error "missing -i file" -i "$TMP/does-not-exist"
check_eq "nothing was fetched" 0 "$(stat requests)"
check "message names the option" grep -q -- "--jobs 'abc'" \
    <("$COFETCH" -j abc 2>&1)
check "help exits 0" "$COFETCH" --help
check "-V exits 0" "$COFETCH" -V
finish
