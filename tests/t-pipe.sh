#!/bin/bash
# t-pipe.sh: when the reader closes standard output (| head -1), cofetch
# ends at once and quietly with status 141, even if nothing more is due
# for a long time.  A reader that stops reading for a while stops the run
# with it: nothing is read or admitted, memory stays flat, and once it
# reads again every line arrives whole.
. "$(dirname "$0")/lib.sh"
start_testd

{ echo "$HTTP/status/200"; seq 10 | sed "s|^|$HTTP/delay/30000?n=|"; } \
    >"$TMP/slow.txt"
start=$(now_ms)
"$COFETCH" -f json -i "$TMP/slow.txt" 2>"$TMP/err" | head -1 >"$TMP/first"
rc=${PIPESTATUS[0]}
elapsed=$(( $(now_ms) - start ))
check_eq "exit 141" 141 "$rc"
check "ends long before the slow URLs" test "$elapsed" -lt 15000
check_eq "no message, no summary" "" "$(cat "$TMP/err")"
check "the line head saw is whole json" valid_jsonl "$TMP/first"

# The reader leaves while results keep coming: EPIPE on a write.
seq 3000 | sed "s|^|$HTTP/status/200?n=|" >"$TMP/fast.txt"
"$COFETCH" -i "$TMP/fast.txt" 2>"$TMP/err2" | head -1 >/dev/null
check_eq "exit 141 on EPIPE" 141 "${PIPESTATUS[0]}"
check_eq "quiet on EPIPE" "" "$(cat "$TMP/err2")"

# A reader that takes one line, then stops until it is told to go on.
seq 20000 | sed "s|^|$HTTP/status/200?n=|" >"$TMP/many.txt"
mkfifo "$TMP/out.fifo" "$TMP/go.fifo"
python3 -c '
import sys
out = open(sys.argv[1], "wb")
with open(sys.argv[2], "rb") as f:
    out.write(f.readline())
    out.flush()
    open(sys.argv[3]).read()
    out.write(f.read())' "$TMP/stopped.out" "$TMP/out.fifo" "$TMP/go.fifo" &
reader=$!
reset_stats
"$COFETCH" -q -f json -i "$TMP/many.txt" >"$TMP/out.fifo" &
pid=$!
# Blocked in write(2) on standard output: syscall 1, descriptor 1.
blocked() {
	case $(cat "/proc/$pid/syscall" 2>/dev/null) in
	"1 0x1 "*) return 0 ;;
	*) return 1 ;;
	esac
}
if wait_for 60 blocked; then
	ok "a stopped reader: cofetch waits in write"
	check_range "...having fetched only what the pipe and one batch hold" \
	    1 2000 "$(stat requests)"
	if [ "$SANITIZED" = 1 ]; then
		ok "...RSS (not measured under sanitizers)"
	else
		check_range "...in flat memory (VmRSS under 32 MiB)" 1 32768 \
		    "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
	fi
else
	not_ok "a stopped reader: cofetch never waited in write"
	not_ok "...fetched only what the pipe holds"
	not_ok "...in flat memory"
fi
echo go >"$TMP/go.fifo"
wait "$pid"
check_eq "the reader goes on: exit 0" 0 "$?"
wait "$reader"
check "...every line whole and valid" valid_jsonl "$TMP/stopped.out"
check_eq "...one result per URL" "20000 20000" \
    "$(wc -l <"$TMP/stopped.out") $(jq .index "$TMP/stopped.out" | sort -u |
    wc -l)"
finish
