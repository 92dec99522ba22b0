#!/bin/bash
# t-basic.sh: the text and JSON result lines, the summary, exit status 0/1,
# redirects, connection reuse, --version and --help.
. "$(dirname "$0")/lib.sh"
start_testd

# Text: STATUS TAB URL TAB BYTES TAB SECONDS.
out=$("$COFETCH" -q "$HTTP/bytes/1234")
check_eq "exit 0 when all ok" 0 $?
check "text line fields" grep -Eq \
    "^200	$HTTP/bytes/1234	1234	[0-9]+\.[0-9]{3}\$" <<<"$out"

# JSON: every field of the contract, with the right values and types.
"$COFETCH" -q -f json "$HTTP/delay/300" >"$TMP/one.json"
check "json is valid" valid_jsonl "$TMP/one.json"
check_eq "json keys in contract order" \
    "index url ok status error message effective_url redirects http_version content_type bytes truncated attempts title remote_ip started etag last_modified time" \
    "$(jq -r 'keys_unsorted | join(" ")' "$TMP/one.json")"
check_eq "time keys" "queued dns connect tls ttfb total" \
    "$(jq -r '.time | keys_unsorted | join(" ")' "$TMP/one.json")"
check_eq "values" "0 true 200 null null 0 1.1 1 false null" \
    "$(jq -r '[.index, .ok, .status, .error, .message, .redirects,
    .http_version, .attempts, .truncated, .title] | map(tostring) |
    join(" ")' "$TMP/one.json")"
check_eq "effective_url" "$HTTP/delay/300" \
    "$(jq -r .effective_url "$TMP/one.json")"
check "content_type" jq -e '.content_type | . == "text/plain"' \
    "$TMP/one.json"
check_eq "bytes" 15 "$(jq -r .bytes "$TMP/one.json")"
check_range "time.total covers the server's delay" 0.29 5 \
    "$(jq -r .time.total "$TMP/one.json")"
check_range "time.ttfb covers the delay" 0.29 5 \
    "$(jq -r .time.ttfb "$TMP/one.json")"
check "time.tls is 0 over http" jq -e '.time.tls == 0' "$TMP/one.json"
check "times are numbers" jq -e '.time | map(type == "number") | all' \
    "$TMP/one.json"

# A reused connection spent no time connecting.
"$COFETCH" -q -k -j 1 -f json "$HTTP/status/200?a" "$HTTP/status/200?b" \
    >"$TMP/reuse.json"
check_eq "connect and tls are 0 on a reused connection" "0 0" \
    "$(jq -sr '.[1].time | "\(.connect) \(.tls)"' "$TMP/reuse.json")"
check "refused connect has no connect time" jq -e '.time.connect == null' \
    <("$COFETCH" -q -f json http://127.0.0.1:1/)

# Exit status 1 and the summary when something fails.
"$COFETCH" "$HTTP/status/200" "$HTTP/status/404" "$HTTP/status/503" \
    >"$TMP/mixed.txt" 2>"$TMP/mixed.err"
check_eq "exit 1 when one fails" 1 $?
check_eq "summary line" \
    "cofetch: 3 results: 1 ok, 2 failed, 0 cancelled in" \
    "$(head -1 "$TMP/mixed.err" | sed 's/ [0-9.]* s$//')"
check "summary detail" grep -q "failed: 2 http" "$TMP/mixed.err"
check "404 text line" grep -q "^404	$HTTP/status/404	" "$TMP/mixed.txt"
check_eq "-q silences the summary" "" \
    "$("$COFETCH" -q "$HTTP/status/200" 2>&1 >/dev/null)"

# Redirects are followed by default, up to --max-redirects.
r=$("$COFETCH" -q -f json "$HTTP/redirect/3")
check_eq "redirects followed" "200 3 $HTTP/redirect/0" \
    "$(jq -r '"\(.status) \(.redirects) \(.effective_url)"' <<<"$r")"
r=$("$COFETCH" -q -f json --no-follow "$HTTP/redirect/3")
check_eq "--no-follow stops at the 302" "302 true 0" \
    "$(jq -r '"\(.status) \(.ok) \(.redirects)"' <<<"$r")"
r=$("$COFETCH" -q -f json --max-redirects 2 "$HTTP/redirect/3")
check_eq "--max-redirects" "too_many_redirects" "$(jq -r .error <<<"$r")"

# Times are fixed decimals as written (microseconds), never exponents, so
# that a reader that copies the text gets a number a spreadsheet reads.
"$COFETCH" -q -f json "$HTTP/status/200" "$HTTP/delay/20" \
    "http://127.0.0.1:$(free_port)/" >"$TMP/times.json"
times=$(grep -o '"\(queued\|dns\|connect\|tls\|ttfb\|total\)":[^,}]*' \
    "$TMP/times.json" | cut -d: -f2)
check "every time field is written" test "$(echo "$times" | wc -l)" -eq 18
check_eq "every time is null or a fixed decimal" "" \
    "$(echo "$times" | grep -Ev '^(null|[0-9]+\.[0-9]{1,6})$')"

# Keep-alive: 200 requests at -j 4 need about 4 connections, not 200.
reset_stats
seq 200 | sed "s|^|$HTTP/status/200?n=|" >"$TMP/200.txt"
"$COFETCH" -q -j 4 -i "$TMP/200.txt" >/dev/null
check_range "connections reused" 1 8 "$(stat connections)"
# Bursts of transfers ending together must not lose their connections:
# libcurl 7.88's cache shrinks with the handles in it (about 1,000
# connections for these 5,000 requests, before it was sized for -j).
reset_stats
seq 5000 | sed "s|^|$HTTP/status/200?burst=|" >"$TMP/5000.txt"
"$COFETCH" -q -j 50 -i "$TMP/5000.txt" >/dev/null
check_range "-j 50: 5,000 requests on about 50 connections" 1 60 \
    "$(stat connections)"
# A connection no other task wants is closed when the cache is full,
# rather than kept at the cost of an older one: libcurl 7.88 leaves the
# host of each connection it closes that way in its cache for good, and
# walks them all at the next.  -j 1 keeps two connections: c.test's goes,
# and a.test's second URL finds its own (libcurl closed a.test's, the
# oldest, told by the millisecond: four).  A redirect to be followed
# keeps it for its next hop (five without).  Each count is less /stats'
# own connection.
cn() {
	reset_stats
	"$COFETCH" --dns-servers "$DNS" -q -j 1 "$@" >"$TMP/cn.out"
	echo "$(grep -c '^200' "$TMP/cn.out") $(( $(stat connections) - 1 ))"
}
check_eq "-j 1 over a b c a: 4 ok, 3 connections" "4 3" \
    "$(cn "http://a.test:$PORT/delay/20" "http://b.test:$PORT/delay/20" \
    "http://c.test:$PORT/delay/20" "http://a.test:$PORT/delay/20?2")"
check_eq "...a b c with two redirects on c: 3 ok, 3 connections" "3 3" \
    "$(cn "http://a.test:$PORT/delay/20" "http://b.test:$PORT/delay/20" \
    "http://c.test:$PORT/redirect/2")"

v=$("$COFETCH" --version)
check "--version names the libraries" bash -c \
    'grep -q "^cofetch [0-9]" <<<"$1" && grep -q "^libcurl " <<<"$1" &&
    grep -q "^c-ares " <<<"$1" && grep -q "^libevent " <<<"$1" &&
    grep -q "^cJSON " <<<"$1"' _ "$v"
check "--version names the license" grep -q "^License: MIT" <<<"$v"
check "--help" bash -c '"$1" --help | grep -q "^Usage: cofetch"' _ "$COFETCH"

finish
