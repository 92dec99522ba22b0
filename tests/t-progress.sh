#!/bin/bash
# t-progress.sh: the progress line is drawn on a terminal's stderr (a
# pseudo-terminal made by script(1)), at most ten times a second, erased
# before the summary, never on a pipe or a file, and never on stdout.
. "$(dirname "$0")/lib.sh"
start_testd

if ! command -v script >/dev/null; then
	echo "Bail out! script(1) is needed (bsdutils)"
	exit 1
fi
for i in $(seq 1 20); do echo "$HTTP/delay/300"; done >"$TMP/urls.txt"
esc=$(printf '\033')

# on_tty ARGS: runs cofetch with stderr on a pseudo-terminal and stdout in
# $TMP/out.txt; what the terminal showed is in $TMP/tty.txt.
on_tty() {
	script -qec "'$COFETCH' $* -i '$TMP/urls.txt' >'$TMP/out.txt'" \
	    "$TMP/tty.txt" >/dev/null
}

start=$(now_ms)
on_tty -j 5
ms=$(( $(now_ms) - start ))
draws=$(grep -o "done, [0-9]*/s, [0-9]* failed, [0-9]* in flight" \
    "$TMP/tty.txt" | wc -l)
check_range "a terminal gets the progress line" 1 1000 "$draws"
check_range "at most 10 draws a second" 1 $(( ms / 100 + 1 )) "$draws"
check "each draw starts by erasing the line" grep -q \
    "$(printf '\r')${esc}\[Kcofetch: [0-9]* done" "$TMP/tty.txt"
check "it is erased before the summary" grep -q \
    "$(printf '\r')${esc}\[Kcofetch: 20 results: 20 ok" "$TMP/tty.txt"
check_eq "stdout has the 20 results and nothing else" 20 \
    "$(grep -c "^200	$HTTP/delay/300	" "$TMP/out.txt")"
check "no escape or CR on stdout" bash -c \
    '! LC_ALL=C grep -q "$(printf "[\033\r]")" "$1"' _ "$TMP/out.txt"

script -qec "'$COFETCH' -j 5 $(paste -sd' ' "$TMP/urls.txt") >/dev/null" \
    "$TMP/tty.txt" >/dev/null
check "URL arguments: the total from the start" grep -q \
    "cofetch: [0-9]*/20 done" "$TMP/tty.txt"

on_tty -j 20 --no-progress
check "--no-progress: no line on a terminal" bash -c \
    '! grep -q "in flight" "$1"' _ "$TMP/tty.txt"
on_tty -j 20 -q
check "-q: no line by default" bash -c '! grep -q "in flight" "$1"' _ \
    "$TMP/tty.txt"

"$COFETCH" -j 5 -i "$TMP/urls.txt" >/dev/null 2>"$TMP/err.txt"
check "stderr a file: no progress line" bash -c \
    '! grep -q "in flight" "$1"' _ "$TMP/err.txt"
"$COFETCH" -j 5 -i "$TMP/urls.txt" 2>&1 >/dev/null | cat >"$TMP/pipe.txt"
check "stderr a pipe: no progress line" bash -c \
    '! grep -q "in flight" "$1"' _ "$TMP/pipe.txt"
check "...and the summary has the rate" grep -q "^cofetch: [0-9]* results/s" \
    "$TMP/pipe.txt"
"$COFETCH" --progress -j 5 -i "$TMP/urls.txt" >/dev/null 2>"$TMP/forced.txt"
check "--progress draws even on a file" grep -q "in flight" "$TMP/forced.txt"

finish
