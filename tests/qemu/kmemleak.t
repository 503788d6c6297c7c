#!/usr/bin/perl
# kmemleak.t: the leak scanner on raspi3b and i386 — a clean boot has no leak, the suite passes, a bad
# value is refused with one line, and with kmemleak off the file and a scan say so in one line.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $F = '/sys/kernel/debug/kmemleak';

sub boot_x86 {
    my ($append, $timeout) = @_;
    my ($out, $st, $to) = qemu_x86(smp => 2, append => $append, timeout => $timeout // 120);
    return ($out, $to ? -1 : $st >> 1, $to);
}

my %boot = (
    arm64 => sub { my ($a, $t, $k) = @_; return qemu_arm64(timeout => $t // 120, append => $a, kasan_reports => $k) },
    x86   => \&boot_x86,
);

for my $arch (qw(arm64 x86)) {
    my $boot = $boot{$arch};

    # 1. A clean boot scanned: no leak, the cost and the scan time are stated; then the suite.
    {
        my ($out, $st, $to) = $boot->("kmemleak=on run=\"echo scan > $F; cat $F; selftest kmemleak\"");
        ok(!$to && $st == 0, "$arch: kmemleak=on, scan, cat and selftest kmemleak: status 0");
        like($out, qr/^\[[ \d.]+\] kmemleak: on, 32768 objects of \d+ bytes \+ lookup: \d+ KiB from memblock$/m,
             "$arch: the pool's cost is stated");
        like($out, qr/^\[[ \d.]+\] kmemleak: scanned \d+ objects, \d+ KiB, in \d+ ms/m, "$arch: the scan ran");
        is(run_section($out, "cat $F"), '', "$arch: a clean boot has no suspected leak");
        unlike(run_section($out, "echo scan > $F"), qr/new suspected memory leaks/, "$arch: the scan found none");
        like($out, qr/^ok 1 kmemleak$/m, "$arch: selftest kmemleak passes");
        diag($1) if $out =~ /^\[[ \d.]+\] (kmemleak: scanned .*)$/m;
    }

    # 2. A real leak: `fault vmalloc-guard` leaves its area behind on purpose; the scan reports it
    #    in Linux's layout, with the command in the allocation stack. The KASAN kernel reports the
    #    write into the guard page before it faults (the guard's shadow is poisoned): that report, once.
    {
        my ($out, $st, $to) = $boot->("kmemleak=on run=\"fault vmalloc-guard; echo scan > $F; cat $F\"", undef,
                                      [qr/^BUG: KASAN: vmalloc-out-of-bounds in fault_vmalloc_guard\+/]);
        ok(!$to, "$arch: fault vmalloc-guard, scan, cat: no hang");
        like(run_section($out, "echo scan > $F"),
             qr/^\[[ \d.]+\] kmemleak: 1 new suspected memory leaks \(see \/sys\/kernel\/debug\/kmemleak\)$/m,
             "$arch: the scan finds the one leak, in Linux's words");
        my $w = $arch eq 'arm64' ? 16 : 8;
        like(run_section($out, "cat $F"), qr/\Aunreferenced object 0x[0-9a-f]{$w} \(size 4096\):
  comm "swapper\/0", pid 0, jiffies \d+ \(age \d+\.\d{3}s\)
  hex dump \(first 32 bytes\):
    (?:[0-9a-f]{2} ){15}[0-9a-f]{2}  .{16}
    (?:[0-9a-f]{2} ){15}[0-9a-f]{2}  .{16}
  backtrace:
(?:    \[<[0-9a-f]{$w}>\] [\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+
)+\z/, "$arch: cat shows it in Linux's layout");
        like(run_section($out, "cat $F"), qr/^    \[<[0-9a-f]+>\] fault_vmalloc_guard\+/m, "$arch: the allocation stack names its caller");
    }

    # 3. A bad value: one line, kmemleak stays off; cat and scan then say so in one line.
    {
        my ($out, $st, $to) = $boot->("kmemleak=yes run=\"cat $F; echo scan > $F\"", 60);
        ok(!$to, "$arch: kmemleak=yes boots");
        like($out, qr/kmemleak=yes: expected on or off; kmemleak stays off\n/, "$arch: kmemleak=yes: one line says why");
        unlike($out, qr/kmemleak: on,/, "$arch: kmemleak=yes: nothing reserved");
        is(run_section($out, "cat $F"), "kmemleak is off (boot with kmemleak=on)\n", "$arch: cat with kmemleak off: one line");
        like(run_section($out, "echo scan > $F"), qr/\A\[[ \d.]+\] kmemleak: off \(boot with kmemleak=on\)\n/,
             "$arch: a scan with kmemleak off: one line");
    }
}

done_testing();
