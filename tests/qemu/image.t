#!/usr/bin/perl
# image.t: kernel8.img carries a correct arm64 Image header, and the build is path-independent.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;
use Cwd qw(getcwd);
no warnings "portable";	# 64-bit hex addresses

my $img = arm64_image();
my $elf = arm64_elf();
ok(-s $img && -s $elf, 'kernel8.img and kernel.elf exist') or BAIL_OUT('build first');

open(my $fh, '<:raw', $img) or die;
read($fh, my $hdr, 64) == 64 or die;
my ($code0, $code1, $text_offset, $image_size, $flags, $r2, $r3, $r4, $magic, $r5) =
    unpack('V V Q< Q< Q< Q< Q< Q< a4 V', $hdr);

my %sym = map { my @f = split; ($f[2] => hex $f[0]) } grep { /^[0-9a-f]+ \w \w/ } `nm $elf`;
is($magic, "ARM\x64", 'magic "ARM\x64" at offset 56');
is(sprintf('0x%x', $text_offset), '0x80000', 'text_offset 0x80000 (where the Pi firmware, QEMU and booti put it)');
is($image_size, $sym{_end} - $sym{_text}, 'image_size = _end - _text, BSS included');
is($flags & 1, 0, 'flags: little-endian');
is(($flags >> 1) & 3, 1, 'flags: 4 KiB pages');
is(($code0 >> 26), 0x5, 'code0 is a branch (b primary_entry)');
is($r2 + $r3 + $r4 + $r5, 0, 'reserved fields zero');
ok((-s $img) <= $image_size, 'the file is no larger than image_size');
is($sym{_text} & 0x1fffff, 0x80000, '_text is linked TEXT_OFFSET past a 2 MiB boundary');

my $cwd = getcwd();
my $leaks = grep { index($_, $cwd) >= 0 } `strings -a $elf`;
is($leaks, 0, "no absolute build path ($cwd) inside kernel.elf (reproducible across checkouts)");
done_testing();
