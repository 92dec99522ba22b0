#!/bin/bash
# t-http.sh: the request options: -X, -H, -A, -d, --proxy, and
# compressed bodies.
. "$(dirname "$0")/lib.sh"
start_testd
seen() {
	curl -s "$HTTP/seen/$1"
}

"$COFETCH" -q "$HTTP/echo/plain" >/dev/null
check_eq "GET by default, cofetch's User-Agent" \
    "method GET|header User-Agent: cofetch/$("$COFETCH" -V | awk 'NR == 1 { print $2 }')" \
    "$(seen plain | grep -E '^(method|header User)' | paste -sd'|')"
"$COFETCH" -q -d 'a=1&b=2' "$HTTP/echo/post" >/dev/null
check_eq "-d sends a POST with the body" "method POST|body 7 a=1&b=2" \
    "$(seen post | grep -E '^(method|body)' | paste -sd'|')"
"$COFETCH" -q -X PUT -d 'x' "$HTTP/echo/put" >/dev/null
check_eq "-X PUT -d" "method PUT|body 1 x" \
    "$(seen put | grep -E '^(method|body)' | paste -sd'|')"
"$COFETCH" -q -X DELETE "$HTTP/echo/delete" >/dev/null
check_eq "-X DELETE" "method DELETE" "$(seen delete | head -1)"
r=$("$COFETCH" -q -f json -X HEAD "$HTTP/bytes/5000")
check_eq "-X HEAD: no body" "200 0" "$(jq -r '"\(.status) \(.bytes)"' <<<"$r")"
"$COFETCH" -q -A "probe/1.0" -H "X-One: 1" -H "X-Two: two words" \
    "$HTTP/echo/headers" >/dev/null
check_eq "-A and -H" \
    "header User-Agent: probe/1.0|header X-One: 1|header X-Two: two words" \
    "$(seen headers | grep '^header' | sort | paste -sd'|')"

r=$("$COFETCH" -q -f json "$HTTP/gzip/30000")
check_eq "gzip body decoded; bytes count decoded bytes" "200 30000" \
    "$(jq -r '"\(.status) \(.bytes)"' <<<"$r")"
check "the server did compress it" bash -c \
    'curl -s -D - -o /dev/null "$1" | grep -qi "^content-encoding: gzip"' \
    _ "$HTTP/gzip/10"

# --proxy: every request goes through it; only its name is resolved, by
# c-ares (the proxy resolves the target's).
reset_stats
r=$("$COFETCH" -q -v -f json --dns-servers "$DNS" \
    --proxy "http://proxy.test:$PORT" "http://target.test:$PORT/status/200" \
    2>"$TMP/p.err")
check_eq "through the proxy" "200 1" \
    "$(jq -r .status <<<"$r") $(stat proxied)"
check_eq "only the proxy's name resolved" "1 0" \
    "$(queries proxy.test) $(queries target.test)"
check "libcurl resolved nothing itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/p.err"

# The environment's proxies are not read: a dead one must not matter, and
# libcurl must not be left to resolve its name.
reset_stats
r=$(http_proxy="http://dead.test:9" HTTP_PROXY="http://dead.test:9" \
    ALL_PROXY="http://dead.test:9" "$COFETCH" -q -v -f json \
    --dns-servers "$DNS" "http://target.test:$PORT/status/200" 2>"$TMP/e.err")
check_eq "http_proxy and ALL_PROXY are not read" "200 0" \
    "$(jq -r .status <<<"$r") $(queries dead.test)"
check "and libcurl resolved nothing itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/e.err"
"$COFETCH" -q -H "Accept-Encoding: identity" -H "User-Agent: h-agent" \
    -f json "$HTTP/echo/std" >"$TMP/std.json"
check_eq "-H replaces the User-Agent, never sent twice" \
    "header User-Agent: h-agent" "$(seen std | grep '^header User')"

usage() {
	"$COFETCH" "$@" "$HTTP/status/200" >/dev/null 2>&1
	echo $?
}
check_eq "-X with a space is a usage error" 2 "$(usage -X 'GE T')"
check_eq "-H without a colon is a usage error" 2 "$(usage -H 'nonsense')"
check_eq "-H with a line break is a usage error" 2 \
    "$(usage -H "$(printf 'X-A: 1\r\nX-B: 2')")"
check_eq "-A with a line break is a usage error" 2 \
    "$(usage -A "$(printf 'a\nb')")"
check_eq "a proxy that would need libcurl to resolve is refused" 2 \
    "$(usage --proxy socks5://127.0.0.1:1080)"
check_eq "--proxy that is not a URL is refused" 2 "$(usage --proxy '::')"
finish
