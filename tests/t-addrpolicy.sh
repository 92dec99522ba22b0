#!/bin/bash
# t-addrpolicy.sh: the address policy (--deny-addresses, --allow-addresses,
# --deny-private) on every hop, seen from the server.  127.0.0.2 is the
# test server's second address on the same port (/stats/second counts the
# connections that reach it), and the DNS stub's mixed, rebind and mapped
# names answer with it.  Every check that nothing reached an address has
# a control run without the policy that shows the same URLs do reach it.
# Every run is -v, and each must say libcurl resolved no name itself.
. "$(dirname "$0")/lib.sh"
start_testd
SECOND=http://127.0.0.2:$PORT

second() {
	curl -s "$HTTP/stats/second" | jq -r .connections
}

# run NAME ARGS...: cofetch -v -k -f json ARGS, into $TMP/NAME.json and
# $TMP/NAME.err, its exit status in RC.
run() {
	local name=$1
	shift
	"$COFETCH" -v -k -f json "$@" >"$TMP/$name.json" 2>"$TMP/$name.err"
	RC=$?
}

# field NAME JQ: JQ over each result of run NAME, on one line.
field() {
	jq -r "$2" "$TMP/$1.json" | tr '\n' ' ' | sed 's/ $//'
}

uri() {
	jq -rn --arg u "$1" '$u | @uri'
}

# --- Deny and allow lists, alone and together.
before=$(second)
run deny --deny-addresses 127.0.0.2 "$SECOND/status/200" "$HTTP/status/200"
check_eq "deny: the denied address blocked, the other fetched" \
    "blocked null" "$(field deny .error)"
check_eq "deny: the message names the address and the rule" \
    "127.0.0.2 is in 127.0.0.2/32 (--deny-addresses)" \
    "$(field deny 'select(.error) | .message')"
check_eq "deny: a blocked hop is a failure (exit 1), not ok, no status" \
    "1 false null" "$RC $(field deny 'select(.error) | .ok, .status')"
check_eq "deny: nothing reached 127.0.0.2" "$before" "$(second)"
run deny-control "$SECOND/status/200"
check_eq "control: without the policy 127.0.0.2 is fetched, and seen" \
    "true $((before + 1))" "$(field deny-control .ok) $(second)"

before=$(second)
run allow --allow-addresses 127.0.0.1 "$HTTP/status/200" \
    "$SECOND/status/200" "http://[::1]:$PORT/status/200"
check_eq "allow: only what the list names" "null blocked blocked" \
    "$(field allow .error)"
check_eq "allow: the message says the address is not in the list" \
    "127.0.0.2 is not in --allow-addresses" \
    "$(field allow 'select(.index == 1) | .message')"
check_eq "allow: nothing reached 127.0.0.2" "$before" "$(second)"

run both --allow-addresses 127.0.0.0/8 --deny-addresses 127.0.0.3 \
    --deny-addresses 127.0.0.2 "$HTTP/status/200" "$SECOND/status/200" \
    "http://127.0.0.3:$PORT/status/200" "http://127.0.0.4:$PORT/status/200"
check_eq "together, repeated: a deny entry wins; 127.0.0.4 passes (and is refused by the kernel)" \
    "null blocked blocked connect" "$(field both .error)"
check_eq "together: nothing reached 127.0.0.2" "$before" "$(second)"

before=$(second)
run exception --deny-private --allow-addresses 127.0.0.1 \
    "$HTTP/status/200" "$SECOND/status/200" "http://[::1]:$PORT/status/200"
check_eq "--deny-private with 127.0.0.1 allowed: that one host only" \
    "null blocked blocked" "$(field exception .error)"
check_eq "exception: nothing reached 127.0.0.2" "$before" "$(second)"
run exception-deny --deny-private --allow-addresses 127.0.0.0/8 \
    --deny-addresses 127.0.0.2 "$HTTP/status/200" "$SECOND/status/200"
check_eq "... and --deny-addresses still wins over the allow entry" \
    "null blocked" "$(field exception-deny .error)"

"$COFETCH" --deny-addresses 127.0.0.2 "$SECOND/status/200" \
    >"$TMP/text.out" 2>"$TMP/text.err"
check_eq "text format: ERR, blocked, the message" \
    "$(printf 'ERR\t%s\tblocked\t127.0.0.2 is in 127.0.0.2/32 (--deny-addresses)' \
    "$SECOND/status/200")" "$(cat "$TMP/text.out")"
check "the summary counts blocked results" grep -q 'failed: 1 blocked' \
    "$TMP/text.err"
run retry --retries 3 --deny-addresses 127.0.0.2 "$SECOND/status/200"
check_eq "a blocked hop is not retried" "blocked 1" \
    "$(field retry '.error, .attempts')"

# --- Redirects: every hop is checked.
before=$(second)
run redirect --deny-addresses 127.0.0.2 "$HTTP/to/302?$SECOND/status/200"
check_eq "redirect from an allowed to a denied address: blocked at hop 1" \
    "blocked 1" "$(field redirect '.error, .redirects')"
check_eq "redirect: nothing reached 127.0.0.2" "$before" "$(second)"
run redirect-control "$HTTP/to/302?$SECOND/status/200"
check_eq "control: without the policy the redirect reaches 127.0.0.2" \
    "200 1 $((before + 1))" \
    "$(field redirect-control '.status, .redirects') $(second)"
run redirect-literal --deny-addresses 127.0.0.1 \
    "$SECOND/to/302?$(uri "http://[::ffff:127.0.0.1]:$PORT/status/200")"
check_eq "redirect to a denied bracketed IPv6 literal: blocked" \
    "blocked 1 [::ffff:127.0.0.1] is in 127.0.0.1/32 (--deny-addresses)" \
    "$(field redirect-literal '.error, .redirects, .message')"
run redirect-resolve --resolve "evil.test:$PORT:127.0.0.2" \
    --deny-addresses 127.0.0.2 "$HTTP/to/302?http://evil.test:$PORT/x"
check_eq "redirect to a name whose --resolve entry is denied: blocked" \
    "blocked evil.test: 127.0.0.2 is in 127.0.0.2/32 (--deny-addresses)" \
    "$(field redirect-resolve '.error, .message')"

# --- A name whose answers mix allowed and denied addresses.
for i in $(seq 1 20); do
	echo "http://mixed.test:$PORT/status/200?i=$i"
done >"$TMP/mixed.txt"
before=$(second)
run mixed --dns-servers "$DNS" --deny-addresses 127.0.0.2 -i "$TMP/mixed.txt"
check_eq "mixed answers: all 20 fetched" "20" \
    "$(jq -s 'map(select(.ok)) | length' "$TMP/mixed.json")"
check_eq "mixed answers: only the allowed address was connected to" \
    "$before" "$(second)"
check "mixed answers: -v names the address left out" grep -q \
    'mixed.test: 127.0.0.2 is in 127.0.0.2/32 (--deny-addresses); its other addresses are used' \
    "$TMP/mixed.err"
run mixed-control --dns-servers "$DNS" -i "$TMP/mixed.txt"
check "control: without the policy the stub's first answer, 127.0.0.2, is used" \
    test "$(second)" -gt "$before"
before=$(second)
run mixed-other --dns-servers "$DNS" --deny-addresses 127.0.0.1 \
    -i "$TMP/mixed.txt"
check_eq "control: denying 127.0.0.1 instead, all 20 go to 127.0.0.2" \
    "20 yes" "$(jq -s 'map(select(.ok)) | length' "$TMP/mixed-other.json") $(
    [ "$(second)" -gt "$before" ] && echo yes)"

run mapped --dns-servers "$DNS" --deny-addresses 127.0.0.1 \
    "http://mapped.test:$PORT/status/200"
check_eq "an AAAA answer ::ffff:127.0.0.1 is 127.0.0.1 to the policy" \
    "blocked mapped.test: [::ffff:127.0.0.1] is in 127.0.0.1/32 (--deny-addresses)" \
    "$(field mapped '.error, .message')"
run mapped-control --dns-servers "$DNS" "http://mapped.test:$PORT/status/200"
check_eq "control: without the policy ::ffff:127.0.0.1 reaches the server" \
    "200" "$(field mapped-control .status)"

# --- DNS rebinding: rebind.test answers 127.0.0.1 first, then 127.0.0.2
# (TTL 1 s).  Connection: close, so no reused connection hides it.
for i in 1 2 3 4 5 6; do
	echo "http://rebind.test:$PORT/status/200?i=$i"
done >"$TMP/rebind.txt"
reset_stats
before=$(second)
run rebind-control --dns-servers "$DNS" --rate 2/s -H "Connection: close" \
    -i "$TMP/rebind.txt"
check "control: tasks after the first second reach 127.0.0.2" \
    test "$(second)" -gt "$before"
reset_stats
before=$(second)
run rebind --dns-servers "$DNS" --rate 2/s -H "Connection: close" \
    --allow-addresses 127.0.0.1 -i "$TMP/rebind.txt"
check_eq "rebinding across tasks: the first fetched, a later one blocked" \
    "true yes" "$(field rebind 'select(.index == 0) | .ok') $(
    jq -s 'any(.error == "blocked")' "$TMP/rebind.json" | sed 's/true/yes/')"
check_eq "rebinding across tasks: nothing ever reached 127.0.0.2" \
    "$before" "$(second)"
check "rebinding across tasks: the name was asked again" \
    test "$(queries rebind.test)" -ge 2

# The same within one task: hop 1 to rebind.test, five 300 ms hops through
# slow names, then rebind.test again, its first answer expired by then.
u=http://rebind.test:$PORT/status/200
for k in 5 4 3 2 1; do
	u="http://slow$k-rebind.test:$PORT/to/302?$(uri "$u")"
done
u="http://rebind.test:$PORT/to/302?$(uri "$u")"
reset_stats
before=$(second)
run hops-control --dns-servers "$DNS" -H "Connection: close" "$u"
check_eq "control: the chain's last hop reaches 127.0.0.2" \
    "200 6 $((before + 1))" "$(field hops-control '.status, .redirects') $(
    second)"
reset_stats
before=$(second)
run hops --dns-servers "$DNS" -H "Connection: close" \
    --deny-addresses 127.0.0.2 "$u"
check_eq "rebinding across hops: the last hop blocked" \
    "blocked 6 rebind.test: 127.0.0.2 is in 127.0.0.2/32 (--deny-addresses)" \
    "$(field hops '.error, .redirects, .message')"
check_eq "rebinding across hops: nothing reached 127.0.0.2, the name asked twice" \
    "$before 2" "$(second) $(queries rebind.test)"

# --- Every spelling of this host under --deny-private: IP literals as
# libcurl would normalise them, bracketed IPv6 with IPv4 inside, names
# that are loopback by definition, a line without a scheme.
reaching="http://127.0.0.1:$PORT/status/200
http://[::ffff:127.0.0.1]:$PORT/status/200
http://[::ffff:7f00:1]:$PORT/status/200
http://[0:0:0:0:0:ffff:7f00:1]:$PORT/status/200
http://0.0.0.0:$PORT/status/200
http://0:$PORT/status/200
http://2130706433:$PORT/status/200
http://0x7f.1:$PORT/status/200
http://0x7f000001:$PORT/status/200
http://017700000001:$PORT/status/200
http://0177.0.0.1:$PORT/status/200
http://127.1:$PORT/status/200
http://%31%32%37.0.0.1:$PORT/status/200
http://localhost:$PORT/status/200
http://LOCALHOST:$PORT/status/200
http://a.localhost:$PORT/status/200
127.0.0.1:$PORT/status/200"
others="http://[::1]:$PORT/status/200
http://[::]:$PORT/status/200
http://[::127.0.0.1]:$PORT/status/200
http://[64:ff9b::7f00:1]:$PORT/status/200
http://[2002:7f00:1::1]:$PORT/status/200
http://[fe80::1%25lo]:$PORT/status/200
http://169.254.169.254/latest/meta-data/
http://[fd00:ec2::254]/latest/meta-data/
http://100.100.100.200/latest/meta-data/
http://10.0.0.1:$PORT/
http://192.168.1.1:$PORT/
http://172.16.0.1:$PORT/
http://100.64.0.1:$PORT/
http://224.0.0.1:$PORT/
http://255.255.255.255:$PORT/"
printf '%s\n%s\n' "$reaching" "$others" >"$TMP/literals.txt"
printf '%s\n' "$reaching" >"$TMP/reaching.txt"
total=$(wc -l <"$TMP/literals.txt")
nreach=$(wc -l <"$TMP/reaching.txt")
reset_stats
run literals --deny-private -i "$TMP/literals.txt"
check_eq "--deny-private: all $total spellings blocked" "$total" \
    "$(jq -s 'map(select(.error == "blocked")) | length' \
    "$TMP/literals.json")"
check_eq "--deny-private: not one request reached the server" "0" \
    "$(stat requests)"
check_eq "--deny-private: 0x7f.1 is named as the address it is" \
    "127.0.0.1 is in 127.0.0.0/8 (--deny-private)" \
    "$(field literals 'select(.index == 7) | .message')"
check_eq "--deny-private: ::127.0.0.1 is named with what it reaches" \
    "[::127.0.0.1] reaches 127.0.0.1, which is in 127.0.0.0/8 (--deny-private)" \
    "$(field literals "select(.index == $((nreach + 2))) | .message")"
reset_stats
run literals-control -i "$TMP/reaching.txt"
check_eq "control: without the policy each of the $nreach reaches the server" \
    "$nreach $nreach" "$(jq -s 'map(select(.ok)) | length' \
    "$TMP/literals-control.json") $(stat requests)"

# --- --resolve entries are checked like any answer.
before=$(second)
run resolve --resolve "evil.test:$PORT:127.0.0.2" --deny-addresses 127.0.0.2 \
    "http://evil.test:$PORT/status/200"
check_eq "--resolve to a denied address: blocked" \
    "blocked evil.test: 127.0.0.2 is in 127.0.0.2/32 (--deny-addresses)" \
    "$(field resolve '.error, .message')"
run resolve-mixed --resolve "both.test:$PORT:127.0.0.2,127.0.0.1" \
    --deny-addresses 127.0.0.2 "http://both.test:$PORT/status/200"
check_eq "--resolve with a denied and an allowed address: the allowed one" \
    "200 $before" "$(field resolve-mixed .status) $(second)"
run resolve-dot --resolve "127.0.0.1.:$PORT:127.0.0.1" --deny-private \
    "http://127.0.0.1.:$PORT/status/200"
check_eq "a trailing dot makes a name, and its answer is checked" "blocked" \
    "$(field resolve-dot .error)"
run resolve-control --resolve "evil.test:$PORT:127.0.0.2" \
    "http://evil.test:$PORT/status/200"
check_eq "control: without the policy the entry reaches 127.0.0.2" \
    "200 $((before + 1))" "$(field resolve-control .status) $(second)"

# --- Usage errors: nothing fetched.
reset_stats
bad=0
for arg in --deny-addresses=10.1.0.0/8 --deny-addresses=10.0.0.0/33 \
    --allow-addresses=::1/129 --deny-addresses=host.test \
    --allow-addresses=0x7f.1 --deny-addresses=10.0.0.0/8, \
    --deny-addresses=fe80::1%eth0 --allow-addresses= \
    --deny-addresses=::ffff:10.0.0.0/8; do
	"$COFETCH" "$arg" "$HTTP/status/200" >"$TMP/bad.out" 2>"$TMP/bad.err"
	rc=$?
	if [ "$rc" -ne 2 ] || [ -s "$TMP/bad.out" ] || ! grep -q -- \
	    "${arg%%=*}" "$TMP/bad.err"; then
		bad=$((bad + 1))
		echo "# $arg: exit $rc"
	fi
done
check_eq "bad CIDRs: exit 2, the option named, nothing on stdout" 0 "$bad"
bad=0
for policy in --deny-private --deny-addresses=10.0.0.0/8 \
    --allow-addresses=127.0.0.1; do
	for order in before after; do
		if [ $order = before ]; then
			set -- "$policy" --proxy "$HTTP"
		else
			set -- --proxy "$HTTP" "$policy"
		fi
		"$COFETCH" "$@" "$HTTP/status/200" >"$TMP/proxy.out" \
		    2>"$TMP/proxy.err"
		rc=$?
		if [ "$rc" -ne 2 ] || [ -s "$TMP/proxy.out" ] || ! grep -q \
		    'proxy cannot go with an address policy' "$TMP/proxy.err"
		then
			bad=$((bad + 1))
			echo "# $*: exit $rc"
		fi
	done
done
check_eq "a policy with --proxy: exit 2, in either order" 0 "$bad"
check_eq "usage errors fetched nothing" "0" "$(stat requests)"

# --- The resolver-start tripwire, in every run above.
runs=$(find "$TMP" -name '*.err' ! -name 'bad.err' ! -name 'proxy.err' \
    ! -name 'text.err' | wc -l)
check_eq "every run: libcurl resolved no name itself" "$runs" "$(
    cat "$TMP"/*.err | grep -c 'libcurl resolved 0 names itself')"
finish
