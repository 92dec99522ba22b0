#!/bin/bash
# t-signal.sh: SIGINT and SIGTERM cancel every admitted task, report each
# one, write whole lines and exit 130 / 143; a second signal ends at once.
. "$(dirname "$0")/lib.sh"
start_testd

seq 30 | sed "s|^|$HTTP/delay/20000?n=|" >"$TMP/slow.txt"

interrupt() {
	local sig=$1 want=$2 rc
	reset_stats
	"$COFETCH" -j 5 -f json -i "$TMP/slow.txt" >"$TMP/$sig.json" \
	    2>"$TMP/$sig.err" &
	local pid=$!
	if ! wait_for 10 stat_is requests 5; then
		not_ok "$sig: 5 tasks never reached the server ($(curl -s "$HTTP/stats"))"
	fi
	kill "-$sig" "$pid"
	wait "$pid"
	rc=$?
	check_eq "$sig: exit $want" "$want" "$rc"
	check "$sig: valid json" valid_jsonl "$TMP/$sig.json"
	check_eq "$sig: the 5 admitted tasks are reported cancelled" \
	    "5 cancelled" "$(jq -r .error "$TMP/$sig.json" | sort | uniq -c |
	    awk '{ print $1, $2 }')"
	check "$sig: summary counts them" grep -q \
	    "5 results: 0 ok, 0 failed, 5 cancelled" "$TMP/$sig.err"
	check "$sig: summary names the signal" grep -q "stopped by SIG$sig" \
	    "$TMP/$sig.err"
}
interrupt INT 130
interrupt TERM 143

# With -k, finished results keep their outcome and everything still in
# flight is cancelled, all in input order.
{ seq 3 | sed "s|^|$HTTP/status/200?n=|"; seq 3 | sed "s|^|$HTTP/delay/20000?m=|"; } \
    >"$TMP/mix.txt"
reset_stats
"$COFETCH" -q -k -f json -i "$TMP/mix.txt" >"$TMP/mix.json" &
pid=$!
wait_for 10 stat_is requests 6 || not_ok "mix never started"
kill -INT "$pid"
wait "$pid"
check_eq "-k interrupted: exit 130" 130 $?
check_eq "-k interrupted: order and outcomes" \
    "0:ok 1:ok 2:ok 3:cancelled 4:cancelled 5:cancelled" \
    "$(jq -r '"\(.index):\(.error // "ok")"' "$TMP/mix.json" | paste -sd' ')"

# A reader that stops reading blocks cofetch in write(2).  The first
# SIGINT cannot finish the run then; the second must end it at once.
mkfifo "$TMP/fifo"
exec 3<>"$TMP/fifo"
seq 5000 | sed "s|^|$HTTP/status/200?n=|" >"$TMP/many.txt"
"$COFETCH" -q -f json -i "$TMP/many.txt" >"$TMP/fifo" &
pid=$!
blocked() {
	read -r nr fd _ <"/proc/$pid/syscall" 2>/dev/null &&
	    [ "$nr" = 1 ] && [ "$fd" = 0x1 ]
}
# Delivered (no longer pending) and back in write(2): the first signal was
# handled and could not end the run.
handled_and_blocked() {
	! grep -Eq '^(SigPnd|ShdPnd):.*[1-9a-f]' "/proc/$pid/status" && blocked
}
check "blocked writing to a full pipe" wait_for 20 blocked
kill -INT "$pid"
check "still blocked after the first SIGINT" wait_for 5 handled_and_blocked
kill -INT "$pid"
if wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"; then
	ok "the second SIGINT ends it"
	wait "$pid"
	check_eq "killed by SIGINT" 130 $?
else
	not_ok "the second SIGINT ends it"
	kill -KILL "$pid"
fi
exec 3<&-
finish
