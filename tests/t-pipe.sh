#!/bin/bash
# t-pipe.sh: when the reader closes standard output (| head -1), cofetch
# ends at once and quietly with status 141, even if nothing more is due
# for a long time.
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
finish
