#!/usr/bin/perl
# iso.t: the x86 boot image — GRUB 2 through SeaBIOS from a CD and from the same image as a disk.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use File::Temp qw(tempdir);
use Test::More;

chdir "$FindBin::Bin/../.." or die;
my $elf = 'build/x86/kernel.elf';
plan skip_all => "$elf not built (make ARCH=x86)" unless -e $elf;
plan skip_all => 'GRUB for BIOS missing (tools/bootstrap installs grub-pc-bin, xorriso)'
    unless -e '/usr/lib/grub/i386-pc/multiboot.mod' && !grep { my $t = $_; !grep { -x "$_/$t" } split /:/, $ENV{PATH} }
        qw(grub-mkrescue xorriso mformat);

my $dir = tempdir('pagoda-iso-XXXXXX', TMPDIR => 1, CLEANUP => 1);

# mkiso(NAME, CMDLINE): builds $dir/NAME with tools/mkiso (menu timeout 0); returns (path, output, status).
sub mkiso {
    my ($name, $cmdline) = @_;
    my ($out, $st) = run_timeout(120, undef, 'tools/mkiso', '-k', $elf, '-o', "$dir/$name", '-t', '0',
        '-a', $cmdline);
    return ("$dir/$name", $out, $st);
}

# boot(MEDIA_ARGS, STEPS): SeaBIOS -> GRUB -> pagoda; STEPS as run_dialog's (typing at prompts).
# isa-debug-exit makes QEMU exit with (status << 1) | 1: returns (output, kernel status or -1).
sub boot {
    my ($media, $steps) = @_;
    my ($out, $st, $to) = run_dialog(90, $steps // [], 'qemu-system-i386', @$media, '-m', '512',
        '-cpu', 'Nehalem,-lm,-syscall', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    diag("QEMU @$media timed out") if $to;
    return ($out, ($st & 1) ? $st >> 1 : -1);
}

my ($iso, $log, $st) = mkiso('run.iso', 'run="cat /proc/cmdline; echo two   words; cat /proc/version" quiet=0');
is($st, 0, 'tools/mkiso builds an image') or diag($log);
like($log, qr/^mkiso: .*run\.iso: \d+ KiB, GRUB \S+ for BIOS/m, 'mkiso says what it built');
ok(-s $iso && -s $iso < 16 * 1024 * 1024, 'the image is there, under 16 MiB (no fonts, locales or themes)');

# What is on it: ISO 9660 with El Torito, GRUB's config with our command line, and kernel.elf as built.
open(my $fh, '<:raw', $iso) or die;
my ($mbr, $pvd) = ('', '');
read($fh, $mbr, 512);
seek($fh, 16 * 2048, 0);
read($fh, $pvd, 2048);
close $fh;
is(substr($pvd, 1, 5), 'CD001', 'ISO 9660 primary volume descriptor at sector 16');
is(unpack('H4', substr($mbr, 510, 2)), '55aa', 'hybrid: sector 0 is an MBR (boot signature 55 aa)');
ok(grep({ unpack('C', substr($mbr, 446 + 16 * $_, 1)) == 0x80 } 0 .. 3), 'hybrid: the MBR has a bootable partition');
# slurp_from_iso(IMAGE, PATH): the file at PATH extracted from the image (empty if it is not there).
sub slurp_from_iso {
    my ($image, $path) = @_;
    my $to = "$dir/extracted";
    unlink $to;
    run_timeout(30, undef, 'xorriso', '-osirrox', 'on', '-indev', $image, '-extract', $path, $to);
    open(my $g, '<:raw', $to) or return '';
    local $/;
    return <$g>;
}
my $grubcfg = slurp_from_iso($iso, '/boot/grub/grub.cfg');
like($grubcfg, qr{^\s*multiboot /boot/kernel\.elf run="cat /proc/cmdline; echo two   words; cat /proc/version" quiet=0$}m,
     'grub.cfg: the command line on the multiboot line');
like($grubcfg, qr/^set timeout=0$/m, 'grub.cfg: the timeout asked for');
like($grubcfg, qr/^serial --unit=0 --speed=115200/m, 'grub.cfg: GRUB on COM1 as well');
my $built = do { local $/; open(my $k, '<:raw', $elf) or die; <$k> };
ok(slurp_from_iso($iso, '/boot/kernel.elf') eq $built, 'boot/kernel.elf on the image is the kernel built');

# Boot it as a CD and as a disk (the hybrid image written to a USB stick), with run=.
for my $m (['CD (-cdrom)', ['-cdrom', $iso]], ['disk (-drive format=raw)', ['-drive', "file=$iso,format=raw"]]) {
    my ($name, $media) = @$m;
    my ($out, $status) = boot($media);
    is($status, 0, "$name: run= of good commands ends QEMU through isa-debug-exit with status 0");
    like($out, qr/Booting `pagoda \(32-bit PAE\)'/, "$name: GRUB boots the menu entry");
    like($out, qr/^\[\s*\d+\.\d{6}\] pagoda \S+ \(i686 \(PAE\)\) on a PC \(Multiboot loader: GRUB 2\.\S+\)$/m,
         "$name: the kernel says GRUB loaded it");
    like($out, qr/^"run=cat \/proc\/cmdline; echo two   words; cat \/proc\/version" quiet=0$/m,
         "$name: /proc/cmdline is what grub.cfg passed");
    like($out, qr/^two words$/m, "$name: the second run= command ran");
    like($out, qr/^pagoda version \S+ \(i686/m, "$name: the third too");
    unlike($out, qr/error:|Oops|not found/, "$name: no GRUB error, no fault");
}

# A failing command gives a failing status through GRUB too.
($iso, $log, $st) = mkiso('fail.iso', 'run="nosuch; echo after"');
my ($out, $status) = boot(['-cdrom', $iso]);
is($status, 1, 'a failing run= command: status 1');
like($out, qr/^nosuch: command not found \(try 'help'\)$/m, '... with its one line');
like($out, qr/^after$/m, '... and the next command still ran');

# No run=: the shell takes typed commands once its prompt is up (GRUB reads the serial line
# before that, as it would on a real PC).
($iso, $log, $st) = mkiso('shell.iso', '');
($out, $status) = boot(['-drive', "file=$iso,format=raw"],
    [[qr/pagoda# /, "echo typed-in\r"], [qr/^typed-in\r?$/m, "cat /proc/buddyi\t\r"],
     [qr/^Node 0, zone/m, "poweroff 5\r"]]);
is($status, 5, 'booted from the disk image, the shell powers off with the typed status');
like($out, qr/^typed-in$/m, 'a typed command ran');
like($out, qr/^pagoda# cat \/proc\/buddyinfo $/m, 'Tab completion on the 16550 console');
like($out, qr/^Node 0, zone\s+DMA/m, '... and the completed command ran');

# SMP through GRUB: the APs start from the trampoline page at 0x6000 whatever GRUB left below 1 MiB.
($iso, $log, $st) = mkiso('smp.iso', 'run="selftest smp_call x86_tlb"');
($out, $status) = boot(['-cdrom', $iso, '-smp', '4']);
is($status, 0, 'GRUB, -smp 4: the cross-call and shootdown suites pass');
like($out, qr/^\[\s*\d+\.\d{6}\] smp: Brought up 1 node, 4 CPUs$/m, 'GRUB, -smp 4: four CPUs online');
unlike($out, qr/^\s*not ok/m, 'GRUB, -smp 4: no KTAP case fails');

# Refusals: a bad timeout, a missing kernel, and make iso for arm64.
my ($e, $est) = run_timeout(30, undef, 'tools/mkiso', '-k', $elf, '-o', "$dir/x.iso", '-t', 'soon');
isnt($est, 0, 'mkiso -t soon fails');
like($e, qr/^mkiso: timeout 'soon' is not a number of seconds$/m, '... saying why');
($e, $est) = run_timeout(30, undef, 'tools/mkiso', '-k', "$dir/none.elf", '-o', "$dir/x.iso");
like($e, qr/^mkiso: missing kernel .*none\.elf/m, 'mkiso without a kernel says so');
ok(!-e "$dir/x.iso", 'no image left behind by a failed build');
($e, $est) = run_timeout(30, undef, 'make', '-s', 'ARCH=arm64', 'iso');
isnt($est, 0, 'make iso for arm64 fails');
like($e, qr/make iso: the ISO boots the x86 kernel; run make ARCH=x86 iso/, '... pointing at ARCH=x86');

done_testing();
