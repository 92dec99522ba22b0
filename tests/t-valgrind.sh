#!/bin/bash
# t-valgrind.sh: the plain binary under valgrind's memcheck on every way a
# run ends: 1,100 URLs that end as every error kind (exit 1), SIGINT mid-run
# (130), -k -f body with bodies spooled behind a slow one (0), a closed
# stdout (141) and a usage error (2).  No invalid access, no leak.  The
# sanitized build cannot run under valgrind; ASan covers it there.
. "$(dirname "$0")/lib.sh"
if [ "$SANITIZED" = 1 ] || ! command -v valgrind >/dev/null; then
	ok "valgrind: not run (sanitized build, or no valgrind)"
	finish
	exit
fi
start_testd
closed=$(free_port)

# vg NAME ARGS...: cofetch under memcheck; its log in $TMP/vg.NAME.
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99)
vg() {
	local name=$1
	shift
	"${VG[@]}" --log-file="$TMP/vg.$name" "$COFETCH" "$@"
}

# vg_clean NAME: memcheck said nothing (with -q, it speaks only of errors).
vg_clean() {
	if [ -s "$TMP/vg.$1" ]; then
		not_ok "valgrind: $1: no invalid access, no leak"
		sed 's/^/#   /' "$TMP/vg.$1" | head -40
	else
		ok "valgrind: $1: no invalid access, no leak"
	fi
}

cat >"$TMP/kinds" <<KINDS
ok $HTTP/page?ct=text/html&b=%3Ctitle%3Et%3C/title%3Ea%0Ab%0A
http $HTTP/status/404
dns http://nx-vg.test:$PORT/
connect http://127.0.0.1:$closed/
too_many_redirects $HTTP/redirect/5
protocol $RAW/garbage
reset $RAW/reset
bad_input ftp://a.test/
too_large $HTTP/bomb/2
timeout $HTTP/delay/6000
blocked http://127.0.0.2:$PORT/
KINDS
for round in $(seq 100); do
	while read -r kind url; do
		# Ten timeouts are enough, and cost a second each in flight.
		[ "$kind" = timeout ] && [ "$round" -gt 10 ] && url=$HTTP/status/200
		echo "$url?r=$round"
	done <"$TMP/kinds"
done >"$TMP/urls"
# -t 4: under memcheck, on a loaded machine, a chain of three hops took
# more than 2 s.
vg kinds -q -k -j 100 -t 4 --retries 1 --max-redirects 2 \
    --max-decoded 1000000 --dns-servers "$DNS" -n 2 --with-headers -f json \
    --deny-addresses 127.0.0.2 -i "$TMP/urls" >"$TMP/kinds.out"
check_eq "every error kind: exit 1" 1 "$?"
vg_clean kinds
check "every error kind: valid JSON Lines" valid_jsonl "$TMP/kinds.out"
check_eq "every error kind: 1,100 results, each kind as many times as sent" \
    "100 bad_input|100 blocked|100 connect|100 dns|100 http|190 null|100 protocol|100 reset|10 timeout|100 too_large|100 too_many_redirects" \
    "$(jq -r '.error' "$TMP/kinds.out" | sort | uniq -c |
    awk '{ print $1, $2 }' | paste -sd'|')"

# SIGINT while 20 transfers are in flight and 80 lines wait.
reset_stats
for i in $(seq 100); do echo "$HTTP/delay/20000?i=$i"; done >"$TMP/slow"
# Not through vg: $! must be valgrind's own PID, which the signal must reach.
"${VG[@]}" --log-file="$TMP/vg.sigint" "$COFETCH" -q -j 20 -f json \
    -i "$TMP/slow" >"$TMP/sigint.out" &
pid=$!
if wait_for 60 stat_is inflight 20; then
	kill -INT "$pid"
	wait "$pid"
	check_eq "SIGINT: exit 130" 130 "$?"
else
	not_ok "SIGINT: 20 transfers never got in flight"
	kill "$pid"
	wait "$pid"
fi
vg_clean sigint
check_eq "SIGINT: the 20 in flight are cancelled" "20 cancelled" \
    "$(jq -r .error "$TMP/sigint.out" | sort | uniq -c | awk '{ print $1, $2 }')"

# -k -f body: 24 MB of bodies wait behind a slow first one, past the
# 16 MiB held in memory, so the rest is spooled to a file.
{
	echo "$HTTP/delay/1500"
	for i in $(seq 24); do echo "$HTTP/bytes/1000000?i=$i"; done
} >"$TMP/spool"
vg spool -q -k -j 30 -f body -i "$TMP/spool" >"$TMP/spool.out"
check_eq "-k -f body spooling: exit 0" 0 "$?"
vg_clean spool
check_eq "-k -f body spooling: the slow body first" "delayed" \
    "$(head -c 7 "$TMP/spool.out")"
check_range "-k -f body spooling: then all 24 MB" 24000014 24000020 \
    "$(wc -c <"$TMP/spool.out")"

# A stdout closed after one line, and a usage error.
vg pipe -f json -i "$TMP/spool" | head -1 >/dev/null
check_eq "closed stdout: exit 141" 141 "${PIPESTATUS[0]}"
vg_clean pipe
vg usage --no-such-option >/dev/null 2>&1
check_eq "usage error: exit 2" 2 "$?"
vg_clean usage
finish
