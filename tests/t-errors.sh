#!/bin/bash
# t-errors.sh: each transport failure maps to its error kind, and every
# URL gets exactly one result whatever happens to it.
. "$(dirname "$0")/lib.sh"
start_testd

{
	echo "http://127.0.0.1:1/refused"
	echo "$HTTP/status/404"
	echo "$HTTP/status/500"
	echo "$RAW/reset"
	echo "$RAW/close"
	echo "$RAW/garbage"
	echo "$HTTP/redirect/30"
	echo "$HTTP/status/200"
} >"$TMP/e.txt"
"$COFETCH" -q -k -f json -i "$TMP/e.txt" >"$TMP/e.json"
check_eq "exit 1" 1 $?
check "valid json" valid_jsonl "$TMP/e.json"
check_eq "one result per URL, in order" "0 1 2 3 4 5 6 7" \
    "$(jq -r .index "$TMP/e.json" | paste -sd' ')"
check_eq "error kinds" \
    "connect http http reset reset protocol too_many_redirects null" \
    "$(jq -r .error "$TMP/e.json" | paste -sd' ')"
check_eq "statuses" "null 404 500 200 200 null 302 200" \
    "$(jq -r .status "$TMP/e.json" | paste -sd' ')"
check "every failure has a message" jq -se \
    'map(select(.ok | not) | .message | type == "string") | all' "$TMP/e.json"
check "http errors say their status" jq -se '.[1].message | test("404")' \
    "$TMP/e.json"
check "reset keeps the bytes received" jq -se '.[3].bytes == 1000' \
    "$TMP/e.json"

# Text format: HTTP errors are status lines, transport errors ERR lines.
"$COFETCH" -q -k -i "$TMP/e.txt" >"$TMP/e.txt.out"
check "text 404 line" grep -q "^404	$HTTP/status/404	[0-9]*	" "$TMP/e.txt.out"
check "text ERR line" grep -q \
    "^ERR	http://127.0.0.1:1/refused	connect	" "$TMP/e.txt.out"
check_eq "text: one line each" 8 "$(wc -l <"$TMP/e.txt.out")"
finish
