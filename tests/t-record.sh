#!/bin/bash
# t-record.sh: a JSON record worth keeping: where and when each answer
# came from (remote_ip, started), its validators (etag, last_modified),
# the redirect chain (--with-chain), the body (--with-body, text or
# base64) and its hash (--hash sha256, checked against Python's), and
# re-runs that fetch only what changed (--revalidate).
. "$(dirname "$0")/lib.sh"
start_testd
cf() { "$COFETCH" -q -f json "$@"; }
py() { python3 -c "$@"; }

# --- always in json: remote_ip, started, etag, last_modified.
before=$(date +%s%3N)
cf "$HTTP/cond/1" >"$TMP/one.json"
after=$(date +%s%3N)
check_eq "remote_ip is the address answered from" "127.0.0.1" \
    "$(jq -r .remote_ip "$TMP/one.json")"
check "started is RFC 3339 UTC with ms, within the run" py '
import json, sys, datetime
r = json.load(open(sys.argv[1]))
s = r["started"]
assert len(s) == 24 and s.endswith("Z"), s
t = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
ms = (t - datetime.datetime(1970, 1, 1)).total_seconds() * 1000
assert int(sys.argv[2]) - 1 <= ms <= int(sys.argv[3]) + 1, (ms, sys.argv)
' "$TMP/one.json" "$before" "$after"
check_eq "etag and last_modified as sent" \
    '"1-v0" Mon, 01 Dec 2025 10:00:00 GMT' \
    "$(jq -r '"\(.etag) \(.last_modified)"' "$TMP/one.json")"
check_eq "null when absent" "null null" \
    "$(cf "$HTTP/status/200" | jq -c '[.etag, .last_modified]' | tr -d '[]' |
    tr ',' ' ')"
check_eq "no connection: remote_ip null; a bad line: started null" \
    "null null" "$(cf "http://127.0.0.1:$(free_port)/" "not a url" -k |
    jq -r 'if .error == "connect" then .remote_ip else .started end' |
    paste -sd' ')"
check_eq "a weak ETag, two ETags (the first kept), a control byte" \
    'W/"2-v0"|"2-v0"|"2-v0\u0001"' \
    "$(cf -k "$HTTP/cond/2?weak" "$HTTP/cond/2?two" "$HTTP/cond/2?ctl" |
    jq -c .etag | sed 's/^"//; s/"$//; s/\\"/"/g' | paste -sd'|')"
check_eq "a Last-Modified that is not a date is kept as sent" \
    "yesterday, roughly" "$(cf "$HTTP/cond/3?badlm" | jq -r .last_modified)"

# --- --with-chain.
check_eq "--with-chain: one entry per response, the final last" \
    "302 $HTTP/redirect/1|302 $HTTP/redirect/0|200 null" \
    "$(cf --with-chain "$HTTP/redirect/2" |
    jq -r '.chain[] | "\(.status) \(.location)"' | paste -sd'|')"
check_eq "--with-chain: the entries' urls" \
    "$HTTP/redirect/2 $HTTP/redirect/1 $HTTP/redirect/0" \
    "$(cf --with-chain "$HTTP/redirect/2" | jq -r '[.chain[].url] | join(" ")')"
check_eq "--with-chain: [] when no response came" "[]" \
    "$(cf --with-chain "http://127.0.0.1:$(free_port)/" | jq -c .chain)"
check_eq "--with-chain: the final attempt's only (--retries)" "1 200" \
    "$(cf --with-chain --retries 2 "$HTTP/flaky/c1?n=1" |
    jq -r '"\(.chain | length) \(.chain[0].status)"')"
check_eq "without --with-chain there is no chain field" "false" \
    "$(cf "$HTTP/status/200" | jq 'has("chain")')"

# --- --with-body: text from the page's charset, base64 byte-exact.
check_eq "--with-body: text in UTF-8 from the charset (Latin-1 here)" \
    "café" "$(cf --with-body "$HTTP/page?ct=text/plain;%20charset=iso-8859-1&b=caf%E9" |
    jq -r .body)"
check_eq "--with-body: undecodable bytes become U+FFFD" \
    "$(printf 'a\xef\xbf\xbdb')" \
    "$(cf --with-body "$HTTP/page?ct=text/plain&b=a%FFb" | jq -r .body)"
cf --with-body "$HTTP/blob/5000/3" >"$TMP/bin.json"
check "binary text body: valid UTF-8 JSON" valid_jsonl "$TMP/bin.json"
curl -s "$HTTP/blob/70000/9" >"$TMP/blob"
cf --with-body=base64 "$HTTP/blob/70000/9" >"$TMP/b64.json"
check "--with-body=base64 is the bytes, as Python's base64 decodes" py '
import base64, json, sys
r = json.load(open(sys.argv[1]))
assert base64.b64decode(r["body"], validate=True) == open(sys.argv[2], "rb").read()
' "$TMP/b64.json" "$TMP/blob"
check_eq "--with-body: null when no body came" "null" \
    "$(cf --with-body "http://127.0.0.1:$(free_port)/" | jq -c .body)"
check_eq "--with-body caps a body at 1 MiB by default" "1048576 1398104 true" \
    "$(cf --with-body=base64 "$HTTP/bytes/3000000" |
    jq -r '"\(.bytes) \(.body | length) \(.truncated)"')"
check_eq "--max-bytes still sets the cap" "100 true" \
    "$(cf --with-body --max-bytes 100 "$HTTP/bytes/3000" |
    jq -r '"\(.body | length) \(.truncated)"')"
seq 20 | sed "s|^|$HTTP/endless?n=|" >"$TMP/endless.txt"
/usr/bin/time -f %M -o "$TMP/rss" "$COFETCH" -q -f json --with-body \
    -j 20 -i "$TMP/endless.txt" >"$TMP/endless.json"
check "20 endless bodies are each cut at the cap" jq -se \
    'map(.truncated and .bytes == 1048576) | all' "$TMP/endless.json"
[ "$SANITIZED" = 0 ] &&
    check_range "... in memory bounded by -j x the cap (KiB)" 1 120000 \
    "$(tail -1 "$TMP/rss")"
check_eq "--with-body with -k and redirects: the final body" "arrived" \
    "$(cf -k --with-body "$HTTP/redirect/3" | jq -r .body | tr -d '\n')"

# --- --hash sha256, against Python's hashlib.
cf --hash sha256 "$HTTP/blob/70000/9" >"$TMP/h.json"
check_eq "--hash sha256 is the body's SHA-256" \
    "$(py 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$TMP/blob")" \
    "$(jq -r .sha256 "$TMP/h.json")"
check_eq "--hash over what --max-bytes kept" \
    "$(head -c 1000 "$TMP/blob" | sha256sum | cut -d' ' -f1)" \
    "$(cf --hash sha256 --max-bytes 1000 "$HTTP/blob/70000/9" | jq -r .sha256)"
check_eq "--hash: null when no body came; the empty body's hash" \
    "null e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$(cf -k --hash sha256 "http://127.0.0.1:$(free_port)/" \
    "$HTTP/page?b=" | jq -r .sha256 | paste -sd' ')"
check_eq "--hash: a decoded (gzip) body's bytes" \
    "$(curl -s --compressed "$HTTP/gzip/5000" | sha256sum | cut -d' ' -f1)" \
    "$(cf --hash sha256 "$HTTP/gzip/5000" | jq -r .sha256)"
check_eq "--hash md5 is a usage error" 2 \
    "$("$COFETCH" --hash md5 "$HTTP/" >/dev/null 2>&1; echo $?)"

# --- --revalidate: only what changed is fetched again.
for i in $(seq 0 9); do echo "$HTTP/cond/$i"; done >"$TMP/c.txt"
cf -k -i "$TMP/c.txt" >"$TMP/last.jsonl"
curl -s "$HTTP/cond-change/3/1" >/dev/null
reset_stats
cf -k --revalidate "$TMP/last.jsonl" -i "$TMP/c.txt" >"$TMP/new.jsonl"
check_eq "every URL sent its validators" "10 10" \
    "$(curl -s "$HTTP/stats/cond" | jq -r '"\(.if_none_match) \(.if_modified_since)"')"
check_eq "the 3 changed came whole, the 7 others as 304" "3 7" \
    "$(curl -s "$HTTP/stats/cond" | jq -r '"\(.["200"]) \(.["304"])"')"
check_eq "a 304 is ok, unchanged, 0 bytes" "7" \
    "$(jq -r 'select(.ok and .status == 304 and .unchanged and .bytes == 0)' \
    "$TMP/new.jsonl" | jq -s length)"
check_eq "a changed one is unchanged: false, with its new validators" \
    '"0-v1" false' "$(jq -r 'select(.index == 0) | "\(.etag) \(.unchanged)"' \
    "$TMP/new.jsonl")"
check_eq "a 304 carries its validators forward" '"5-v0"' \
    "$(jq -r 'select(.index == 5) | .etag' "$TMP/new.jsonl")"
mv "$TMP/new.jsonl" "$TMP/last.jsonl"
reset_stats
cf -k --revalidate "$TMP/last.jsonl" -i "$TMP/c.txt" >/dev/null
check_eq "the next night: all unchanged" "0 10" \
    "$(curl -s "$HTTP/stats/cond" | jq -r '"\(.["200"]) \(.["304"])"')"
check_eq "without --revalidate there is no unchanged field" "false" \
    "$(cf "$HTTP/status/200" | jq 'has("unchanged")')"

# The newest record of a URL wins; a cut last line is ignored; a value
# with a control byte is never sent; a Last-Modified kept as sent.
{
	echo "{\"url\":\"$HTTP/cond/7\",\"ok\":true,\"etag\":\"\\\"7-v0\\\"\"}"
	echo "{\"url\":\"$HTTP/cond/7\",\"ok\":false,\"etag\":\"\\\"7-v0\\\"\"}"
	echo "{\"url\":\"$HTTP/cond/8?ctl\",\"ok\":true,\"etag\":\"\\\"8-v0\\u0001\\\"\"}"
	printf '{"url":"%s/cond/9","ok":tr' "$HTTP"
} >"$TMP/odd.jsonl"
reset_stats
cf -k --revalidate "$TMP/odd.jsonl" "$HTTP/cond/7" "$HTTP/cond/8?ctl" \
    "$HTTP/cond/9" >"$TMP/odd.out"
check_eq "newest failed, control byte, cut line: no validator sent" \
    "0 0 3" "$(curl -s "$HTTP/stats/cond" |
    jq -r '"\(.if_none_match) \(.if_modified_since) \(.["200"])"')"
cf -k "$HTTP/cond/4?badlm" >"$TMP/bad.jsonl"
reset_stats
check_eq "a Last-Modified that is no date goes back as sent (a 304)" \
    "304 true" "$(cf --revalidate "$TMP/bad.jsonl" "$HTTP/cond/4?badlm" |
    jq -r '"\(.status) \(.unchanged)"')"
check_eq "a 304 to a request that sent no validator: unchanged false" \
    "304 false" "$(cf --revalidate "$TMP/bad.jsonl" \
    -H 'If-None-Match: "5-v0"' "$HTTP/cond/5" |
    jq -r '"\(.status) \(.unchanged)"')"

# With -o a 304 writes nothing; jsonl input; --skip-done is refused.
mkdir "$TMP/out"
cf -k -o "$TMP/out" --revalidate "$TMP/last.jsonl" "$HTTP/cond/0" \
    "$HTTP/cond/99" >"$TMP/o.json"
check_eq "-o: a 304 writes no file, path null; a 200 is saved" "null saved" \
    "$(jq -r 'if .status == 304 then .path else
    (if (.path | test("out")) then "saved" else .path end) end' "$TMP/o.json" |
    paste -sd' ')"
check_eq "-o: only the 200's file is there" 1 "$(ls "$TMP/out" | wc -l)"
check_eq "--revalidate with jsonl input" "304 true" \
    "$(echo "{\"url\":\"$HTTP/cond/1\",\"id\":1}" |
    cf --input-format jsonl --revalidate "$TMP/last.jsonl" |
    jq -r '"\(.status) \(.unchanged)"')"
check_eq "--revalidate with --skip-done is a usage error" 2 \
    "$("$COFETCH" --revalidate "$TMP/last.jsonl" --skip-done \
    "$TMP/last.jsonl" "$HTTP/" >/dev/null 2>&1; echo $?)"
check_eq "--revalidate with a missing file is a usage error" 2 \
    "$("$COFETCH" --revalidate "$TMP/none.jsonl" "$HTTP/" >/dev/null 2>&1;
    echo $?)"
finish
