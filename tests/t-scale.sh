#!/bin/bash
# t-scale.sh: scaling out.  --shard auto takes K and N from each job-array
# scheduler's variables (and refuses, exit 2, when they are missing or
# make no sense); --shard-by host gives every URL of a host to the shard
# FNV-1a-64 of its name picks (checked against Python's own FNV-1a), bad
# lines going by index; cofetch --merge puts -k -f json shards back into
# one run's output byte for byte, in bounded memory, and stops at lines
# that show the files are not one run's shards; --max-failures sets the
# exit status.
. "$(dirname "$0")/lib.sh"
start_testd

# Whatever scheduler runs this suite, its variables are not the test's.
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_STEP \
    SLURM_ARRAY_TASK_COUNT SGE_TASK_ID SGE_TASK_FIRST SGE_TASK_LAST \
    SGE_TASK_STEPSIZE CI_NODE_INDEX CI_NODE_TOTAL JOB_COMPLETION_INDEX \
    AWS_BATCH_JOB_ARRAY_INDEX

# --- --shard auto ------------------------------------------------------
for i in $(seq 0 29); do echo "$HTTP/status/200?i=$i"; done >"$TMP/list.txt"
indices() {
	"$COFETCH" -q -f json "$@" -i "$TMP/list.txt" | jq -r .index |
	    sort -n | paste -sd' '
}
want=$(indices --shard 2/3)
check_eq "Slurm: task 1 of 0-2 is shard 2/3" "$want" "$(
	SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_STEP=1 \
	    SLURM_ARRAY_TASK_COUNT=3 indices --shard auto)"
check_eq "Slurm: task 20 of 10-30:10 is shard 2/3" "$want" "$(
	SLURM_ARRAY_TASK_ID=20 SLURM_ARRAY_TASK_MIN=10 \
	    SLURM_ARRAY_TASK_STEP=10 SLURM_ARRAY_TASK_COUNT=3 \
	    indices --shard auto)"
check_eq "Grid Engine: task 5 of 3-7:2 is shard 2/3" "$want" "$(
	SGE_TASK_ID=5 SGE_TASK_FIRST=3 SGE_TASK_LAST=7 SGE_TASK_STEPSIZE=2 \
	    indices --shard auto)"
check_eq "GitLab CI: node 2 of 3 is shard 2/3" "$want" "$(
	CI_NODE_INDEX=2 CI_NODE_TOTAL=3 indices --shard auto)"
check_eq "Kubernetes: completion index 1 with auto/3 is shard 2/3" "$want" \
    "$(JOB_COMPLETION_INDEX=1 indices --shard auto/3)"
check_eq "AWS Batch: array index 1 with auto/3 is shard 2/3" "$want" \
    "$(AWS_BATCH_JOB_ARRAY_INDEX=1 indices --shard auto/3)"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_STEP=1 \
    SLURM_ARRAY_TASK_COUNT=3 "$COFETCH" -v --shard auto "$HTTP/status/200" \
    >/dev/null 2>"$TMP/v.err"
check "-v says which variables were used" grep -q "shard auto: shard 2/3 \
from Slurm: SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 \
SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=3" "$TMP/v.err"

reset_stats
"$COFETCH" --shard auto -i "$TMP/list.txt" >"$TMP/none.out" 2>"$TMP/none.err"
check_eq "no scheduler: exit 2" 2 "$?"
check_eq "no scheduler: nothing written, nothing fetched" "0 0" \
    "$(wc -c <"$TMP/none.out") $(stat requests)"
missing=
for v in SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_STEP \
    SLURM_ARRAY_TASK_COUNT SGE_TASK_ID SGE_TASK_FIRST SGE_TASK_LAST \
    SGE_TASK_STEPSIZE CI_NODE_INDEX CI_NODE_TOTAL JOB_COMPLETION_INDEX \
    AWS_BATCH_JOB_ARRAY_INDEX; do
	grep -q "$v" "$TMP/none.err" || missing="$missing $v"
done
check_eq "no scheduler: the message names every variable looked for" "" \
    "$missing"
# refused NAME SHARD VAR=VALUE...: --shard SHARD in that environment.
refused() {
	local name=$1 shard=$2
	shift 2
	env "$@" "$COFETCH" -q --shard "$shard" -i "$TMP/list.txt" \
	    >/dev/null 2>&1
	check_eq "$name: exit 2" 2 "$?"
}
refused "Kubernetes without a count" auto JOB_COMPLETION_INDEX=1
refused "a task number that is a word" auto SLURM_ARRAY_TASK_ID=one \
    SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=3
refused "K > N" auto SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=0 \
    SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=3
refused "a task off the array's step" auto SGE_TASK_ID=4 SGE_TASK_FIRST=3 \
    SGE_TASK_LAST=7 SGE_TASK_STEPSIZE=2
refused "a count that is not auto/N's" auto/3 CI_NODE_INDEX=1 \
    CI_NODE_TOTAL=4
refused "Slurm without _MIN" auto SLURM_ARRAY_TASK_ID=1 \
    SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=3
refused "GitLab's node 0" auto CI_NODE_INDEX=0 CI_NODE_TOTAL=3
refused "auto/0" auto/0 JOB_COMPLETION_INDEX=0
refused "auto/x" auto/x JOB_COMPLETION_INDEX=0
refused "automatic" automatic JOB_COMPLETION_INDEX=0

# --- --shard-by host ---------------------------------------------------
# 10 hosts (names the DNS stub answers), a bad line every 13, an
# upper-case name, an IPv6 literal (refused: the server is on IPv4).
{
	for i in $(seq 0 89); do
		if [ $((i % 13)) -eq 5 ]; then
			echo "not a url $i"
		else
			echo "http://h$((i * 7 % 10)).test:$PORT/hostdelay/0?i=$i"
		fi
	done
	echo "http://H3.Test:$PORT/status/200?upper"
	echo "http://[::1]:1/v6"
} >"$TMP/hosts.txt"

# The shard (1-based) of each line, computed here from scratch.
python3 - "$TMP/hosts.txt" 3 >"$TMP/want.tsv" <<'PY'
import sys, urllib.parse
n = int(sys.argv[2])
def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h
for i, line in enumerate(open(sys.argv[1]).read().splitlines()):
    if line.startswith("http://"):
        host = urllib.parse.urlsplit(line).hostname   # lower case, no []
        print(i, fnv1a64(host.encode()) % n + 1, host, sep="\t")
    else:
        print(i, i % n + 1, "-", sep="\t")
PY
for k in 1 2 3; do
	reset_stats
	"$COFETCH" -q -k -f json --dns-servers "$DNS" --shard "$k/3" \
	    --shard-by host -i "$TMP/hosts.txt" >"$TMP/host$k.jsonl"
	curl -s "$HTTP/stats/hosts" | jq -r 'keys[]' | sort >"$TMP/served$k"
done
check_eq "--shard-by host: each line is the shard FNV-1a-64 mod N says" \
    "$(cut -f1,2 "$TMP/want.tsv")" \
    "$(for k in 1 2 3; do jq -r --arg k "$k" '"\(.index)\t\($k)"' \
    "$TMP/host$k.jsonl"; done | sort -n)"
check "--shard-by host: the shards are not all one" \
    test "$(cut -f2 "$TMP/want.tsv" | sort -u | wc -l)" -gt 1
for k in 1 2 3; do
	check_eq "--shard-by host: shard $k served exactly its hosts" \
	    "$(awk -F'\t' -v k="$k" '$2 == k && $3 ~ /^h[0-9].test$/ {
	    print $3 }' "$TMP/want.tsv" | sort -u)" "$(cat "$TMP/served$k")"
done
check_eq "--shard-by host: no host was served by two shards" "" \
    "$(sort "$TMP"/served? | uniq -d)"
check_eq "--shard-by host: -k keeps each shard in index order" "" \
    "$(for k in 1 2 3; do jq -r .index "$TMP/host$k.jsonl" |
    sort -n -c 2>&1; done)"

# --- --merge -------------------------------------------------------------
"$COFETCH" -q -k -f json --dns-servers "$DNS" -i "$TMP/hosts.txt" \
    >"$TMP/single.jsonl"
key='[.index, .url, .status, .error] | @tsv'
# What --merge must write, by another implementation: every line of the
# files, sorted by index.
pymerge() {
	python3 -c '
import json, sys
lines = [l for f in sys.argv[1:] for l in open(f, "rb").read().splitlines(True)]
lines.sort(key=lambda l: json.loads(l)["index"])
sys.stdout.buffer.write(b"".join(lines))' "$@"
}
"$COFETCH" --merge "$TMP"/host[123].jsonl >"$TMP/merged.jsonl"
check_eq "--merge: exit 0" 0 "$?"
check_eq "--merge: equals a single run (index, url, status, error)" \
    "$(jq -r "$key" "$TMP/single.jsonl")" \
    "$(jq -r "$key" "$TMP/merged.jsonl")"
check "--merge: the records, byte for byte, in index order" \
    cmp -s "$TMP/merged.jsonl" <(pymerge "$TMP"/host[123].jsonl)
check "--merge: '-' reads standard input" cmp -s "$TMP/merged.jsonl" \
    <("$COFETCH" --merge "$TMP/host1.jsonl" - "$TMP/host3.jsonl" \
    <"$TMP/host2.jsonl")

cp "$TMP/host3.jsonl" "$TMP/cut.jsonl"
printf '{"index":200,"url":"http://h1.test/x","ok":tr' >>"$TMP/cut.jsonl"
"$COFETCH" --merge "$TMP/host1.jsonl" "$TMP/host2.jsonl" "$TMP/cut.jsonl" \
    >"$TMP/m.out" 2>"$TMP/m.err"
check_eq "a cut last line: exit 0" 0 "$?"
check "a cut last line: skipped" cmp -s "$TMP/merged.jsonl" "$TMP/m.out"
check "a cut last line: a warning names the file and line" grep -q \
    "cut.jsonl:$(($(wc -l <"$TMP/host3.jsonl") + 1)): the last line is cut" \
    "$TMP/m.err"

# merge_fails NAME PATTERN FILE...: exit 1, a message matching PATTERN.
merge_fails() {
	local name=$1 pattern=$2 rc
	shift 2
	"$COFETCH" --merge "$@" >/dev/null 2>"$TMP/f.err"
	rc=$?
	check_eq "$name: exit 1" 1 "$rc"
	check "$name: the message says where and why" grep -q -- "$pattern" \
	    "$TMP/f.err"
}
# A line cut by kill -9, then ended by a resumed run appending to it.
{ head -2 "$TMP/host1.jsonl"; head -c 40 "$TMP/host1.jsonl"; echo
  tail -n +3 "$TMP/host1.jsonl"; } >"$TMP/mended.jsonl"
merge_fails "a cut line inside a file" "mended.jsonl:3: not a JSON object" \
    "$TMP/mended.jsonl" "$TMP/host2.jsonl"
tac "$TMP/host2.jsonl" >"$TMP/tac.jsonl"
merge_fails "a file out of index order" "tac.jsonl:2: index .* after .*: \
not written with -k" "$TMP/host1.jsonl" "$TMP/tac.jsonl"
cp "$TMP/host2.jsonl" "$TMP/again.jsonl"
merge_fails "an index ok in two files" \
    "again.jsonl:1: index [0-9]* is ok at .*host2.jsonl:1 too" \
    "$TMP/host2.jsonl" "$TMP/again.jsonl"
# A shard run again into a new part: an index in both is taken where it
# is ok, else from the file given last.
printf '%s\n' '{"index":0,"ok":true,"n":"a0"}' '{"index":1,"ok":false,"n":"a1"}' \
    '{"index":2,"ok":false,"n":"a2"}' '{"index":4,"id":{"ok":true},"ok":false,"n":"a4"}' \
    >"$TMP/try0.jsonl"
printf '%s\n' '{"index":1,"ok":true,"n":"b1"}' '{"index":2,"ok":false,"n":"b2"}' \
    '{"index":3,"ok":true,"n":"b3"}' '{"index":4,"ok":true,"n":"b4"}' \
    >"$TMP/try1.jsonl"
check_eq "a rerun's part: the ok record wins, else the later file's" \
    "a0 b1 b2 b3 b4" "$("$COFETCH" --merge "$TMP/try0.jsonl" "$TMP/try1.jsonl" |
    jq -r .n | paste -sd' ')"
check_eq "... whichever order the files come in (ok first)" "a0 b1 a2 b3 b4" \
    "$("$COFETCH" --merge "$TMP/try1.jsonl" "$TMP/try0.jsonl" |
    jq -r .n | paste -sd' ')"
"$COFETCH" -q -k "$HTTP/status/200" >"$TMP/text.out"
merge_fails "a text-format file" "text.out:1: not a JSON object" \
    "$TMP/text.out"
echo '{"url":"http://h/","ok":true}' >"$TMP/noindex.jsonl"
merge_fails "a record without an index" \
    "noindex.jsonl:1: no whole-number \"index\"" "$TMP/noindex.jsonl"

"$COFETCH" --merge -q "$TMP/host1.jsonl" >"$TMP/u.out" 2>/dev/null
check_eq "--merge with another option: usage error" "2 0" \
    "$? $(wc -c <"$TMP/u.out")"
"$COFETCH" -k --merge "$TMP/host1.jsonl" >/dev/null 2>&1
check_eq "--merge after another option: usage error" 2 "$?"
"$COFETCH" --merge >/dev/null 2>&1
check_eq "--merge without files: usage error" 2 "$?"
"$COFETCH" --merge "$TMP/host1.jsonl" "$TMP/absent.jsonl" >"$TMP/u.out" \
    2>/dev/null
check_eq "--merge with a missing file: exit 2, nothing written" "2 0" \
    "$? $(wc -c <"$TMP/u.out")"

# Lines longer than any buffer: records of up to 3 MB.
python3 - "$TMP/long" <<'PY'
import json, sys
sizes = [10, 3000000, 70, 2500000, 300000, 5]
files = [open("%s%d.jsonl" % (sys.argv[1], k), "w") for k in range(2)]
for i, n in enumerate(sizes):
    r = {"index": i, "url": "http://h/%d" % i, "title": "\u00e9x" * n}
    files[i % 2].write(json.dumps(r, separators=(",", ":")) + "\n")
PY
"$COFETCH" --merge "$TMP/long0.jsonl" "$TMP/long1.jsonl" >"$TMP/long.out"
check_eq "long lines: exit 0" 0 "$?"
check "long lines: merged byte for byte" test -s "$TMP/long.out" -a \
    "$(pymerge "$TMP/long0.jsonl" "$TMP/long1.jsonl" | cksum)" = \
    "$(cksum <"$TMP/long.out")"

# Memory is a line per file, however long the files: 3 x 60,000 records.
python3 - "$TMP/merged.jsonl" "$TMP/big" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
files = [open("%s%d.jsonl" % (sys.argv[2], k), "w") for k in range(3)]
for i in range(180000):
    r["index"] = i
    r["url"] = r["effective_url"] = "http://h%d.test/page/%d" % (i % 50, i)
    files[i % 3].write(json.dumps(r, separators=(",", ":")) + "\n")
PY
rss() {
	/usr/bin/time -f %M "$COFETCH" --merge "$@" 2>&1 >/dev/null | tail -1
}
small=$(rss "$TMP/host1.jsonl" "$TMP/host2.jsonl" "$TMP/host3.jsonl")
large=$(rss "$TMP/big0.jsonl" "$TMP/big1.jsonl" "$TMP/big2.jsonl")
if [ "$SANITIZED" = 1 ]; then
	ok "memory: skipped under ASan, whose shadow memory grows with the bytes read"
else
	check_range "memory: 3 x 60,000 lines take what 3 x 30 take (KB)" \
	    0 2048 "$((large - small))"
fi
check_eq "3 x 60,000 lines: indices 0 to 179999 in order" 180000 \
    "$("$COFETCH" --merge "$TMP"/big[012].jsonl | jq -r .index |
    awk 'NR - 1 != $1 { bad = 1 } END { print bad ? "bad" : NR }')"
"$COFETCH" --merge "$TMP"/big[012].jsonl 2>"$TMP/p.err" | head -1 >/dev/null
check_eq "--merge into a closed pipe: exit 141, quietly" "141 0" \
    "${PIPESTATUS[0]} $(wc -c <"$TMP/p.err")"

# --- --max-failures ----------------------------------------------------
{
	for i in 1 2 3 4 5 6; do echo "$HTTP/status/200?i=$i"; done
	for i in 1 2 3 4; do echo "$HTTP/status/404?i=$i"; done
} >"$TMP/mixed.txt"
failures_exit() {
	"$COFETCH" -q "$@" -i "$TMP/mixed.txt" >/dev/null 2>&1
	echo $?
}
check_eq "4 of 10 failed: exit 1 by default" 1 "$(failures_exit)"
check_eq "--max-failures 4: exit 0" 0 "$(failures_exit --max-failures 4)"
check_eq "--max-failures 3: exit 1" 1 "$(failures_exit --max-failures 3)"
check_eq "--max-failures 40%: exit 0" 0 "$(failures_exit --max-failures 40%)"
check_eq "--max-failures 39.99%: exit 1" 1 \
    "$(failures_exit --max-failures 39.99%)"
check_eq "--max-failures 100% with nothing ok: exit 0" 0 \
    "$("$COFETCH" -q --max-failures 100% "$HTTP/status/500" >/dev/null; echo $?)"
for bad in abc -1 4x 101% 100.01% 1.23456% 5.% %; do
	check_eq "--max-failures $bad: usage error" 2 \
	    "$(failures_exit --max-failures "$bad")"
done
"$COFETCH" -q --max-failures 100% "$HTTP/delay/20000" >/dev/null &
pid=$!
wait_for 10 stat_is inflight 1
kill -TERM "$pid"
wait "$pid"
check_eq "--max-failures 100% and SIGTERM: still 143" 143 "$?"
for i in $(seq 1 20); do echo "$HTTP/delay/3000?i=$i"; done >"$TMP/slow.txt"
"$COFETCH" -q -f json --max-failures 100% -i "$TMP/slow.txt" "$HTTP/status/200" |
    head -1 >/dev/null
check_eq "--max-failures 100% and a closed stdout: still 141" 141 \
    "${PIPESTATUS[0]}"

finish
