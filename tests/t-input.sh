#!/bin/bash
# t-input.sh: where URLs come from and how lines are read: arguments then
# -i sources in order, stdin by default, blank and # lines, CRLF, bad
# lines as results, and a slow producer that must not stall the run.
. "$(dirname "$0")/lib.sh"
start_testd

# Arguments first, then each -i source; the index runs on across them.
printf '%s\n' "$HTTP/status/200?f=1" "$HTTP/status/200?f=2" >"$TMP/a.txt"
printf '%s\n' "$HTTP/status/200?s=1" | "$COFETCH" -q -k -f json \
    "$HTTP/status/200?arg" -i "$TMP/a.txt" -i - | jq -r '"\(.index) \(.url)"' \
    >"$TMP/order.txt"
check_eq "arguments, then -i sources in order" \
    "0 $HTTP/status/200?arg|1 $HTTP/status/200?f=1|2 $HTTP/status/200?f=2|3 $HTTP/status/200?s=1" \
    "$(paste -sd'|' "$TMP/order.txt")"

# Standard input when there is neither a URL argument nor -i.
check_eq "stdin by default" "200" \
    "$(echo "$HTTP/status/200" | "$COFETCH" -q | cut -f1)"

# Blank and comment lines take no index; CRLF and spaces are trimmed;
# the last line needs no newline.
printf '\n# comment\n  \t\n  %s  \r\n\r\n#%s\n%s' "$HTTP/status/201" \
    "$HTTP/status/500" "$HTTP/status/202" >"$TMP/lines.txt"
"$COFETCH" -q -k -f json -i "$TMP/lines.txt" >"$TMP/lines.json"
check_eq "blank, comment, CRLF, trim, no final newline" \
    "0 201 $HTTP/status/201|1 202 $HTTP/status/202" \
    "$(jq -r '"\(.index) \(.status) \(.url)"' "$TMP/lines.json" |
    paste -sd'|')"

# Bad lines are results with their index; the run goes on.
long=$(head -c 9000 /dev/zero | tr '\0' a)
{
	echo "$HTTP/status/200?first"
	echo "not a url"
	echo "file:///etc/passwd"
	echo "ftp://127.0.0.1/x"
	echo "http://$long"
	printf 'http://127.0.0.1/\0nul\n'
	echo "$HTTP/status/200?last"
} >"$TMP/bad.txt"
"$COFETCH" -q -k -f json -i "$TMP/bad.txt" >"$TMP/bad.json"
check_eq "exit 1 with bad lines" 1 $?
check "bad output is valid json" valid_jsonl "$TMP/bad.json"
check_eq "every line has one result, in order" "0 1 2 3 4 5 6" \
    "$(jq -r .index "$TMP/bad.json" | paste -sd' ')"
check_eq "bad lines are bad_input" \
    "null bad_input bad_input bad_input bad_input bad_input null" \
    "$(jq -r .error "$TMP/bad.json" | paste -sd' ')"
check "scheme named in the message" jq -se \
    '.[2].message | test("file")' "$TMP/bad.json"
check "long line message" jq -se \
    '.[4].message | test("longer than 8192")' "$TMP/bad.json"
check "NUL line message" jq -se '.[5].message | test("NUL")' "$TMP/bad.json"
check "bad lines took no attempt" jq -se \
    'map(select(.error == "bad_input") | .attempts == 0) | all' "$TMP/bad.json"
check_eq "port 0 is bad input (libcurl 7.88 takes it; found by fuzz_url)" \
    "bad_input" "$("$COFETCH" -q -f json "$HTTP:0/" "http://a.test:0/" |
    jq -r .error | sort -u)"
check_eq "an empty argument is bad input" "bad_input" \
    "$("$COFETCH" -q -f json "" | jq -r .error)"
check_eq "empty input: no results, exit 0" "0:" \
    "$("$COFETCH" -q </dev/null; echo "$?:")"

# A slow producer: the first URL's result must come out while stdin is
# still open.  If cofetch blocked on input, wait_for would time out.
mkfifo "$TMP/fifo"
"$COFETCH" -q -f json <"$TMP/fifo" >"$TMP/slow.json" &
pid=$!
exec 3>"$TMP/fifo"
echo "$HTTP/delay/100" >&3
check "first result before stdin ends" \
    wait_for 10 grep -q delay "$TMP/slow.json"
echo "$HTTP/status/200?second" >&3
exec 3>&-
wait "$pid"
check_eq "both fetched" 2 "$(wc -l <"$TMP/slow.json")"

finish
