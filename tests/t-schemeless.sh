#!/bin/bash
# t-schemeless.sh: lists as people have them.  Lines without a scheme
# (domains, addresses, host:port) are fetched with the default one, as
# curl does, and shown as given; anything else without "://" stays bad
# input; jsonl and --skip-done follow the same rule.  --unique fetches
# each distinct URL once.
. "$(dirname "$0")/lib.sh"
make_cert
start_testd -c "$TMP/cert.pem" -k "$TMP/key.pem"
hp=127.0.0.1:$PORT
cf() { "$COFETCH" -q --dns-servers "$DNS" "$@"; }

{
	echo "a.test:$PORT/status/200"
	echo "$hp/status/201"
	echo "$hp"
	echo "[::1]:$PORT/status/202?x#frag"
	echo "UPPER.test:$PORT?q=1"
	echo "file:/etc/passwd"
	echo "mailto:a@b"
	echo "this is not a url"
	echo "a.test:80x/"
	echo "a.test:/path"
	echo ".a.test:$PORT/"
	echo "[zz]:$PORT/"
	echo "http:/$hp/status/200"
} >"$TMP/bare.txt"
cf -k -f json -i "$TMP/bare.txt" >"$TMP/bare.json"
check "valid json" valid_jsonl "$TMP/bare.json"
# (The test server listens on 127.0.0.1 only: [::1] is refused.)
check_eq "a host, an address, host:port, brackets: fetched over http" \
    "200 201 200 connect 200" \
    "$(jq -r 'select(.index < 5) | if .error == "connect" then .error
    else .status end' "$TMP/bare.json" | paste -sd' ')"
check "brackets keep their address" jq -se \
    '.[3].message | test("::1")' "$TMP/bare.json"
check_eq "url shows the line as given, effective_url the one fetched" \
    "a.test:$PORT/status/200 http://a.test:$PORT/status/200" \
    "$(jq -r 'select(.index == 0) | "\(.url) \(.effective_url)"' \
    "$TMP/bare.json")"
check_eq "anything else without :// is bad input" \
    "bad_input bad_input bad_input bad_input bad_input bad_input bad_input bad_input" \
    "$(jq -r 'select(.index >= 5) | .error' "$TMP/bare.json" | paste -sd' ')"
check_eq "the text format shows the line as given" \
    "201	$hp/status/201" \
    "$(cf "$hp/status/201" | cut -f1,2)"
check_eq "--proto-default https" "200 https://tls.test:$HTTPS_PORT/status/200" \
    "$(cf -f json --proto-default https --cacert "$TMP/cert.pem" \
    "tls.test:$HTTPS_PORT/status/200" | jq -r '"\(.status) \(.effective_url)"')"
check_eq "--proto-default takes http or https only" 2 \
    "$("$COFETCH" --proto-default ftp "$hp" >/dev/null 2>&1; echo $?)"
check_eq "a jsonl url follows the same rule" "200 bad_input" \
    "$(printf '%s\n' "{\"url\":\"$hp/status/200\"}" '{"url":"mailto:x@y"}' |
    cf -k -f json --input-format jsonl | jq -r '.status // .error' |
    sed 's/^0$//' | paste -sd' ')"

# --skip-done knows the records of a run of bare lines.
printf '%s\n' "$hp/status/200?r=1" "$hp/status/200?r=2" >"$TMP/r.txt"
cf -f json -i "$TMP/r.txt" >"$TMP/r.jsonl"
reset_stats
printf '%s\n' "$hp/status/200?r=3" >>"$TMP/r.txt"
cf -f json --skip-done "$TMP/r.jsonl" -i "$TMP/r.txt" >"$TMP/r2.jsonl"
check_eq "a resumed run skips its own bare lines" \
    "1 $hp/status/200?r=3" \
    "$(stat requests) $(jq -r .url "$TMP/r2.jsonl")"

# --unique: each distinct URL once, repeats keep their index, no result.
{
	for i in 1 2 3; do
		echo "$HTTP/status/200?u=1"
		echo "$hp/status/200?u=2"
		echo "http://$hp/status/200?u=2"
		echo "not a url"
	done
} >"$TMP/dup.txt"
reset_stats
cf -k -f json --unique -i "$TMP/dup.txt" >"$TMP/dup.json" 2>"$TMP/dup.err"
check_eq "repeats fetched once; bare and schemed are one URL; bad lines all" \
    "0 1 3 7 11" "$(jq -r .index "$TMP/dup.json" | paste -sd' ')"
check_eq "the server saw two requests" 2 "$(stat requests)"
"$COFETCH" --dns-servers "$DNS" -k --unique -i "$TMP/dup.txt" \
    >/dev/null 2>"$TMP/dup.err"
check "the summary counts the repeats" grep -q \
    "7 repeated lines skipped (--unique)" "$TMP/dup.err"
check_eq "without --unique every line is fetched" 12 \
    "$(cf -f json -i "$TMP/dup.txt" | wc -l)"
check_eq "--unique with --shard: each shard skips its own repeats" "0 3 6" \
    "$(cf -k -f json --unique --shard 1/3 -i "$TMP/dup.txt" |
    jq -r .index | paste -sd' ')"
printf '%s\n' "$HTTP/status/200?u=1" "$HTTP/status/200?u=1" \
    "$HTTP/status/200?u=9" >"$TMP/u.txt"
cf -f json -i "$TMP/u.txt" | head -1 >"$TMP/u.jsonl"
check_eq "--unique with --skip-done" "2" \
    "$(cf -f json --unique --skip-done "$TMP/u.jsonl" -i "$TMP/u.txt" |
    jq -r .index)"
finish
