#!/bin/bash
# t-order.sh: results as completed by default, in input order with -k, and
# the -k window bounds admission when an early task is slow.
. "$(dirname "$0")/lib.sh"
start_testd

for ms in 1200 800 400 0; do echo "$HTTP/delay/$ms"; done >"$TMP/rev.txt"
check_eq "default: as completed" "3 2 1 0" \
    "$("$COFETCH" -q -f json -i "$TMP/rev.txt" | jq -r .index | paste -sd' ')"
check_eq "-k: input order" "0 1 2 3" \
    "$("$COFETCH" -q -k -f json -i "$TMP/rev.txt" | jq -r .index |
    paste -sd' ')"
check_eq "-k text lines in input order" \
    "$HTTP/delay/1200 $HTTP/delay/800 $HTTP/delay/400 $HTTP/delay/0" \
    "$("$COFETCH" -q -k -i "$TMP/rev.txt" | cut -f2 | paste -sd' ')"

# With -k, a result may wait only inside the window: with --window 3 the
# server never sees more than 3 requests at once, whatever -j allows.
reset_stats
seq 30 | sed "s|^|$HTTP/delay/150?n=|" >"$TMP/many.txt"
"$COFETCH" -q -k --window 3 -j 50 -f json -i "$TMP/many.txt" >"$TMP/w.json"
check_eq "window bounds admission" 3 "$(stat peak)"
check_eq "window run complete and ordered" "$(seq 0 29 | paste -sd' ')" \
    "$(jq -r .index "$TMP/w.json" | paste -sd' ')"

# A slow head does not stop the window from filling behind it.
{ echo "$HTTP/delay/1000"; seq 20 | sed "s|^|$HTTP/status/200?n=|"; } \
    >"$TMP/head.txt"
reset_stats
"$COFETCH" -q -k --window 8 -j 50 -f json -i "$TMP/head.txt" >"$TMP/h.json"
check_eq "head-of-line run ordered" "$(seq 0 20 | paste -sd' ')" \
    "$(jq -r .index "$TMP/h.json" | paste -sd' ')"
check_eq "all 21 fetched" 21 "$(stat requests)"

# Bad lines keep their place in -k order.
printf '%s\n' "$HTTP/delay/300" "bad line" "$HTTP/status/200" \
    >"$TMP/mixed.txt"
check_eq "-k with bad lines" "0 1 2" \
    "$("$COFETCH" -q -k -f json -i "$TMP/mixed.txt" | jq -r .index |
    paste -sd' ')"
finish
