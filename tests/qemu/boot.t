#!/usr/bin/perl
# boot.t: raspi3b -kernel boots to the shell with the MMU on; run=, faults, errors and statuses.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use File::Temp qw(tempdir);
use Test::More;

my $tmp = tempdir(CLEANUP => 1);
my $dtb = 'build/deps/bcm2837-rpi-3-b.dtb';
# A snapshot: others may rebuild arm64_image() (Pagoda.pm) while this test runs.
system('cp', arm64_image(), "$tmp/kernel8.img") == 0 or BAIL_OUT('cannot copy kernel8.img');
my $kernel = "$tmp/kernel8.img";
# Boots that must reach the shell before a fixed timeout ends them get 4x longer with the KASAN
# kernel (PAGODA_KASAN=1): clearing its 120 MiB shadow and registering the globals took 2.1 s of
# a 2.4 s boot under make test-kasan's load (0.44 s for the whole normal boot).
my $slow = kasan() ? 4 : 1;

# sh(CMD): runs a shell command; dies with its output if it fails.
sub sh {
    my $out = qx{$_[0] 2>&1};
    $? == 0 or BAIL_OUT("'$_[0]' failed: $out");
}

# slurp(FILE): its contents with CR LF made LF ('' if it does not exist).
sub slurp {
    open(my $fh, '<', $_[0]) or return '';
    local $/;
    return clean_output(scalar <$fh> // '');
}

my ($out, $st) = qemu_arm64(append => 'run="echo hello-pagoda; cat /proc/cmdline; cat /proc/version"');
is($st, 0, 'run= of good commands powers off with status 0');
like($out, qr/^\[\s*\d+\.\d{6}\] pagoda \S+ \(aarch64\) on Raspberry Pi 3 Model B$/m, 'banner with a Linux-style timestamp and the DTB model');
like($out, qr/CPU: entered at EL2, running at EL1/, 'QEMU enters at EL2, the kernel runs at EL1');
like($out, qr/MMU: on, D-cache on, I-cache on; SCTLR_EL1 0x[0-9a-f]{16}/, 'MMU and caches on');
like($out, qr/MAIR_EL1 0x00000000040044ff/, 'MAIR: Normal WB, Normal NC, Device-nGnRnE, Device-nGnRE');
like($out, qr/DTB: at 0x[0-9a-f]{16}, \d+ bytes/, 'the DTB from x0 is recognised');
like($out, qr/smp: Brought up 1 node, 4 CPUs/, 'cores 1-3 released from the spin table into the kernel (smp.t has the rest)');
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
($out, $st, my $to) = run_timeout(4 * $slow, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel',
    $kernel, '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb', '-display', 'none',
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
like($out, qr/smp: Brought up 1 node, 4 CPUs/, 'no -dtb: the Pi 3 release addresses bring up cores 1-3');

# Interactive: editing, unbound control bytes, an over-long line, then poweroff (shell.t has the rest).
my $long = 'x' x 400;
my $input = "ech\x7fho ab\x0f\x1ac\r" . "$long\r" . "\x1b[5~echo after-long\r" . "poweroff 0\r";
($out, $st) = qemu_arm64(input => $input, timeout => 60);
is($st, 0, 'interactive session powers off with 0');
like($out, qr/^abc$/m, 'backspace edits, unbound control bytes are dropped');
like($out, qr/^line too long: more than 255 characters; not run$/m, 'an over-long line is refused, not run cut short');
unlike($out, qr/^x+: command not found/m, 'no prefix of the over-long line ran');
like($out, qr/^after-long$/m, 'an unbound escape sequence (PageUp) is swallowed whole and the shell goes on');

# ---- the console a Pi 3 wires -----------------------------------------------------------------
# QEMU's GPIO model resets GPIO14/15 to inputs (GPFSEL1 reads 0) and no firmware runs, so the DTB
# decides: serial0 (the PL011 in the upstream DTB) is the console, the mini UART mirrors its output
# but is not read. Typing on the mini UART must do nothing (the Pi 3's PL011 is Bluetooth: the
# same rule keeps it from typing into the shell when the header is the mini UART).
($out, $st, $to) = run_timeout(10 * $slow, "poweroff 5\r", 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $kernel,
    '-dtb', $dtb, '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none',
    '-serial', "file:$tmp/pl011.txt", '-serial', 'stdio');
like($out, qr/console: PL011 \(GPIO14\/15 on no UART; the serial0 alias\); output mirrored to the mini UART/,
    'QEMU (pins at reset): the serial0 alias picks the PL011, the mini UART mirrors');
like($out, qr/^pagoda# /m, 'the mirror shows the prompt') or diag $out;
ok($to, 'a command typed on the mirror (mini UART) is not read: QEMU still runs at the timeout');
unlike($out, qr/pagoda# poweroff/, 'and the shell never echoed it');

# A stand-in for the Pi firmware: a 128-byte arm64 Image at 0x80000 that leaves GPFSEL1 and the
# PL011's UARTCR as the firmware does, then jumps to pagoda loaded at 0x280000 (x0 = the DTB
# QEMU passes). The DTB has no /chosen/stdout-path, like Raspberry Pi OS's own.
open(my $fh, '>', "$tmp/fw.S") or die;
print $fh <<'ASM';
	b	1f
	.long	0
	.quad	0x80000, 0x1000, 2, 0, 0, 0
	.ascii	"ARM\x64"
	.long	0
1:	ldr	x1, =0x3f200004		/* GPFSEL1 */
	ldr	w2, =GPFSEL1
	str	w2, [x1]
	ldr	x1, =0x3f201030		/* PL011 UARTCR */
	ldr	w2, =UARTCR
	str	w2, [x1]
	ldr	x1, =0x280000
	br	x1
	.ltorg
ASM
close $fh;
sh("dtc -q -I dtb -O dts $dtb | grep -v stdout-path | dtc -q -I dts -O dtb -o $tmp/nostdout.dtb -");
sh("fdtget $tmp/nostdout.dtb /chosen stdout-path >/dev/null 2>&1 && exit 1 || exit 0");
# fw(NAME, GPFSEL1, UARTCR): the stand-in firmware, built with the cross assembler.
sub fw {
    my ($name, $gpfsel1, $uartcr) = @_;
    sh("aarch64-linux-gnu-gcc -c -DGPFSEL1=$gpfsel1 -DUARTCR=$uartcr $tmp/fw.S -o $tmp/$name.o && " .
       "aarch64-linux-gnu-objcopy -O binary $tmp/$name.o $tmp/$name.bin");
    return ('-M', 'raspi3b', '-kernel', "$tmp/$name.bin", '-dtb', "$tmp/nostdout.dtb", '-device',
            "loader,file=$kernel,addr=0x280000,force-raw=on", '-semihosting', '-no-reboot',
            '-display', 'none', '-monitor', 'none');
}

# enable_uart=1 on a Pi 3: GPIO14/15 in ALT5 (0x12000), the PL011 left off (UARTCR 0x300).
unlink "$tmp/pl011.txt";
($out, $st) = run_timeout(30, "echo typed-on-mini\rpoweroff 6\r", 'qemu-system-aarch64',
    fw('alt5', '0x12000', '0x300'), '-serial', "file:$tmp/pl011.txt", '-serial', 'stdio');
like($out, qr/^pagoda: head\.S: entered at EL2$/m, 'ALT5: head.S\'s early line is on the mini UART');
like($out, qr/console: mini UART \(GPIO14\/15 in ALT5\)$/m, 'ALT5, no stdout-path: the mini UART is the console');
like($out, qr/^\[[ 0-9.]+\] pagoda \S+ \(aarch64\) on Raspberry Pi 3 Model B$/m, 'the banner is on the header pins');
like($out, qr/^typed-on-mini$/m, 'a command typed on the mini UART runs');
is($st, 6, 'poweroff typed on the mini UART ends QEMU with its status');
ok(-e "$tmp/pl011.txt" && slurp("$tmp/pl011.txt") eq '', 'the disabled PL011 (Bluetooth on a Pi 3) is never written');

# dtoverlay=disable-bt: GPIO14/15 in ALT0 (0x24000), the PL011 on (UARTCR 0x301).
unlink "$tmp/mini.txt";
($out, $st) = run_timeout(30, "poweroff 7\r", 'qemu-system-aarch64',
    fw('alt0', '0x24000', '0x301'), '-serial', 'stdio', '-serial', "file:$tmp/mini.txt");
like($out, qr/console: PL011 \(GPIO14\/15 in ALT0\)$/m, 'ALT0: the PL011 is the console');
is($st, 7, 'ALT0: typed on the PL011, poweroff 7 ends QEMU');
ok(-e "$tmp/mini.txt" && slurp("$tmp/mini.txt") eq '', 'ALT0: the mini UART gets nothing (its pins are not the header)');

# The Pi 3 B+'s DTB (config.txt's [pi3+]): the banner names the model from its /model.
SKIP: {
    skip 'build/deps/bcm2837-rpi-3-b-plus.dtb not cached', 1 unless -s 'build/deps/bcm2837-rpi-3-b-plus.dtb';
    ($out, $st) = run_timeout(30, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $kernel,
        '-dtb', 'build/deps/bcm2837-rpi-3-b-plus.dtb', '-semihosting', '-no-reboot', '-display', 'none',
        '-monitor', 'none', '-serial', 'stdio', '-append', 'run="poweroff 0"');
    like($out, qr/^\[[ 0-9.]+\] pagoda \S+ \(aarch64\) on Raspberry Pi 3 Model B\+$/m, 'B+ DTB: the banner names the B+');
}

# ---- before C: the early vectors report a fault at EL2 and at EL1 (MMU off) -------------------
# The word at Image offset 64 (early_debug, 0 in every build) asks head.S for a deliberate fault.
for my $case ([1, 2, 'at the entry EL (EL2)'], [2, 1, 'at EL1 before the MMU']) {
    my ($flag, $el, $what) = @$case;
    system('cp', $kernel, "$tmp/fault.img") == 0 or die;
    open(my $img, '+<:raw', "$tmp/fault.img") or die;
    seek($img, 64, 0);
    print $img pack('V', $flag);
    close $img;
    ($out, $st, $to) = run_timeout(8, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel',
        "$tmp/fault.img", '-dtb', $dtb, '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    like($out, qr/^pagoda: early exception at EL$el \(vector 4, before the kernel's vectors\): ESR 0x[0-9a-f]{16} ELR 0x[0-9a-f]{16} FAR 0xffff0000dead0000$/m,
        "early fault $what: ESR, ELR and FAR on the console") or diag $out;
    my ($esr) = $out =~ /ESR 0x([0-9a-f]{16})/;
    is(defined $esr ? hex($esr) >> 26 : -1, 0x25, "early fault $what: EC 0x25 (data abort, same EL)");
    ok($to && $out !~ /pagoda \S+ \(aarch64\) on/, "early fault $what: parked, C never ran");
}

# ---- entered at EL3 (as from a custom armstub) ------------------------------------------------
# QEMU's raspi3b enters -kernel at EL2; with the generic loader instead, core 0 starts the image at
# EL3 (the other cores start at PA 0: a WFI loop is put there). CNTFRQ_EL0 is what EL3 sets.
($out, $st) = run_timeout(30, "poweroff 8\r", 'qemu-system-aarch64', '-M', 'raspi3b', '-semihosting',
    '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
    '-device', "loader,file=$kernel,addr=0x80000,force-raw=on", '-device', 'loader,addr=0x80000,cpu-num=0',
    '-device', 'loader,addr=0x0,data=0x17ffffffd503207f,data-len=8');
like($out, qr/^pagoda: head\.S: entered at EL3$/m, 'EL3: head.S says so');
like($out, qr/CPU: entered at EL3, running at EL1; MIDR_EL1 0x410fd034; counter 19200000 Hz/,
    'EL3: CNTFRQ_EL0 set to the Pi 3 crystal, 19.2 MHz (never 0)');
is($st, 8, 'EL3: reaches the shell, poweroff 8');

# An armstub that drops to EL2 without setting CNTFRQ_EL0 (here: one that zeroes it): refused.
open($fh, '>', "$tmp/stub0hz.S") or die;
print $fh <<'ASM';
	mrs	x2, mpidr_el1
	tst	x2, #0xff
	b.ne	2f			/* cores 1-3 stay here */
	msr	cntfrq_el0, xzr
	mov	x1, #0x5b1		/* SCR_EL3: non-secure, EL2 AArch64, HVC */
	msr	scr_el3, x1
	mov	x1, #0x3c9		/* EL2h, DAIF masked */
	msr	spsr_el3, x1
	ldr	x1, =0x80000
	msr	elr_el3, x1
	mov	x0, xzr
	eret
2:	wfi
	b	2b
	.ltorg
ASM
close $fh;
sh("aarch64-linux-gnu-gcc -c $tmp/stub0hz.S -o $tmp/stub0hz.o && aarch64-linux-gnu-objcopy -O binary $tmp/stub0hz.o $tmp/stub0hz.bin");
($out, $st) = run_timeout(30, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-semihosting', '-no-reboot',
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
    '-device', "loader,file=$kernel,addr=0x80000,force-raw=on", '-device', "loader,file=$tmp/stub0hz.bin,addr=0x0,force-raw=on");
like($out, qr/CPU: entered at EL2, running at EL1; MIDR_EL1 0x410fd034; counter 0 Hz/, 'an armstub that leaves CNTFRQ 0: the banner says 0 Hz');
like($out, qr/Kernel panic - not syncing: setup_arch: CNTFRQ_EL0 is 0 \(entered at EL2\): the armstub must set it at EL3/,
    'and the boot stops with the reason instead of running with a 0 Hz counter');
unlike($out, qr/pagoda# /, 'no shell with a 0 Hz counter');
is($st, 255, 'panic status 255');

# kernel_old=1: the image at PA 0, every core entered there at EL3 — refused on the console.
($out, $st, $to) = run_timeout(8, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-display', 'none',
    '-monitor', 'none', '-serial', 'stdio', '-device', "loader,file=$kernel,addr=0x0,force-raw=on");
like($out, qr/^pagoda: loaded at PA 0x0000000000000000, not TEXT_OFFSET \(0x80000\) past a 2 MiB boundary \(kernel_old=1\?\): refusing to boot$/m,
    'kernel_old=1 (image at PA 0): one clear line');
unlike($out, qr/\(aarch64\) on/, 'kernel_old=1: C never runs');

# ---- DTBs over 128 KiB --------------------------------------------------------------------------
# dtc -p adds free space: the content still fits the boot copy, so the boot goes on with bootargs.
sh("dtc -q -I dtb -O dtb -p 200000 -o $tmp/padded.dtb $dtb");
ok(-s "$tmp/padded.dtb" > 128 * 1024, 'the padded DTB file is over 128 KiB (' . (-s "$tmp/padded.dtb") . ' bytes)');
($out, $st) = run_timeout(30, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $kernel,
    '-dtb', "$tmp/padded.dtb", '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none',
    '-serial', 'stdio', '-append', 'run="cat /proc/cmdline"');
like($out, qr/DTB: at 0x[0-9a-f]{16}, (\d+) bytes \(\d+ of content copied into the image\)/, 'padded DTB: accepted');
my ($total) = $out =~ /DTB: at 0x[0-9a-f]{16}, (\d+) bytes/;
ok(($total // 0) > 2 * 128 * 1024, 'its totalsize as QEMU passes it is far past 128 KiB (' . ($total // '?') . ')');
like($out, qr/^run="cat \/proc\/cmdline"$/m, 'padded DTB: its bootargs reach /proc/cmdline');
is($st, 0, 'padded DTB: the run= list ran');

# A 160 KiB property makes the content itself too big for the copy: refused, size and reason apart.
sh("head -c 163840 /dev/zero > $tmp/blob.bin && (dtc -q -I dtb -O dts $dtb; " .
   "echo '/ { pagoda-big = /incbin/(\"$tmp/blob.bin\"); };') | dtc -q -I dts -O dtb -o $tmp/big.dtb -");
($out, $st) = run_timeout(30, "poweroff 9\r", 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $kernel,
    '-dtb', "$tmp/big.dtb", '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
like($out, qr/DTB: none usable \(x0 = 0x[0-9a-f]+: its content is \d+ bytes \(totalsize \d+\), more than the 131072-byte boot copy \(BOOT_DTB_MAX\)\)/,
    'a DTB whose content is over 128 KiB: refused with its size and the reason');
is($st, 9, 'and the boot goes on (mailbox), to the shell');

done_testing();
