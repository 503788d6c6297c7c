#!/usr/bin/perl
# pgtable.t: the final arm64 kernel map as the dump, walk, faults and meminfo show it on raspi3b.
use strict;
use warnings;
no warnings 'portable';    # 64-bit addresses
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;
my %sym;
my $elf = arm64_elf();
for (`nm $elf`) {
    $sym{$3} = hex($1) if /^([0-9a-f]+) (\S) (\S+)$/;
}
ok(exists $sym{_text} && exists $sym{_etext}, 'nm finds _text and _etext in kernel.elf');
my $kimage = 0xffff800008000000;
my $text_pa = $sym{_text} - $kimage;    # the image is loaded TEXT_OFFSET into RAM at PA 0
my $walk_va = sprintf('%x', $sym{_text} + 0x1234);

my ($out, $st) = qemu_arm64(append => "run=\"cat /sys/kernel/debug/kernel_page_tables; walk $walk_va; "
                            . "walk 0; walk nonsense; walk -1; walk 0x1ffffffffffffffff; walk 1000000000000; "
                            . "cat /proc/meminfo; bench ptdump\"");
like($out, qr/^\[\s*\d+\.\d+\] Checked W\+X mappings: passed, no W\+X pages found$/m, 'boot-time W^X check passed');
my ($tables) = $out =~ /paging_init: kernel map in (\d+) table pages/;
# The KASAN kernel (PAGODA_KASAN=1) also maps two shadows, each in a PGD slot of its own (the
# linear map's at KASAN_SHADOW_START, the image's): a PUD and a PMD page each, 4 more.
my $max_tables = kasan() ? 14 : 10;
ok(defined $tables && $tables <= $max_tables, "kernel map uses at most $max_tables table pages (" . ($tables // '?') . ')');

# The dump: everything between the cat and the next prompt.
my ($dump) = $out =~ /^pagoda# cat \/sys\/kernel\/debug\/kernel_page_tables\n(.*?)^pagoda# /ms;
ok(defined $dump, 'the dump was printed');
$dump //= '';
my @markers = $dump =~ /^---\[ (.*) \]---$/mg;
is_deeply(\@markers, ['Linear Mapping start', 'Linear Mapping end', kasan() ? ('Kasan shadow start', 'Kasan shadow end') : (),
                      'Kernel image start', 'Kernel image end',
                      'vmalloc() area', 'vmalloc() end', 'Peripherals start', 'Peripherals end',
                      'Fixmap start', 'Fixmap end'], 'every region marker, in order')
    or diag(join("\n", @markers));

my $attr = qr/ {7}(?:USR|   ) (?:ro|RW) (?:NX|x ) (?:SHD|   ) (?:AF|  ) (?:NG|  ) (?:CON|   ) (?:   |BLK) (?:UXN|   ) (?:GP|  ) (?:MEM\/NORMAL|MEM\/NORMAL-NC|DEVICE\/nGnRE|DEVICE\/nGnRnE) -> 0x[0-9a-f]{16}/;
my (@runs, @bad);
my $prev_end = 0xffff000000000000;
for my $l (split /\n/, $dump) {
    next if $l =~ /^---\[ .* \]---$/;
    if ($l !~ /^0x([0-9a-f]{16})-0x([0-9a-f]{16})   ([ \d]{8}\d)([KMGT]) (PGD|PUD|PMD|PTE)($attr)?$/) {
        push @bad, $l;
        next;
    }
    my ($s, $e, $n, $u, $lvl, $a) = (hex $1, hex $2, $3, $4, $5, $6 // '');
    my $len = $e >= $s ? $e - $s : 2**64 - $s + $e;
    push @bad, "size column wrong: $l" if $len != $n * { K => 1 << 10, M => 1 << 20, G => 1 << 30, T => 1 << 40 }->{$u};
    push @bad, "not contiguous with the line before: $l" if $s != $prev_end;
    $prev_end = $e;
    my ($pa) = $a =~ /-> 0x([0-9a-f]+)/;
    push @runs, { s => $s, e => $e, lvl => $lvl, a => $a, pa => defined $pa ? hex $pa : undef, line => $l };
}
is(scalar @bad, 0, 'every line is a marker or a well-formed run, each starting where the last ended')
    or diag(join("\n", @bad));
is($prev_end, 0, 'the runs cover the whole TTBR1 range up to the top of the address space');
my @wx = grep { $_->{a} =~ / RW x  / } @runs;
is(scalar @wx, 0, 'no line is both writable and executable') or diag(join("\n", map { $_->{line} } @wx));
my @ux = grep { $_->{a} && $_->{a} !~ / UXN / } @runs;
is(scalar @ux, 0, 'every kernel mapping is UXN');

# RAM: the linear map is MEM/NORMAL, maps PA = VA - PAGE_OFFSET, covers 960 MiB, in blocks.
# Under KASAN the shadow follows it, from KASAN_SHADOW_START (the shadow of PAGE_OFFSET:
# (0xffff000000000000 >> 3) + the 0xdfff800000000000 offset the Makefile gives GCC).
my $shadow_start = 0xffff600000000000;
my @lin = grep { $_->{a} && $_->{s} < (kasan() ? $shadow_start : 0xffff800000000000) } @runs;
my $lin_bytes = 0;
$lin_bytes += $_->{e} - $_->{s} for @lin;
is($lin_bytes, 0x3c000000, 'the linear map covers the 960 MiB of RAM');
is(scalar(grep { $_->{a} !~ /MEM\/NORMAL$|MEM\/NORMAL -> / || $_->{a} !~ / RW NX / } @lin), 0, 'RAM is RW NX MEM/NORMAL');
is(scalar(grep { $_->{pa} != $_->{s} - 0xffff000000000000 } @lin), 0, 'linear map: PA = VA - PAGE_OFFSET');
is(scalar(grep { $_->{lvl} ne 'PMD' && $_->{lvl} ne 'PUD' } @lin), 0, 'linear map in blocks only');

# KASAN: 1 shadow byte per 8 at Linux's offset. Two mapped runs between the markers: the linear
# map's shadow (RAM/8, the top of RAM that memblock reserved) and the image's (head.S's 2 MiB block).
if (kasan()) {
    my $shadow_of = sub { ($_[0] >> 3) + 0xdfff800000000000 };
    my ($sh) = $dump =~ /^---\[ Kasan shadow start \]---\n(.*?)^---\[ Kasan shadow end \]---$/ms;
    my @sh = grep { $_->{a} && $_->{s} >= $shadow_start && $_->{s} < 0xffff800000000000 } @runs;
    is(scalar(@sh), 2, 'KASAN: two shadow runs, the linear map\'s and the image\'s') or diag($sh // $dump);
    my ($ls, $is) = @sh;
    ok($ls && $ls->{s} == $shadow_start && $ls->{e} - $ls->{s} == $lin_bytes / 8,
       sprintf("KASAN: the linear map's shadow: %d MiB (RAM/8) at KASAN_SHADOW_START", $lin_bytes / 8 >> 20))
        or diag($ls ? $ls->{line} : 'none');
    ok($ls && $ls->{pa} == $lin_bytes - $lin_bytes / 8, "KASAN: ... in the last eighth of RAM (memblock's kasan-shadow)");
    ok($is && $is->{s} <= $shadow_of->($sym{_text}) && $shadow_of->($sym{_end}) <= $is->{e} && $is->{e} - $is->{s} == 0x200000,
       "KASAN: the image's shadow: one 2 MiB block covering the shadow of _text.._end") or diag($is ? $is->{line} : 'none');
    is(scalar(grep { $_->{a} !~ / RW NX / || $_->{a} !~ /MEM\/NORMAL -> / || $_->{lvl} ne 'PMD' } grep { defined } $ls, $is), 0,
       'KASAN: both shadows RW NX MEM/NORMAL 2 MiB blocks');
}

# Devices.
my @dev = grep { $_->{a} && $_->{s} >= 0xfffffe0000000000 && $_->{s} < 0xfffffe0002000000 } @runs;
ok((grep { $_->{pa} == 0x3f000000 && $_->{e} - $_->{s} == 0x1000000 && $_->{a} =~ /DEVICE\/nGnRE / } @dev),
   'peripherals 0x3f000000 (16 MiB) Device-nGnRE at PERIPH_VADDR');
ok((grep { $_->{pa} == 0x40000000 && $_->{e} - $_->{s} == 0x40000 && $_->{a} =~ /DEVICE\/nGnRnE / } @dev),
   'ARM-local block 0x40000000 (256 KiB) Device-nGnRnE after them');
is(scalar(grep { $_->{a} =~ / x  / } @dev), 0, 'device memory is execute-never');

# The kernel image: text at the PA the ELF says, read-only executable up to _etext, NX after.
my ($t0) = grep { $_->{s} == $sym{_text} } @runs;
ok($t0 && $t0->{pa} == $text_pa, sprintf('kernel text at PA 0x%x (from nm _text)', $text_pa));
my @text = grep { $_->{a} && $_->{s} >= $sym{_text} && $_->{e} <= $sym{_etext} } @runs;
my $tb = 0;
$tb += $_->{e} - $_->{s} for @text;
is($tb, $sym{_etext} - $sym{_text}, 'text is mapped from _text to _etext');
is(scalar(grep { $_->{a} !~ / ro x  / } @text), 0, 'text is ro and executable');
my @after = grep { $_->{a} && $_->{s} >= $sym{_etext} && $_->{s} < 0xffff800010000000 } @runs;
ok(@after && !grep({ $_->{a} !~ / NX / } @after), 'rodata, data and bss are NX');

# walk of a text address agrees with the dump.
my ($w) = $out =~ /^pagoda# walk $walk_va\n(.*?)^pagoda# /ms;
my ($wva, $wpa, $wattr) = ($w // '') =~ /^VA 0x([0-9a-f]+) -> PA 0x([0-9a-f]+): 4K page: (.*)$/m;
ok(defined $wpa, 'walk of a text address reaches a 4K page') or diag($w // $out);
my $va = $sym{_text} + 0x1234;
my ($run) = grep { $_->{a} && $_->{s} <= $va && $va < $_->{e} } @runs;
ok($run && defined $wpa && hex($wpa) == $run->{pa} + ($va - $run->{s}), 'walk PA = dump PA + offset');
(my $squeezed = $run ? $run->{a} : '') =~ s/ -> .*//;
$squeezed =~ s/\s+/ /g;
$squeezed =~ s/^ //;
is($wattr, $squeezed, 'walk attributes = dump attributes');
is(scalar(() = ($w // '') =~ /^(PGD|PUD|PMD|PTE)\[\s*\d+\] table 0x[0-9a-f]{16} entry 0x[0-9a-f]{16}: /mg), 4,
   'walk shows index, table and entry at each of the 4 levels');

# Address 0 is not mapped; bad arguments get the usage line.
like($out, qr/^VA 0x0000000000000000 is outside the page tables .*TTBR0, which is empty/m, 'walk 0: nothing maps the lower half');
like($out, qr/^walk: 'nonsense' is not a virtual address\nusage: walk VA$/m, 'walk with a bad argument prints the usage');
# Nothing wraps: a negative or a 65-bit number is refused (as x86 refuses them), and fails the command.
like($out, qr/^pagoda# walk -1\nwalk: '-1' is not a virtual address: negative\nusage: walk VA$/m, 'walk -1 is refused');
like($out, qr/^pagoda# walk 0x1ffffffffffffffff\nwalk: '0x1ffffffffffffffff' is not a virtual address: wider than 64 bits\nusage: walk VA$/m,
     'walk of a 65-bit number is refused, not wrapped');
like($out, qr/^\[\s*\d+\.\d+\] run: 3 command\(s\) failed; powering off$/m,
     'the three bad walks fail; every other command succeeds');
# Between the halves: non-canonical, not TTBR0's.
my ($nc) = $out =~ /^pagoda# walk 1000000000000\n(.*?)^pagoda# /ms;
like($nc // '', qr/^VA 0x0001000000000000 is outside the page tables \(0xffff000000000000-0xffffffffffffffff\): non-canonical: /m,
     'walk 0x0001000000000000: non-canonical');
unlike($nc // '', qr/TTBR0, which is empty/, '... and not explained as TTBR0\'s');
my ($pt_kb) = $out =~ /^PageTables:\s+(\d+) kB$/m;
my ($now) = $out =~ /^ptdump: (\d+) table pages, \d+ lines/m;
ok(defined $now && $now >= ($tables // 1e9), 'later users (vmalloc, fixmap) only add table pages');
is($pt_kb, defined $now ? $now * 4 : -1, '/proc/meminfo PageTables: counts the kernel table pages in use');

# Writing to kernel text: a decoded permission fault, and the shell survives.
($out, $st) = qemu_arm64(append => 'run="fault write-text; echo survived; fault null; echo survived-again"');
like($out, qr/Unable to handle kernel paging request at virtual address ffff8000080[0-9a-f]+/, 'write to text faults');
like($out, qr/FSC = 0x0f: level 3 permission fault/, 'decoded as a level 3 permission fault');
like($out, qr/WnR = 1/, 'decoded as a write');
like($out, qr/FSC = 0x04: level 0 translation fault/, 'address 0: level 0 translation fault (TTBR0 empty)');
like($out, qr/^survived-again$/m, 'the shell survives both faults');

done_testing();
