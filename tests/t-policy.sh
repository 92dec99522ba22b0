#!/bin/bash
# t-policy.sh: run-wide policies.  --shard K/N keeps the lines whose
# global index i has i mod N = K-1, and shards merged equal one run (the
# README's "Scaling out" recipe, with local processes for machines);
# --deadline ends the run in about its time, everything admitted
# cancelled and unread lines left unread; --fail-fast stops everything
# at the first failure.
. "$(dirname "$0")/lib.sh"
start_testd

# 60 lines: fast, slow, 404s, refused, a bad line, a comment.
{
	echo "# comments take no index"
	for i in $(seq 0 59); do
		case $((i % 6)) in
		0) echo "$HTTP/status/404?i=$i" ;;
		1) echo "http://127.0.0.1:1/refused?i=$i" ;;
		2) echo "not a url $i" ;;
		*) echo "$HTTP/delay/$((i % 4 * 20))?i=$i" ;;
		esac
	done
} >"$TMP/list.txt"
key='[.index, .url, .status, .error] | @tsv'
"$COFETCH" -q -f json -i "$TMP/list.txt" | jq -r "$key" | sort -n \
    >"$TMP/single.tsv"
pids=
for k in 1 2 3; do
	"$COFETCH" -q -f json --shard "$k/3" -i "$TMP/list.txt" \
	    >"$TMP/part$k.jsonl" &
	pids="$pids $!"
done
wait $pids
check_eq "shard 2/3 keeps the indices i mod 3 = 1" "$(seq 1 3 59 | paste -sd' ')" \
    "$(jq -r .index "$TMP/part2.jsonl" | sort -n | paste -sd' ')"
check_eq "shards merged by index equal a single run" \
    "$(cat "$TMP/single.tsv")" \
    "$(cat "$TMP"/part*.jsonl | jq -r "$key" | sort -n)"
check_eq "-k with a shard: in order, nothing waits for skipped lines" \
    "$(seq 0 4 59 | paste -sd' ')" \
    "$("$COFETCH" -q -k -f json --shard 1/4 -i "$TMP/list.txt" |
    jq -r .index | paste -sd' ')"
check_eq "--shard 1/1 is everything" 60 \
    "$("$COFETCH" -q --shard 1/1 -i "$TMP/list.txt" | wc -l)"
for bad in 0/3 4/3 1/0 3 a/b 1/3x -1/3; do
	"$COFETCH" --shard "$bad" "$HTTP/status/200" >/dev/null 2>&1
	check_eq "--shard $bad is a usage error" 2 "$?"
done

# --deadline 1 over slow URLs: about a second, admitted ones cancelled.
for i in $(seq 1 50); do echo "$HTTP/delay/5000?i=$i"; done >"$TMP/slow.txt"
start=$(now_ms)
"$COFETCH" -f json -j 10 --deadline 1 -i "$TMP/slow.txt" \
    >"$TMP/d.jsonl" 2>"$TMP/d.err"
rc=$?
ms=$(( $(now_ms) - start ))
check_eq "--deadline: exit 1" 1 "$rc"
check_range "--deadline 1: ends in about a second" 900 2500 "$ms"
check_eq "--deadline: the 10 admitted tasks are reported cancelled" \
    "10 cancelled" "$(jq -r .error "$TMP/d.jsonl" | sort | uniq -c |
    awk '{ print $1, $2 }')"
check "--deadline: the message says why" jq -e \
    'select(.message | test("deadline"))' "$TMP/d.jsonl"
check "--deadline: the summary says so" grep -q "stopped by --deadline" \
    "$TMP/d.err"
check_eq "--deadline not reached: exit 0" 0 \
    "$("$COFETCH" -q --deadline 5 "$HTTP/status/200" >/dev/null; echo $?)"

# --fail-fast: 100 slow URLs and one that fails stop within a second.
{ cat "$TMP/slow.txt" "$TMP/slow.txt"; echo "http://127.0.0.1:1/fails"; } \
    >"$TMP/ff.txt"
start=$(now_ms)
"$COFETCH" -q -f json -j 200 --fail-fast -i "$TMP/ff.txt" >"$TMP/ff.jsonl"
rc=$?
ms=$(( $(now_ms) - start ))
check_eq "--fail-fast: exit 1" 1 "$rc"
check_range "--fail-fast: within a second of the failure" 0 1000 "$ms"
check_eq "--fail-fast: one failure, the rest cancelled" \
    "100 cancelled|1 connect" \
    "$(jq -r .error "$TMP/ff.jsonl" | sort | uniq -c |
    awk '{ print $1, $2 }' | paste -sd'|')"
for i in $(seq 1 20); do echo "$HTTP/delay/50?i=$i"; done >"$TMP/fine.txt"
check_eq "--fail-fast without a failure: all ok" 20 \
    "$("$COFETCH" -q -f json -j 5 --fail-fast -i "$TMP/fine.txt" |
    jq -r 'select(.ok) | .index' | wc -l)"

finish
