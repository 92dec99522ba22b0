#!/bin/bash
# t-dns.sh: names are resolved by c-ares on the loop, against the test
# server's DNS stub, and never by libcurl: one query per name however many
# tasks wait for it, TTLs honoured, failures as "dns" within --dns-timeout,
# --resolve and --dns-servers, and one thread for the whole process.
. "$(dirname "$0")/lib.sh"
start_testd
cf() {
	"$COFETCH" --dns-servers "$DNS" "$@"
}

# A name only the stub knows, and the tripwire: libcurl resolved nothing.
cf -v -k -f json "http://known.test:$PORT/status/200" \
    "http://KNOWN.test:$PORT/status/201" "http://dot.test.:$PORT/status/202" \
    "http://bücher.test:$PORT/status/203" >"$TMP/k.json" 2>"$TMP/k.err"
check_eq "stub names resolve (case, trailing dot, IDN)" "200 201 202 203" \
    "$(jq -r .status "$TMP/k.json" | paste -sd' ')"
check "tripwire: libcurl resolved no name itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/k.err"
check_eq "IDN asked as punycode" 1 "$(queries xn--bcher-kva.test)"

# 200 tasks for one host at once: one query.
seq 200 | sed "s|^|http://many.test:$PORT/delay/100?n=|" >"$TMP/many.txt"
cf -q -j 200 -i "$TMP/many.txt" >"$TMP/many.out"
check_eq "200 tasks all ok" 200 "$(grep -c '^200' "$TMP/many.out")"
check_eq "200 concurrent tasks, one query" 1 "$(queries many.test)"

# -j 2000 runs on two multi handles, each with its own libcurl DNS
# entries: 3,000 URLs over 100 names (a burst of queries the stub's UDP
# buffer holds), all served, none resolved by libcurl.
seq 3000 | awk -v p="$PORT" '{ printf "http://shard%d.test:%s/delay/100?n=%d\n",
    $1 % 100, p, $1 }' >"$TMP/shards.txt"
cf -v -j 2000 -f json -i "$TMP/shards.txt" >"$TMP/shards.out" \
    2>"$TMP/shards.err"
check_eq "-j 2000 over 100 names: all ok" "3000 null" \
    "$(jq -r .error "$TMP/shards.out" | sort | uniq -c |
    awk '{ $1 = $1; print }' | paste -sd' ')"
check "...libcurl resolved no name itself" grep -q \
    "libcurl resolved 0 names itself" "$TMP/shards.err"

# TTL 1 s: a request after the TTL ran out asks again.
cf -q -k -j 1 "http://ttl1-x.test:$PORT/status/200?a" \
    "http://ttl1-x.test:$PORT/delay/1500" \
    "http://ttl1-x.test:$PORT/status/200?b" >"$TMP/ttl.out"
check_eq "ttl run ok" 3 "$(grep -c '^200' "$TMP/ttl.out")"
check_eq "expired TTL, a second query" 2 "$(queries ttl1-x.test)"
check_eq "long TTL, one query" 1 "$(queries many.test)"

# NXDOMAIN: error dns at once, and remembered for a while.
cf -q -k -j 1 -f json "http://nx-a.test:$PORT/" "http://nx-a.test:$PORT/x" \
    >"$TMP/nx.json"
check_eq "NXDOMAIN is a dns error" "dns dns" \
    "$(jq -r .error "$TMP/nx.json" | paste -sd' ')"
check "NXDOMAIN message" jq -se '.[0].message | test("nx-a.test")' \
    "$TMP/nx.json"
check_eq "NXDOMAIN cached: one query" 1 "$(queries nx-a.test)"

# A server that never answers: dns error after --dns-timeout.
r=$(cf -q -f json --dns-timeout 0.6 "http://drop-a.test:$PORT/")
check_eq "dropped query is a dns error" dns "$(jq -r .error <<<"$r")"
check_range "within --dns-timeout" 0.5 1.5 "$(jq -r .time.dns <<<"$r")"
# A truncated answer is used as it is, never retried over TCP (there is
# none here, and c-ares failing over TCP would fail every query in flight
# beside it): empty, a dns error at once; with an address, served.  Twenty
# names asked at the same moment are all served.
{
	echo "http://tc-a.test:$PORT/status/200"
	echo "http://tcaddr-a.test:$PORT/status/201"
	seq 20 | sed "s|.*|http://ok-tc&.test:$PORT/status/202|"
} >"$TMP/tc.txt"
r=$(cf -q -k -j 30 -f json -i "$TMP/tc.txt")
check_eq "truncated answer: dns error; with an address: used; the rest ok" \
    "dns null $(printf 'null %.0s' $(seq 20))" \
    "$(jq -r .error <<<"$r" | paste -sd' ') "
check_eq "truncated with an address: fetched" 201 \
    "$(jq -r 'select(.url | test("tcaddr")) | .status' <<<"$r")"
check_range "truncated answer: no wait for --dns-timeout (5 s)" 0 2 \
    "$(jq 'select(.error) | .time.dns' <<<"$r")"
check_eq "truncated answer: asked once" 1 "$(queries tc-a.test)"
# -t shorter than the DNS answer: the attempt times out while resolving.
r=$(cf -q -f json -t 0.1 "http://slow-a.test:$PORT/status/200")
check_eq "-t bounds resolving" timeout "$(jq -r .error <<<"$r")"
check "timeout says it was resolving" jq -e '.message | test("resolving")' \
    <<<"$r"
r=$(cf -q -f json "http://slow-b.test:$PORT/status/200")
check_range "time.dns is the c-ares time" 0.28 1.5 "$(jq -r .time.dns <<<"$r")"
check_range "total includes it" 0.28 2 "$(jq -r .time.total <<<"$r")"

# --resolve: no query at all, like curl's option.
r=$(cf -q -f json --resolve "fixed.example:$PORT:127.0.0.1" \
    "http://fixed.example:$PORT/status/200")
check_eq "--resolve" 200 "$(jq -r .status <<<"$r")"
check_eq "--resolve asks no server" 0 "$(queries fixed.example)"
check_eq "--resolve other port still asks DNS" dns \
    "$(cf -q -f json --resolve "fixed.example:1:127.0.0.1" \
    "http://fixed.example:$PORT/" | jq -r .error)"
check_eq "bad --resolve is a usage error" 2 \
    "$("$COFETCH" --resolve nonsense "http://x.test/" 2>/dev/null; echo $?)"
check_eq "bad --dns-servers is a usage error" 2 \
    "$("$COFETCH" --dns-servers 'not an ip' "http://x.test/" 2>/dev/null
    echo $?)"

# localhost is loopback without asking anyone; a hosts file is read first.
"$COFETCH" -v -q --dns-servers "$DNS" "http://localhost:$PORT/status/200" \
    "http://a.localhost:$PORT/status/200" >"$TMP/lh.out" 2>"$TMP/lh.err"
check_eq "localhost names work" 2 "$(grep -c '^200' "$TMP/lh.out")"
check "localhost needs no lookup" grep -q "dns: 0 lookups" "$TMP/lh.err"
echo "127.0.0.1 fromhosts.test" >"$TMP/hosts"
check_eq "the hosts file answers first" "200 0" \
    "$(CARES_HOSTS=$TMP/hosts cf -q -f json "http://fromhosts.test:$PORT/status/200" |
    jq -r .status) $(queries fromhosts.test)"

# One thread: 1,000 URLs over 50 names, sampled while they run.
for i in $(seq 1000); do
	echo "http://host$((i % 50)).test:$PORT/delay/20?i=$i"
done >"$TMP/thousand.txt"
cf -q -j 100 -i "$TMP/thousand.txt" >"$TMP/thousand.out" &
pid=$!
max=0
while kill -0 "$pid" 2>/dev/null; do
	n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
	[ "$n" -gt "$max" ] && max=$n
	sleep 0.01
done
wait "$pid"
check_eq "1,000 URLs over 50 names ok" 1000 \
    "$(grep -c '^200' "$TMP/thousand.out")"
check_eq "never more than one thread" 1 "$max"
check_eq "one query per name" 50 "$(for i in $(seq 0 49); do
    queries "host$i.test"; done | awk '{ s += $1 } END { print s }')"

# Thousands of names at once: queries beyond 200 in flight wait their
# turn, so none is lost to a full socket (at -j 1000 over 10,000 names
# about one in twenty failed when all were sent at once).
seq 3000 | awk -v p="$PORT" '{ print "http://burst" $1 ".test:" p "/status/200" }' \
    >"$TMP/burst.txt"
cf -q -j 1000 -i "$TMP/burst.txt" >"$TMP/burst.out"
check_eq "3,000 names at -j 1000: every one resolved" 3000 \
    "$(grep -c '^200' "$TMP/burst.out")"
finish
