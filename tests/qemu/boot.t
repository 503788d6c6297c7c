#!/usr/bin/perl
# boot.t: raspi3b -kernel boots to the shell with the MMU on; run=, faults, errors and statuses.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

my ($out, $st) = qemu_arm64(append => 'run="echo hello-pagoda; cat /proc/cmdline; cat /proc/version"');
is($st, 0, 'run= of good commands powers off with status 0');
like($out, qr/^\[\s*\d+\.\d{6}\] pagoda \S+ \(aarch64\) on Raspberry Pi 3 Model B$/m, 'banner with a Linux-style timestamp and the DTB model');
like($out, qr/CPU: entered at EL2, running at EL1/, 'QEMU enters at EL2, the kernel runs at EL1');
like($out, qr/MMU: on, D-cache on, I-cache on; SCTLR_EL1 0x[0-9a-f]{16}/, 'MMU and caches on');
like($out, qr/MAIR_EL1 0x00000000040044ff/, 'MAIR: Normal WB, Normal NC, Device-nGnRnE, Device-nGnRE');
like($out, qr/DTB: at 0x[0-9a-f]{16}, \d+ bytes/, 'the DTB from x0 is recognised');
like($out, qr/SMP: 3 secondary CPU\(s\) parked in WFI/, 'cores 1-3 released from the spin table into the WFI park');
like($out, qr/^hello-pagoda$/m, 'echo ran');
like($out, qr/^run="echo hello-pagoda; cat \/proc\/cmdline; cat \/proc\/version"$/m, '/proc/cmdline is the DTB bootargs');
like($out, qr/^pagoda version \S+ \(aarch64\)/m, '/proc/version');

($out, $st) = qemu_arm64(append => 'run="nosuch; ls /nowhere; cat /proc/nothing; echo still-here"');
is($st, 1, 'a failing command makes the status non-zero');
like($out, qr/^nosuch: command not found \(try 'help'\)$/m, 'unknown command: one clear line');
like($out, qr/^ls: cannot access '\/nowhere': No such file or directory$/m, 'bad ls path');
like($out, qr/^cat: \/proc\/nothing: No such file or directory$/m, 'bad cat path');
like($out, qr/^still-here$/m, 'the shell goes on after errors');

($out, $st) = qemu_arm64(append => 'run="fault null; echo survived"');
is($st, 1, 'the faulting command failed');
like($out, qr/Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000/, 'NULL dereference reported like Linux');
like($out, qr/EC = 0x25: DABT \(current EL\), IL = 32 bits/, 'exception class in words');
like($out, qr/FSC = 0x0[4-7]: level \d translation fault/, 'fault status in words');
like($out, qr/CM = 0, WnR = 0/, 'WnR decoded');
like($out, qr/\] pc : fault_null_read\+0x[0-9a-f]+\/0x[0-9a-f]+$/m, 'pc shown as function+offset/size');
like($out, qr/Call trace:\n.*\]  fault_null_read\+.*\n(.*\n)*.*\]  shell_exec\+0x/m, 'a call trace through the shell');
like($out, qr/\] x29: [0-9a-f]{16} x28: [0-9a-f]{16}$/m, 'registers shown');
like($out, qr/^survived$/m, 'the shell survives the fault');

# Without -semihosting (as on a real Pi) the HLT traps as undefined: recovered, and the CPU parks.
($out, $st, my $to) = run_timeout(4, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel',
    'build/arm64/kernel8.img', '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb', '-display', 'none',
    '-monitor', 'none', '-serial', 'stdio', '-append', 'run="echo parked-next"');
like($out, qr/System halted \(status 0\): no semihosting to end QEMU; the CPU parks/, 'no semihosting: power-off parks the CPU');
unlike($out, qr/Unable to handle|Oops/, 'no semihosting: the trapped HLT is not reported as a fault');
ok($to, 'no semihosting: QEMU keeps running (parked), ended by the timeout');

($out, $st) = qemu_arm64(append => 'run="poweroff 3"');
is($st, 3, 'poweroff STATUS ends QEMU with that status');

# Without a DTB there are no bootargs (no run=): type at the prompt instead.
($out, $st) = qemu_arm64(dtb => 0, input => "poweroff 4\r");
is($st, 4, 'no -dtb: the shell takes typed commands');
like($out, qr/DTB: none usable \(x0 = 0x[0-9a-f]+: [^)]+\)/, 'no -dtb: a clear note about x0');
like($out, qr/pagoda# poweroff 4$/m, 'no -dtb: still reaches the prompt');
like($out, qr/SMP: 3 secondary CPU\(s\) parked in WFI/, 'no -dtb: the Pi 3 release addresses park cores 1-3');

# Interactive: editing, unbound control bytes, an over-long line, then poweroff (shell.t has the rest).
my $long = 'x' x 400;
my $input = "ech\x7fho ab\x0f\x1ac\r" . "$long\r" . "\x1b[5~echo after-long\r" . "poweroff 0\r";
($out, $st) = qemu_arm64(input => $input, timeout => 60);
is($st, 0, 'interactive session powers off with 0');
like($out, qr/^abc$/m, 'backspace edits, unbound control bytes are dropped');
like($out, qr/^line too long: more than 255 characters; not run$/m, 'an over-long line is refused, not run cut short');
unlike($out, qr/^x+: command not found/m, 'no prefix of the over-long line ran');
like($out, qr/^after-long$/m, 'an unbound escape sequence (PageUp) is swallowed whole and the shell goes on');

done_testing();
