#!/usr/bin/perl
# kasan.t: the KASAN kernel (make KASAN=1) on raspi3b — its own suite, the whole selftest with no report, kasan.fault=.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

my $img = 'build/arm64-kasan/kernel8.img';
# This file provokes reports and counts them itself (Pagoda.pm would fail any boot that prints one).
$Pagoda::KASAN_REPORTS_EXPECTED = 1;
my ($mk, $mkst) = run_timeout(1200, undef, 'make', '-s', 'KASAN=1', 'all');
is($mkst, 0, 'make KASAN=1 builds the KASAN kernel') or diag($mk);
BAIL_OUT("no $img") unless -f $img;

# boot(APPEND, TIMEOUT): the KASAN kernel on 4 CPUs (single-threaded TCG, see Pagoda.pm); returns (output, status, timed out).
sub boot {
    my ($append, $timeout) = @_;
    my ($out, $st, $to) = run_timeout($timeout, undef, 'qemu-system-aarch64', '-M', 'raspi3b',
        '-kernel', $img, '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb', '-semihosting', '-no-reboot',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio', @TCG_SINGLE,
        '-append', $append);
    return (clean_output($out), $st, $to);
}

sub count { my ($re, $s) = @_; my $n = () = $s =~ /$re/g; return $n; }

# 1. Boot: the shadow is there and costs 1/8 of the RAM; the VA map shows it.
my ($out, $st) = boot('kasan.fault=bogus run="cat /sys/kernel/debug/kernel_page_tables; cat /sys/kernel/debug/memblock/reserved"', 300);
is($st, 0, 'boots and powers off with status 0');
like($out, qr/\] kasan: KernelAddressSanitizer initialized \(generic, outline\): shadow 122880 KiB for 960 MiB of RAM/,
     'KASAN starts with 120 MiB of shadow for 960 MiB of RAM (1/8)');
like($out, qr/\] Memory: .*\b122880K kasan-shadow\)$/m, 'the boot summary names the shadow reservation');
like($out, qr/^---\[ Kasan shadow start \]---$/m, 'ptdump marks the shadow region');
like($out, qr/^0xffff600000000000-0xffff600007800000 +120M PMD +RW NX SHD AF +BLK UXN +MEM\/NORMAL/m,
     "the linear map's shadow: 120M of RW NX 2 MiB blocks at KASAN_SHADOW_START");
like($out, qr/^0xffff700001000000-0xffff700001200000 +2M PMD +RW NX/m, "the image's shadow: head.S's block, kept");
like($out, qr/\] kasan: kasan.fault=bogus is neither report nor panic; using report$/m,
     'a bad kasan.fault= value: one clear line, and the default');
is(count(qr/BUG: KASAN/, $out), 0, 'a clean boot has no KASAN report');

# 2. Our suite: every case passes, and each printed exactly its one report.
($out, $st) = boot('run="selftest kasan"', 300);
is($st, 0, 'selftest kasan passes');
like($out, qr/^ok 1 kasan$/m, 'the kasan suite is ok');
is(count(qr/^\s+not ok/m, $out), 0, 'no case failed');
is(count(qr/\] BUG: KASAN: /, $out), 14, '14 reports for the 14 cases');
like($out, qr/\] BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
     "the report's first line is Linux's");
# Pagoda.pm fails any other test's boot that prints a report outside this suite: its filter.
is(scalar(kasan_reports_outside($out)), 0, "Pagoda.pm's check leaves the kasan suite's own reports alone");
my ($one) = $out =~ /^(.*BUG: KASAN: .*)$/m;
is_deeply([kasan_reports_outside("$out$one\n")], [$one =~ /(BUG: KASAN: .*)/], '... and sees one printed after it');

# 3. The whole selftest under KASAN: every suite passes; no report outside the kasan suite.
($out, $st) = boot('run="selftest"', 900);
is($st, 0, 'the full selftest passes under KASAN') or diag(join("\n", grep { /not ok|# / } split /\n/, $out));
my @outside = kasan_reports_outside($out);
is(scalar(@outside), 0, 'no KASAN report from any other suite') or diag(join("\n", @outside));

# 4. kasan.fault=panic: the first report ends the kernel.
($out, $st) = boot('kasan.fault=panic run="selftest kasan"', 300);
is($st, 255, 'kasan.fault=panic: the first report panics (status 255)');
is(count(qr/\] BUG: KASAN: /, $out), 1, 'after exactly one report');
like($out, qr/\] Kernel panic - not syncing: kasan.fault=panic set \.\.\.$/m, "Linux's panic line");

done_testing();
