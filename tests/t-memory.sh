#!/bin/bash
# t-memory.sh: a 100,000-line list runs in bounded memory and every line
# gets exactly one result.  (scripts/memory measures growth with 10x more.)
. "$(dirname "$0")/lib.sh"
start_testd

n=100000
[ "$SANITIZED" = 1 ] && n=20000
seq 0 $((n - 1)) | sed "s|^|$HTTP/status/200?n=|" >"$TMP/urls.txt"
/usr/bin/time -f '%M' -o "$TMP/rss" "$COFETCH" -q -j 100 -f json \
    -i "$TMP/urls.txt" >"$TMP/out.json"
check_eq "exit 0" 0 $?
check_eq "$n results" "$n" "$(wc -l <"$TMP/out.json")"
check_eq "each index exactly once" "$n 0 $((n - 1))" \
    "$(jq -r .index "$TMP/out.json" | sort -n | uniq | awk \
    'NR == 1 { lo = $1 } { hi = $1; c++ } END { print c, lo, hi }')"
check_eq "all ok" "$n" "$(grep -c '"ok":true' "$TMP/out.json")"
if [ "$SANITIZED" = 1 ]; then
	ok "peak RSS not checked under sanitizers"
else
	check_range "peak RSS under 32 MiB" 1 32768 "$(cat "$TMP/rss")"
fi
finish
