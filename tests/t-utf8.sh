#!/bin/bash
# t-utf8.sh: every JSON string is valid UTF-8 whatever bytes arrive, and
# the repair is exactly Python's bytes.decode('utf-8', 'replace').
. "$(dirname "$0")/lib.sh"
start_testd

# 4000 random strings, biased towards the bytes that make UTF-8 hard,
# written as JSON strings by cofetch's own writer: each must parse and
# equal Python's bytes.decode('utf-8', 'replace').
python3 - "$TMP/cases.hex" <<'PY'
import random, sys
rnd = random.Random(20261124)
alphabet = (list(range(0x00, 0x7f)) + list(range(0x80, 0xc2)) +
            list(range(0xc2, 0xf5)) + [0xf5, 0xfe, 0xff, 0xed, 0xe0, 0xf0,
            0xf4, 0xa0, 0x9f, 0x90, 0x8f, 0xbf])
with open(sys.argv[1], "w") as f:
    for _ in range(4000):
        b = bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        f.write(b.hex() + "\n")
PY
"$UNITDIR/t_utf8" --filter <"$TMP/cases.hex" >"$TMP/got.json"
check "4000 random strings repaired as Python does" python3 -c '
import json, sys
cases = open(sys.argv[1]).read().split("\n")[:-1]
got = open(sys.argv[2], "rb").read().decode("utf-8").splitlines()
assert len(cases) == len(got) == 4000, (len(cases), len(got))
for h, line in zip(cases, got):
    want = bytes.fromhex(h).decode("utf-8", "replace")
    if json.loads(line) != want:
        sys.exit("%s: %r != %r" % (h, json.loads(line), want))
' "$TMP/cases.hex" "$TMP/got.json"

# Bytes from the server: a Content-Type with invalid UTF-8.
"$COFETCH" -q -k -f json "$HTTP/utf8/bad" "$RAW/ctype-bad" >"$TMP/s.json"
check "server bytes give valid json" valid_jsonl "$TMP/s.json"
expect=$(python3 -c 'import sys
print(b"text/plain; charset=\xff\xe2\x82".decode("utf-8", "replace"))
print(b"text/plain; charset=\xff\xfe\xc0\xaf\xed\xa0\x80x".decode("utf-8",
    "replace"))')
check_eq "content_type repaired like Python" "$expect" \
    "$(jq -r .content_type "$TMP/s.json")"

# Bytes from the input: invalid UTF-8 and control bytes in lines.
printf 'bad \xff\xfe line\nhttp://127.0.0.1/\xc3\x28\x01\n\xed\xa0\x80\n' \
    >"$TMP/in.txt"
"$COFETCH" -q -k -f json -i "$TMP/in.txt" >"$TMP/in.json"
check "input bytes give valid json" valid_jsonl "$TMP/in.json"
expect=$(python3 -c 'import sys
for line in open(sys.argv[1], "rb").read().splitlines():
    print(line.decode("utf-8", "replace").encode("unicode_escape").decode())
' "$TMP/in.txt")
check_eq "url fields repaired like Python" "$expect" \
    "$(jq -r .url "$TMP/in.json" | python3 -c 'import sys
for line in sys.stdin.buffer.read().splitlines():
    print(line.decode("utf-8").encode("unicode_escape").decode())')"
check "text output keeps one line per URL" test \
    "$("$COFETCH" -q -i "$TMP/in.txt" | wc -l)" -eq 3
finish
