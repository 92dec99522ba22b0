#!/bin/bash
# t-concurrency.sh: the -j semaphore holds exactly.  The test server counts
# requests in flight; with -j N it must see N at once and never N+1.
. "$(dirname "$0")/lib.sh"
start_testd

cap_is() {
	local jobs=$1 urls=$2 ms=${3:-300}
	reset_stats
	seq "$urls" | sed "s|^|$HTTP/delay/$ms?n=|" >"$TMP/urls.txt"
	"$COFETCH" -q -j "$jobs" -i "$TMP/urls.txt" >"$TMP/out.txt"
	check_eq "-j $jobs: peak in flight is exactly $jobs" "$jobs" \
	    "$(stat peak)"
	check_eq "-j $jobs: all $urls done" "$urls" \
	    "$(grep -c '^200	' "$TMP/out.txt")"
}

cap_is 1 4
cap_is 7 40
cap_is 50 120
# -j 10000 against one server: the delay outlasts connecting them all.
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 10100 ]; then
	cap_is 10000 10000 8000
else
	ok "# skip -j 10000: the hard open-file limit is $(ulimit -Hn)"
	ok "# skip -j 10000"
fi

# Failures give their permit back: 20 refused connections at -j 2 end.
seq 20 | sed 's|^|http://127.0.0.1:1/?n=|' >"$TMP/refused.txt"
echo "$HTTP/status/200" >>"$TMP/refused.txt"
"$COFETCH" -q -j 2 -i "$TMP/refused.txt" >"$TMP/refused.out"
check_eq "permits come back after failures" "20 1" \
    "$(grep -c connect "$TMP/refused.out") $(grep -c '^200' "$TMP/refused.out")"
finish
