#!/bin/bash
# t-hostile.sh: servers that lie, stall or flood.  Each hostile response
# ends as one result with the right error kind, the good URLs around them
# are not disturbed, the output stays valid JSON Lines and memory stays
# bounded.
. "$(dirname "$0")/lib.sh"
start_testd
raw_host=${RAW#http://}

# kind: what each hostile path must end as ("ok" for a response that is
# odd but usable).
cat >"$TMP/kinds" <<'KINDS'
long ok
no-reason ok
big-headers ok
bad-chunk protocol
bad-status protocol
nul-header protocol
garbage protocol
endless-headers too_large
reset reset
close reset
KINDS
for round in $(seq 10); do
	while read -r path kind; do
		echo "$RAW/$path?r=$round"
		echo "$HTTP/status/200?after=$path-$round"
	done <"$TMP/kinds"
	echo "https://$raw_host/tls-stall?r=$round"
done >"$TMP/urls"
total=$(wc -l <"$TMP/urls")

/usr/bin/time -f %M -o "$TMP/rss" "$COFETCH" -v -j 20 -t 2 -f json \
    -i "$TMP/urls" >"$TMP/out" 2>"$TMP/verbose"
check_eq "a hostile run ends with exit 1" 1 "$?"
check "tripwire: every socket libcurl closed, it closed through cofetch" \
    grep -q "libcurl closed 0 sockets unseen" "$TMP/verbose"
check "the output is valid JSON Lines" valid_jsonl "$TMP/out"
check_eq "one result per URL, each index once" "$total $total" \
    "$(wc -l <"$TMP/out") $(jq .index "$TMP/out" | sort -u | wc -l)"
check_eq "the good URLs between them are all ok" 100 \
    "$(jq -r 'select(.url | contains("/status/200")) | .ok' "$TMP/out" |
    grep -c true)"
while read -r path kind; do
	got=$(jq -r --arg p "/$path?" 'select(.url | contains($p)) |
	    if .ok then "ok" else .error end' "$TMP/out" | sort | uniq -c |
	    awk '{ print $1, $2 }')
	check_eq "/$path: $kind, every time" "10 $kind" "$got"
done <"$TMP/kinds"
check_eq "a TLS handshake nobody answers: timeout" "10 timeout" \
    "$(jq -r 'select(.url | contains("tls-stall")) | .error' "$TMP/out" |
    sort | uniq -c | awk '{ print $1, $2 }')"
check_eq "a Content-Length that is short of the body: only what it said" \
    10 "$(jq -r 'select(.url | contains("/long?")) | .bytes' "$TMP/out" |
    sort -u)"
if [ "$SANITIZED" = 1 ]; then
	ok "peak RSS (not measured under sanitizers)"
else
	check_range "peak RSS under 64 MiB" 1 65535 "$(tail -1 "$TMP/rss")"
fi

# A server that keeps a connection alive only in name: it closes it once
# the response is sent.  While it waits, the idle connection's end is
# noticed and no longer watched (a level-triggered event left on it would
# spin the loop for the whole second), and the next request to that
# server gets a fresh connection.
printf '%s\n' "$RAW/keep-then-close?n=1" "$HTTP/delay/1000" \
    "$RAW/keep-then-close?n=2" >"$TMP/idle.txt"
/usr/bin/time -f "%U %S" -o "$TMP/idle.cpu" "$COFETCH" -q -j 1 -f json \
    -i "$TMP/idle.txt" >"$TMP/idle.out"
check_eq "a connection the server closed while idle: all three ok" \
    "true true true" "$(jq -r .ok "$TMP/idle.out" | xargs)"
check "...and the wait for the second did not spin (under 0.5 s of CPU)" \
    awk '{ exit !($1 + $2 < 0.5) }' "$TMP/idle.cpu"

# Errors that another attempt would not mend are not retried; a reset is.
r=$("$COFETCH" -q -k --retries 2 -f json "$RAW/bad-chunk" \
    "$RAW/endless-headers" "$RAW/reset")
check_eq "--retries: protocol and too_large once, reset three times" \
    "protocol 1|too_large 1|reset 3" \
    "$(jq -r '"\(.error) \(.attempts)"' <<<"$r" | paste -sd'|')"

# 100 KB of headers are kept for -f json --with-headers and stay valid JSON.
"$COFETCH" -q -f json --with-headers "$RAW/big-headers" >"$TMP/h.json"
check "100 KB of headers: valid JSON" valid_jsonl "$TMP/h.json"
check_eq "100 KB of headers: all 1,000 kept" 1000 \
    "$(jq '[.headers | keys[] | select(startswith("x-pad"))] | length' \
    "$TMP/h.json")"

# A gzip bomb: 2 MB that inflate to 2 GiB end at the default 1 GiB bound,
# as the body of a 200 or of a redirect (drained, not kept), while a good
# URL beside them is served.
/usr/bin/time -f %M -o "$TMP/rss" "$COFETCH" -q -k -f json "$HTTP/bomb/2048" \
    "$HTTP/status/200" "$HTTP/bomb/2048/redirect" >"$TMP/bomb.json"
check_eq "a gzip bomb: too_large at 1 GiB decoded, the good URL ok" \
    "too_large 200 1073741824|null 200 7|too_large 302 0" \
    "$(jq -r '"\(.error) \(.status) \(.bytes)"' "$TMP/bomb.json" |
    paste -sd'|')"
if [ "$SANITIZED" = 1 ]; then
	ok "a gzip bomb's peak RSS (not measured under sanitizers)"
else
	check_range "a gzip bomb: peak RSS under 64 MiB" 1 65535 \
	    "$(tail -1 "$TMP/rss")"
fi
r=$("$COFETCH" -q -k -f json --max-decoded 4194304 "$HTTP/bomb/4" \
    "$HTTP/bomb/5" "$HTTP/bomb/64/redirect")
check_eq "--max-decoded N: N bytes decode, one more is too_large" \
    "true 4194304|too_large 4194304|too_large 0" \
    "$(jq -r '"\(.error // .ok) \(.bytes)"' <<<"$r" | paste -sd'|')"
r=$("$COFETCH" -q -f json --max-decoded 0 "$HTTP/bomb/1500")
check_eq "--max-decoded 0: no bound" "true 1572864000" \
    "$(jq -r '"\(.ok) \(.bytes)"' <<<"$r")"
r=$("$COFETCH" -q -f json --max-bytes 1000 "$HTTP/bomb/2048")
check_eq "--max-bytes stops a bomb first, and that is ok" "true 1000 true" \
    "$(jq -r '"\(.ok) \(.bytes) \(.truncated)"' <<<"$r")"
"$COFETCH" -q -f body -o "$TMP/saved" --max-decoded 1048576 \
    "$HTTP/bomb/8" >"$TMP/bomb.body"
check_eq "a bomb under -f body -o: nothing written, no file left" "0 0" \
    "$(wc -c <"$TMP/bomb.body") $(find "$TMP/saved" -type f | wc -l)"

# Slowloris: a body that comes one line a second is ended by -t.
r=$("$COFETCH" -q -f json -t 1 "$HTTP/drip/100/1000")
check_eq "a body dripping one line a second: -t 1 ends it as timeout" \
    "timeout" "$(jq -r .error <<<"$r")"
check_range "and it took about a second" 900 5000 \
    "$(jq '.time.total * 1000 | floor' <<<"$r")"
finish
