#!/bin/sh
# ktap.t: the KTAP suites built natively (ASan + UBSan) against each arch's descriptor format.
# One arch per run of this script would need one plan each; so each arch runs as a subtest
# line of its own, with its whole KTAP output shown as comments above it.
cd "$(dirname "$0")/../.." || exit 1
arches=$(for d in build/host/*/ktap; do [ -x "$d" ] && basename "$(dirname "$d")"; done)
n=0
for a in $arches; do n=$((n + 1)); done
# The x86 format's simulated machine has HighMem (tests/seam/host/mm_machine.c): there, every
# highmem case must run (kmap and kmap_local under the sanitizers), not skip.
hm=0
for a in $arches; do [ "$a" = x86 ] && hm=1; done
echo "1..$((n + hm))"
i=0
for a in $arches; do
	i=$((i + 1))
	# stack-use-after-return on both releases (trixie's GCC has it on already): a cleanup action
	# handed a stack address runs after the case's frame is gone
	out=$(ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 PAGODA_QUIET_LOG=1 "build/host/$a/ktap" 2>&1)
	st=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	summary=$(printf '%s\n' "$out" | grep -E '^(not )?ok [0-9]+ ' | tr '\n' ' ')
	if [ $st -eq 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
		echo "ok $i host KTAP ($a): $summary"
	else
		echo "not ok $i host KTAP ($a) exit $st: $summary"
	fi
	[ "$a" = x86 ] || continue
	hmout=$(printf '%s\n' "$out" | sed -n '/# Subtest: highmem$/,/^ok [0-9]* highmem$/p')
	ran=$(printf '%s\n' "$hmout" | grep -cE '^    ok [0-9]+ ')
	skipped=$(printf '%s\n' "$hmout" | grep -c '# SKIP')
	if [ "$ran" -ge 8 ] && [ "$skipped" -eq 0 ]; then
		echo "ok $((n + 1)) host KTAP (x86): all $ran highmem cases ran, none skipped"
	else
		echo "not ok $((n + 1)) host KTAP (x86): highmem: $ran cases passed, $skipped of them skipped"
	fi
done
