#!/bin/bash
# t-redirect.sh: cofetch follows redirects itself: every hop's name through
# c-ares, only http and https, the method rules per status, a limit, and
# credentials that never follow a redirect to another host.
. "$(dirname "$0")/lib.sh"
start_testd
cf() {
	"$COFETCH" -q --dns-servers "$DNS" "$@"
}
enc() {
	jq -rn --arg u "$1" '$u | @uri'
}
seen() {
	curl -s "$HTTP/seen/$1"
}

# A redirect to another host: that name is resolved by c-ares too.
r=$(cf -v -f json "http://from.test:$PORT/to/302?$(enc "http://to.test:$PORT/status/200")" \
    2>"$TMP/x.err")
check_eq "cross-host redirect followed" "200 1 http://to.test:$PORT/status/200" \
    "$(jq -r '"\(.status) \(.redirects) \(.effective_url)"' <<<"$r")"
check_eq "the new host was asked of c-ares" 1 "$(queries to.test)"
check "libcurl resolved nothing itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/x.err"

# Relative locations, and chains.
r=$(cf -f json "$HTTP/to/301?$(enc /status/201)")
check_eq "relative Location" "201 $HTTP/status/201" \
    "$(jq -r '"\(.status) \(.effective_url)"' <<<"$r")"
check_eq "chain of 3" "200 3" \
    "$(cf -f json "$HTTP/redirect/3" | jq -r '"\(.status) \(.redirects)"')"

# The method rules: 301/302/303 become GET without a body, 307/308 repeat
# the request as it was; HEAD stays HEAD.
for code in 301 302 303 307 308; do
	cf -X POST -d hello "$HTTP/to/$code?$(enc "/echo/post$code")" >/dev/null
done
for code in 301 302 303; do
	check_eq "POST then $code: GET without body" "method GET|body 0 " \
	    "$(seen "post$code" | grep -E '^(method|body)' | paste -sd'|')"
done
for code in 307 308; do
	check_eq "POST then $code: POST with its body" \
	    "method POST|body 5 hello" \
	    "$(seen "post$code" | grep -E '^(method|body)' | paste -sd'|')"
done
cf -X PUT -d x "$HTTP/to/303?$(enc /echo/put303)" >/dev/null
check_eq "PUT then 303: GET" "method GET" "$(seen put303 | head -1)"
cf -X HEAD "$HTTP/to/302?$(enc /echo/head302)" >/dev/null
check_eq "HEAD then 302: HEAD" "method HEAD" "$(seen head302 | head -1)"

# Only http and https, for redirects as for input: a Location of file://
# is refused, never read.
for target in file:///etc/passwd ftp://127.0.0.1/x "gopher://127.0.0.1/"; do
	r=$(cf -f json "$HTTP/to/302?$(enc "$target")")
	check_eq "redirect to ${target%%:*} refused" "protocol 302 0" \
	    "$(jq -r '"\(.error) \(.status) \(.redirects)"' <<<"$r")"
done
check "the message names the scheme" jq -e '.message | test("file")' \
    <<<"$(cf -f json "$HTTP/to/302?$(enc file:///etc/passwd)")"

# Loops end at the limit.
r=$(cf -f json "$HTTP/redirect/30")
check_eq "loop stops after 10" "too_many_redirects 10" \
    "$(jq -r '"\(.error) \(.redirects)"' <<<"$r")"
check_eq "--max-redirects 2" "too_many_redirects 2" \
    "$(cf -f json --max-redirects 2 "$HTTP/redirect/3" |
    jq -r '"\(.error) \(.redirects)"')"
check_eq "--max-redirects 0 refuses the first" too_many_redirects \
    "$(cf -f json --max-redirects 0 "$HTTP/redirect/1" | jq -r .error)"
check_eq "--no-follow keeps the 302, ok" "302 true 0" \
    "$(cf -f json --no-follow "$HTTP/redirect/3" |
    jq -r '"\(.status) \(.ok) \(.redirects)"')"

# -H credentials stay with the host they were given for.
cf -H "Authorization: Bearer s3cret" -H "Cookie: c=1" -H "X-Keep: yes" \
    "http://first.test:$PORT/to/302?$(enc "/echo/same")" >/dev/null
check "same host: credentials kept" bash -c \
    'grep -q "^header Authorization: Bearer s3cret" <<<"$1" &&
    grep -q "^header Cookie: c=1" <<<"$1"' _ "$(seen same)"
cf -H "Authorization: Bearer s3cret" -H "Cookie: c=1" -H "X-Keep: yes" \
    "http://first.test:$PORT/to/302?$(enc "http://other.test:$PORT/echo/other")" \
    >/dev/null
check_eq "other host: only the harmless header" "header X-Keep: yes" \
    "$(seen other | grep -E '^header (X-|Auth|Cookie)')"

# Chains across many hosts: 200 URLs, each through 5 names of its own
# (1,000 names), and 50 whose 12 hosts pass --max-redirects.
chain() {
	local url="http://c$1-$2.test:$PORT/status/200" k
	for k in $(seq $(($2 - 1)) -1 1); do
		url="http://c$1-$k.test:$PORT/to/302?$(enc "$url")"
	done
	echo "$url"
}
{
	for i in $(seq 200); do chain "$i" 5; done
	for i in $(seq 201 250); do chain "$i" 12; done
} >"$TMP/chains"
cf -v -k -j 100 -f json -i "$TMP/chains" >"$TMP/chains.out" 2>"$TMP/chains.err"
check "chains: valid JSON Lines" valid_jsonl "$TMP/chains.out"
check_eq "chains: 5 hosts each: ok after 4 redirects; 12: too_many_redirects" \
    "200 true 4|50 false 10" \
    "$(jq -r '"\(.ok) \(.redirects)"' "$TMP/chains.out" | uniq -c |
    awk '{ print $1, $2, $3 }' | paste -sd'|')"
check_eq "chains: each ends at its own last host" 200 \
    "$(jq -r 'select(.ok) | .effective_url' "$TMP/chains.out" |
    grep -c '^http://c[0-9]*-5\.test')"
check_eq "chains: every name asked of c-ares once" "1 1 1" \
    "$(queries c1-1.test) $(queries c100-3.test) $(queries c200-5.test)"
check "chains: libcurl resolved nothing itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/chains.err"
finish
