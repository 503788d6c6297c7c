#!/usr/bin/perl
# user_fuzz.t: every syscall fuzzed with random pointers and lengths (issue 16), on arm64 (raspi3b,
# 4 CPUs) and x86 (-smp 4): `exec fuzz 1 N` with a fixed seed, about 20-30 s of calls per arch. No
# Oops, no panic, no segfault; the fuzzer checks its own results (a copy through a kernel address
# never succeeds, an unknown number is -ENOSYS, a child killed dies of that signal) and exits 0; every
# syscall was called N times and met the errors the mix aims at; the shell lives on; afterwards
# /sys/kernel/debug/page_alloc/verify passes and MemFree is its value before, to the page (read after
# an exec both times, which drains the per-CPU lists). The vma_tree KTAP suite passes in both
# kernels, and on x86 the many-VMA and another-process-pagemap programs of user_views.t run too.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;
use Time::HiRes qw(time);

chdir "$FindBin::Bin/../.." or die;


my @common = qw(read write openat close lseek pread64 brk mmap munmap mprotect clone execve wait4 kill
                nanosleep sched_yield getpid getppid);
my %arch = (
    arm64 => { rounds => 10000, calls => [ @common, '(unknown nr)' ], ok_status => 0,
               boot => sub { qemu_arm64(timeout => 180, append => $_[0]) } },
    x86   => { rounds => 1200, calls => [ @common, 'open', 'fork', '(unknown nr)' ], ok_status => 1,
               boot => sub { qemu_x86(smp => 4, timeout => 180, append => $_[0]) }, extra => [ 'exec vmamany', 'exec pidpagemap' ] },
);

for my $a (qw(arm64 x86)) {
    my $c = $arch{$a};
    my $n = $c->{rounds};
    my @cmds = ('exec hello', 'cat /proc/meminfo', "exec fuzz 1 $n", 'exec hello', 'cat /proc/meminfo',
                'cat /sys/kernel/debug/page_alloc/verify', 'selftest vma_tree', @{ $c->{extra} // [] });
    my $t0 = time;
    my ($out, $st, $to) = $c->{boot}->('run="' . join('; ', @cmds) . '"');
    my $secs = time - $t0;
    ok(!$to, "$a: the boot ran every command and powered off (" . sprintf('%.0f', $secs) . ' s)');
    is($st, $c->{ok_status}, "$a: every command succeeded (poweroff status 0)");
    like($out, qr/\] smp: Brought up 1 node, 4 CPUs$/m, "$a: four CPUs online");
    unlike($out, qr/Oops|Kernel panic|Unable to handle kernel|BUG: |general protection fault: |segfault at|traps: /,
           "$a: no kernel fault, no panic, no user segfault");

    my $f = run_section($out, "exec fuzz 1 $n");
    my $ncalls = scalar(@{ $c->{calls} });
    like($f, qr/^fuzz: seed 1, $n rounds of $ncalls calls$/m, "$a: fuzz: seed 1, $n rounds of each of $ncalls calls");
    my %row;
    for my $line (split /\n/, $f) {
        next unless $line =~ /^fuzz: (\S+(?: nr\))?)\s+calls\s+(\d+) ok\s+(\d+) steered\s+(\d+)(.*)$/;
        my ($name, $calls, $ok, $steered, $errs) = ($1, $2, $3, $4, $5);
        my %e = $errs =~ /(E[A-Z0-9]+) (\d+)/g;
        $row{$name} = { calls => $calls, ok => $ok, steered => $steered, err => \%e };
        my $sum = $ok;
        $sum += $_ for values %e;
        is($sum, $calls, "$a: $name: the successes and errors add up to its calls") if $sum != $calls;
    }
    is(join(',', sort keys %row), join(',', sort @{ $c->{calls} }), "$a: a summary line for every syscall");
    is(scalar(grep { $row{$_}{calls} == $n } keys %row), $ncalls, "$a: each called $n times");
    my $e = sub { my ($name, $err) = @_; return $row{$name} ? $row{$name}{err}{$err} // 0 : 0; };
    cmp_ok($e->($_, 'EFAULT'), '>', 0, "$a: $_ met -EFAULT (bad pointers)") for qw(read write openat execve nanosleep);
    cmp_ok($e->('openat', 'ENAMETOOLONG'), '>', 0, "$a: openat met -ENAMETOOLONG (a path without its NUL)");
    cmp_ok($e->($_, 'EINVAL'), '>', 0, "$a: $_ met -EINVAL (huge, negative or unaligned lengths, bad flags)")
        for qw(mmap munmap mprotect clone);
    is($e->('(unknown nr)', 'ENOSYS'), $n, "$a: every unknown syscall number is -ENOSYS");
    cmp_ok($row{$_} ? $row{$_}{ok} : 0, '>', 0, "$a: $_ also succeeded") for qw(read openat close mmap munmap mprotect clone kill nanosleep);
    like($f, qr/^fuzz: not called: exit, exit_group/m, "$a: says what it does not call");
    like($f, qr/^fuzz: \d+ calls: ok$/m, "$a: the fuzzer's own checks held") or diag(join("\n", grep { /FAILED/ } split /\n/, $f));
    like($f, qr/^exec: fuzz \(pid \d+\) exited with status 0;/m, "$a: fuzz exits 0");
    like(run_section($out, 'exec hello', 2), qr/^exec: hello \(pid \d+\) exited with status 0;/m, "$a: the shell lives on: hello runs after");

    my ($m0, $m1) = (run_section($out, 'cat /proc/meminfo', 1), run_section($out, 'cat /proc/meminfo', 2));
    cmp_ok(meminfo_kb($m0, 'MemFree'), '>', 0, "$a: MemFree read before");
    is(meminfo_kb($m1, 'MemFree'), meminfo_kb($m0, 'MemFree'), "$a: MemFree after the fuzz is its value before, to the page");
    is(meminfo_kb($m1, 'PageTables'), meminfo_kb($m0, 'PageTables'), "$a: PageTables too");
    my $v = run_section($out, 'cat /sys/kernel/debug/page_alloc/verify');
    my @zones = $v =~ /^zone\s+\S+: (\S+),/mg;
    ok(@zones && !grep({ $_ ne 'ok' } @zones), "$a: page_alloc/verify: every zone ok") or diag($v);

    like(run_section($out, 'selftest vma_tree'), qr/^ok 1 vma_tree$/m, "$a: selftest vma_tree passes in the kernel");
    ktap_passthrough(run_section($out, 'selftest vma_tree')) if $out !~ /^ok 1 vma_tree$/m;
    next unless $c->{extra};
    my $vm = run_section($out, 'exec vmamany');
    like($vm, qr/^vmamany: 10000 VMAs in \/proc\/self\/maps \(\d+ lines\), each page in order with its protection$/m,
         "$a: vmamany: 10000 VMAs, each in /proc/self/maps") or diag($vm);
    like($vm, qr/^exec: vmamany \(pid \d+\) exited with status 0;/m, "$a: vmamany: merged back to 1, unmapped, exits 0");
    my $pm = run_section($out, 'exec pidpagemap');
    my ($cpfn) = $pm =~ /^pidpagemap: child \d+: VA 0x[0-9a-f]+ PFN (0x[0-9a-f]+)$/m;
    my ($ppfn) = $pm =~ /^pidpagemap: parent reads \/proc\/\d+\/pagemap: VA 0x[0-9a-f]+ PFN (0x[0-9a-f]+) exclusive;/m;
    ok(defined $cpfn && defined $ppfn && $cpfn eq $ppfn, "$a: the parent reads the child's PFN in /proc/PID/pagemap ("
       . ($ppfn // '?') . ' = ' . ($cpfn // '?') . ')') or diag($pm);
    like($pm, qr/^exec: pidpagemap \(pid \d+\) exited with status 0;/m, "$a: pidpagemap exits 0");
}

done_testing();
