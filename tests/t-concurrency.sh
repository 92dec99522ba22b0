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

# Failures give their permit back: 20 refused connections at -j 2 end.
seq 20 | sed 's|^|http://127.0.0.1:1/?n=|' >"$TMP/refused.txt"
echo "$HTTP/status/200" >>"$TMP/refused.txt"
"$COFETCH" -q -j 2 -i "$TMP/refused.txt" >"$TMP/refused.out"
check_eq "permits come back after failures" "20 1" \
    "$(grep -c connect "$TMP/refused.out") $(grep -c '^200' "$TMP/refused.out")"

# The latency server of scripts/bench answers /delay/MS after MS, and
# anything else 404 at once.
start_delayd
"$COFETCH" -q -k -f json "$DELAY/delay/50" "$DELAY/nope" >"$TMP/delayd.json"
check_eq "latency server: /delay/50 is 200 after 50 ms, /nope is 404" \
    "200 true 14|404" "$(jq -r 'if .index == 0 then
	"\(.status) \(.time.total >= 0.05) \(.bytes)" else .status end' \
    "$TMP/delayd.json" | paste -sd'|')"

# scripts/bench's libcurl floor (tests/curlfloor) counts 2xx, other
# statuses and failures, and holds -j past the 1,000 transfers it gives
# a multi handle.
printf '%s\n' "$DELAY/delay/10" "$DELAY/delay/10" "" "$DELAY/nope" \
    http://127.0.0.1:1/ >"$TMP/floor.txt"
out=$("$CURLFLOOR" -j 2 -i "$TMP/floor.txt")
check_eq "libcurl floor: 2 ok, 1 other, 1 failed, exit 1" \
    "status codes: 2 2xx, 1 other, 1 failed|1" "$out|$?"
# The delay outlasts connecting them, on a busy machine too.
reset_stats
seq 1500 | sed "s|^|$HTTP/delay/3000?n=|" >"$TMP/floor.txt"
out=$("$CURLFLOOR" -j 1500 -i "$TMP/floor.txt")
check_eq "libcurl floor: -j 1500 over two multi handles, 1,500 in flight" \
    "status codes: 1500 2xx, 0 other, 0 failed|0|1500" "$out|$?|$(stat peak)"

if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 10100 ]; then
	for name in "in flight" "all done" "W5's shape" "hosts, no threads" \
	    "hosts, two threads"; do
		ok "# skip -j 10000 $name: the hard open-file limit is $(ulimit -Hn)"
	done
else
	# -j 10000 against one server: the delay outlasts connecting them.
	cap_is 10000 10000 8000
	# W5's shape: 20,000 URLs of /delay/100 at -j 10000, one result
	# each, all ok, none sooner than its delay.
	seq 20000 | sed "s|^|$DELAY/delay/100?n=|" >"$TMP/w5.txt"
	"$COFETCH" -q -j 10000 -f json -i "$TMP/w5.txt" >"$TMP/w5.json"
	check_eq "20,000 URLs at -j 10000: one ok result each, none under 100 ms" \
	    "20000 20000 20000 0" "$(jq -s '[length, ([.[] | .index] | unique |
		length), ([.[] | select(.ok)] | length),
		([.[] | select(.time.total < 0.1)] | length)] | join(" ")' \
	    "$TMP/w5.json" | tr -d '"')"
	# Past 1,000 transfers they run in several multi handles, and a
	# connection is kept in one: a host's transfers go to the same one.
	# 200 names at --per-host 4 and -j 4000 (four multi handles, with
	# and without transfer threads) need 800 connections (with the least
	# busy alone, 1,394 at --threads 0); the test server counts /stats' own as well.
	for h in $(seq 200); do
		seq 20 | sed "s|^|http://h$h.test:$PORT/delay/50?n=|"
	done >"$TMP/hosts.txt"
	for threads in 0 2; do
		reset_stats
		"$COFETCH" -q -j 4000 --per-host 4 --threads $threads \
		    --dns-servers "$DNS" -i "$TMP/hosts.txt" >"$TMP/hosts.out"
		check_eq "-j 4000 --threads $threads: 800 connections" \
		    "4000 801" \
		    "$(grep -c '^200	' "$TMP/hosts.out") $(stat connections)"
	done
fi
finish
