#!/bin/sh
# fuzz.t: builds the slab libFuzzer target (make fuzz) and runs it for a bounded number of inputs.
cd "$(dirname "$0")/../.." || exit 1
RUNS=${FUZZ_RUNS:-20000}
echo "1..2"
if out=$(make -s fuzz 2>&1); then
	echo "ok 1 make fuzz builds build/fuzz/slab_fuzz (clang -fsanitize=fuzzer,address,undefined)"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	echo "not ok 1 make fuzz"
	echo "not ok 2 slab_fuzz not run"
	exit 0
fi
out=$(build/fuzz/slab_fuzz -runs="$RUNS" -seed=1 -max_len=512 -print_final_stats=1 2>&1)
st=$?
printf '%s\n' "$out" | grep -E '^(stat::|Done|==[0-9]+==|slab_fuzz:|SUMMARY)' | sed 's/^/# /'
if [ $st -eq 0 ] && printf '%s\n' "$out" | grep -q "^Done $RUNS runs"; then
	echo "ok 2 slab_fuzz: $RUNS runs, exit 0"
else
	printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
	echo "not ok 2 slab_fuzz exit $st"
fi
