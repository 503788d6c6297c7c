#!/usr/bin/perl
# kfence.t: KFENCE on raspi3b and x86 — the kfence suite with every allocation sampled (its reports, the stats
# and objects files), a bad and a zero kfence.sample_interval, and a default boot whose processes get sampled
# objects about once per 100 ms without a false report.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;
use Time::HiRes qw(time);

chdir "$FindBin::Bin/../.." or die;

my $D = '/sys/kernel/debug/kfence';
sub count { my ($re, $s) = @_; my $n = () = $s =~ /$re/g; return $n; }
sub stat_of { my ($stats, $name) = @_; return $stats =~ /^\Q$name\E: (\d+)$/m ? $1 : -1; }

# The two machines: (output, 1 if the kernel powered off with status 0).
my %boot = (
    arm64 => sub {
        my ($append, $timeout) = @_;
        my ($out, $st, $to) = qemu_arm64(timeout => $timeout, append => $append);
        return ($out, !$to && $st == 0);
    },
    x86 => sub {
        my ($append, $timeout) = @_;
        my ($out, $st, $to) = run_timeout($timeout, undef, 'qemu-system-i386', '-m', 512,
            '-cpu', 'Nehalem,-lm,-syscall', '-kernel', 'build/x86/kernel.elf', '-append', $append,
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
            '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
        return (clean_output($out), !$to && $st == 1);	# isa-debug-exit: (0 << 1) | 1
    },
);

my $stats_re = qr/\Aenabled: [01]\ncurrently allocated: \d+\ntotal allocations: \d+\ntotal frees: \d+\nzombie allocations: \d+\ntotal bugs: \d+\nskipped allocations \(incompatible\): \d+\nskipped allocations \(capacity\): \d+\n\z/;

for my $arch (qw(arm64 x86)) {
    my $boot = $boot{$arch};
    if ($arch eq 'arm64' && kasan()) {
        kasan_kernel($boot);
        next;
    }

    # 1. Every allocation sampled: the suite passes, one report per bug, and the files add up.
    {
        my ($out, $ok) = $boot->("kfence.sample_interval=1 run=\"selftest kfence; cat $D/stats; cat $D/objects\"", 120);
        ok($ok, "$arch: kfence.sample_interval=1, selftest kfence: status 0");
        like($out, qr/\] kfence: initialized - using 262144 bytes of memory for 63 objects at 0x[0-9a-f]+-0x[0-9a-f]+, sample interval 1 ms$/m,
             "$arch: the pool's boot line (63 objects, 256 KiB)");
        like($out, qr/^ok 1 kfence$/m, "$arch: the kfence suite is ok");
        is(count(qr/^\s+not ok/m, $out), 0, "$arch: no case failed");
        is(count(qr/# SKIP/, $out), 0, "$arch: no case skipped");
        is(count(qr/\] BUG: KFENCE: /, $out), 9, "$arch: 9 reports for the 8 bug cases (invalid_free has two)");
        like($out, qr/\] BUG: KFENCE: out-of-bounds read in out_of_bounds_read_right\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
             "$arch: the report's first line is Linux's");
        like($out, qr/\] Out-of-bounds read at 0x[0-9a-f]+ \(128B right of kfence-#\d+\):$/m, "$arch: ... and its second");
        is(count(qr/Oops|Unable to handle|BUG: unable to handle/, $out), 0, "$arch: no Oops: every fault was KFENCE's");
        my $stats = run_section($out, "cat $D/stats");
        like($stats, $stats_re, "$arch: stats has Linux's fields") or diag($stats);
        is(stat_of($stats, 'enabled'), 1, "$arch: enabled: 1");
        is(stat_of($stats, 'total bugs'), 9, "$arch: total bugs: 9");
        is(stat_of($stats, 'zombie allocations'), 1, "$arch: zombie allocations: 1 (destroy_makes_zombie's object)");
        cmp_ok(stat_of($stats, 'total allocations'), '>=', 16, "$arch: the suite's objects came from the pool");
        is(stat_of($stats, 'total allocations') - stat_of($stats, 'total frees'), stat_of($stats, 'currently allocated'),
           "$arch: allocations - frees = currently allocated");
        my @objs = split /^---------------------------------\n/m, run_section($out, "cat $D/objects");
        is(scalar(@objs), 63, "$arch: objects lists the 63 objects");
        my @bad = grep { !/\Akfence-#\d+ unused\n\z/ &&
            !/\Akfence-#\d+: 0x[0-9a-f]+-0x[0-9a-f]+, size=\d+, cache=\S+\n\nallocated by task 0 on cpu \d+ at \d+\.\d{6}s:\n( \S+\n)+(\nfreed by task 0 on cpu \d+ at \d+\.\d{6}s:\n( \S+\n)+)?\z/ } @objs;
        is_deeply(\@bad, [], "$arch: each object in Linux's layout") or diag($bad[0]);
    }

    # 2. A bad value: one line, the default interval, a clean boot.
    {
        my ($out, $ok) = $boot->("kfence.sample_interval=1k run=\"cat $D/stats\"", 60);
        ok($ok, "$arch: kfence.sample_interval=1k: the boot is clean");
        is(count(qr/kfence\.sample_interval=1k/, $out), 2, "$arch: ... one line about it (and the command line)");
        like($out, qr/\] kfence: kfence.sample_interval=1k is not a number of milliseconds \(0-999999999\); using the default 100$/m,
             "$arch: ... which says why and what is used");
        unlike($out, qr/Malformed early option/, "$arch: ... and no second one");
        like($out, qr/\] kfence: initialized - .*, sample interval 100 ms$/m, "$arch: ... the default interval");
        is(stat_of(run_section($out, "cat $D/stats"), 'enabled'), 1, "$arch: ... KFENCE on");
    }

    # 3. The default interval (100 ms) on a real workload (processes: fork, exec, COW, exits; the KTAP
    # runner pauses the gate around its cases, so the suites are no workload for it): sampled objects,
    # no false report, and the gate opens about once an interval: no more samples (taken or skipped)
    # than 100 ms periods in the boot, with half again for slack (the guest's clock runs no faster than
    # the host's without -icount, but x86 calibrates its TSC against the PIT at boot, which a loaded
    # host can put a few percent off). A gate that stayed open, or opened at each 10 ms tick, is far above.
    {
        my $t0 = time;
        my ($out, $ok) = $boot->("run=\"exec usertests; exec forktest 50; exec cowtest; cat $D/stats\"", 300);
        my $periods = int((time - $t0) * 10 * 1.5) + 2;
        ok($ok, "$arch: default boot, usertests, forktest and cowtest: status 0");
        like($out, qr/\] kfence: initialized - .*, sample interval 100 ms$/m, "$arch: KFENCE is on by default, interval 100 ms");
        is(count(qr/exited with status 0/, $out), 3, "$arch: the three programs exit 0");
        my $stats = run_section($out, "cat $D/stats");
        my $gates = stat_of($stats, 'total allocations') + stat_of($stats, 'skipped allocations (incompatible)')
                  + stat_of($stats, 'skipped allocations (capacity)');
        cmp_ok(stat_of($stats, 'total allocations'), '>=', 2, "$arch: the workload's allocations were sampled ("
               . stat_of($stats, 'total allocations') . ')');
        cmp_ok($gates, '<=', $periods, "$arch: ... about once per 100 ms ($gates gate openings, at most $periods)");
        is(stat_of($stats, 'total bugs'), 0, "$arch: total bugs: 0");
        is(stat_of($stats, 'zombie allocations'), 0, "$arch: zombie allocations: 0");
        is(count(qr/BUG: KFENCE/, $out), 0, "$arch: no KFENCE report");
    }
}

# The KASAN kernel (PAGODA_KASAN=1): KFENCE is off whatever the interval (KASAN checks every access
# already, and its shadow does not cover the pool), and says so; the files and the suite agree, the
# bad-value line is the same, and the slab and kmalloc suites run with nothing sampled.
sub kasan_kernel {
    my ($boot) = @_;
    my ($out, $ok) = $boot->("kfence.sample_interval=1 run=\"selftest kfence; cat $D/stats; cat $D/objects; cat /proc/vmallocinfo\"", 120);
    ok($ok, 'arm64 KASAN: kfence.sample_interval=1, selftest kfence: status 0');
    like($out, qr/\] kfence: off \(KASAN kernel\)$/m, 'arm64 KASAN: one boot line says KFENCE is off in a KASAN kernel');
    unlike($out, qr/kfence: initialized/, 'arm64 KASAN: ... and no pool is set up');
    my $stats = run_section($out, "cat $D/stats");
    like($stats, $stats_re, 'arm64 KASAN: stats has Linux\'s fields') or diag($stats);
    is(stat_of($stats, 'enabled'), 0, 'arm64 KASAN: enabled: 0');
    is(stat_of($stats, 'total allocations'), 0, 'arm64 KASAN: total allocations: 0');
    is(run_section($out, "cat $D/objects"), "kfence is off (no pool)\n", 'arm64 KASAN: objects says there is no pool');
    unlike(run_section($out, 'cat /proc/vmallocinfo'), qr/kfence_init/, 'arm64 KASAN: no pool area reserved');
    like($out, qr/^ok 1 kfence$/m, 'arm64 KASAN: the kfence suite passes');
    is(count(qr/# SKIP KFENCE is off in this kernel/, $out), 11, 'arm64 KASAN: its 11 pool cases skipped, with the reason');
    is(count(qr/BUG: KFENCE/, $out), 0, 'arm64 KASAN: no KFENCE report');

    ($out, $ok) = $boot->("kfence.sample_interval=1k run=\"cat $D/stats\"", 60);
    ok($ok, 'arm64 KASAN: kfence.sample_interval=1k: the boot is clean');
    like($out, qr/\] kfence: kfence.sample_interval=1k is not a number of milliseconds \(0-999999999\); using the default 100$/m,
         'arm64 KASAN: ... the same bad-value line');
    like($out, qr/\] kfence: off \(KASAN kernel\)$/m, 'arm64 KASAN: ... and KFENCE off');

    ($out, $ok) = $boot->("run=\"selftest slab kmalloc; cat $D/stats\"", 300);
    ok($ok, 'arm64 KASAN: default boot, selftest slab kmalloc: status 0');
    like($out, qr/^ok \d slab$/m, 'arm64 KASAN: the slab suite passes');
    like($out, qr/^ok \d kmalloc$/m, 'arm64 KASAN: the kmalloc suite passes');
    is(stat_of(run_section($out, "cat $D/stats"), 'total allocations'), 0, 'arm64 KASAN: nothing sampled');
}

# 4. kfence.sample_interval=0: off, no pool, the files say so, the suite skips its bug cases.
{
    my ($out, $ok) = $boot{arm64}->("kfence.sample_interval=0 run=\"cat $D/stats; cat $D/objects; cat /proc/vmallocinfo; selftest kfence\"", 60);
    ok($ok, 'kfence.sample_interval=0: the boot is clean');
    like($out, qr/\] kfence: off \(kfence.sample_interval=0\)$/m, '... one line says KFENCE is off');
    is(stat_of(run_section($out, "cat $D/stats"), 'enabled'), 0, '... enabled: 0');
    is(run_section($out, "cat $D/objects"), "kfence is off (no pool)\n", '... no objects');
    like($out, qr/^ok 1 kfence$/m, '... the suite passes');
    is(count(qr/# SKIP KFENCE is off in this kernel/, $out), 11, '... its 11 pool cases skipped, with the reason');
    unlike(run_section($out, 'cat /proc/vmallocinfo'), qr/kfence_init/, '... and no pool area reserved');
}

done_testing();
