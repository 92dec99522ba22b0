#!/bin/bash
# t-usage.sh: usage errors exit 2 with a message on stderr, nothing on
# stdout and nothing fetched.
. "$(dirname "$0")/lib.sh"
start_testd
reset_stats

usage_error() {
	local name=$1 out err rc
	shift
	"$COFETCH" "$@" "$HTTP/status/200" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && [ -s "$TMP/err" ]; then
		ok "usage error: $name"
	else
		not_ok "usage error: $name (exit $rc)"
		sed 's/^/#   /' "$TMP/out" "$TMP/err"
	fi
}

usage_error "-j 0" -j 0
usage_error "-j abc" -j abc
usage_error "-j -3" -j -3
usage_error "-j 5x" -j 5x
usage_error "unknown long option" --bogus
usage_error "unknown short option" -Z
usage_error "missing argument" -j
usage_error "unknown format" -f xml
usage_error "-t abc" -t abc
usage_error "-t 0" -t 0
usage_error "-t nan" -t nan
usage_error "--connect-timeout -1" --connect-timeout -1
usage_error "--window 0" --window 0
usage_error "missing -i file" -i "$TMP/does-not-exist"
usage_error "--max-bytes 1X" --max-bytes 1X
usage_error "--max-bytes 1KB" --max-bytes 1KB
usage_error "--max-bytes past 2^64" --max-bytes 17179869184G
usage_error "--max-bytes 0" --max-bytes 0
usage_error "--skip-done ''" --skip-done ""
check_eq "nothing was fetched by usage errors" 0 "$(stat requests)"
check "message names the option" grep -q -- "--jobs 'abc'" \
    <("$COFETCH" -j abc 2>&1)
# -j beyond the open-file limit: the soft limit is raised to the hard one
# first; only past the hard limit is -j lowered, with one warning.
(ulimit -Sn 64 && "$COFETCH" -j 500 "$HTTP/status/200" >"$TMP/raise.out" \
    2>"$TMP/raise.err")
check_eq "soft limit raised: no warning" "0 0" \
    "$? $(grep -c 'open files' "$TMP/raise.err")"
(ulimit -n 200 && "$COFETCH" -j 5000 "$HTTP/status/200" >"$TMP/fd.out" \
    2>"$TMP/fd.err")
check_eq "hard limit: the run goes on" 0 $?
check_eq "one warning naming the -j used" 1 \
    "$(grep -c 'using -j [0-9]' "$TMP/fd.err")"
check "the URL was fetched" grep -q '^200' "$TMP/fd.out"

# Out of descriptors mid-run (the limit cut to 30 under a running -j 50
# that opens a connection per request): per-task connect errors, never a
# crash or a hang, one result per URL.
if command -v prlimit >/dev/null; then
	reset_stats
	seq 600 | sed "s|^|$HTTP/delay/100?n=|" >"$TMP/emfile.txt"
	"$COFETCH" -q -j 50 -H "Connection: close" -f json \
	    -i "$TMP/emfile.txt" >"$TMP/emfile.out" &
	pid=$!
	served_60() { [ "$(stat requests)" -ge 60 ]; }
	wait_for 30 served_60
	prlimit --pid "$pid" --nofile=30:30
	wait "$pid"
	check_eq "out of descriptors mid-run: exit 1" 1 "$?"
	check "...valid JSON Lines" valid_jsonl "$TMP/emfile.out"
	check_eq "...one result per URL" "600 600" \
	    "$(wc -l <"$TMP/emfile.out") $(jq .index "$TMP/emfile.out" |
	    sort -u | wc -l)"
	check_eq "...the rest ok or connect errors, some of each" "connect null" \
	    "$(jq -r .error "$TMP/emfile.out" | sort -u | paste -sd' ')"
else
	for i in 1 2 3 4; do ok "# skip out of descriptors: no prlimit"; done
fi

# Out of memory mid-run: ulimit -v at what cofetch maps with one transfer
# running plus 32 MiB, where -j 2000 needs about 90.  -j comes down, the
# tasks that failed for it go again, every URL gets one result, and there
# is no crash.  ASan's shadow memory cannot live under ulimit -v.
if [ "$SANITIZED" = 1 ]; then
	for i in 1 2 3 4 5 6; do ok "# skip out of memory: sanitized build"; done
else
	reset_stats
	"$COFETCH" -q "$HTTP/delay/5000" >/dev/null &
	pid=$!
	one_running() { [ "$(stat inflight)" -ge 1 ]; }
	wait_for 10 one_running
	base=$(awk '$1 == "VmPeak:" { print $2 }' "/proc/$pid/status")
	kill "$pid"
	wait "$pid"
	seq 4000 | sed "s|^|$HTTP/delay/200?n=|" >"$TMP/oom.txt"
	(ulimit -v $((base + 32768)) && "$COFETCH" -q -j 2000 -f json \
	    -i "$TMP/oom.txt" >"$TMP/oom.out" 2>"$TMP/oom.err")
	check "out of memory mid-run: no crash (exit $?)" test $? -le 1
	check "...says -j came down" grep -q \
	    'memory ran out with [0-9]* transfers running; going on with at most' \
	    "$TMP/oom.err"
	check "...valid JSON Lines" valid_jsonl "$TMP/oom.out"
	check_eq "...one result per URL" "4000 4000" \
	    "$(wc -l <"$TMP/oom.out") $(jq .index "$TMP/oom.out" | sort -u |
	    wc -l)"
	check "...tasks that ran out went again" jq -se \
	    'map(select(.attempts > 1)) | length > 0' "$TMP/oom.out"
	check "...at most a tenth failed, each for memory" jq -se \
	    'map(select(.error)) | length <= 400 and
	    all(.message | test("memory"; "i"))' "$TMP/oom.out"
fi

# -v: the settings, then one line per finished task, on stderr only.
"$COFETCH" -v -j 3 "$HTTP/status/200" "$HTTP/status/404" >"$TMP/v.out" \
    2>"$TMP/v.err"
check "-v settings line" grep -q '^cofetch: -j 3, -t 30.000 s' "$TMP/v.err"
check_eq "-v one line per task" 2 "$(grep -c '^cofetch: #[01] ' "$TMP/v.err")"
check "-v names the failure" grep -q "#1 http $HTTP/status/404: HTTP status 404" \
    "$TMP/v.err"
check_eq "-v leaves stdout alone" 2 "$(wc -l <"$TMP/v.out")"

check "help exits 0" "$COFETCH" --help
check "-V exits 0" "$COFETCH" -V
finish
