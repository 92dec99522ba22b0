#!/bin/bash
# t-slurm.sh: cofetch under a real job-array scheduler.  A one-node Slurm
# cluster (munged, slurmctld and slurmd run from a temporary directory on
# loopback; no system file touched, every daemon stopped by its PID) runs
# `sbatch --array=0-3 --wait`, each task fetching its shard by host with
# --shard auto and --skip-done into its part.  The parts merged with
# --merge equal one unsharded run; every host was served by exactly one
# task (the test server saw each task's User-Agent); a requeued task
# fetches only what its part does not yet record as ok.  When Slurm
# cannot run, the test fails: it never skips.
. "$(dirname "$0")/lib.sh"

SL=$TMP/slurm		# the cluster's files
WORK=$TMP/work		# the job's directory
JOB=

# Whether process $1 is gone (a zombie no one reaps counts as gone).
gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" \
	    2>/dev/null)" = Z ]
}

# Each daemon by the PID in its PID file, the job first; bounded waits.
slurm_stop() {
	local f pid
	if [ -n "$JOB" ]; then
		timeout 10 scancel "$JOB" 2>/dev/null
		wait_for 20 sh -c "! squeue -h -j '$JOB' 2>/dev/null | grep -q ."
	fi
	for f in "$SL/slurmd.pid" "$SL/slurmctld.pid" "$SL/munge/pid"; do
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null
		wait_for 10 gone "$pid" || kill -9 "$pid" 2>/dev/null
	done
}
trap 'slurm_stop; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bail WHY: Slurm cannot run here; say why, loudly, with its logs.
bail() {
	not_ok "$1"
	for f in "$SL"/*.log "$SL/munge/log" "$SL"/out-*.txt; do
		[ -s "$f" ] && { echo "# --- $f"; tail -15 "$f" | sed 's/^/# /'; }
	done
	finish
	exit 1
}

# --- the cluster -----------------------------------------------------
have_slurm() {
	command -v munged && command -v slurmctld && command -v slurmd &&
	    command -v sbatch && command -v scontrol
}
if ! have_slurm >/dev/null; then
	"${SRCDIR:-$(dirname "$0")/..}/scripts/deps" ||
	    bail "cannot install slurm-wlm and munge (scripts/deps)"
fi
have_slurm >/dev/null || bail "slurm-wlm and munge are not installed"

start_testd
mkdir -p "$SL/state" "$SL/spool" "$WORK"
mkdir -m 0700 "$SL/munge"
head -c 1024 /dev/urandom >"$SL/munge/munge.key"
chmod 0400 "$SL/munge/munge.key"
munged --force -S "$SL/munge/sock" --key-file="$SL/munge/munge.key" \
    --pid-file="$SL/munge/pid" --log-file="$SL/munge/log" \
    --seed-file="$SL/munge/seed" || bail "munged did not start"

node=$(hostname -s)
cat >"$SL/slurm.conf" <<EOF
ClusterName=cofetch$$
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$SL/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$SL/state
SlurmdSpoolDir=$SL/spool
SlurmctldPidFile=$SL/slurmctld.pid
SlurmdPidFile=$SL/slurmd.pid
SlurmctldLogFile=$SL/slurmctld.log
SlurmdLogFile=$SL/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=10 State=UP OverSubscribe=YES
EOF
export SLURM_CONF=$SL/slurm.conf
t0=$(now_ms)
slurmctld -f "$SLURM_CONF" || bail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || bail "slurmd did not start"
node_idle() {
	[ "$(timeout 5 sinfo -h -o %t 2>/dev/null)" = idle ]
}
wait_for 30 node_idle || bail "the node never came up idle in sinfo"
ok "a one-node Slurm cluster is up ($(( $(now_ms) - t0 )) ms)"

# --- the list: 12 hosts, 4 URLs each, then failures ------------------
# Each host has two /hostdelay URLs (counted per Host by the server) and
# two /echo ones (which record who asked); the failures come last, so a
# part's first lines are all ok.
{
	for i in $(seq 0 47); do
		h=h$((i % 12)).test
		if [ $((i / 12 % 2)) -eq 0 ]; then
			echo "http://$h:$PORT/hostdelay/20?i=$i"
		else
			echo "http://$h:$PORT/echo/e$i"
		fi
	done
	echo "http://h1.test:$PORT/status/404?i=48"
	echo "not a url 49"
	echo "http://h6.test:$PORT/status/503?i=50"
	echo "http://127.0.0.1:1/refused?i=51"
	echo "not a url 52"
} >"$WORK/urls.txt"

# Five lines fail (two of them bad lines): --max-failures 5 lets each
# task end with status 0, so Slurm sees the array succeed.
# Each run of a task writes a part of its own (a requeued task's is
# part-K.1.jsonl), skipping what its earlier parts record as ok.
cat >"$WORK/job.sh" <<EOF
#!/bin/sh
part=part-\$SLURM_ARRAY_TASK_ID
cat \$part.*.jsonl >\$part.done 2>/dev/null
exec "$COFETCH" -q --shard auto --shard-by host -k -f json \\
    --dns-servers $DNS -A "cofetch-task-\$SLURM_ARRAY_TASK_ID" \\
    --max-failures 5 --skip-done \$part.done -i urls.txt \\
    >\$part.\${SLURM_RESTART_COUNT:-0}.jsonl
EOF
chmod +x "$WORK/job.sh"

# --- the array -------------------------------------------------------
reset_stats
t0=$(now_ms)
JOB=$(timeout 120 sbatch --parsable --array=0-3 --wait --chdir="$WORK" \
    -o "$SL/out-%a.txt" "$WORK/job.sh")
rc=$?
JOB=${JOB%%;*}
check_eq "sbatch --array=0-3 --wait: exit 0 (--max-failures 5)" 0 "$rc"
[ -n "$JOB" ] || bail "sbatch gave no job id"
ok "the array ran in $(( $(now_ms) - t0 )) ms (job $JOB)"
check_eq "four parts, one a task" "0 1 2 3" "$(cd "$WORK" &&
    ls part-*.0.jsonl | sed 's/part-\(.*\)\.0\.jsonl/\1/' | sort -n |
    paste -sd' ')"
check_eq "each task's shard is the one FNV-1a-64 of its hosts gives" "" \
    "$(cd "$WORK" && python3 - <<'PY'
import json, glob, urllib.parse
def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return h
for name in glob.glob("part-*.0.jsonl"):
    task = int(name[5:-8])
    for line in open(name):
        r = json.loads(line)
        host = urllib.parse.urlsplit(r["url"]).hostname
        want = fnv1a64(host.encode()) % 4 if host else r["index"] % 4
        if want != task:
            print(r["index"], r["url"], "in task", task, "not", want)
PY
)"

# Every host by exactly one task: who fetched each /echo URL (its
# User-Agent, as the server saw it) is the task whose part holds it, one
# task a host; and no /hostdelay URL was fetched twice.
for k in 0 1 2 3; do
	jq -r --arg k "$k" 'select(.url | test("/echo/")) |
	    "\(.url | sub("^http://"; "") | sub(":.*"; ""))\t\($k)\t\(.url |
	    sub(".*/echo/"; ""))"' "$WORK/part-$k.0.jsonl"
done >"$TMP/echoes.tsv"
while IFS="$(printf '\t')" read -r host task key; do
	printf '%s\t%s\t%s\n' "$host" "$task" "$(curl -s "$HTTP/seen/$key" |
	    sed -n 's/^header User-Agent: cofetch-task-//p')"
done <"$TMP/echoes.tsv" >"$TMP/seen.tsv"
check_eq "the server saw 24 /echo URLs" 24 "$(wc -l <"$TMP/seen.tsv")"
check_eq "each was fetched by the task whose part holds it" "" \
    "$(awk -F'\t' '$2 != $3' "$TMP/seen.tsv")"
check_eq "each host was served by one task" 12 \
    "$(cut -f1,3 "$TMP/seen.tsv" | sort -u | cut -f1 | sort -u | wc -l)"
check_eq "... and no host by two" "" \
    "$(cut -f1,3 "$TMP/seen.tsv" | sort -u | cut -f1 | uniq -d)"
check_eq "each host's two /hostdelay URLs were fetched once" \
    "$(for i in $(seq 0 11); do printf 'h%s.test 2\n' "$i"; done | sort)" \
    "$(curl -s "$HTTP/stats/hosts" | jq -r 'to_entries[] |
    "\(.key) \(.value.requests)"' | sort)"

# --- the merge -------------------------------------------------------
key='[.index, .url, .status, .error] | @tsv'
"$COFETCH" -q -k -f json --dns-servers "$DNS" -i "$WORK/urls.txt" \
    >"$TMP/single.jsonl"
"$COFETCH" --merge "$WORK"/part-*.jsonl >"$TMP/merged.jsonl"
check_eq "cofetch --merge of the parts: exit 0" 0 "$?"
check_eq "the merge equals one unsharded run (index, url, status, error)" \
    "$(jq -r "$key" "$TMP/single.jsonl")" \
    "$(jq -r "$key" "$TMP/merged.jsonl")"
check "... with every kind of result in it" test "$(jq -r .error \
    "$TMP/merged.jsonl" | sort -u | paste -sd' ')" = \
    "bad_input connect http null"

# --- a requeued task resumes -----------------------------------------
# The task with the most lines is stopped half way, as a SIGTERM stops a
# run: the rest of its part is results cancelled, and its last line is
# cut by the kill.  Requeued, it writes a second part with what the first
# does not record as ok, and the merge takes each index where it is ok.
task=$(wc -l "$WORK"/part-[0-3].0.jsonl | grep -v total | sort -rn |
    head -1 | sed 's/.*part-\(.\)\.0\.jsonl/\1/')
part=$WORK/part-$task.0.jsonl
lines=$(wc -l <"$part")
keep=$((lines / 2))
check "the kept half of part $task is all ok" test "$(head -"$keep" "$part" |
    jq -r .ok | sort -u)" = true
want=$(tail -n +"$((keep + 1))" "$part" | jq -r 'select(.error !=
    "bad_input") | .url' | wc -l)
{
	head -"$keep" "$part"
	tail -n +"$((keep + 1))" "$part" | jq -c '.ok = false |
	    .error = "cancelled" | .message = "interrupted by SIGTERM"'
	printf '{"index":999,"url":"cut by the ki'
} >"$TMP/stopped" && cp "$TMP/stopped" "$part"
reset_stats
t0=$(now_ms)
timeout 10 scontrol requeue "${JOB}_$task" ||
    bail "scontrol requeue ${JOB}_$task failed"
# Slurm holds a requeued job for two minutes before it may start again.
timeout 10 scontrol update JobId="${JOB}_$task" StartTime=now ||
    bail "cannot release the requeued task"
requeued_done() {
	timeout 5 scontrol show job -o "${JOB}_$task" 2>/dev/null |
	    grep -q 'JobState=COMPLETED .*Restarts=1'
}
wait_for 60 requeued_done || bail "the requeued task did not complete"
ok "the requeued task ran in $(( $(now_ms) - t0 )) ms"
check_eq "the requeued task fetched only what it had not finished" \
    "$want" "$(stat requests)"
check_eq "... into a part of its own" "$((lines - keep))" \
    "$(wc -l <"$WORK/part-$task.1.jsonl")"
"$COFETCH" --merge "$WORK"/part-*.jsonl >"$TMP/merged2.jsonl" \
    2>"$TMP/merge2.err"
check_eq "the merge of all five parts: exit 0" 0 "$?"
check "... warning of the cut line" grep -q "cut short" "$TMP/merge2.err"
check_eq "after the requeue the merge still equals one run" \
    "$(jq -r "$key" "$TMP/single.jsonl")" \
    "$(jq -r "$key" "$TMP/merged2.jsonl")"

finish
