#!/usr/bin/perl
# uboot.t: QEMU raspi3b runs U-Boot, which boots the SD image's boot.scr -> booti kernel8.img -> our shell.
#
# U-Boot's console is the mini UART (QEMU's second -serial): stdio here. The PL011 (first
# -serial) goes to a file. Every boot has a hard time limit; QEMU is killed when it runs out.
# KERNEL8=path boots another kernel8.img (default arm64_image(): PAGODA_KASAN=1 picks the KASAN kernel).
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use IPC::Open3 qw(open3);
use IO::Select;
use POSIX qw(WNOHANG);
use Time::HiRes qw(time);
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

my $top = "$FindBin::Bin/../..";
chdir $top or die "chdir $top: $!";

my $uboot = 'build/deps/u-boot-rpi/usr/lib/u-boot/rpi_arm64/u-boot.bin';
my $dtb = 'build/deps/bcm2837-rpi-3-b.dtb';
my $kernel = $ENV{KERNEL8} // arm64_image();
my $TIMEOUT = 60;	# seconds per boot; U-Boot alone spends ~4.4 s in its USB scan and bootdelay
-s $_ or BAIL_OUT("missing $_ (run make; tools/bootstrap)") for ($uboot, $dtb, $kernel);

my $tmp = tempdir(CLEANUP => 1);
# A snapshot: others may rebuild the kernel while this test runs.
system('cp', $kernel, "$tmp/kernel8.img") == 0 or BAIL_OUT("cannot copy $kernel");
$kernel = "$tmp/kernel8.img";

# mksdcard IMG BOOTARGS [QUICK]: build an SD image whose boot.scr sets BOOTARGS ('' = leave them
# alone); QUICK adds the uboot.env that skips U-Boot's USB scan and bootdelay.
sub mksdcard {
	my ($img, $bootargs, $quick) = @_;
	my $q = $quick ? '-q' : '';
	my $out = qx{tools/mksdcard $q -o '$img' -k '$kernel' -a '$bootargs' 2>&1};
	$? == 0 or BAIL_OUT("mksdcard failed: $out");
}

# boot IMG, [[REGEX, INPUT], ...], EXTRA_QEMU_ARGS...: run QEMU until it exits or the time
# limit; whenever the mini UART output (after what an earlier step matched) matches the next
# REGEX, type its INPUT. Returns { out => mini UART text, pl011 => PL011 text, status => exit
# status (undef if killed), at => { step index => seconds from QEMU start to the match } }.
sub boot {
	my ($img, $steps, @extra) = @_;
	my $pl011 = "$tmp/pl011.log";
	unlink $pl011;
	my @cmd = ('qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $uboot, '-dtb', $dtb,
		   '-drive', "file=$img,if=sd,format=raw", '-serial', "file:$pl011", '-serial', 'stdio',
		   '-display', 'none', '-monitor', 'none', '-semihosting', '-no-reboot', @extra);
	my $t0 = time;
	my $pid = open3(my $in, my $out, undef, @cmd);
	my ($buf, $pos, $step, %at, $status) = ('', 0, 0);
	my $sel = IO::Select->new($out);
	while (time - $t0 < $TIMEOUT) {
		if ($sel->can_read(0.2)) {
			my $n = sysread($out, my $chunk, 65536);
			last unless $n;
			$buf .= $chunk =~ s/\r//gr;
		}
		while ($step < @$steps && substr($buf, $pos) =~ $steps->[$step][0]) {
			$pos += $+[0];
			$at{$step} = time - $t0;
			syswrite($in, $steps->[$step][1]) if defined $steps->[$step][1];
			$step++;
		}
	}
	# QEMU closes stdout as it exits: give it a moment to deliver its status.
	for (my $t = time; waitpid($pid, WNOHANG) == 0; select(undef, undef, undef, 0.05)) {
		next if time - $t < 5 && time - $t0 < $TIMEOUT;
		kill 'TERM', $pid;
		sleep 1;
		kill 'KILL', $pid if waitpid($pid, WNOHANG) == 0;
		waitpid($pid, 0);
		diag sprintf('QEMU killed after %.0f s', time - $t0);
		Pagoda::check_kasan_reports($cmd[0], $buf);
		return { out => $buf, pl011 => '', status => undef, at => \%at, total => time - $t0 };
	}
	$status = $? & 127 ? undef : $? >> 8;	# a signal is no exit status
	Pagoda::check_kasan_reports($cmd[0], $buf);
	my $pl = '';
	if (open my $fh, '<', $pl011) { local $/; $pl = <$fh>; }
	return { out => $buf, pl011 => $pl, status => $status, at => \%at, total => time - $t0 };
}

# ---- 1. a run= list in boot.scr's bootargs: U-Boot -> booti -> our shell -> poweroff 0 ---------
my $bootargs = 'run="echo via-uboot-and-booti; help"';
mksdcard("$tmp/run.img", $bootargs);
my $r = boot("$tmp/run.img", []);
my $o = $r->{out};
# How U-Boot finds boot.scr depends on its version: 2023.01 (Debian 12) runs its distro-boot
# script ("Found U-Boot script /boot.scr", then "## Executing script at ADDR"); 2025.01 (Debian 13)
# its standard boot ("** Booting bootflow 'mmc@7e202000.bootdev.part_1' with script", no
# "Executing" line). Either way boot.scr must come from the SD card's first partition and its own
# first lines must follow at once.
my $scr_found = qr{^(?:Found U-Boot script /boot\.scr|\*\* Booting bootflow 'mmc\@7e202000\.bootdev\.part_1' with script)$}m;
like($o, $scr_found, "U-Boot finds boot.scr on the SD card's first partition (distro boot or standard boot)");
like($o, qr{^(?:Found U-Boot script /boot\.scr\n(?:\d+ bytes read in .*\n)?## Executing script at [0-9a-f]+|\*\* Booting bootflow 'mmc\@7e202000\.bootdev\.part_1' with script)\npagoda: bootargs \Q$bootargs\E\npagoda: loading kernel8\.img from mmc 0:1 to 0x200000$}m,
	'and runs it: the first lines of boot.scr follow right after');
like($o, qr/^pagoda: bootargs \Q$bootargs\E$/m, 'boot.scr sets the bootargs with the run= list');
like($o, qr/^Moving Image from 0x200000 to 0x80000,/m,
	'booti moves the image from where boot.scr loaded it to text_offset 0x80000');
like($o, qr/^Starting kernel \.\.\.$/m, 'booti accepts the Image header and starts the kernel');
my ($uboot_fdt) = $o =~ /Booting using the fdt blob at (0x[0-9a-f]+)/;
my ($our_fdt) = $o =~ /DTB: at (0x[0-9a-f]+)/;
ok(defined $uboot_fdt && defined $our_fdt && hex($uboot_fdt) == hex($our_fdt),
	"the kernel got U-Boot's device tree in x0 (U-Boot " . ($uboot_fdt // '?') . ', kernel ' . ($our_fdt // '?') . ')');
ok(defined $our_fdt && hex($our_fdt) >= 0x3b000000 && hex($our_fdt) < 0x3c000000,
	'that device tree lies high, in the top of the 960 MiB U-Boot relocated to');
like($o, qr/^\[[ 0-9.]+\] pagoda \S+ \(aarch64\) on Raspberry Pi 3 Model B$/m,
	'our banner shows on the mini UART')
	or diag "mini UART:\n$o\nPL011:\n$r->{pl011}";
like($o, qr/^\[[ 0-9.]+\] console: mini UART \(GPIO14\/15 in ALT5\)$/m,
	"the console follows the pin mux U-Boot's pinctrl left (GPIO14/15 in ALT5), as on a Pi 3");
like($o, qr/^pagoda: head\.S: entered at EL2$/m, "head.S's early line is on the same UART");
unlike($r->{pl011}, qr/pagoda/, 'nothing of ours on the PL011 (its pins are not the header)');
like($o, qr/CPU: entered at EL2\b/, 'entered at EL2, as the arm64 boot protocol says');
like($o, qr/^\[[ 0-9.]+\] Kernel command line: \Q$bootargs\E$/m, 'the kernel read bootargs from U-Boot\'s /chosen');
like($o, qr/^\[[ 0-9.]+\] memory: from the device tree$/m, "memory discovered from U-Boot's device tree");
like($o, qr{^\[[ 0-9.]+\] Memory: \d+K/983040K available}m, 'all 960 MiB of its /memory counted');
like($o, qr/^pagoda# echo via-uboot-and-booti\nvia-uboot-and-booti$/m, 'run= command 1 (echo) ran, its output on the mini UART');
like($o, qr/^pagoda# help\n(?:  \S.*\n)*  poweroff \[STATUS\] /m, 'run= command 2 (help) listed the commands');
like($o, qr/run: 0 command\(s\) failed; powering off/, 'the run= list succeeded');
is($r->{status}, 0, 'QEMU exited with status 0 (poweroff through semihosting)');
my ($shell_at) = $o =~ /^\[\s*([0-9.]+)\] Boot took/m;	# the counter starts with QEMU
diag sprintf('U-Boot path (distro boot): shell reached at %s s on the kernel clock, QEMU exit after %.2f s wall',
	     $shell_at // '?', $r->{total});

# ---- 2. a failing command in the list: the rest still runs, and the status says so ------------
# From here on the images carry uboot.env (mksdcard -q): the same boot.scr, ~4 s sooner.
$bootargs = 'run="no-such-command; echo still-running"';
mksdcard("$tmp/fail.img", $bootargs, 1);
$r = boot("$tmp/fail.img", []);
$o = $r->{out};
like($o, qr/^Loading Environment from FAT\.\.\. OK$/m, 'quick image: U-Boot takes uboot.env from the card');
unlike($o, qr/starting USB/, 'quick image: no USB scan');
like($o, qr/^## Executing script at [0-9a-f]+\npagoda: bootargs \Q$bootargs\E$/m, 'quick image: boot.scr runs at once');
diag sprintf('U-Boot path with uboot.env: QEMU start to QEMU exit %.2f s', $r->{total});
like($o, qr/^pagoda# no-such-command\nno-such-command: command not found/m, 'the unknown command is reported');
like($o, qr/^pagoda# echo still-running\nstill-running$/m, 'the next command still runs');
like($o, qr/run: 1 command\(s\) failed; powering off/, 'one failure counted');
is($r->{status}, 1, 'QEMU exited with status 1');

# ---- 3. no bootargs in boot.scr: QEMU's -append reaches us through U-Boot; type at the prompt --
mksdcard("$tmp/plain.img", '', 1);
my $prompt = qr/(?:\A|\n)pagoda# \z/;
$r = boot("$tmp/plain.img", [[$prompt, "echo typed-on-the-mini-uart\r"],
			      [qr/\ntyped-on-the-mini-uart(?=\n)/, undef],
			      [$prompt, "poweroff 3\r"]],
	  '-append', 'pagoda.from=qemu-append');
$o = $r->{out};
unlike($o, qr/^pagoda: bootargs/m, 'boot.scr without bootargs leaves them alone');
like($o, qr/^\[[ 0-9.]+\] Kernel command line: pagoda\.from=qemu-append$/m,
	"the device tree's own /chosen/bootargs pass through U-Boot (make run BOOT=uboot CMDLINE=...)");
ok(exists $r->{at}{0}, 'the shell prompt appears on the mini UART');
ok(exists $r->{at}{1}, 'a command typed on the mini UART runs (the console reads it too)');
is($r->{status}, 3, 'poweroff 3 typed at the prompt ends QEMU with status 3');
if (exists $r->{at}{0}) {
	my ($ts) = $o =~ /^\[\s*([0-9.]+)\] Boot took/m;
	diag sprintf('U-Boot path (uboot.env): QEMU start to our prompt %.2f s wall (kernel clock %s s)',
		     $r->{at}{0}, $ts // '?');
}

done_testing();
