#!/usr/bin/perl
# sdcard.t: tools/mksdcard builds the image a Pi 3 boots: MBR, FAT32, the right files, byte for byte.
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use File::Compare qw(compare);
use Compress::Zlib qw(crc32);
use JSON::PP qw(decode_json);
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

my $top = "$FindBin::Bin/../..";
chdir $top or die "chdir $top: $!";
$ENV{MTOOLS_SKIP_CHECK} = 1;

my $deps = 'build/deps';
my $kernel = arm64_image();
my $fw = "$deps/raspi-firmware/usr/lib/raspi-firmware";
my %src = (
	'bootcode.bin' => "$fw/bootcode.bin",
	'start.elf' => "$fw/start.elf",
	'fixup.dat' => "$fw/fixup.dat",
	'config.txt' => 'boot/config.txt',
	'bcm2837-rpi-3-b.dtb' => "$deps/bcm2837-rpi-3-b.dtb",
	'bcm2837-rpi-3-b-plus.dtb' => "$deps/bcm2837-rpi-3-b-plus.dtb",
	'u-boot.bin' => "$deps/u-boot-rpi/usr/lib/u-boot/rpi_arm64/u-boot.bin",
	'kernel8.img' => $kernel,
);
# The B+ DTB is optional (mksdcard copies it when tools/bootstrap cached it).
delete $src{'bcm2837-rpi-3-b-plus.dtb'} unless -s $src{'bcm2837-rpi-3-b-plus.dtb'};
-s $_ or BAIL_OUT("missing $_ (run make; tools/bootstrap)") for values %src;

my $tmp = tempdir(CLEANUP => 1);
# A snapshot: others may rebuild arm64_image() (Pagoda.pm) while this test runs.
system('cp', $kernel, "$tmp/kernel8.img") == 0 or BAIL_OUT("cannot copy $kernel");
$kernel = $src{'kernel8.img'} = "$tmp/kernel8.img";
my $img = "$tmp/sdcard.img";
my $bootargs = 'loglevel=7 run="cat /proc/meminfo; help"';
my $MiB = 1024 * 1024;

# sh: run a command (arguments quoted for the shell), return (exit status, combined output).
sub sh {
	my $cmd = join ' ', map { "'" . s/'/'\\''/gr . "'" } @_;
	my $out = qx{$cmd 2>&1};
	return ($? >> 8, $out);
}

sub slurp {
	open my $fh, '<:raw', $_[0] or die "$_[0]: $!";
	local $/;
	return scalar <$fh>;
}

# ---- build ---------------------------------------------------------------------------------
my ($rc, $out) = sh('tools/mksdcard', '-o', $img, '-k', $kernel, '-a', $bootargs);
is($rc, 0, 'mksdcard builds the image') or diag $out;
is(-s $img, 64 * $MiB, 'the image is 64 MiB, a power of two (QEMU accepts it as an SD card)');

# ---- partition table (sfdisk) ---------------------------------------------------------------
($rc, $out) = sh('sfdisk', '-J', $img);
is($rc, 0, 'sfdisk reads the partition table');
my $pt = eval { decode_json($out)->{partitiontable} } // {};
is($pt->{label}, 'dos', 'MBR (dos) partition table');
is($pt->{sectorsize}, 512, '512-byte sectors');
my @parts = @{$pt->{partitions} // []};
is(scalar @parts, 1, 'exactly one partition');
my $p = $parts[0] // {};
is($p->{start}, 2048, 'partition starts at 1 MiB (sector 2048)');
is($p->{start} + $p->{size}, 64 * 2048, 'partition runs to the end of the image');
is(lc($p->{type} // ''), 'c', 'partition type 0x0c: FAT32 with LBA');
ok($p->{bootable}, 'partition marked bootable');

# ---- the file system: its boot sector read field by field -----------------------------------
my $disk = slurp($img);
my $off = 2048 * 512;
my $bs = substr($disk, $off, 512);
my ($bps, $spc, $rsvd, $nfats, $root_ents, $tot16, $fat16sz, $hidden, $tot32, $fatsz) =
	unpack('x11 v C v C v v x1 v x4 V V V', $bs);
is(substr($bs, 510, 2), "\x55\xaa", 'partition boot sector signature 55 aa');
is(substr($bs, 82, 8), 'FAT32   ', 'file system type FAT32');
is($bps, 512, '512 bytes per sector');
is($root_ents, 0, 'no fixed root directory (FAT32)');
is($fat16sz, 0, 'no 16-bit FAT size (FAT32)');
is($hidden, 2048, 'hidden sectors = partition start (what the firmware adds to FAT offsets)');
is($tot32, $p->{size}, 'file system spans the whole partition');
my $clusters = int(($tot32 - $rsvd - $nfats * $fatsz) / ($spc || 1));
cmp_ok($clusters, '>=', 65525, "enough clusters for FAT32 ($clusters of ${\($spc * 512)} bytes)");
ok((sh('dd', "if=$img", "of=$tmp/part.img", 'bs=1M', 'skip=1', 'status=none'))[0] == 0 &&
   (sh('fsck.vfat', '-n', "$tmp/part.img"))[0] == 0, 'fsck.vfat -n finds the file system clean');

# ---- contents (mtools): exactly the expected files, each identical to its source ------------
my $fat = "$img\@\@$off";
($rc, $out) = sh('mdir', '-b', '-i', $fat, '::/');
my @names = sort map { s{^::/}{}r } grep { /\S/ } split /\n/, $out;
is_deeply(\@names, [sort keys(%src), 'boot.scr', 'cmdline.txt'], 'the FAT holds exactly the boot files')
	or diag $out;
mkdir "$tmp/out";
for my $name (sort keys %src) {
	($rc, $out) = sh('mcopy', '-n', '-i', $fat, "::/$name", "$tmp/out/$name");
	ok($rc == 0 && compare("$tmp/out/$name", $src{$name}) == 0, "$name matches $src{$name}") or diag $out;
}

# ---- boot.scr: a valid legacy U-Boot script image carrying boot/boot.cmd and the bootargs ----
sh('mcopy', '-n', '-i', $fat, '::/boot.scr', "$tmp/boot.scr");
my $scr = -e "$tmp/boot.scr" ? slurp("$tmp/boot.scr") : '';
my ($magic, $hcrc, $size, $dcrc, $os, $arch, $type, $comp) = unpack('N N x4 N x8 N C C C C', $scr . "\0" x 64);
is(sprintf('%08x', $magic), '27051956', 'boot.scr has the U-Boot legacy image magic');
is(crc32(substr($scr, 0, 4) . "\0" x 4 . substr($scr, 8, 56)), $hcrc, 'boot.scr header CRC is valid');
is(crc32(substr($scr, 64)), $dcrc, 'boot.scr data CRC is valid');
is($size, length($scr) - 64, 'boot.scr data size matches the file');
is_deeply([$os, $arch, $type, $comp], [5, 22, 6, 0], 'boot.scr: OS linux, arch arm64, type script, no compression');
my ($len0, $end) = unpack('N N', substr($scr, 64, 8));
is($end, 0, 'boot.scr holds one script part');
my $script = substr($scr, 72, $len0);
my $expect = slurp('boot/boot.cmd') =~ s/\@BOOTARGS\@/$bootargs/gr;
is($script, $expect, 'boot.scr is boot/boot.cmd with the bootargs substituted');
like($script, qr/^setenv bootargs '\Q$bootargs\E'$/m, 'boot.scr sets bootargs carrying the run= list');
my ($load) = $script =~ /^setenv pagoda_kernel_addr (0x[0-9a-f]+)$/m;
ok(defined $load && hex($load) >= 0x200000, 'kernel8.img is loaded away from 0x80000 (' . ($load // 'none') . ')');
like($script, qr/^if load \S+ \S+ \$\{pagoda_kernel_addr\} kernel8\.img; then$/m, 'boot.scr loads kernel8.img there');
like($script, qr/^\s*booti \$\{pagoda_kernel_addr\} - \$\{fdtcontroladdr\}$/m,
	"booti with U-Boot's own device tree");
sh('mcopy', '-n', '-i', $fat, '::/cmdline.txt', "$tmp/cmdline.txt");
is(-e "$tmp/cmdline.txt" ? slurp("$tmp/cmdline.txt") : '', "$bootargs\n",
	'cmdline.txt carries the same bootargs (for booting without U-Boot)');

# ---- config.txt: 64-bit, UART, the DTB, U-Boot, and the documented direct-boot line -----------
my $cfg = slurp('boot/config.txt');
# Settings per conditional section ([all] before any filter), as the firmware reads them.
my %sec;
my $in = 'all';
for (split /\n/, $cfg) {
	next if /^\s*(#|$)/;
	if (/^\s*\[(\S+)\]\s*$/) { $in = $1; next; }
	$sec{$in}{$1} = $2 if /^\s*([a-z_0-9]+)=(\S+)\s*$/;
}
is($sec{all}{arm_64bit}, 1, 'config.txt: arm_64bit=1');
is($sec{all}{enable_uart}, 1, 'config.txt: enable_uart=1');
is($sec{all}{core_freq}, 250, 'config.txt: core_freq=250 (the mini UART\'s baud follows the VPU clock)');
is($sec{pi3}{device_tree}, 'bcm2837-rpi-3-b.dtb', 'config.txt [pi3]: the Pi 3 B DTB on the card');
is($sec{'pi3+'}{device_tree}, 'bcm2837-rpi-3-b-plus.dtb', 'config.txt [pi3+]: the Pi 3 B+ DTB, after [pi3] so it wins');
is($sec{all}{kernel}, 'u-boot.bin', 'config.txt starts U-Boot (in [all], after the filters)');
SKIP: {
	skip 'build/deps/bcm2837-rpi-3-b-plus.dtb not cached', 1 unless $src{'bcm2837-rpi-3-b-plus.dtb'};
	ok(grep({ $_ eq 'bcm2837-rpi-3-b-plus.dtb' } @names), 'the B+ DTB config.txt names is on the card');
}
like($cfg, qr/^#.*kernel=u-boot\.bin\s+->\s+kernel=kernel8\.img/m,
	'config.txt documents the one-line change to boot kernel8.img directly');

# ---- no bootargs: the script leaves U-Boot's /chosen/bootargs alone ---------------------------
($rc, $out) = sh('tools/mksdcard', '-o', "$tmp/plain.img", '-k', $kernel);
is($rc, 0, 'mksdcard without bootargs');
sh('mcopy', '-n', '-i', "$tmp/plain.img\@\@$off", '::/boot.scr', "$tmp/plain.scr");
my $plain = -e "$tmp/plain.scr" ? slurp("$tmp/plain.scr") : '';
ok($plain =~ /booti / && $plain !~ /setenv bootargs|\@BOOTARGS\@/, 'without bootargs boot.scr does not set them');

# ---- -q: a whole U-Boot environment (uboot.env) that sources boot.scr at once -------------------
is(scalar(grep { $_ eq 'uboot.env' } @names), 0, 'without -q there is no uboot.env (U-Boot keeps its own environment)');
($rc, $out) = sh('tools/mksdcard', '-q', '-o', "$tmp/quick.img", '-k', $kernel);
is($rc, 0, 'mksdcard -q');
sh('mcopy', '-n', '-i', "$tmp/quick.img\@\@$off", '::/uboot.env', "$tmp/uboot.env");
my $env = -e "$tmp/uboot.env" ? slurp("$tmp/uboot.env") : '';
is(length($env), 16384, "uboot.env is U-Boot's CONFIG_ENV_SIZE (16 KiB) long");
is(unpack('V', $env . "\0" x 4), crc32(substr($env, 4)), 'uboot.env CRC is valid (else U-Boot ignores it)');
my ($envdata) = substr($env, 4) =~ /\A(.*?)\0\0/s;	# name=value\0 ... \0, then 0xff padding
my %uenv = map { split /=/, $_, 2 } split /\0/, $envdata // '';
is($uenv{bootdelay}, 0, 'uboot.env: bootdelay=0');
ok(!exists $uenv{preboot}, 'uboot.env: no preboot (no USB scan)');
like($uenv{bootcmd} // '', qr/\bload mmc 0:1 \$\{scriptaddr\} boot\.scr\b.*\bsource \$\{scriptaddr\}/,
	'uboot.env: bootcmd loads and sources boot.scr');
is($uenv{scriptaddr}, '0x02400000', 'uboot.env: scriptaddr defined (the environment replaces the built-in one)');

# ---- misuse: refused with a reason, and nothing left behind --------------------------------
for my $bad (['-s', 32, qr/65525 clusters/, 'a 32 MiB image (too few clusters for FAT32)'],
	     ['-s', 96, qr/not a power of two/, 'a 96 MiB image (not a power of two)'],
	     ['-a', q{it's}, qr/single quote/, 'bootargs with a single quote']) {
	my ($opt, $val, $why, $what) = @$bad;
	($rc, $out) = sh('tools/mksdcard', '-o', "$tmp/bad.img", '-k', $kernel, $opt, $val);
	ok($rc != 0 && $out =~ $why && !-e "$tmp/bad.img", "refuses $what") or diag $out;
}
($rc, $out) = sh('tools/mksdcard', '-o', "$tmp/bad.img", '-k', "$tmp/no-such-kernel");
ok($rc != 0 && $out =~ /missing input/ && !-e "$tmp/bad.img", 'refuses a missing kernel') or diag $out;
my @left = glob("$tmp/*.tmp.*");
is(scalar @left, 0, 'no temporary files left behind');

done_testing();
