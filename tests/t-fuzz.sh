#!/bin/bash
# t-fuzz.sh: every fuzz target replays its corpus (tests/fuzz/corpus):
# the seeds, what scripts/fuzz kept, and every input that once broke a
# parser.  Under the sanitized build this is the corpus under ASan+UBSan.
. "$(dirname "$0")/lib.sh"
top=${SRCDIR:-$(dirname "$0")/..}

for target in lines jsonl utf8 format html url record addrpolicy jsoncheck; do
	corpus=$top/tests/fuzz/corpus/$target
	n=$(find "$corpus" -type f | wc -l)
	out=$("$FUZZDIR/fuzz_$target" "$corpus" 2>&1)
	check_eq "fuzz_$target: its corpus of $n replays clean" \
	    "$FUZZDIR/fuzz_$target: $n inputs replayed" "$out"
done
finish
