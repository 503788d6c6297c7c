#!/usr/bin/perl
# x86.t: the PAE kernel on qemu-system-i386 (Multiboot) at -m 512, 2048 and 6G: zones, dump, kmap, faults, exit status.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;
my $elf = 'build/x86/kernel.elf';
plan skip_all => "$elf not built (make ARCH=x86)" unless -e $elf;

# boot_x86(MEM, RUN, CPU, TIMEOUT): boots the Multiboot ELF with run="RUN". isa-debug-exit makes
# QEMU exit with (status << 1) | 1, so the kernel's status is exit >> 1 and bit 0 says it got there.
sub boot_x86 {
    my ($mem, $run, $cpu, $timeout) = @_;
    my ($out, $st, $to) = qemu_x86(mem => $mem, cpu => $cpu, append => "run=\"$run\"", timeout => $timeout // 60);
    diag("QEMU -m $mem timed out") if $to;
    return ($out, $st);
}

my %sym;
for (`i686-linux-gnu-nm $elf`) {
    $sym{$3} = hex($1) if /^([0-9a-f]+) (\S) (\S+)$/;
}
ok(exists $sym{_text} && exists $sym{_etext} && exists $sym{__end_rodata}, 'nm finds _text, _etext, __end_rodata');

# cat_file(OUT, PATH): what `cat PATH` printed, up to the next prompt.
sub cat_file {
    my ($out, $path) = @_;
    my ($t) = $out =~ /^pagoda# cat \Q$path\E\n(.*?)^(?:pagoda# |\[)/ms;
    return $t // '';
}

# parse_dump(DUMP): the runs of Linux's x86 format; returns (runs, malformed lines, markers).
my $attr = qr/ (USR|   ) (RW|ro) (?:PWT|   ) (?:PCD|   ) (PSE|   )     (GLB|   ) (NX|x )/;
sub parse_dump {
    my ($dump) = @_;
    my (@runs, @bad, @markers);
    my $prev = 0;
    for my $l (split /\n/, $dump) {
        if ($l =~ /^---\[ (.*) \]---$/) {
            push @markers, $1;
            next;
        }
        my ($s, $e, $n, $u, $a, $lvl, $pa);
        if ($l =~ /^0x([0-9a-f]{8})-0x([0-9a-f]{8})   ([ \d]{8}\d)([KMG])($attr) (pgd|pmd|pte) -> 0x([0-9a-f]{16})$/) {
            ($s, $e, $n, $u, $a, $lvl, $pa) = (hex $1, hex $2, $3, $4, $5, $11, hex $12);
        } elsif ($l =~ /^0x([0-9a-f]{8})-0x([0-9a-f]{8})   ([ \d]{8}\d)([KMG]) {30} (pgd|pmd|pte)$/) {
            ($s, $e, $n, $u, $lvl) = (hex $1, hex $2, $3, $4, $5);
        } else {
            push @bad, $l;
            next;
        }
        my $len = ($e || 2**32) - $s;
        push @bad, "size column wrong: $l" if $len != $n * { K => 1 << 10, M => 1 << 20, G => 1 << 30 }->{$u};
        push @bad, "not contiguous: $l" if $s != $prev;
        $prev = $e;
        push @runs, { s => $s, e => $e || 2**32, a => $a, lvl => $lvl, pa => $pa, line => $l };
    }
    push @bad, 'the runs do not reach the top of the address space' if $prev != 0;
    return (\@runs, \@bad, \@markers);
}

# ---- -m 512: no HighMem; the dump, faults, the exit status --------------------------------
my $rodata = sprintf('%x', $sym{_etext});
my ($out, $st) = boot_x86(512, 'cat /proc/meminfo; cat /proc/buddyinfo; cat /sys/kernel/debug/kernel_page_tables; '
                          . "fault write-null; fault write-rodata; fault exec-data; echo shell survived; poweroff 5");
is($st, (5 << 1) | 1, 'poweroff 5 ends QEMU with (5 << 1) | 1 through isa-debug-exit');
like($out, qr/^\[\s*\d+\.\d{6}\] NX \(Execute Disable\) protection: active$/m, 'timestamped log; NX on (Nehalem)');
like($out, qr/Checked W\+X mappings: passed, no W\+X pages found/, 'boot-time W^X check passed');
is(meminfo_kb($out, 'HighTotal'), 0, '-m 512: HighTotal 0 kB');
is(meminfo_kb($out, 'LowTotal'), meminfo_kb($out, 'MemTotal'), '-m 512: LowTotal = MemTotal');
my $bi = cat_file($out, '/proc/buddyinfo');
like($bi, qr/^Node 0, zone      DMA( +\d+){11} $/m, 'buddyinfo: DMA zone');
like($bi, qr/^Node 0, zone   Normal( +\d+){11} $/m, 'buddyinfo: Normal zone');
unlike($bi, qr/HighMem/, 'buddyinfo: no HighMem zone at -m 512');

my ($runs, $bad, $markers) = parse_dump(cat_file($out, '/sys/kernel/debug/kernel_page_tables'));
is_deeply($markers, ['User Space', 'Kernel Mapping', 'vmalloc() Area', 'vmalloc() End',
                     'Persistent kmap() Area', 'Fixmap Area'], "Linux's x86 markers, in order")
    or diag(join("\n", @$markers));
is(scalar @$bad, 0, 'every line is a marker or a well-formed, contiguous run in the x86 columns')
    or diag(join("\n", @$bad));
my @mapped = grep { $_->{a} } @$runs;
is(scalar(grep { $_->{s} < 0xc0000000 } @mapped), 0, 'nothing mapped in user space (NULL faults)');
is(scalar(grep { $_->{a} =~ / RW .* x $/ } @mapped), 0, 'no line is both RW and executable');
is(scalar(grep { $_->{a} !~ /GLB/ } @mapped), 0, 'kernel mappings are global');
my @lin = grep { $_->{s} >= 0xc0000000 && $_->{s} < 0xf8000000 } @mapped;
is(scalar(grep { $_->{pa} != $_->{s} - 0xc0000000 } @lin), 0, 'lowmem: PA = VA - PAGE_OFFSET');
my $pse = 0;
$pse += $_->{e} - $_->{s} for grep { $_->{lvl} eq 'pmd' } @lin;
ok($pse >= 400 << 20, sprintf('lowmem mostly in 2 MiB PSE pages (%d MiB)', $pse >> 20));
is(scalar(grep { $_->{lvl} eq 'pmd' && $_->{a} !~ /PSE/ } @lin), 0, 'every pmd leaf is PSE');
my ($text) = grep { $_->{s} == $sym{_text} } @lin;
ok($text && $text->{e} == $sym{_etext} && $text->{a} =~ / ro .* x $/, 'kernel text: ro, executable, _text.._etext')
    or diag($text ? $text->{line} : 'no run at _text');
my ($ro) = grep { $_->{s} == $sym{_etext} } @lin;
ok($ro && $ro->{a} =~ / ro .* NX$/, 'rodata after _etext: ro NX') or diag($ro ? $ro->{line} : 'none');

like($out, qr/BUG: kernel NULL pointer dereference, address: 00000008\n.*#PF: supervisor write access in kernel mode\n.*#PF: error_code\(0x0002\) - not-present page/,
     'write to address 8: NULL dereference, supervisor write, not-present page');
like($out, qr/BUG: unable to handle page fault for address: $rodata\n.*#PF: supervisor write access in kernel mode\n.*#PF: error_code\(0x0003\) - permissions violation/,
     'write to rodata: the address, a permissions violation');
like($out, qr/kernel tried to execute NX-protected page.*\n.*\n.*#PF: supervisor instruction fetch in kernel mode/,
     'execute from data: NX reported as an instruction fetch');
like($out, qr/^\[\s*\d+\.\d+\] EAX: [0-9a-f]{8} EBX: [0-9a-f]{8} ECX: [0-9a-f]{8} EDX: [0-9a-f]{8}$/m, 'registers printed');
like($out, qr/^pagoda# echo shell survived\nshell survived$/m, 'the shell survives the faults');

# ---- walk: a text address level by level; arguments that are not a VA fail, nothing wraps ----
my $wva = sprintf('%x', $sym{_text} + 0x1234);
($out, $st) = boot_x86(512, "walk $wva; walk -1; walk 0x1ffffffffffffffff; walk 1ffffffff; walk nonsense");
my ($w) = $out =~ /^pagoda# walk $wva\n(.*?)^pagoda# /ms;
is(scalar(() = ($w // '') =~ /^(pgd|pmd|pte)\[\s*\d+\] table 0x[0-9a-f]{16} entry 0x[0-9a-f]{16}: /mg), 3,
   'walk shows index, table and entry at each of the 3 PAE levels');
my $wline = sprintf('VA 0x%016x -> PA 0x%016x: 4K page: ro GLB x', $sym{_text} + 0x1234, $sym{_text} + 0x1234 - 0xc0000000);
like($w // '', qr/^\Q$wline\E$/m,
     'walk of a text address: PA = VA - PAGE_OFFSET, ro GLB executable 4K page') or diag($w // $out);
like($out, qr/^pagoda# walk -1\nwalk: '-1' is not a virtual address: negative\nusage: walk VA$/m, 'walk -1 is refused');
like($out, qr/^pagoda# walk 0x1ffffffffffffffff\nwalk: '0x1ffffffffffffffff' is not a virtual address: wider than 32 bits\nusage: walk VA$/m,
     'walk of a 65-bit number is refused');
like($out, qr/^pagoda# walk 1ffffffff\nwalk: '1ffffffff' is not a virtual address: wider than 32 bits\nusage: walk VA$/m,
     'walk of a 33-bit number is refused');
like($out, qr/^\[\s*\d+\.\d+\] run: 4 command\(s\) failed; powering off$/m, 'the four bad walks fail, the good one does not');
isnt($st, 1, 'the run ends with a failing status');

# ---- -m 2048: lowmem + HighMem below 4 GiB; kmap -------------------------------------------
($out, $st) = boot_x86(2048, 'cat /proc/meminfo; cat /proc/buddyinfo; cat /proc/zoneinfo; '
                       . 'cat /sys/kernel/debug/kernel_page_tables; '
                       . 'selftest highmem,pgtable,pgalloc,pae_format');
is($st, 1, '-m 2048: all commands succeed (status 0)');
my ($high, $low) = (meminfo_kb($out, 'HighTotal'), meminfo_kb($out, 'LowTotal'));
ok($high && $high > 1100 * 1024 && $high < 1200 * 1024, "-m 2048: HighTotal ${\($high // '?')} kB (RAM above 896 MiB)");
ok($low && $low > 850 * 1024 && $low <= 896 * 1024, "-m 2048: LowTotal ${\($low // '?')} kB (at most 896 MiB)");
is($high + $low, meminfo_kb($out, 'MemTotal'), 'HighTotal + LowTotal = MemTotal');
like(cat_file($out, '/proc/buddyinfo'), qr/^Node 0, zone  HighMem( +\d+){11} $/m, 'buddyinfo: HighMem zone');
my %start = cat_file($out, '/proc/zoneinfo') =~ /^Node 0, zone\s+(\w+)\n.*?^  start_pfn:\s+(\d+)$/msg;
is_deeply(\%start, { DMA => 0, Normal => 4096, HighMem => 229376 },
          'zoneinfo: DMA from PFN 0, Normal from 16 MiB, HighMem from 896 MiB')
    or diag(join(' ', %start));
($runs, $bad) = parse_dump(cat_file($out, '/sys/kernel/debug/kernel_page_tables'));
is(scalar @$bad, 0, '-m 2048: the dump is well formed') or diag(join("\n", @$bad));
my ($last) = sort { $b->{e} <=> $a->{e} } grep { $_->{a} && $_->{s} < 0xf8000000 } @$runs;
is($last && $last->{e}, 0xf8000000, 'lowmem mapped up to PAGE_OFFSET + 896 MiB');
like($out, qr/^    ok \d+ kmap_refcount_lazy$/m, 'kmap is reference-counted and flushed lazily');
like($out, qr/^    ok \d+ kmap_local_nesting$/m, 'kmap_local nests strictly');
like($out, qr/^    ok \d+ kmap_slots_exhausted$/m, 'with every pkmap slot held kmap reports and fails cleanly');
like($out, qr/^ok \d+ pae_format$/m, 'PAE entry bits match the SDM in the kernel too');
like($out, qr/^    ok \d+ kmap_pattern_above_4g # SKIP/m, 'no RAM above 4 GiB at -m 2048: that case skips');
like($out, qr/^ok \d+ pgtable$/m, 'page-table conformance suite passes in the PAE kernel');
like($out, qr/^    ok \d+ buddy_tables_are_lowmem$/m, 'with HighMem present, table pages still come from lowmem');

# ---- -m 6G: RAM above 4 GiB, reached only through PAE and kmap; every suite ------------------
($out, $st) = boot_x86('6G', 'cat /sys/kernel/debug/memblock/memory; cat /proc/meminfo; selftest', undef, 360);
is($st, 1, '-m 6G: selftest passes (status 0)');
like(cat_file($out, '/sys/kernel/debug/memblock/memory'), qr/^\s+\d+: 0x00000001[0-9a-f]{8}\.\.0x00000001[0-9a-f]{8}$/m,
     'memblock has RAM above 4 GiB');
$high = meminfo_kb($out, 'HighTotal');
ok($high && $high > 5 * 1024 * 1024, "-m 6G: HighTotal ${\($high // '?')} kB includes RAM above 4 GiB");
like($out, qr/# kmap_pattern_above_4g: PA 0x1[0-9a-f]{8}-0x1[0-9a-f]{8}: 1024 pages written and read back/,
     'kmap wrote and read patterns in pages above 4 GiB');
like($out, qr/^    ok \d+ kmap_pattern_above_4g$/m, 'kmap_pattern_above_4g passed (not skipped)');
my @fails = $out =~ /^((?:    )?not ok .*)$/mg;
is(scalar @fails, 0, 'no KTAP case failed') or diag(join("\n", @fails));

# ---- the bench table: `bench list` names every registered bench, `bench page_alloc` runs -------
# (i386 once walked the link-time table with the wrong stride: "(null)" names and an Oops)
my @benches = sort map { /^__bench_(\w+)$/ ? $1 : () } keys %sym;
ok(@benches >= 4, "nm finds the registered benches (@benches)");
($out, $st) = boot_x86(512, 'bench list; bench page_alloc', undef, 120);
is($st, 1, 'bench list; bench page_alloc: status 0');
my ($list) = $out =~ /^pagoda# bench list\n(.*?)^pagoda# /ms;
my @listed = sort map { /^  (\S+)\s/ ? $1 : () } split /\n/, $list // '';
is_deeply(\@listed, \@benches, 'bench list names every bench, once each') or diag($list // $out);
unlike($out, qr/\(null\)|Unable to handle|Oops|BUG: |#PF: /, 'no (null) name, no fault');
like($out, qr/^workload\s+per-CPU lists\s+buddy only$/m, 'bench page_alloc prints its table header');
like($out, qr/^order-9 alloc_pages\+__free_pages\s+\d+\.\d\s+\d+\.\d$/m, 'bench page_alloc prints a row for order 9');
unlike($out, qr/^order-\d.*\s0\.0(?:\s|$)/m, 'no row claims 0 ns');

# ---- a CPU without NX: no NX bit is ever set (it would be a reserved bit) --------------------
($out, $st) = boot_x86(512, 'fault write-null; echo no-nx ok', 'pentium3');
like($out, qr/NX \(Execute Disable\) protection: not available/, 'pentium3: NX not available');
like($out, qr/Checked W\+X mappings: skipped, the CPU has no NX/, 'pentium3: W+X check skipped, as Linux does');
like($out, qr/^no-nx ok$/m, 'pentium3: boots to the shell and survives a fault');
is($st, (1 << 1) | 1, 'pentium3: status 1 (the faulting command counts as failed)');

# QEMU puts the image's path first on the Multiboot command line: it is not a parameter.
{
    my ($out, $st) = boot_x86(256, 'cat /proc/cmdline');
    like($out, qr/^run="?cat \/proc\/cmdline"?$/m, '/proc/cmdline holds the parameters, not the image path');
    unlike($out, qr/Unknown kernel command line parameters/, 'no unknown-parameter line for a plain boot');
}

# Typed before the kernel is ready: every byte is kept. Clearing the FIFOs at init lost the byte
# waiting in COM1 ("cat" arrived as "at"), and, with that byte read out first, one arriving just
# before the clear ("echo" became "eho" under load); the driver now leaves the FIFOs as found.
{
    # Ten bytes at once, before the kernel is up (fewer than the 16550's FIFO holds); the rest later.
    my ($out, $st, $to) = run_dialog(60, [[qr/^/, "echo kept\n"], [qr/^kept\r?$/m, "poweroff 4\n"]], 'qemu-system-i386',
        '-m', 256, '-kernel', $elf, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    like($out, qr/^kept$/m, 'input typed during boot keeps its first byte');
    is($st, (4 << 1) | 1, '... and the shell runs what follows');
}

done_testing();
