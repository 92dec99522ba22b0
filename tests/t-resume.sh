#!/bin/bash
# t-resume.sh: --skip-done and --input-format jsonl.  An interrupted run
# (SIGINT, or kill -9 cutting its last line) resumed with
#   cofetch --skip-done out.jsonl -i urls >> out.jsonl
# fetches exactly the URLs not yet ok, keyed by URL, indices kept; jsonl
# lines carry id, method, headers and body through, and a malformed line
# is one bad_input result.
. "$(dirname "$0")/lib.sh"
start_testd

# Every URL in FILE has exactly one ok result (whole lines only).
ok_once() {
	python3 - "$1" "$2" <<'PY'
import json, sys
urls = [l.strip() for l in open(sys.argv[2]) if l.strip()]
ok = {}
for line in open(sys.argv[1], "rb").read().split(b"\n"):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if isinstance(r, dict) and r.get("ok"):
        ok[r["url"]] = ok.get(r["url"], 0) + 1
bad = [u for u in urls if ok.get(u) != 1]
sys.exit("not exactly one ok result: %s" % bad[:3] if bad else 0)
PY
}

for i in $(seq 0 99); do echo "$HTTP/delay/$((i % 5 * 100))?i=$i"; done \
    >"$TMP/urls.txt"
"$COFETCH" -f json -j 10 -i "$TMP/urls.txt" >"$TMP/out.jsonl" 2>/dev/null &
pid=$!
wait_for 10 sh -c "[ \$(wc -l <'$TMP/out.jsonl') -ge 30 ]"
kill -INT "$pid"
wait "$pid"
first_ok=$(jq -r 'select(.ok) | .url' "$TMP/out.jsonl" | sort -u | wc -l)
check_range "interrupted run: some done, some not" 30 90 "$first_ok"
reset_stats
"$COFETCH" -f json -j 20 --skip-done "$TMP/out.jsonl" -i "$TMP/urls.txt" \
    >>"$TMP/out.jsonl" 2>"$TMP/resume.err"
check_eq "resumed: exit 0" 0 "$?"
check_eq "resumed: fetched exactly the URLs not yet ok" \
    "$((100 - first_ok))" "$(stat requests)"
check "resumed: every URL has exactly one ok result" \
    ok_once "$TMP/out.jsonl" "$TMP/urls.txt"
check "resumed: the file is valid JSON Lines" valid_jsonl "$TMP/out.jsonl"
check_eq "resumed: indices are input positions" "" \
    "$(jq -r 'select(.url | test("i=\(.index)$") | not) | .index' \
    "$TMP/out.jsonl")"
check "resumed: the summary counts the skipped lines" \
    grep -q "$first_ok lines skipped as done" "$TMP/resume.err"

# kill -9 leaves a cut last line: ignored, and ended before appending.
for i in $(seq 0 9); do echo "$HTTP/status/200?k=$i"; done >"$TMP/k.txt"
"$COFETCH" -q -f json -i "$TMP/k.txt" | head -4 >"$TMP/k.jsonl"
printf '{"index":4,"url":"%s","ok":tr' "$HTTP/status/200?k=4" >>"$TMP/k.jsonl"
reset_stats
"$COFETCH" -q -f json --skip-done "$TMP/k.jsonl" -i "$TMP/k.txt" >>"$TMP/k.jsonl"
check_eq "cut last line: ignored, its URL fetched again" 6 "$(stat requests)"
check "cut last line: the new results are whole, none glued on" \
    ok_once "$TMP/k.jsonl" "$TMP/k.txt"

# Keyed by URL: a changed list fetches only what is new or not ok.
{
	echo "$HTTP/status/404?z"
	tac "$TMP/k.txt"
	echo "$HTTP/status/200?new"
} >"$TMP/k2.txt"
"$COFETCH" -q -f json -i "$TMP/k2.txt" --skip-done /dev/null >/dev/null
"$COFETCH" -q -f json "$HTTP/status/404?z" >"$TMP/z.jsonl"
cat "$TMP/k.jsonl" >>"$TMP/z.jsonl"
reset_stats
out=$("$COFETCH" -q -k --skip-done "$TMP/z.jsonl" -i "$TMP/k2.txt" | cut -f1,2)
check_eq "keyed by URL: the 404 again and the new one, in order with -k" \
    "404	$HTTP/status/404?z
200	$HTTP/status/200?new" "$out"
check_eq "keyed by URL: two requests" 2 "$(stat requests)"
"$COFETCH" -q --skip-done "$TMP/none.jsonl" "$HTTP/status/200" >/dev/null \
    2>"$TMP/none.err"
check_eq "--skip-done with a missing file: usage error" 2 "$?"
: >"$TMP/empty.jsonl"
check_eq "--skip-done with an empty file fetches everything" 10 \
    "$("$COFETCH" -q --skip-done "$TMP/empty.jsonl" -i "$TMP/k.txt" | wc -l)"
printf 'garbage\n{"url":"%s","ok":true}\n' "$HTTP/status/200?k=1" \
    >"$TMP/mixed.jsonl"
check_eq "--skip-done: lines that are not results are ignored" 9 \
    "$("$COFETCH" -q --skip-done "$TMP/mixed.jsonl" -i "$TMP/k.txt" 2>/dev/null |
    wc -l)"
check "--skip-done: and said so" sh -c "'$COFETCH' --skip-done '$TMP/mixed.jsonl' \
    -i '$TMP/k.txt' 2>&1 >/dev/null | grep -q '1 lines are not cofetch json'"

# --- --input-format jsonl
python3 - "$HTTP" >"$TMP/in.jsonl" <<'PY'
import json, sys
h = sys.argv[1]
lines = [
    {"url": h + "/echo/j1", "id": 12345678901234567890123, "method": "PUT",
     "headers": {"X-A": "line", "X-Empty": ""}, "data": "hello body"},
    {"url": h + "/status/200", "id": {"k": [1, "\u00e9"]}},
    {"url": h + "/status/200"},
    {"url": h + "/echo/j2", "id": "s", "data": "posted"},
]
for l in lines:
    print(json.dumps(l, ensure_ascii=False))
print('{"url": "%s/status/200", "id": 1.50}' % h)
print('not json')
print('{"id": 7}')
print('{"url": "%s/status/200", "method": "GE T", "id": "m"}' % h)
print('[1, 2]')
print('{"url": "%s/status/200"} trailing' % h)
print('{"url": "%s/status/200", "headers": {"X-Bad": "a\\r\\nInjected: 1"}, "id": 9}' % h)
print('{"url": "%s/status/200", "headers": ["X: 1"], "id": 10}' % h)
print('{"url": 5, "id": 11}')
print('{"url": "%s/echo/nul\\u0000x", "id": 12}' % h)
print('{"url": "%s/status/200", "id": 013}' % h)
print('{"url": "%s/status/200", "\\u0069d": 14, "id": 15}' % h)
sys.stdout.flush()
sys.stdout.buffer.write(b'{"url": "' + h.encode() + b'/status/200", "id": "\xff\xfe"}\n')
PY
"$COFETCH" -q -k -f json --input-format jsonl -H "X-A: cli" -H "X-B: cli" \
    -i "$TMP/in.jsonl" >"$TMP/in.out"
check "jsonl: the output is valid JSON Lines" valid_jsonl "$TMP/in.out"
check_eq "jsonl: every line has a result, each with its id" \
    '12345678901234567890123 {"k":[1,"é"]} null "s" 1.50 null 7 "m" null null 9 10 11 12 null 14 "��"' \
    "$(python3 -c '
import sys, re
for l in open(sys.argv[1]):
    print(re.search(r"\"id\":(.*?),\"ok\"", l).group(1))' "$TMP/in.out" | paste -sd' ')"
check_eq "jsonl: method, headers (the line's replace -H's) and body" \
    "method PUT
header User-Agent: cofetch/$(sed -n 's/^cofetch \([^ ]*\).*/\1/p' <("$COFETCH" -V))
header X-B: cli
header X-A: line
header X-Empty: 
body 10 hello body" "$(curl -s "$HTTP/seen/j1")"
check_eq "jsonl: data without a method is a POST" "method POST" \
    "$(curl -s "$HTTP/seen/j2" | head -1)"
# Found by fuzz_jsonl: cJSON ends a string at \u0000 and reads 013 as 13.
check_eq "jsonl: a NUL in a string, and a number JSON does not allow, are bad_input" \
    "12 bad_input NUL|null bad_input valid JSON number" \
    "$(jq -r 'select(.id == 12 or (.message // "" | test("number"))) |
    "\(.id) \(.error) \(.message | if test("NUL") then "NUL" else
    "valid JSON number" end)"' "$TMP/in.out" | paste -sd'|')"
check_eq "jsonl: nothing was sent for the URL cut at its NUL" "" \
    "$(curl -s "$HTTP/seen/nul")"

# One easy handle serves every line at -j 1: nothing of one line's request
# (method, body, headers) may reach the next.
python3 - "$HTTP" >"$TMP/seq.jsonl" <<'PY'
import json, sys
h = sys.argv[1]
for l in [{"url": h + "/echo/s1", "method": "PUT", "data": "one",
           "headers": {"X-A": "1", "User-Agent": "line-agent"}},
          {"url": h + "/echo/s2"},
          {"url": h + "/echo/s3", "method": "HEAD"},
          {"url": h + "/echo/s4"},
          {"url": h + "/echo/s5", "method": "DELETE"},
          {"url": h + "/echo/s6", "data": "six"},
          {"url": h + "/echo/s7"}]:
    print(json.dumps(l))
PY
"$COFETCH" -q -j 1 -f json --input-format jsonl -i "$TMP/seq.jsonl" >/dev/null
ua="User-Agent: cofetch/$(sed -n 's/^cofetch \([^ ]*\).*/\1/p' <("$COFETCH" -V))"
check_eq "jsonl at -j 1: each line's request is its own" \
    "method PUT|header X-A: 1|header User-Agent: line-agent|body 3 one
method GET|header $ua|body 0 
method HEAD|header $ua|body 0 
method GET|header $ua|body 0 
method DELETE|header $ua|body 0 
method POST|header $ua|body 3 six
method GET|header $ua|body 0 " \
    "$(for i in 1 2 3 4 5 6 7; do curl -s "$HTTP/seen/s$i" | paste -sd'|'; done)"
check_eq "jsonl: the good lines ok, the malformed ones bad_input" \
    "ok ok ok ok ok bad_input bad_input bad_input bad_input bad_input bad_input bad_input bad_input bad_input bad_input ok ok" \
    "$(jq -r 'if .ok then "ok" else .error end' "$TMP/in.out" | paste -sd' ')"
check_eq "jsonl: why each bad line is bad" \
    'not valid JSON|no "url" string|"method" is not an HTTP method|not a JSON object|not valid JSON|a header'"'"'s value contains a line break|"headers" is not an object|no "url" string|a string holds a NUL (\u0000), which cannot be sent as given|"id" is not a valid JSON number' \
    "$(jq -r 'select(.error) | .message' "$TMP/in.out" | paste -sd'|')"
check_eq "lines format: no id field" "false" \
    "$("$COFETCH" -q -f json "$HTTP/status/200" | jq 'has("id")')"
check_eq "jsonl with --skip-done: keyed by the url field (bad lines again)" \
    "10 bad_input" "$("$COFETCH" -q -f json --input-format jsonl --skip-done \
    "$TMP/in.out" -i "$TMP/in.jsonl" | jq -r .error | uniq -c |
    awk '{ print $1, $2 }')"
"$COFETCH" --input-format csv "$HTTP/status/200" >/dev/null 2>&1
check_eq "--input-format csv is a usage error" 2 "$?"
finish
