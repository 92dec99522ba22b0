#!/bin/bash
# t-timeout.sh: -t ends an attempt that stalls or hangs near its limit,
# --connect-timeout ends a connect that gets no answer, and the time a task
# waits for its permit never counts.
. "$(dirname "$0")/lib.sh"
start_testd

"$COFETCH" -q -k -f json -t 1 "$HTTP/stall" "$HTTP/hang" "$HTTP/endless" \
    "$HTTP/status/200" "$HTTP/delay/100" >"$TMP/t.json"
check_eq "stall, hang, endless time out; fast ones stay ok" \
    "timeout timeout timeout null null" \
    "$(jq -r .error "$TMP/t.json" | paste -sd' ')"
for i in 0 1 2; do
	check_range "timeout $i near -t 1" 0.95 2.5 \
	    "$(jq -sr ".[$i].time.total" "$TMP/t.json")"
done
check "stall got its headers" jq -se '.[0].status == 200' "$TMP/t.json"

check_eq "decimal -t 0.4" timeout \
    "$("$COFETCH" -q -f json -t 0.4 "$HTTP/delay/3000" | jq -r .error)"
check_range "-t 0.4 ends near 0.4 s" 0.35 1.5 \
    "$("$COFETCH" -q -f json -t 0.4 "$HTTP/delay/3000" | jq -r .time.total)"

# A listener whose backlog is full drops SYNs: only the connect timeout
# can end this.  libcurl 7.88 words it "Failed to connect ... Timeout was
# reached", "Connection timeout after N ms" or "Connection timed out
# after N milliseconds", by which of its checks comes first.
r=$("$COFETCH" -q -f json --connect-timeout 0.5 -t 10 "$HOLE/")
check_eq "connect timeout" timeout "$(jq -r .error <<<"$r")"
check "connect timeout message" jq -e '.message | test("connect"; "i")' <<<"$r"
check_range "connect timeout near 0.5 s" 0.45 2 \
    "$(jq -r .time.total <<<"$r")"

# curl#6744's case: 4 tasks of 0.5 s at -j 1 with -t 1 take 2 s in all,
# yet none times out, because waiting for the permit is not the attempt.
seq 4 | sed "s|^|$HTTP/delay/500?n=|" >"$TMP/q.txt"
"$COFETCH" -q -k -f json -j 1 -t 1 -i "$TMP/q.txt" >"$TMP/q.json"
check_eq "queue time does not count against -t" "true true true true" \
    "$(jq -r .ok "$TMP/q.json" | paste -sd' ')"
finish
