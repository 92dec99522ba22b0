#!/bin/bash
# t-tls.sh: TLS verification (--cacert, --insecure, the error kind "tls")
# against the test server's HTTPS port, and HTTP/2 with several streams on
# one connection against nghttpd, a real h2 server.
. "$(dirname "$0")/lib.sh"
make_cert
start_testd -c "$TMP/cert.pem" -k "$TMP/key.pem"
cf() {
	"$COFETCH" -q -f json --dns-servers "$DNS" "$@"
}
url=https://tls.test:$HTTPS_PORT/status/200

r=$(cf --cacert "$TMP/cert.pem" "$url")
check_eq "--cacert: verified" "200 true 1.1" \
    "$(jq -r '"\(.status) \(.ok) \(.http_version)"' <<<"$r")"
check "the handshake is timed" jq -e '.time.tls > 0' <<<"$r"
r=$(cf "$url")
check_eq "unknown CA: error tls" "tls null" \
    "$(jq -r '"\(.error) \(.status)"' <<<"$r")"
check "the message names the certificate" jq -e \
    '.message | test("certificate")' <<<"$r"
check_eq "--insecure: not verified, ok" 200 \
    "$(cf --insecure "$url" | jq -r .status)"
check_eq "wrong name in the certificate: tls" tls \
    "$(cf --cacert "$TMP/cert.pem" --resolve "other.test:$HTTPS_PORT:127.0.0.1" \
    "https://other.test:$HTTPS_PORT/" | jq -r .error)"
check_eq "--cacert with no such file is a usage error" 2 \
    "$("$COFETCH" --cacert "$TMP/none.pem" "$url" >/dev/null 2>&1; echo $?)"
# scripts/bench's libcurl floor over HTTPS: -c trusts the CA.
echo "https://127.0.0.1:$HTTPS_PORT/status/200" >"$TMP/floor.txt"
check_eq "libcurl floor over HTTPS: verified with -c, failed without" \
    "1 2xx, 0 other, 0 failed|0 2xx, 0 other, 1 failed" \
    "$({ "$CURLFLOOR" -1 -c "$TMP/cert.pem" -j 1 -i "$TMP/floor.txt"
	"$CURLFLOOR" -1 -j 1 -i "$TMP/floor.txt"; } |
	sed 's/^status codes: //' | paste -sd'|')"

# Waiting to multiplex must not serialise an HTTP/1.1 server over TLS.
# Its five connections read the CA file once: libcurl keeps the store it
# loaded only when no CA directory is set beside the file.
reset_stats
seq 10 | sed "s|^|https://tls.test:$HTTPS_PORT/delay/500?n=|" >"$TMP/slow.txt"
strace -f -qq -e trace=openat -o "$TMP/opens" \
    "$COFETCH" -q -f json --dns-servers "$DNS" -j 5 --cacert "$TMP/cert.pem" \
    -i "$TMP/slow.txt" >"$TMP/slow.json"
check_eq "https to HTTP/1.1: -j 5 runs 5 at once" 5 "$(stat peak)"
check_eq "all ok" 10 "$(grep -c '"ok":true' "$TMP/slow.json")"
check_eq "five connections, the CA file read once" 1 \
    "$(grep -c "\"$TMP/cert.pem\"" "$TMP/opens")"
bundle=$(curl-config --ca)
strace -f -qq -e trace=openat -o "$TMP/opens" \
    "$COFETCH" -q -f json --dns-servers "$DNS" -j 5 -i "$TMP/slow.txt" \
    >"$TMP/slow.json"
check_eq "without --cacert: ten handshakes fail, libcurl's bundle read once" \
    "10 1" "$(grep -c '"error":"tls"' "$TMP/slow.json") \
$(grep -c "\"$bundle\"" "$TMP/opens")"

# HTTP/2, negotiated by ALPN, and multiplexed: 20 requests at -j 10 share
# one connection.
mkdir "$TMP/h2root"
echo hello >"$TMP/h2root/file"
h2=$(free_port)
nghttpd -v --address=127.0.0.1 -d "$TMP/h2root" "$h2" "$TMP/key.pem" \
    "$TMP/cert.pem" >"$TMP/nghttpd.log" 2>&1 &
SERVER_PIDS=$!
check "nghttpd started" wait_for 10 curl -sf --cacert "$TMP/cert.pem" \
    -o /dev/null "https://127.0.0.1:$h2/file"
seq 20 | sed "s|^|https://h2.test:$h2/file?n=|" >"$TMP/h2.txt"
connections() {
	grep -o '\[id=[0-9]*\]' "$TMP/nghttpd.log" | sort -u | wc -l
}
before=$(connections)
cf -j 10 --cacert "$TMP/cert.pem" -i "$TMP/h2.txt" >"$TMP/h2.json"
check_eq "20 results over HTTP/2" "20 2 6" \
    "$(jq -r '"\(.status) \(.http_version) \(.bytes)"' "$TMP/h2.json" |
    sort | uniq -c | awk '{ print $1, $3, $4 }')"
check_eq "several streams, one connection" 1 $(( $(connections) - before ))
check "--http1.1 never gets HTTP/2" jq -e '.http_version != "2"' \
    <<<"$(cf --http1.1 --cacert "$TMP/cert.pem" "https://h2.test:$h2/file")"
check_eq "--http2 over plain http still works" 200 \
    "$(cf --http2 "$HTTP/status/200" | jq -r .status)"
finish
