#!/bin/bash
# t-sched.sh: the scheduling policies that shape when requests start.
# --per-host caps each host:port while -j holds globally, and a busy host
# never holds back the others; --rate spaces starts evenly; --retries
# retries transient failures with backoff, honours Retry-After, gives its
# permits back while it waits, and never retries a 404.
. "$(dirname "$0")/lib.sh"
start_testd

resolve_hosts() {
	local h
	for h in "$@"; do printf -- '--resolve\n%s:%s:127.0.0.1\n' "$h" "$PORT"; done
}

# Host peaks as "name=peak" words, sorted.
host_peaks() {
	curl -s "$HTTP/stats/hosts" |
	    jq -r 'to_entries[] | "\(.key)=\(.value.peak)"' | sort | paste -sd' '
}

# --- --per-host: 1,000 URLs for a.test, then 10 for b.test.
{
	for i in $(seq 1 1000); do echo "http://a.test:$PORT/hostdelay/100?i=$i"; done
	for i in $(seq 1 10); do echo "http://b.test:$PORT/hostdelay/100?i=$i"; done
} >"$TMP/ab.txt"
reset_stats
mapfile -t res < <(resolve_hosts a.test b.test)
"$COFETCH" -f json -j 10 --per-host 2 --deadline 1.5 "${res[@]}" \
    -i "$TMP/ab.txt" >"$TMP/ab.jsonl" 2>"$TMP/ab.err"
check_eq "--per-host: every admitted line has a result" 1010 \
    "$(wc -l <"$TMP/ab.jsonl")"
check_eq "--per-host: b.test's 10 URLs all done, not stuck behind a.test's" \
    10 "$(jq -r 'select(.url | contains("b.test")) | select(.ok)' \
    "$TMP/ab.jsonl" | jq -s length)"
check_range "--per-host: b.test's last one waited under 0.9 s for its slot" \
    0 0.9 "$(jq -r 'select(.url | contains("b.test")) | .time.queued' \
    "$TMP/ab.jsonl" | sort -g | tail -1)"
check_eq "--per-host 2: each host's peak is 2" "a.test=2 b.test=2" \
    "$(host_peaks)"
check_range "--per-host: a.test went on 2 at a time (about 28 in 1.5 s)" \
    10 32 "$(jq -r 'select(.url | contains("a.test")) | select(.ok)' \
    "$TMP/ab.jsonl" | jq -s length)"

# 8 hosts x 5 URLs, -j 10 --per-host 2: the cap per host and -j overall.
hosts=$(for h in 1 2 3 4 5 6 7 8; do echo "h$h.test"; done)
for i in 1 2 3 4 5; do
	for h in $hosts; do echo "http://$h:$PORT/hostdelay/150?i=$i"; done
done >"$TMP/eight.txt"
reset_stats
mapfile -t res < <(resolve_hosts $hosts)
"$COFETCH" -q -j 10 --per-host 2 "${res[@]}" -i "$TMP/eight.txt" \
    >"$TMP/eight.out"
check_eq "--per-host: 40 URLs on 8 hosts all ok" 40 \
    "$(grep -c '^200' "$TMP/eight.out")"
check_eq "--per-host 2 on 8 hosts: every host's peak is 2" \
    "$(for h in $hosts; do echo "$h=2"; done | paste -sd' ')" "$(host_peaks)"
check_eq "-j 10 still holds across hosts" 10 "$(stat peak)"

# The same host by another port is another host:port.
reset_stats
"$COFETCH" -q -j 10 --per-host 1 --resolve "p.test:$PORT:127.0.0.1" \
    $(for i in 1 2 3 4; do echo "http://p.test:$PORT/hostdelay/100?i=$i"; done) \
    >/dev/null
check_eq "--per-host 1: one at a time to one host:port" "p.test=1" \
    "$(host_peaks)"
for bad in 0 -1 x 1.5; do
	"$COFETCH" --per-host "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--per-host $bad is a usage error" 2 "$?"
done

# --- --rate 20 over 40 URLs: about 2 s, never more than 20 in a second.
for i in $(seq 1 40); do echo "$HTTP/status/200?i=$i"; done >"$TMP/forty.txt"
reset_stats
start=$(now_ms)
"$COFETCH" -f json -q --rate 20 -i "$TMP/forty.txt" >"$TMP/rate.jsonl"
ms=$(( $(now_ms) - start ))
check_eq "--rate 20: all 40 ok" 40 "$(jq -r 'select(.ok)' "$TMP/rate.jsonl" | jq -s length)"
check_range "--rate 20 over 40 URLs takes about 2 s" 1900 3000 "$ms"
curl -s "$HTTP/stats/arrivals" >"$TMP/arrivals.json"
# Starts exactly 50 ms apart put the 1st and the 21st exactly 1 s apart,
# so a first request that also had to connect can land the 21st inside
# its second by the server's clock: the window allows 40 ms of such jitter.
check_range "--rate 20: at most 20 arrive in any second (server's clock)" \
    1 20 "$(jq '[.[] as $t | [.[] | select(. >= $t and . < $t + 960)] |
    length] | max' "$TMP/arrivals.json")"
# The same jitter shortens the gap after a late arrival; a burst would
# show gaps near 0.
check_range "--rate 20: starts at least 40 ms apart (no burst)" 40 1000 \
    "$(jq '[range(1; length) as $i | .[$i] - .[$i - 1]] | min' \
    "$TMP/arrivals.json")"
check_range "--rate: time.queued is the wait for the slot (last ~1.95 s)" \
    1.85 2.5 "$(jq -r .time.queued "$TMP/rate.jsonl" | sort -g | tail -1)"
reset_stats
start=$(now_ms)
"$COFETCH" -q --rate 120/m "$HTTP/status/200?a" "$HTTP/status/200?b" \
    "$HTTP/status/200?c" >/dev/null
check_range "--rate 120/m: 3 starts 0.5 s apart" 950 1800 \
    "$(( $(now_ms) - start ))"
# With -j 2 and 100 ms responses, -j is the tighter bound.
start=$(now_ms)
"$COFETCH" -q -j 2 --rate 1000 $(for i in 1 2 3 4 5 6; do
    echo "$HTTP/delay/100?i=$i"; done) >/dev/null
check_range "--rate with -j: both bounds hold (6 x 100 ms at -j 2)" 290 1000 \
    "$(( $(now_ms) - start ))"
for bad in 0 -1 x 5/h 1/s/s ""; do
	"$COFETCH" --rate "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--rate '$bad' is a usage error" 2 "$?"
done

# --- --retries: 503 + Retry-After: 1 twice, then 200.
reset_stats
start=$(now_ms)
line=$("$COFETCH" -f json -q --retries 3 "$HTTP/flaky/k1?n=2&ra=1")
ms=$(( $(now_ms) - start ))
check_eq "--retries 3: a flaky endpoint succeeds in 3 attempts" "true 200 3" \
    "$(jq -r '"\(.ok) \(.status) \(.attempts)"' <<<"$line")"
check_range "--retries: Retry-After: 1 was waited twice" 1900 3500 "$ms"
check_range "--retries: time describes the last attempt" 0 0.5 \
    "$(jq -r .time.total <<<"$line")"
check_eq "--retries: the server saw 3 requests" 3 "$(stat requests)"
line=$("$COFETCH" -f json -q --retries 1 "$HTTP/flaky/k2?n=2&ra=1")
check_eq "--retries 1: the same endpoint fails after 2 attempts" \
    "false http 503 2" \
    "$(jq -r '"\(.ok) \(.error) \(.status) \(.attempts)"' <<<"$line")"
start=$(now_ms)
line=$("$COFETCH" -f json -q --retries 2 "$HTTP/flaky/k3?n=1&ra=date:2")
ms=$(( $(now_ms) - start ))
check_eq "--retries: Retry-After as an HTTP date" "true 2" \
    "$(jq -r '"\(.ok) \(.attempts)"' <<<"$line")"
check_range "--retries: the date was waited for" 900 3500 "$ms"
reset_stats
line=$("$COFETCH" -f json -q --retries 3 "$HTTP/status/404")
check_eq "--retries: a 404 is never retried" "http 1 1" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line") $(stat requests)"
start=$(now_ms)
line=$("$COFETCH" -f json -q --retries 3 "$HTTP/flaky/k4?n=5&ra=3600")
check_eq "--retries: a Retry-After past 120 s is not waited for" "503 1" \
    "$(jq -r '"\(.status) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 3 --deadline 1.5 "$HTTP/flaky/k5?n=5&ra=2")
check_eq "--retries: a wait past --deadline is not begun" "http 503 1" \
    "$(jq -r '"\(.error) \(.status) \(.attempts)"' <<<"$line")"
check_range "--retries: neither of those waited" 0 1200 "$(( $(now_ms) - start ))"
refused="http://127.0.0.1:$(free_port)/"
line=$("$COFETCH" -f json -q --retries 2 "$refused")
check_eq "--retries: a refused connection is retried" "connect 3" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 1 -t 0.2 "$HTTP/delay/3000")
check_eq "--retries: a timeout is retried" "timeout 2" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 1 "$RAW/reset")
check_eq "--retries: a reset is retried" "reset 2" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 2 --dns-servers "$DNS" "http://nxretry.test/")
check_eq "--retries: NXDOMAIN is a lasting answer, not retried" "dns 1" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 1 --dns-servers "$DNS" --dns-timeout 0.2 \
    "http://dropretry.test/")
check_eq "--retries: an unanswered DNS query is retried" "dns 2" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$line")"
line=$("$COFETCH" -f json -q --retries 1 --retry-on 500 "$HTTP/status/500?a" \
    "$HTTP/status/503?b" | jq -r '"\(.status):\(.attempts)"' | sort | paste -sd' ')
check_eq "--retry-on 500 replaces the list" "500:2 503:1" "$line"
line=$("$COFETCH" -f json -q --retries 1 "$HTTP/to/302?$HTTP/flaky/k6%3Fn%3D1" |
    jq -r '"\(.ok) \(.attempts) \(.redirects)"')
check_eq "--retries: a retry starts again from the input URL" "true 2 1" "$line"
check_eq "--retries: the failed attempt's body is not kept (-f body)" \
    "ok after failures" \
    "$("$COFETCH" -q -f body --retries 1 "$HTTP/flaky/k7?n=1&ra=0")"
"$COFETCH" -q -o "$TMP/saved" --retries 1 "$HTTP/flaky/k8?n=1" >/dev/null
check_eq "--retries: -o saves only the final body" "ok after failures" \
    "$(cat "$TMP"/saved/*)"

# A task backing off gives its permit back: with -j 1, the second URL
# runs while the first waits out its Retry-After.
out=$("$COFETCH" -q -j 1 --retries 1 "$HTTP/flaky/k9?n=1&ra=1" \
    "$HTTP/status/200?second" | cut -f1,2)
check_eq "--retries: the permit is free while backing off" \
    "200	$HTTP/status/200?second
200	$HTTP/flaky/k9?n=1&ra=1" "$out"
out=$("$COFETCH" -q -j 5 --per-host 1 --retries 1 "$HTTP/flaky/k10?n=1&ra=1" \
    "$HTTP/status/200?second" | cut -f2)
check_eq "--retries: the host's permit too" "$HTTP/status/200?second
$HTTP/flaky/k10?n=1&ra=1" "$out"

# Cancelled while backing off: reported cancelled, with the last failure.
"$COFETCH" -v -f json --retries 3 "$HTTP/flaky/k11?n=5&ra=30" \
    >"$TMP/int.jsonl" 2>"$TMP/int.err" &
pid=$!
wait_for 10 grep -q "attempt 2 in" "$TMP/int.err"
kill -INT "$pid"
wait "$pid"
check_eq "SIGINT while backing off: exit 130" 130 "$?"
check_eq "SIGINT while backing off: cancelled, naming the last failure" \
    "cancelled true" "$(jq -r '"\(.error) \(.message | contains("503"))"' \
    "$TMP/int.jsonl")"

for bad in -1 x 101; do
	"$COFETCH" --retries "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--retries $bad is a usage error" 2 "$?"
done
for bad in abc 99 600 500-400 429, ,429 5xx; do
	"$COFETCH" --retry-on "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--retry-on '$bad' is a usage error" 2 "$?"
done
finish
