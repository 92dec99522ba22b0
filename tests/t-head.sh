#!/bin/bash
# t-head.sh: -f head and -n: each page's first non-empty lines, the
# transfer stopped as soon as they are in, control characters made
# harmless; json's "head"; --max-bytes; --with-headers.
. "$(dirname "$0")/lib.sh"
start_testd

check_eq "a head block" "==> $HTTP/lines/100 <==|line 1|line 2|line 3|" \
    "$("$COFETCH" -q -f head "$HTTP/lines/100" | paste -sd'|')"
check_eq "-n 1" "==> $HTTP/lines/100 <==|line 1|" \
    "$("$COFETCH" -q -f head -n 1 "$HTTP/lines/100" | paste -sd'|')"
check_eq "a short body gives what it has" \
    "==> $HTTP/lines/2 <==|line 1|line 2|" \
    "$("$COFETCH" -q -f head -n 5 "$HTTP/lines/2" | paste -sd'|')"
check_eq "a failure is one ERROR line" \
    "==> $HTTP/status/404 <==|ERROR: http: HTTP status 404|" \
    "$("$COFETCH" -q -f head "$HTTP/status/404" | paste -sd'|')"

# Blank lines skipped, CRLF trimmed, no escape sequence or C1 control
# reaches the terminal, invalid UTF-8 repaired.
"$COFETCH" -q -f head -n 10 "$HTTP/preview" >"$TMP/p.txt"
check_eq "blank lines skipped, controls made harmless" \
    "	first|?[31mred?[0m|$(printf '\xef\xbf\xbd\xef\xbf\xbd') bad|? csi|last" \
    "$(sed -n '2,6p' "$TMP/p.txt" | paste -sd'|')"
check "no ESC, CR or C1 byte in the output" bash -c \
    '! LC_ALL=C grep -q "$(printf "[\x1b\r]")" "$1" &&
    ! grep -q "$(printf "\xc2\x9b")" "$1"' _ "$TMP/p.txt"

# An endless body: the preview returns at once and little was sent.
reset_stats
start=$(now_ms)
"$COFETCH" -q -f head -n 3 "$HTTP/endless" >"$TMP/e.txt"
check_eq "endless body previewed" 5 "$(wc -l <"$TMP/e.txt")"
check "in well under a second" test $(( $(now_ms) - start )) -lt 1000
check_range "the server sent under 64 KiB" 1 65535 "$(stat endless_bytes)"

# -k keeps blocks in input order, each whole.
for ms in 600 300 0; do echo "$HTTP/delay/$ms"; done >"$TMP/rev.txt"
check_eq "-k blocks in input order" \
    "$HTTP/delay/600 $HTTP/delay/300 $HTTP/delay/0" \
    "$("$COFETCH" -q -k -f head -i "$TMP/rev.txt" | sed -n 's/^==> \(.*\) <==$/\1/p' |
    paste -sd' ')"
check_eq "as completed too" "$HTTP/delay/0 $HTTP/delay/300 $HTTP/delay/600" \
    "$("$COFETCH" -q -f head -i "$TMP/rev.txt" | sed -n 's/^==> \(.*\) <==$/\1/p' |
    paste -sd' ')"

# json: "head" only with -n; the lines as an array; stopping is success.
check "no head field without -n" jq -e 'has("head") | not' \
    <<<"$("$COFETCH" -q -f json "$HTTP/lines/5")"
r=$("$COFETCH" -q -f json -n 2 "$HTTP/lines/100")
check_eq "json head" '["line 1","line 2"] true true' \
    "$(jq -c '.head' <<<"$r") $(jq -r '"\(.ok) \(.truncated)"' <<<"$r")"
check_eq "head of a redirect is the final page's" '["line 1"]' \
    "$("$COFETCH" -q -f json -n 1 "$HTTP/to/302?%2Flines%2F9" | jq -c .head)"
check_eq "no response: head null" null \
    "$("$COFETCH" -q -f json -n 1 http://127.0.0.1:1/ | jq -c .head)"

# --max-bytes: cut, still ok; a shorter body is not truncated.
r=$("$COFETCH" -q -f json --max-bytes 100 "$HTTP/bytes/5000")
check_eq "--max-bytes cuts" "true 100 true" \
    "$(jq -r '"\(.ok) \(.bytes) \(.truncated)"' <<<"$r")"
r=$("$COFETCH" -q -f json --max-bytes 100 "$HTTP/bytes/60")
check_eq "--max-bytes leaves a short body whole" "true 60 false" \
    "$(jq -r '"\(.ok) \(.bytes) \(.truncated)"' <<<"$r")"
check_eq "--max-bytes ends an endless body" "true 5000" \
    "$("$COFETCH" -q -f json --max-bytes 5000 -t 5 "$HTTP/endless" |
    jq -r '"\(.ok) \(.bytes)"')"
# --with-headers: the final response's, names lower-cased, every value.
r=$("$COFETCH" -q -f json --with-headers "$HTTP/to/302?%2Fheaders")
check_eq "repeated header keeps both values" '["a=1","b=2"]' \
    "$(jq -c '.headers["set-cookie"]' <<<"$r")"
check_eq "names lower-cased, values trimmed" '"padded value"' \
    "$(jq -c '.headers["x-mixed-case"][0]' <<<"$r")"
check "the final response's, not the redirect's" jq -e \
    '.headers | has("location") | not' <<<"$r"
check "no headers field without the option" jq -e 'has("headers") | not' \
    <<<"$("$COFETCH" -q -f json "$HTTP/headers")"
check_eq "no response: headers null" null \
    "$("$COFETCH" -q -f json --with-headers http://127.0.0.1:1/ |
    jq -c .headers)"
"$COFETCH" -q -f json --with-headers "$RAW/ctype-bad" >"$TMP/h.json"
check "invalid bytes in headers give valid json" valid_jsonl "$TMP/h.json"
finish
