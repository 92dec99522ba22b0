#!/bin/bash
# t-threads.sh: transfers on threads (--threads) behave as on the main
# thread.  The scheduling, order, signal, pipe, body, saving, policy,
# timeout, error and hostile-server tests run again with every transfer
# handed to one of two transfer threads and back; then what only threads
# have.
. "$(dirname "$0")/lib.sh"

wrap=$TMP/cofetch-threads
printf '#!/bin/sh\nexec "%s" --threads 2 "$@"\n' "$COFETCH" >"$wrap"
chmod +x "$wrap"

# Each of the other test's lines counts here, marked as run on threads.
rerun() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok - # skip"*) ok "${line#ok - }" ;;
		"ok - "*) ok "threads: ${line#ok - }" ;;
		"not ok - "*) not_ok "threads: ${line#not ok - }" ;;
		*": "*" passed, "*" failed") ;;
		*) echo "$line" ;;
		esac
	done < <(COFETCH=$wrap bash "$SRCDIR/tests/$1.sh" 2>&1)
}

for t in t-concurrency t-order t-signal t-pipe t-body t-save t-policy \
    t-timeout t-errors t-hostile; do
	rerun "$t"
done

start_testd
threads() {
	"$COFETCH" -v "$@" "$HTTP/status/200" 2>&1 >/dev/null |
	    sed -n 's/^cofetch: transfers: \(.*\)/\1/p'
}
check_eq "--threads 2: two threads, a multi handle each" \
    "2 multi handles, 2 threads besides the main one" "$(threads --threads 2)"
check_eq "-j 50: none by default" \
    "1 multi handles, 0 threads besides the main one" "$(threads -j 50)"
check_eq "--threads 0 -j 2000: none" \
    "2 multi handles, 0 threads besides the main one" \
    "$(threads --threads 0 -j 2000)"
cpus=$(nproc)
if [ "$cpus" -lt 2 ] || [ "$(ulimit -v)" != unlimited ]; then
	ok "# skip -j 2000 default: $cpus CPUs, ulimit -v $(ulimit -v)"
else
	check_eq "-j 2000: a thread a CPU, at most one a multi handle" \
	    "2 multi handles, 2 threads besides the main one" \
	    "$(threads -j 2000)"
fi
# ASan's shadow memory cannot live under ulimit -v.
if [ "$SANITIZED" = 1 ]; then
	ok "# skip -j 2000 under ulimit -v: sanitized build"
else
	check_eq "-j 2000 under ulimit -v: none by default" \
	    "2 multi handles, 0 threads besides the main one" \
	    "$(ulimit -v 4000000 && threads -j 2000)"
fi
for bad in -1 65 x; do
	"$COFETCH" --threads "$bad" "$HTTP/status/200" >/dev/null 2>"$TMP/bad.err"
	check_eq "--threads $bad: usage error" 2 "$?"
done

# A redirect's hops and a retry's attempts each go to a thread and back.
r=$("$wrap" -f json --retries 2 "$HTTP/redirect/3")
check_eq "threads: 3 redirects followed" "200 3" \
    "$(jq -r '"\(.status) \(.redirects)"' <<<"$r")"
reset_stats
r=$("$wrap" -f json --retries 2 "$HTTP/flaky/t1?n=2")
check_eq "threads: a flaky URL retried to success" "200 3" \
    "$(jq -r '"\(.status) \(.attempts)"' <<<"$r")"
finish
