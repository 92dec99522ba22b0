# tests/lib.sh: sourced by every shell test.  Starts a private test server
# on loopback, offers check helpers that print "ok - name" / "not ok -
# name", and ends with "NAME: N passed, M failed" (finish).
#
# Environment (set by make check): COFETCH, TESTD, DELAYD, UNITDIR, SRCDIR.
# SANITIZED=1 (set by scripts/check for the ASan run) relaxes only what
# sanitizers legitimately change: memory figures and speed.

set -u
LC_ALL=C
export LC_ALL
: "${COFETCH:?COFETCH must name the cofetch binary}"
: "${TESTD:?TESTD must name the test server}"
SANITIZED=${SANITIZED:-0}

TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cofetch-$TEST_NAME.XXXXXX")
PASSED=0
FAILED=0
TESTD_PID=
SERVER_PIDS=

cleanup() {
	local pid
	for pid in $TESTD_PID $SERVER_PIDS; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

now_ms() {
	date +%s%3N
}

# wait_for SECONDS COMMAND...: retry COMMAND every 20 ms until it succeeds
# or SECONDS pass (then fail).  Polls a condition; never a fixed sleep.
wait_for() {
	local limit=$1 end
	shift
	end=$(( $(now_ms) + limit * 1000 ))
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# start_testd [-c CERT -k KEY]: the test server, with HTTPS if given a
# certificate.
# Requests held for clients that went away (/hang, /stall) are still the
# server's when it is stopped: not leaks of cofetch's, so LSan is told.
start_testd() {
	ASAN_OPTIONS=detect_leaks=0 "$TESTD" -p "$TMP/ports" -l 900 "$@" &
	TESTD_PID=$!
	if ! wait_for 10 test -s "$TMP/ports"; then
		echo "Bail out! the test server did not start"
		exit 1
	fi
	HTTP=http://127.0.0.1:$(awk '$1 == "http" { print $2 }' "$TMP/ports")
	RAW=http://127.0.0.1:$(awk '$1 == "raw" { print $2 }' "$TMP/ports")
	HOLE=http://127.0.0.1:$(awk '$1 == "blackhole" { print $2 }' \
	    "$TMP/ports")
	PORT=$(awk '$1 == "http" { print $2 }' "$TMP/ports")
	HTTPS_PORT=$(awk '$1 == "https" { print $2 }' "$TMP/ports")
	DNS=127.0.0.1:$(awk '$1 == "dns" { print $2 }' "$TMP/ports")
}

# start_delayd: the latency server of scripts/bench; $DELAY is its URL.
start_delayd() {
	"${DELAYD:?DELAYD must name the latency server}" -p "$TMP/delay.port" \
	    -l 900 &
	SERVER_PIDS="$SERVER_PIDS $!"
	if ! wait_for 10 test -s "$TMP/delay.port"; then
		echo "Bail out! the latency server did not start"
		exit 1
	fi
	DELAY=http://127.0.0.1:$(awk '$1 == "delay" { print $2 }' \
	    "$TMP/delay.port")
}

# make_cert: a self-signed certificate for the test names and 127.0.0.1,
# in $TMP/cert.pem and $TMP/key.pem; it is its own CA.
make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tls.test \
	    -addext "subjectAltName=DNS:tls.test,DNS:h2.test,IP:127.0.0.1" \
	    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
}

# free_port: a TCP port nothing listens on now, on 127.0.0.1.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# queries NAME: A queries the DNS stub has seen for NAME.
queries() {
	curl -s "$HTTP/dns/$1" | jq -r .a
}

# stat FIELD: one number from the test server's /stats.
stat() {
	curl -s "$HTTP/stats" | jq -r ".$1"
}

# stat_is FIELD VALUE: for wait_for, which must re-read on every try.
stat_is() {
	[ "$(stat "$1")" = "$2" ]
}

reset_stats() {
	curl -s "$HTTP/stats/reset" >/dev/null
}

ok() {
	PASSED=$((PASSED + 1))
	echo "ok - $*"
}

not_ok() {
	FAILED=$((FAILED + 1))
	echo "not ok - $*"
}

# check NAME COMMAND...: passes if COMMAND succeeds (its output is dropped).
check() {
	local name=$1
	shift
	if "$@" >/dev/null; then ok "$name"; else not_ok "$name"; fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
	fi
}

# check_range NAME MIN MAX VALUE: MIN <= VALUE <= MAX, decimals allowed.
check_range() {
	if awk -v lo="$2" -v hi="$3" -v v="$4" \
	    'BEGIN { exit !(v != "" && v != "null" && v + 0 >= lo + 0 && v + 0 <= hi + 0) }'
	then
		ok "$1"
	else
		not_ok "$1"
		printf '#   %s not in [%s, %s]\n' "$4" "$2" "$3"
	fi
}

# valid_jsonl FILE: every line is one JSON object of valid UTF-8.
valid_jsonl() {
	python3 -c '
import json, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")
if data and not data.endswith(b"\n"):
    sys.exit("last line is not whole")
for line in text.splitlines():
    if not isinstance(json.loads(line), dict):
        sys.exit("not an object: " + line)
' "$1"
}

finish() {
	echo "$TEST_NAME: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
