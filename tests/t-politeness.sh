#!/bin/bash
# t-politeness.sh: a rate per host (--per-host-rate), host back-off after
# a 429 (or a 503 with Retry-After) that pauses the whole host, and
# retries that never send a request twice when it may have had its
# effect.  Times are the server's own arrival log per Host header.
. "$(dirname "$0")/lib.sh"
start_testd
cf() { "$COFETCH" -q --dns-servers "$DNS" "$@"; }

# arrivals HOST: the server's arrival times (ms) for that Host, one a line.
arrivals() {
	curl -s "$HTTP/stats/arrivals/hosts" | jq -r --arg h "$1" \
	    '.[$h] // [] | .[]'
}
# min_gap HOST: the shortest time between two arrivals for HOST.
min_gap() {
	arrivals "$1" | awk 'NR > 1 { g = $1 - p; if (m == "" || g < m) m = g }
	    { p = $1 } END { print m }'
}
# gap HOST I J: arrival J minus arrival I (1-based) for HOST.
gap() {
	arrivals "$1" | awk -v i="$2" -v j="$3" 'NR == i { a = $1 }
	    NR == j { b = $1 } END { print b - a }'
}

# --- --per-host-rate: even spacing per host, no head-of-line blocking.
for i in 1 2 3 4 5; do
	echo "http://a.test:$PORT/status/200?i=$i"
	echo "http://b.test:$PORT/status/200?i=$i"
done >"$TMP/ab.txt"
reset_stats
start=$(now_ms)
cf -j 10 --per-host-rate 10 -i "$TMP/ab.txt" >"$TMP/ab.out"
ms=$(( $(now_ms) - start ))
check_eq "--per-host-rate: all 10 fetched" 10 "$(grep -c '^200' "$TMP/ab.out")"
check_range "--per-host-rate 10: five starts a host take about 0.4 s" 380 1500 \
    "$ms"
check_range "--per-host-rate 10: a.test's starts 100 ms apart (15 ms slack)" \
    85 1000 "$(min_gap a.test)"
check_range "--per-host-rate 10: b.test's starts too" 85 1000 \
    "$(min_gap b.test)"
# Blocked behind a.test, b.test would start after a.test's fifth, 400 ms
# after its first.
check_range "no head-of-line blocking: b.test starts with a.test" -200 200 \
    "$(( $(arrivals b.test | head -1) - $(arrivals a.test | head -1) ))"
reset_stats
cf -j 10 --per-host-rate 600/m --rate 20 --per-host 1 -i "$TMP/ab.txt" \
    >/dev/null
check_range "with --rate 20 and --per-host 1: every host still 100 ms apart" \
    85 1000 "$(min_gap a.test)"
# A first request that also connects arrives late by the server's clock,
# and so shortens the gap after it: 15 ms of slack at 50 and 100 ms.
check_range "... and all starts 50 ms apart (15 ms slack)" 35 1000 \
    "$(curl -s "$HTTP/stats/arrivals" |
    jq '[range(1; length) as $i | .[$i] - .[$i - 1]] | min')"
for bad in 0 -1 abc 5/h ""; do
	"$COFETCH" --per-host-rate "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--per-host-rate '$bad' is a usage error" 2 "$?"
done

# --- host back-off: a 429 pauses its host, not the others.
printf '%s\n' "http://p.test:$PORT/flaky/p1?n=1&code=429" \
    "http://p.test:$PORT/status/200?after" \
    "http://q.test:$PORT/status/200?other" >"$TMP/p.txt"
reset_stats
cf -j 1 -v -k -i "$TMP/p.txt" >"$TMP/p.out" 2>"$TMP/p.err"
check_eq "the 429 is the result (no --retries)" "429 200 200" \
    "$(cut -f1 "$TMP/p.out" | paste -sd' ')"
check_range "a 429 without Retry-After pauses the host 0.5-1 s" 490 1500 \
    "$(gap p.test 1 2)"
check "-v logs the pause" grep -Eq \
    "cofetch: pausing p\.test:$PORT for (0\.[5-9]|1\.0) s \(429\)" "$TMP/p.err"
check_range "another host is not held back (it waits only for -j 1)" 0 300 \
    "$(( $(arrivals q.test | head -1) - $(arrivals p.test | head -1) ))"
"$COFETCH" --dns-servers "$DNS" -j 1 "http://p.test:$PORT/flaky/p2?n=1&code=429" \
    "http://p.test:$PORT/status/200" >/dev/null 2>"$TMP/sum"
check "the summary counts the pauses" grep -q \
    "; 1 host pauses, 0\.[5-9] s in all (429)\|; 1 host pauses, 1\.0 s in all (429)" \
    "$TMP/sum"
reset_stats
cf -j 1 --no-host-backoff -i "$TMP/p.txt" >/dev/null
check_range "--no-host-backoff: no pause" 0 200 "$(gap p.test 1 2)"

reset_stats
cf -j 1 "http://r.test:$PORT/flaky/r1?n=1&code=429&ra=1" \
    "http://r.test:$PORT/status/200" >/dev/null
check_range "Retry-After: 1 pauses the host 1 s" 990 2000 "$(gap r.test 1 2)"
"$COFETCH" --dns-servers "$DNS" --progress -j 1 \
    "http://r.test:$PORT/flaky/r2?n=1&code=429&ra=1" \
    "http://r.test:$PORT/status/200" >/dev/null 2>"$TMP/progress"
check "the progress line counts the paused hosts" grep -q "1 host paused" \
    "$TMP/progress"
reset_stats
cf -j 1 "http://s.test:$PORT/flaky/s1?n=1&code=503&ra=1" \
    "http://s.test:$PORT/status/200" >/dev/null
check_range "a 503 with Retry-After pauses too" 990 2000 "$(gap s.test 1 2)"
reset_stats
cf -j 1 "http://t.test:$PORT/flaky/t1?n=1&code=503" \
    "http://t.test:$PORT/status/200" >/dev/null
check_range "a 503 without Retry-After does not" 0 200 "$(gap t.test 1 2)"
reset_stats
cf -j 1 "http://u.test:$PORT/flaky/u1?n=1&code=429&ra=date:-60" \
    "http://u.test:$PORT/status/200" >/dev/null
check_range "a Retry-After date in the past is no Retry-After (0.5-1 s)" \
    490 1500 "$(gap u.test 1 2)"

# The series doubles (0.5-1 s, then 1-2 s) and a success ends it: the
# next 429 pauses 0.5-1 s again, where a third in the series would be 2-4.
# The second URL is written only once the first is done, through a pipe.
reset_stats
mkfifo "$TMP/v.fifo"
cf -j 1 --retries 3 <"$TMP/v.fifo" >"$TMP/v.out" &
pid=$!
exec 3>"$TMP/v.fifo"
echo "http://v.test:$PORT/flaky/v1?n=2&code=429" >&3
wait_for 10 grep -q v1 "$TMP/v.out"
echo "http://v.test:$PORT/flaky/v2?n=1&code=429" >&3
exec 3>&-
wait "$pid"
check_eq "retried 429s end ok, each after its host's pause" "200 200" \
    "$(cut -f1 "$TMP/v.out" | paste -sd' ')"
check_range "the first pause: 0.5-1 s" 490 1500 "$(gap v.test 1 2)"
check_range "the second in a row doubles: 1-2 s" 990 2500 "$(gap v.test 2 3)"
check_range "a success ends the series: 0.5-1 s again" 490 1500 \
    "$(gap v.test 4 5)"

# A host that says 429 forever, with --retries 5 and --deadline 2: the
# run ends by the deadline, every task reported.
seq 5 | sed "s|^|http://w.test:$PORT/flaky/w1?n=1000\&code=429\&i=|" \
    >"$TMP/w.txt"
start=$(now_ms)
cf -j 5 -f json --retries 5 --deadline 2 -i "$TMP/w.txt" >"$TMP/w.json"
rc=$?
ms=$(( $(now_ms) - start ))
check_eq "--deadline ends a run held by a 429 host: exit 1" 1 "$rc"
check_range "... by the deadline" 1900 3500 "$ms"
check_eq "... with every task reported" 5 "$(jq -s length "$TMP/w.json")"
check "... each cancelled or 429" jq -se \
    'map(.error == "cancelled" or .status == 429) | all' "$TMP/w.json"

# SIGINT while tasks wait for a paused host: they are cancelled, exit 130.
seq 3 | sed "s|^|http://x.test:$PORT/flaky/x1?n=1000\&code=429\&ra=60\&i=|" \
    >"$TMP/x.txt"
reset_stats
"$COFETCH" -q --dns-servers "$DNS" -j 1 -f json --retries 2 -i "$TMP/x.txt" \
    >"$TMP/x.json" &
pid=$!
check "the 429 arrives" wait_for 10 stat_is requests 1
kill -INT "$pid"
wait "$pid"
check_eq "SIGINT during a pause: exit 130" 130 "$?"
check_eq "... every task reported cancelled" "cancelled cancelled cancelled" \
    "$(jq -r .error "$TMP/x.json" | paste -sd' ')"

# Ten thousand hosts paused at once (Retry-After: 30 each, and the run
# ends before any pause does): one timer each, memory bounded.  -j 100:
# the DNS stub drops queries that come in bursts of hundreds.
seq 10000 | awk -v p="$PORT" '{ print "http://h" $1 ".test:" p "/status/429?ra=30" }' \
    >"$TMP/many.txt"
/usr/bin/time -f %M -o "$TMP/many.rss" "$COFETCH" --dns-servers "$DNS" \
    -j 100 -i "$TMP/many.txt" >"$TMP/many.out" 2>"$TMP/many.err"
check_eq "10,000 hosts answering 429: 10,000 results" 10000 \
    "$(grep -c '^429' "$TMP/many.out")"
check "... 10,000 pauses" grep -q "; 10000 host pauses" "$TMP/many.err"
if [ "$SANITIZED" = 0 ]; then
	check_range "... in bounded memory (KiB)" 1 80000 "$(tail -1 "$TMP/many.rss")"
fi

# --- retries never repeat a request that may have had its effect.
c=$(cf -f json --retries 2 -t 0.3 "$HTTP/delay/2000" | jq -r .attempts)
check_eq "a GET that timed out is retried" 3 "$c"
c=$(cf -f json --retries 2 -t 0.3 -d x "$HTTP/delay/2000" | jq -r .attempts)
check_eq "a POST that timed out is not" 1 "$c"
c=$(cf -f json --retries 2 -t 0.3 -X PUT -d x "$HTTP/delay/2000" |
    jq -r .attempts)
check_eq "a PUT that timed out is (idempotent)" 3 "$c"
c=$(cf -f json --retries 2 -d x "$RAW/reset" | jq -r '"\(.error) \(.attempts)"')
check_eq "a POST reset mid-response is not retried" "reset 1" "$c"
c=$(cf -f json --retries 2 -d x "http://127.0.0.1:$(free_port)/" |
    jq -r '"\(.error) \(.attempts)"')
check_eq "a POST that never connected is" "connect 3" "$c"
c=$(cf -f json --retries 2 -X PATCH "$HTTP/flaky/pa?n=1&code=503" |
    jq -r '"\(.status) \(.attempts)"')
check_eq "--retry-on statuses are retried for any method" "200 2" "$c"
finish
