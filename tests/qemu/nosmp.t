#!/usr/bin/perl
# nosmp.t: the whole selftest with nosmp on both arches — every suite passes on the boot CPU alone,
# and the suites that need a second CPU say so and skip rather than fail or hang.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

# check(ARCH, OUT, STATUS): the boot came up on one CPU and the whole selftest passed.
sub check {
    my ($arch, $out, $st) = @_;
    is($st, 0, "$arch nosmp: the whole selftest passes (status 0)");
    like($out, qr/\] smp: Brought up 1 node, 1 CPU\r?$/m, "$arch nosmp: one CPU");
    my @suites = $out =~ /^ok \d+ (\w+)\r?$/mg;
    cmp_ok(scalar @suites, '>=', 30, "$arch nosmp: " . scalar(@suites) . ' suites passed');
    unlike($out, qr/^\s*not ok/m, "$arch nosmp: no case fails");
    like($out, qr/^\s+ok \d+ stale_vmalloc # SKIP needs a second CPU online/m,
         "$arch nosmp: the stale-TLB case skips, saying why");
}

my ($out, $st) = qemu_arm64(append => 'nosmp run="selftest"', timeout => 300);
check('arm64', $out, $st);

my $elf = 'build/x86/kernel.elf';
SKIP: {
    skip "$elf not built (make ARCH=x86)", 5 unless -e $elf;
    ($out, $st) = run_timeout(300, undef, 'qemu-system-i386', '-m', '512', '-smp', '4', @TCG_SINGLE,
        '-cpu', 'Nehalem,-lm,-syscall', '-kernel', $elf, '-append', 'nosmp run="selftest"',
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    check('x86 -smp 4', $out, ($st & 1) ? $st >> 1 : -1);
}

done_testing();
