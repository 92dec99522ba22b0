#!/bin/bash
# t-save.sh: -o DIR.  Each body in its own file inside DIR, named from
# its index and URL; nothing written outside DIR whatever the URL or a
# planted symlink; no file for a failed download; "path" in json.
. "$(dirname "$0")/lib.sh"
start_testd

out=$TMP/out
long=$(printf 'a%.0s' $(seq 1 3000))
cat >"$TMP/urls.txt" <<EOF
$HTTP/lines/3
$HTTP/status/404
http://127.0.0.1:1/refused
$RAW/close
$HTTP/../../../../tmp/escape
$HTTP/%2e%2e/%2e%2e/%2E%2E/escape2
$HTTP/x/..%2f..%2f/escape3?q=../../y#frag
$HTTP/$long
http://user:secret@127.0.0.1:$PORT/lines/1
$HTTP/blob/300000/7
EOF
"$COFETCH" -q -f json -o "$out" -i "$TMP/urls.txt" >"$TMP/r.jsonl"
check_eq "exit 1 (some failed)" 1 "$?"
check "json with path is valid" valid_jsonl "$TMP/r.jsonl"

path_of() {
	jq -r "select(.index == $1) | .path" "$TMP/r.jsonl"
}
check_eq "the contract's name: index, host, path" \
    "$out/0-127.0.0.1-$PORT-lines-3" "$(path_of 0)"
check "the file holds the body" cmp "$(path_of 0)" \
    <(curl -s "$HTTP/lines/3")
check "an error status's body is saved" cmp "$(path_of 1)" \
    <(curl -s "$HTTP/status/404")
check_eq "a refused connection: no path" null "$(path_of 2)"
check_eq "a short body (connection closed): no path" null "$(path_of 3)"
check "a 300 KB binary body, byte for byte" cmp "$(path_of 9)" \
    <(curl -s "$HTTP/blob/300000/7")
check_eq "credentials are not in the name" \
    "$out/8-127.0.0.1-$PORT-lines-1" "$(path_of 8)"

# Everything the run made is a regular file directly in DIR.
check_eq "8 files, all in DIR, none hidden or partial" 8 \
    "$(find "$TMP" -newer "$TMP/urls.txt" -type f ! -name r.jsonl |
    grep -c "^$out/[0-9]")"
check_eq "no other file anywhere under TMP" 0 \
    "$(find "$TMP" -newer "$TMP/urls.txt" -type f ! -name r.jsonl |
    grep -vc "^$out/[0-9]")"
check_eq "no left-over .part file" "" "$(ls -A "$out" | grep '^\.')"
check "no name has .., a separator or a control byte" bash -c \
    '! ls "$1" | LC_ALL=C grep -q "\.\.\|[^A-Za-z0-9._-]"' _ "$out"
name=$(basename "$(path_of 7)")
check_range "a long URL gives a bounded name" 100 160 "${#name}"
check "every path is DIR/name" bash -c \
    '! jq -r ".path // empty" "$1" | grep -v "^$2/[^/]*\$"' _ \
    "$TMP/r.jsonl" "$out"

# A symlink planted under the very name a body will get: the rename
# replaces the link itself, the file it points to is untouched.
mkdir "$TMP/plant"
echo precious >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/plant/0-127.0.0.1-$PORT-lines-3"
"$COFETCH" -q -o "$TMP/plant" "$HTTP/lines/3" >/dev/null
check_eq "the symlink's target is untouched" precious "$(cat "$TMP/victim")"
check "the name is now a regular file with the body" bash -c \
    '[ -f "$1" ] && [ ! -L "$1" ] && cmp -s "$1" <(curl -s "$2")' _ \
    "$TMP/plant/0-127.0.0.1-$PORT-lines-3" "$HTTP/lines/3"

# A second run into the same DIR replaces its files.
"$COFETCH" -q -o "$TMP/plant" "$HTTP/lines/5" >/dev/null
check_eq "a rerun replaces" 5 \
    "$(wc -l <"$TMP/plant/0-127.0.0.1-$PORT-lines-5")"

# DIR is created if missing; one that cannot be is a usage error.
"$COFETCH" -q -o "$TMP/new" "$HTTP/lines/1" >/dev/null
check "a missing DIR is created" test -f "$TMP/new/0-127.0.0.1-$PORT-lines-1"
echo file >"$TMP/notadir"
"$COFETCH" -q -o "$TMP/notadir" "$HTTP/lines/1" >"$TMP/e.out" 2>"$TMP/e.err"
check_eq "DIR that is a file: exit 2" 2 "$?"
check_eq "...and nothing on stdout" "" "$(cat "$TMP/e.out")"
check "...and a message" grep -q "notadir" "$TMP/e.err"

# -o with -f head: the preview is printed, the file is the whole body.
"$COFETCH" -q -f head -n 1 -o "$TMP/h" "$HTTP/lines/50" >"$TMP/h.out"
check_eq "-f head still one line" 3 "$(wc -l <"$TMP/h.out")"
check_eq "...but the file is whole" 50 \
    "$(wc -l <"$TMP/h/0-127.0.0.1-$PORT-lines-50")"

# A full disk: each body that does not fit fails on its own (error
# other, no file left), the others are saved whole, the run ends exit 1.
# A small tmpfs in a private mount namespace, where the machine allows it.
for i in $(seq 1 8); do echo "$HTTP/blob/100000/$i"; done >"$TMP/fill.txt"
full_disk() {
	mkdir -p "$TMP/small"
	unshare -m sh -c 'mount -t tmpfs -o size=256k none "$1" &&
	    "$2" -q -j 1 -f json -o "$1/d" -i "$3" >"$4"
	    echo $? >"$4.rc"; ls -A "$1/d" >"$4.ls"' _ \
	    "$TMP/small" "$COFETCH" "$TMP/fill.txt" "$TMP/full.jsonl"
}
if unshare -m true 2>/dev/null && full_disk 2>/dev/null &&
    [ -s "$TMP/full.jsonl.rc" ]; then
	check_eq "full disk: exit 1" 1 "$(cat "$TMP/full.jsonl.rc")"
	check "full disk: valid JSON" valid_jsonl "$TMP/full.jsonl"
	check_eq "full disk: the first bodies saved, the rest failed" \
	    "true true false false false false false false" \
	    "$(jq -r .ok "$TMP/full.jsonl" | paste -sd' ')"
	check "full disk: the failures say why" jq -e \
	    'select(.ok | not) | .error == "other" and
	    (.message | test("No space left")) and .path == null' \
	    "$TMP/full.jsonl"
	check_eq "full disk: only the whole files are left" \
	    "$(jq -r 'select(.ok) | .path | sub(".*/"; "")' "$TMP/full.jsonl")" \
	    "$(cat "$TMP/full.jsonl.ls")"
else
	for i in 1 2 3 4 5; do ok "# skip full disk: cannot mount a tmpfs here"; done
fi

# A file size limit (ulimit -f) is a per-URL error too, not a crash.
(ulimit -f 150; "$COFETCH" -q -k -f json -o "$TMP/lim" "$HTTP/blob/100000/1" \
    "$HTTP/blob/300000/2" >"$TMP/lim.jsonl")
check_eq "ulimit -f: the run ends exit 1, not killed" 1 "$?"
check_eq "ulimit -f: the small body saved, the large one failed" \
    "true false" "$(jq -r .ok "$TMP/lim.jsonl" | paste -sd' ')"
check_eq "ulimit -f: no partial file" "0-127.0.0.1-$PORT-blob-100000-1" \
    "$(ls -A "$TMP/lim")"

finish
