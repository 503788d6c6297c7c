#!/usr/bin/perl
# failsweep.t: fault injection on raspi3b — Linux's knobs on the command line and in debugfs, and the
# sweeps: the n-th allocation of each selftest case, and of the boot, fails; nothing crashes or leaks.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $D = '/sys/kernel/debug';

# What one command printed: from its echo to the next prompt or the end of run=.

# 1. The knobs: boot values read back, a bad boot value keeps the default and says so, debugfs
#    writes read back, bad writes change nothing and fail the echo, the shell stays alive.
{
    my @cmds = ("cat $D/failslab/interval $D/failslab/probability $D/failslab/space $D/failslab/times $D/failslab/verbose",
                "cat $D/fail_page_alloc/probability $D/fail_page_alloc/times",
                "cat $D/fail_vmalloc/probability",
                "echo 150 > $D/failslab/probability",
                "cat $D/failslab/probability",
                "echo 0 > $D/failslab/probability",
                "echo -1 >$D/fail_vmalloc/times",
                "cat $D/failslab/probability $D/fail_vmalloc/times",
                "echo 5 > /proc/self/fail-nth",
                "cat /proc/self/fail-nth",
                "echo 0 > /proc/self/fail-nth",
                "echo x > /proc/version",
                "echo 1 > $D/failslab/nothing",
                "selftest fault_inject",
                "echo alive");
    my ($out, $st, $to) = qemu_arm64(
        timeout => 120,
        append => 'failslab=3,100,4096,2 fail_page_alloc=1,200,0,1 fail_vmalloc=1,50 run="' . join('; ', @cmds) . '"');
    ok(!$to, 'knobs: the boot finished');
    is($st, 1, 'knobs: run= powers off with status 1 (three echos were meant to fail)');
    like($out, qr/run: 3 command\(s\) failed/, 'knobs: exactly the three bad writes failed');
    is(run_section($out, $cmds[0]), "3\n100\n4096\n2\n2\n", 'failslab=3,100,4096,2 reads back (verbose 2 by default)');
    like($out, qr/FAULT_INJECTION: fail_page_alloc=1,200,0,1: expected <interval>,<probability>,<space>,<times> .*fail_page_alloc stays off/,
         'a probability over 100 on the command line is refused with one line');
    is(run_section($out, $cmds[1]), "0\n1\n", 'fail_page_alloc keeps its defaults');
    like($out, qr/FAULT_INJECTION: fail_vmalloc=1,50: expected/, 'a short value is refused');
    is(run_section($out, $cmds[2]), "0\n", 'fail_vmalloc keeps its defaults');
    like(run_section($out, $cmds[3]), qr/failslab: invalid probability '150' \(want a percentage, 0\.\.100\); probability stays 100\n.*echo: write error: Invalid argument/s,
         'a bad write says why and fails the echo');
    is(run_section($out, $cmds[4]), "100\n", 'the bad write changed nothing');
    is(run_section($out, $cmds[7]), "0\n-1\n", 'good writes read back (echo V > F and echo V >F)');
    is(run_section($out, $cmds[9]), "5\n", '/proc/self/fail-nth reads back the calls to go');
    like(run_section($out, $cmds[11]), qr/^echo: \/proc\/version: Permission denied$/m, 'a read-only file refuses the write');
    like(run_section($out, $cmds[12]), qr/No such file or directory/, 'a missing file is named');
    like(run_section($out, $cmds[13]), qr/^ok 1 fault_inject$/m, 'the fault_inject KTAP suite passes in the kernel');
    is(run_section($out, $cmds[14]), "alive\n", 'the shell is alive after it all');
    unlike($out, qr/Kernel panic|Unhandled|BUG:/, 'knobs: no panic, no fault, no BUG report');
}

# 2. The sweep over the selftest cases whose error paths are clean: for each case, its 1st, 2nd,
#    ... allocation fails until a run injects nothing; every run must leave the checkers passing
#    and the free pages, slab objects and vmalloc areas where they were.
{
    my $suites = 'vmap_area pgtable highmem fixmap meminfo stackdepot memblock smp_call mempool ioremap kmalloc';
    my ($out, $st, $to) = qemu_arm64(timeout => 300, append => "run=\"failsweep $suites\"");
    ok(!$to, 'sweep: finished (no hang)');
    my ($runs, $bad) = $out =~ /^failsweep: (\d+) run\(s\), (\d+) bad/m;
    ok(defined $runs && $runs > 20, 'sweep: made ' . ($runs // 'no') . ' runs');
    my @bad = $out =~ /^(failsweep: .*BAD.*)$/mg;
    my @where = $out =~ /^failsweep: .*the failed call: (.*)$/mg;
    is_deeply(\@bad, [], 'sweep: no bad run') or diag(join("\n", @bad, @where));
    unlike($out, qr/ended by a fault|Kernel panic/, 'sweep: no run crashed');
    my @cases = $out =~ /^failsweep: (\w+): \d+ calls, swept to n=\d+/mg;
    ok(@cases >= 40, 'sweep: ' . scalar(@cases) . ' cases swept to the end');
}

# 2b. The slab and page_owner suites, their first 12 allocations per case: the caches and buffers a
#     case makes before its first assert (slab_torture's three caches, cache_ctor's objects,
#     page_owner's 1 MiB) are given back when a later one fails. (Their whole sweep is too long:
#     slab_torture alone makes 2x10^5 allocations.)
{
    my ($out, $st, $to) = qemu_arm64(timeout => 180, append => 'page_owner=on run="failsweep -n 1-12 slab page_owner"');
    ok(!$to, 'sweep -n 1-12 slab page_owner: finished');
    my ($runs, $bad) = $out =~ /^failsweep: (\d+) run\(s\), (\d+) bad/m;
    ok(defined $runs && $runs > 50, 'sweep -n 1-12: made ' . ($runs // 'no') . ' runs');
    my @bad = $out =~ /^(failsweep: .*(?:BAD|the failed call).*)$/mg;
    is_deeply(\@bad, [], 'sweep -n 1-12 slab page_owner: no bad run') or diag(join("\n", @bad));
    unlike($out, qr/ended by a fault|Kernel panic/, 'sweep -n 1-12: no run crashed');
}

# 3. The sweep sees a leak: failsweep_selfcheck's error path leaks on purpose.
{
    my ($out, $st, $to) = qemu_arm64(timeout => 120, append => 'run="failsweep failsweep_selfcheck"');
    ok(!$to, 'selfcheck: finished');
    is($st, 1, 'selfcheck: the sweep fails');
    my @bad = $out =~ /^failsweep: leaky_error_path: run \d+: BAD: leaked \d+ pages, 1 slab objects, 0 vmalloc areas$/mg;
    is(scalar @bad, 1, 'selfcheck: exactly one run leaked, one slab object');
    like($out, qr/^failsweep: leaky_error_path: run \d+: the failed call: __do_kmalloc\+0x[0-9a-f]+\/0x[0-9a-f]+ <- leaky_error_path\+/m,
         'selfcheck: the failed call is named: kmalloc from leaky_error_path');
    like($out, qr/^failsweep: \d+ run\(s\), 1 bad,/m, 'selfcheck: the total says 1 bad');
}

# 4. The boot: fail_nth=N fails the N-th allocation after the allocators are up, for N = 1, 2, ...
#    until a boot sees no failure (33 calls today; the number moves with the boot's allocations). Each boot must end
#    (no hang); the boot-critical allocations (the slab's own and the kmalloc caches' setup, vmalloc's first tree
#    node, the VMA cache: Linux's SLAB_PANIC caches) panic with their names, as Linux's boot caches do; every other boot reaches the shell
#    with the buddy consistent and MemFree at least as after a clean boot.
{
    my $cmds = "cat /proc/self/fail-nth; cat /sys/kernel/debug/page_alloc/verify; cat /proc/meminfo";
    my ($ref) = qemu_arm64(timeout => 60, append => "run=\"$cmds\"");
    my ($free0) = $ref =~ /^MemFree:\s+(\d+) kB/m;
    ok($free0, "boot sweep: a clean boot has MemFree $free0 kB");
    my ($n, $done) = (0, 0);
    while (!$done && ++$n <= 40) {
        my ($out, $st, $to) = qemu_arm64(timeout => 60, append => "fail_nth=$n run=\"$cmds\"");
        ok(!$to, "boot sweep n=$n: the boot ended");
        if ($out =~ /Kernel panic - not syncing: (.*)/) {
            like($1, qr/^(va_space_init: no memory for the first node|kmem_cache_init: cannot set up kmem_cache|kmalloc_init: cannot set up kmalloc-\w+|vma_cache_init: cannot create the vm_area_struct cache)$/,
                 "boot sweep n=$n: only a boot-critical allocation panics, with its name");
            next;
        }
        my ($left) = run_section($out, 'cat /proc/self/fail-nth') =~ /^(\d+)/;
        $done = defined $left && $left > 0;
        like(run_section($out, 'cat /sys/kernel/debug/page_alloc/verify'), qr/^zone +DMA: ok,/m, "boot sweep n=$n: the buddy verifies");
        my ($free) = $out =~ /^MemFree:\s+(\d+) kB/m;
        # At least a clean boot's: a boot that did without an optional buffer (the mailbox's DMA
        # page, say) has that page free; one with less has lost memory on an error path.
        cmp_ok($free // 0, '>=', $free0, "boot sweep n=$n: MemFree is at least a clean boot's");
    }
    ok($done, "boot sweep: boot $n saw no failure; the sweep is complete");
}

done_testing();
