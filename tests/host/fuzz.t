#!/bin/sh
# fuzz.t: builds the slab libFuzzer target for each descriptor format (make fuzz) and runs each
# for a bounded number of inputs.
cd "$(dirname "$0")/../.." || exit 1
RUNS=${FUZZ_RUNS:-20000}
arches=$(for d in arch/*/config.mk; do basename "$(dirname "$d")"; done)
n=1
for a in $arches; do n=$((n + 1)); done
echo "1..$n"
if out=$(make -s fuzz 2>&1); then
	echo "ok 1 make fuzz builds build/fuzz/{$(echo $arches | tr ' ' ,)}/slab_fuzz (clang -fsanitize=fuzzer,address,undefined)"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	echo "not ok 1 make fuzz"
	i=1
	for a in $arches; do i=$((i + 1)); echo "not ok $i slab_fuzz ($a) not run"; done
	exit 0
fi
i=1
for a in $arches; do
	i=$((i + 1))
	out=$("build/fuzz/$a/slab_fuzz" -runs="$RUNS" -seed=1 -max_len=512 -print_final_stats=1 2>&1)
	st=$?
	printf '%s\n' "$out" | grep -E '^(stat::|Done|==[0-9]+==|slab_fuzz:|SUMMARY)' | sed 's/^/# /'
	if [ $st -eq 0 ] && printf '%s\n' "$out" | grep -q "^Done $RUNS runs"; then
		echo "ok $i slab_fuzz ($a tables): $RUNS runs, exit 0"
	else
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
		echo "not ok $i slab_fuzz ($a) exit $st"
	fi
done
