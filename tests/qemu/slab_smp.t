#!/usr/bin/perl
# slab_smp.t: the slab torture on raspi3b's four cores at once (multi-threaded TCG), with nosmp, and on x86's one CPU.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

my @mttcg = @TCG_MULTI;
my $cmds = 'selftest slab_smp; cat /proc/slabinfo; echo end';

# check(LABEL, OUT, STATUS, CPUS, OK_STATUS): the suite passed on CPUS CPUs, and slabinfo after it is clean.
sub check {
    my ($label, $out, $st, $cpus, $ok_status) = @_;
    is($st, $ok_status // 0, "$label: boots, runs the suite and powers off with status 0");
    like($out, qr/^ok 1 slab_smp\r?$/m, "$label: slab_smp passes");
    my ($ops, $n, $met, $sent, $remote) = $out =~
        /concurrent_torture: (\d+) operations on (\d+) CPU\(s\) \((\d+) started together\); (\d+) objects sent through the rings, (\d+) of them/;
    ok(defined $ops && $ops >= 1000000, "$label: at least 10^6 allocations and frees (" . ($ops // 'none') . ')');
    is($n // -1, $cpus, "$label: on $cpus CPU(s)");
    is($met // -1, $cpus, "$label: all of them started together");
    ok(($sent // 0) > 0, "$label: objects went through the rings (" . ($sent // 0) . ')');
    if ($cpus > 1) {
        ok(($remote // 0) > 0, "$label: some freed by another CPU while the others ran (" . ($remote // 0) . ')');
    }
    my ($info) = $out =~ /^pagoda# cat \/proc\/slabinfo\r?\n(.*?)^pagoda# echo end/ms;
    $info //= '';
    unlike($info, qr/^slab-smp-test /m, "$label: the torture's cache is gone from /proc/slabinfo");
    my @rows = grep { /^kmalloc-/ } split /\r?\n/, $info;
    ok(@rows >= 10, "$label: /proc/slabinfo lists the kmalloc caches");
    my @busy = grep { (split)[-1] != 0 } @rows;
    is(scalar @busy, 0, "$label: no kmalloc cache keeps objects in its shared array after the suite's drain")
        or diag(join("\n", @busy));
}

# The KASAN kernel (PAGODA_KASAN=1) runs the four CPUs in turn (single-threaded TCG), the same 10^6
# operations in ~12 s. In parallel it cannot finish: every kmalloc and kfree there takes KASAN's
# global locks (the stack depot's, the object metadata's, the quarantine's) with interrupts off,
# and four vCPU threads on a 2-core host hand a contended ticket lock over at the host
# scheduler's pace (sampled with gdb at a host load of 7: all four CPUs waiting on the depot's
# lock, ~100 operations a second for the four, so 10^6 would take hours).
# Parallel allocation is what the normal kernel's run here checks; KASAN checks the accesses.
my ($out, $st) = qemu_arm64(append => "run=\"$cmds\"", extra => kasan() ? [@TCG_SINGLE] : \@mttcg, timeout => 240);
check('arm64, 4 CPUs' . (kasan() ? ' in turn (KASAN)' : ''), $out, $st, 4);

($out, $st) = qemu_arm64(append => "nosmp run=\"$cmds\"", extra => \@mttcg, timeout => 240);
check('arm64, nosmp', $out, $st, 1);

SKIP: {
    my $elf = 'build/x86/kernel.elf';
    skip "$elf not built (make ARCH=x86)", 8 unless -e $elf;
    my ($xout, $xst) = run_timeout(240, undef, 'qemu-system-i386', '-m', '128', '-kernel', $elf,
        '-append', "run=\"$cmds\"", '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    check('x86, 1 CPU', $xout, $xst, 1, (0 << 1) | 1);    # isa-debug-exit: (status << 1) | 1
}
done_testing();
