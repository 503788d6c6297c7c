#!/bin/sh
# tsan.t: the KTAP suites under ThreadSanitizer, per descriptor format. The concurrent suites run
# their "CPUs" as threads (tests/seam/host/smp_seam.c), so a missing lock or an unmarked shared
# access is a report; any report, or any failing case, fails the format's line.
cd "$(dirname "$0")/../.." || exit 1
arches=$(for d in build/tsan/*/ktap; do [ -x "$d" ] && basename "$(dirname "$d")"; done)
n=0
for a in $arches; do n=$((n + 1)); done
if [ "$n" -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 no TSan build under build/tsan (make host-test builds it)"
	exit 0
fi
echo "1..$n"
i=0
for a in $arches; do
	i=$((i + 1))
	out=$(TSAN_OPTIONS="halt_on_error=0 exitcode=66 suppressions=tests/host/tsan.supp" PAGODA_QUIET_LOG=1 "build/tsan/$a/ktap" 2>&1)
	st=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	races=$(printf '%s\n' "$out" | grep -c 'WARNING: ThreadSanitizer')
	suites=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+ ')
	failed=$(printf '%s\n' "$out" | grep -cE '^not ok [0-9]+ ')
	if [ $st -eq 0 ] && [ "$races" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$suites" -gt 0 ]; then
		echo "ok $i TSan KTAP ($a): $suites suites passed, 0 ThreadSanitizer reports"
	else
		echo "not ok $i TSan KTAP ($a) exit $st: $races ThreadSanitizer report(s), $failed suite(s) failed, $suites passed"
	fi
done
