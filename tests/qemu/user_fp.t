#!/usr/bin/perl
# user_fp.t: a process's floating-point registers are its own, on both arches (4 CPUs): exec fptest starts
# clean, keeps its control state across fork and loses it at execve, and six processes summing series at
# once (x87 and SSE2 on x86) get bit for bit the sums computed alone. On an x86 CPU without FXSAVE the
# boot says so and an FP instruction ends only the program that ran it, with the trap line.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $summary = qr/^fptest: 6 processes x 4 sums of 400000 terms(?<sse> \(x87 and SSE2\))?: every FP state was the process's own$/m;
my $bad = qr/Oops|Kernel panic|BUG: |^fptest: (?!6 processes)/m;

my ($out, $st, $to) = qemu_arm64(append => 'run="exec fptest"', timeout => 120);
ok(!$to, 'arm64: the boot ran fptest and powered off');
like($out, $summary, 'arm64: every check of fptest held');
like($out, qr/^exec: fptest \(pid 1\) exited with status 0;/m, 'arm64: fptest exited 0');
unlike($out, $bad, 'arm64: no failed check, no kernel fault');

($out, $st, $to) = qemu_x86(smp => 4, timeout => 120, append => 'run="exec fptest"');
ok(!$to, 'x86: the boot ran fptest and powered off');
like($out, qr/\] x86\/fpu: x87 FPU will use FXSAVE$/m, 'x86: the boot says how FP state is saved (Linux\'s line)');
ok($out =~ $summary && $+{sse}, 'x86: every check of fptest held, in x87 and SSE2 registers');
like($out, qr/^exec: fptest \(pid 1\) exited with status 0;/m, 'x86: fptest exited 0');
unlike($out, $bad, 'x86: no failed check, no kernel fault');

($out, $st, $to) = qemu_x86(smp => 4, timeout => 120, cpu => 'Nehalem,-lm,-syscall,-fxsr',
                            append => 'run="exec fptest; exec hello"');
ok(!$to, 'x86 without FXSR: the boot ran both programs and powered off');
like($out, qr/\] x86\/fpu: no FXSAVE on this CPU: a user program's x87\/SSE instruction ends it \(#NM\)$/m,
     'x86 without FXSR: the boot says what a program\'s FP instruction will do');
like($out, qr/\] traps: fptest\[1\] trap device not available ip:[0-9a-f]+ sp:[0-9a-f]+ error:0$/m,
     'x86 without FXSR: fptest ends at its first x87 instruction with the trap line');
like($out, qr/^exec: hello \(pid 2\) exited with status 0;/m, 'x86 without FXSR: the next program runs');
unlike($out, qr/Oops|Kernel panic|BUG: /, 'x86 without FXSR: no kernel fault');

done_testing();
