#!/bin/bash
# t-body.sh: -f body.  Bodies byte for byte in input order with -k (held
# in bounded memory, the rest spooled to a file no exit path leaves
# behind), each whole as they complete without -k, failures on stderr.
. "$(dirname "$0")/lib.sh"
start_testd

# curl fetching one URL after another is the oracle for the bytes.
oracle() {
	xargs curl -s <"$1"
}

# 500 bodies of 1 MiB (every byte value), in input order, bounded memory.
for i in $(seq 0 499); do echo "$HTTP/blob/1048576/$i"; done >"$TMP/big.txt"
/usr/bin/time -f %M -o "$TMP/rss" "$COFETCH" -q -k -f body -i "$TMP/big.txt" |
    sha256sum >"$TMP/got.sum"
oracle "$TMP/big.txt" | sha256sum >"$TMP/want.sum"
check_eq "-k: 500 x 1 MiB byte-identical, in input order" \
    "$(cat "$TMP/want.sum")" "$(cat "$TMP/got.sum")"
if [ "$SANITIZED" = 1 ]; then
	ok "peak RSS (not measured under sanitizers)"
else
	check_range "-k: peak RSS under 64 MiB" 1 65535 "$(cat "$TMP/rss")"
fi

# Without -k: bodies of many sizes finish out of order; the output must
# still be the bodies one after another, each whole.
for i in $(seq 0 99); do
	echo "$HTTP/blob/$(( (i * 7919) % 200000 + 1 ))/$i"
done >"$TMP/mixed.txt"
"$COFETCH" -q -f body -j 20 -i "$TMP/mixed.txt" >"$TMP/mixed.out"
while read -r url; do curl -s "$url" >"$TMP/one.$(basename "$url")"; done \
    <"$TMP/mixed.txt"
check "as completed: every body whole, none interleaved" python3 -c '
import sys, glob
out = open(sys.argv[1], "rb").read()
bodies = [open(f, "rb").read() for f in glob.glob(sys.argv[2] + "/one.*")]
assert len(bodies) == 100
pos = 0
while bodies:
    for b in bodies:
        if out.startswith(b, pos):
            bodies.remove(b)
            pos += len(b)
            break
    else:
        sys.exit("no body starts at %d" % pos)
assert pos == len(out), "bytes left over"
' "$TMP/mixed.out" "$TMP"

# A failure has no body; it is told on stderr.  An error status's body is
# a body.
"$COFETCH" -k -f body "$HTTP/lines/2" "http://127.0.0.1:1/x" \
    "$HTTP/status/404" >"$TMP/f.out" 2>"$TMP/f.err"
check_eq "exit 1 when one failed" 1 "$?"
check_eq "bodies in order, the 404's included" "line 1|line 2|status" \
    "$(paste -sd'|' "$TMP/f.out")"
check "the failure on stderr" grep -q \
    "^cofetch: http://127.0.0.1:1/x: connect: " "$TMP/f.err"
check "the summary counts it" grep -q "3 results: 1 ok, 2 failed" \
    "$TMP/f.err"
"$COFETCH" -q -f body "http://127.0.0.1:1/x" >"$TMP/q.out" 2>"$TMP/q.err"
check_eq "-q: nothing on stderr" "" "$(cat "$TMP/q.err")"

check_eq "after redirects, only the final page's body" "arrived" \
    "$("$COFETCH" -q -f body "$HTTP/redirect/3")"

# --max-bytes cuts the body; -n does not (the body is wanted whole).
check_eq "--max-bytes 10" 10 \
    "$("$COFETCH" -q -f body --max-bytes 10 "$HTTP/lines/100" | wc -c)"
check_eq "--max-bytes 1k is 1024 bytes" 1024 \
    "$("$COFETCH" -q -f body --max-bytes 1k "$HTTP/bytes/5000" | wc -c)"
check_eq "-n does not cut a body" "$(curl -s "$HTTP/lines/100" | wc -c)" \
    "$("$COFETCH" -q -f body -n 1 "$HTTP/lines/100" | wc -c)"

# The spool file: made once the memory bound is passed (a slow first
# body holds 40 MiB behind it), never visible in TMPDIR, and gone after
# kill -9.
mkdir "$TMP/spool"
{ echo "$HTTP/delay/20000"
  for i in $(seq 1 40); do echo "$HTTP/blob/1048576/$i"; done; } >"$TMP/hold.txt"
TMPDIR=$TMP/spool "$COFETCH" -q -k -f body -i "$TMP/hold.txt" >/dev/null &
pid=$!
spooling() {
	ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "cofetch-spool-.*(deleted)"
}
check "past 16 MiB held, bodies go to the spool file" wait_for 10 spooling
check_eq "the spool file has no name in TMPDIR" "" "$(ls -A "$TMP/spool")"
kill -9 "$pid"
wait "$pid" 2>/dev/null
check_eq "nothing left after kill -9" "" "$(ls -A "$TMP/spool")"

# SIGINT while bodies are held: what was complete and in order is out,
# the run ends 130, nothing left behind.
TMPDIR=$TMP/spool "$COFETCH" -q -k -f body -i "$TMP/hold.txt" >/dev/null &
pid=$!
wait_for 10 spooling
kill -INT "$pid"
wait "$pid"
check_eq "SIGINT: exit 130" 130 "$?"
check_eq "SIGINT: nothing left in TMPDIR" "" "$(ls -A "$TMP/spool")"

finish
