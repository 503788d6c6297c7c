#!/usr/bin/perl
# lockdebug.t: the whole selftest with every lock checked (spinlock_debug) on all CPUs of both arches finds
# nothing outside the suite that provokes reports on purpose; selftest --all-cpus runs a suite on every CPU.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

# boot(ARCH, APPEND): the kernel on raspi3b or i386 -smp 4, single-threaded TCG (see Pagoda.pm);
# returns (output, status).
sub boot {
    my ($arch, $append, $timeout) = @_;
    if ($arch eq 'arm64') {
        my ($out, $st) = qemu_arm64(append => $append, timeout => $timeout);
        return ($out, $st);
    }
    my ($out, $st) = run_timeout($timeout, undef, 'qemu-system-i386', '-m', '512', '-smp', '4', @TCG_SINGLE,
        '-cpu', 'Nehalem,-lm,-syscall',
        '-kernel', 'build/x86/kernel.elf', '-append', $append,
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    $st = $st >> 1 if $st;	# isa-debug-exit: QEMU exits with (status << 1) | 1
    $out =~ s/\r//g;
    return ($out, $st);
}

# outside_suite(OUT, SUITE): OUT without the lines from SUITE's subtest header to its result line.
sub outside_suite {
    my ($out, $suite) = @_;
    $out =~ s/^\s+# Subtest: $suite\n.*?^(not )?ok \d+ $suite\n//msg;
    return $out;
}

for my $arch (qw(arm64 x86)) {
    my ($out, $st) = boot($arch, 'spinlock_debug run="selftest"', 600);
    my ($cpus) = $out =~ /smp: Brought up 1 node, (\d+) CPU/;
    ok(defined $cpus, "$arch: booted with spinlock_debug (" . ($cpus // '?') . ' CPUs)');
    is($st, 0, "$arch spinlock_debug: the whole selftest passes");
    my @suites = $out =~ /^(not )?ok \d+ \w+$/mg;
    unlike($out, qr/^not ok /m, "$arch spinlock_debug: no case fails");
    my $rest = outside_suite($out, 'spinlock_debug');
    my @bugs = $rest =~ /^.*BUG: spinlock.*$/mg;
    is(scalar @bugs, 0, "$arch spinlock_debug: no lock report outside the suite that provokes them")
        or diag(join("\n", @bugs[0 .. ($#bugs < 9 ? $#bugs : 9)]));
    like($out, qr/BUG: spinlock recursion on CPU#\d+, lock: rec_lock/, "$arch: the provoking suite's reports do appear");

    ($out, $st) = boot($arch, 'spinlock_debug=junk run="selftest --all-cpus lib stackdepot; selftest --all-cpus buddy"', 120);
    like($out, qr/spinlock_debug: 'junk' is not a deadline in ms; using 1000$/m, "$arch: spinlock_debug=junk is one clear line");
    ($cpus) = $out =~ /smp: Brought up 1 node, (\d+) CPU/;
    $cpus //= 0;
    my @cpu_ok = $out =~ /^ok \d+ CPU(\d+)$/mg;
    is(scalar @cpu_ok, $cpus, "$arch selftest --all-cpus: one passing subtest per online CPU ($cpus)");
    is(() = $out =~ /^    ok 2 stackdepot$/mg, $cpus, "$arch --all-cpus: every CPU ran both suites");
    like($out, qr/^selftest: suite 'buddy' cannot run on all CPUs at once \(it checks shared state\)$/m,
         "$arch --all-cpus: a suite that checks shared state is refused with a line");
}

done_testing();
