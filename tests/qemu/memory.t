#!/usr/bin/perl
# memory.t: memory discovery on raspi3b — DTB, mailbox, malformed DTB — and the /proc and memblock views agreeing.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use File::Temp qw(tempdir);
use Test::More;

my $dtb = 'build/deps/bcm2837-rpi-3-b.dtb';
-s arm64_image() or BAIL_OUT('no ' . arm64_image() . ' (run make)');
-s $dtb or BAIL_OUT("no $dtb (run tools/bootstrap)");
my $tmp = tempdir(CLEANUP => 1);
my @views = ('cat /sys/kernel/debug/memblock/memory', 'cat /sys/kernel/debug/memblock/reserved',
             'cat /proc/meminfo', 'cat /proc/buddyinfo', 'cat /proc/zoneinfo', 'cat /proc/iomem',
             'cat /sys/kernel/debug/page_alloc/verify', 'cat /proc/vmstat');

# The section of the output that a shell command printed.
sub section {
    my ($out, $cmd) = @_;
    return $out =~ /^pagoda# \Q$cmd\E\n(.*?)(?=^pagoda# |^\[|\z)/ms ? $1 : '';
}

# Regions "   N: 0x...base..0x...last [owner]" -> list of [base, end (exclusive), owner].
sub regions {
    my ($text) = @_;
    my @r;
    while ($text =~ /^\s*\d+: 0x([0-9a-f]{16})\.\.0x([0-9a-f]{16})(?: (\S+))?$/mg) {
        push @r, [hex($1), hex($2) + 1, $3 // ''];
    }
    return @r;
}

# Bytes of the reserved regions that lie inside memory, counted in whole pages as the buddy does.
sub reserved_in_memory {
    my ($mem, $rsv) = @_;
    my $bytes = 0;
    for my $m (@$mem) {
        for my $r (@$rsv) {
            my ($s, $e) = ($r->[0] > $m->[0] ? $r->[0] : $m->[0], $r->[1] < $m->[1] ? $r->[1] : $m->[1]);
            next if $s >= $e;
            $s &= ~0xfff;
            $e = ($e + 0xfff) & ~0xfff;
            $bytes += $e - $s;
        }
    }
    return $bytes;
}

sub meminfo {
    my ($out, $key) = @_;
    return section($out, 'cat /proc/meminfo') =~ /^\Q$key\E:\s+(\d+) kB$/m ? $1 : -1;
}

# check_views(LABEL, OUTPUT): the numbers every view gives must agree with each other.
sub check_views {
    my ($label, $out) = @_;
    my @mem = regions(section($out, $views[0]));
    my @rsv = regions(section($out, $views[1]));
    ok(@mem >= 1, "$label: memblock/memory lists RAM");
    my %owners = map { $_->[2] => 1 } @rsv;
    ok($owners{$_}, "$label: a reservation owned by '$_'") for qw(kernel spin-table mem_map);
    my $ram = 0;
    $ram += $_->[1] - $_->[0] for @mem;
    my $expect_kb = ($ram - reserved_in_memory(\@mem, \@rsv)) / 1024;
    my $total = meminfo($out, 'MemTotal');
    is($total, $expect_kb, "$label: MemTotal = memory - reserved (from the memblock dumps)");
    my $free = meminfo($out, 'MemFree');
    my $buddy = 0;
    if (section($out, 'cat /proc/buddyinfo') =~ /^Node 0, zone\s+DMA((?:\s+\d+){11})\s*$/m) {
        my @n = split ' ', $1;
        $buddy += $n[$_] * (4 << $_) for 0 .. 10;
    }
    ok($buddy <= $free && $free - $buddy < 4 * 400, "$label: buddyinfo ($buddy kB) matches MemFree ($free kB) but for per-CPU pages");
    my $zi = section($out, 'cat /proc/zoneinfo');
    like($zi, qr/^Node 0, zone      DMA\n  pages free     \d+\n        boost    0\n        min      \d+\n/m,
         "$label: zoneinfo in Linux's layout");
    is($zi =~ /^\s+managed\s+(\d+)$/m ? $1 * 4 : -1, $total, "$label: zoneinfo managed pages = MemTotal");
    check_pagesets($label, $zi);
    check_vmstat($label, section($out, 'cat /proc/vmstat'), $free, meminfo($out, 'PageTables'));
    my $io = section($out, 'cat /proc/iomem');
    like($io, qr/^00000000-3bffffff : System RAM\n  00080000-[0-9a-f]{8} : Kernel code\n  [0-9a-f]{8}-[0-9a-f]{8} : Kernel data$/m,
         "$label: /proc/iomem nests the kernel in System RAM");
    my $v = section($out, 'cat /sys/kernel/debug/page_alloc/verify');
    like($v, qr/^zone      DMA: ok, \d+ pages free/m, "$label: the buddy's invariant checker passes on the live allocator");
    unlike($v, qr/BROKEN/, "$label: no zone reported broken");
    diag(sprintf("%s: MemTotal %d kB, MemFree %d kB = %.2f%% of %d kB RAM (Linux: 901648 of 983040 kB = 91.72%%)",
                 $label, $total, $free, 100 * $free * 1024 / $ram, $ram / 1024));
    return ($ram, $total);
}

# The DMA zone's pagesets: one per online CPU (all four), in Linux's layout, with the Pi 3's sizes.
sub check_pagesets {
    my ($label, $zi) = @_;
    my ($dma) = $zi =~ /^(Node 0, zone      DMA\n.*?)(?=^Node |\z)/ms;
    my @cpus = ($dma // '') =~ /^    cpu: (\d+)\n              count: \d+\n              high:  378\n              batch: 63\n  vm stats threshold: \d+$/mg;
    is("@cpus", '0 1 2 3', "$label: zoneinfo shows each CPU's pageset (cpu/count/high/batch/threshold)");
}

# /proc/vmstat: "name value" lines with Linux's names; nr_free_pages agrees with MemFree
# (but for per-CPU pages), nr_page_table_pages with PageTables.
sub check_vmstat {
    my ($label, $vm, $free_kb, $pt_kb) = @_;
    my %v = $vm =~ /^([a-z_]+) (\d+)$/mg;
    my @lines = split /\n/, $vm;
    is(scalar(grep { !/^[a-z_]+ \d+$/ } @lines), 0, "$label: every /proc/vmstat line is 'name value'");
    ok(exists $v{$_}, "$label: /proc/vmstat has $_")
        for qw(nr_free_pages nr_slab_reclaimable nr_slab_unreclaimable nr_kernel_stack nr_page_table_pages
               pgalloc_dma pgfree nr_tlb_remote_flush nr_tlb_remote_flush_received nr_tlb_local_flush_all
               nr_tlb_local_flush_one);
    ok(!exists $v{pgalloc_high}, "$label: no pgalloc_high line without a HighMem zone");
    my $d = ($v{nr_free_pages} // -1e9) * 4 - $free_kb;
    ok(abs($d) < 4 * 400, "$label: vmstat nr_free_pages (${\ (($v{nr_free_pages} // 0) * 4)} kB) matches MemFree ($free_kb kB)");
    is(($v{nr_page_table_pages} // -1) * 4, $pt_kb, "$label: vmstat nr_page_table_pages = PageTables");
    cmp_ok($v{pgalloc_dma} // 0, '>', 0, "$label: pgalloc_dma counted the boot's allocations");
}

# 1. The real DTB, as QEMU passes it (QEMU rewrites /memory for the VideoCore's share).
system('qemu-system-aarch64', '-M', "raspi3b,dumpdtb=$tmp/qemu.dtb", '-dtb', $dtb, '-display', 'none',
       '-kernel', arm64_image()) == 0 or BAIL_OUT('qemu dumpdtb failed');
my @reg = split ' ', `fdtget -t x $tmp/qemu.dtb /memory reg`;
is(scalar @reg, 2, 'the DTB QEMU passes has one /memory range (1+1 cells)');
my ($out, $st) = qemu_arm64(append => 'run="' . join('; ', @views) . '"', timeout => 60);
is($st, 0, 'DTB boot: the views printed and QEMU exited with status 0');
like($out, qr/^\[[ \d.]+\] OF: fdt: 1 memory region\(s\), 960 MiB/m, 'DTB boot: memory came from the device tree');
my @mem = regions(section($out, $views[0]));
is_deeply([map { [$_->[0], $_->[1]] } @mem], [[hex($reg[0]), hex($reg[0]) + hex($reg[1])]],
          'DTB boot: memblock memory = the /memory node');
ok((grep { $_->[2] eq 'dtb' } regions(section($out, $views[1]))), 'DTB boot: the blob is reserved as "dtb"');
my ($ram_dtb, $total_dtb) = check_views('DTB boot', $out);
my ($dtb_rsv) = map { $_->[1] - $_->[0] } grep { $_->[2] eq 'dtb' } regions(section($out, $views[1]));
my $free = meminfo($out, 'MemFree');
if (!kasan()) {
    cmp_ok($free * 1024 / $ram_dtb, '>=', 0.985, 'DTB boot: at least 98.5% of RAM left to the buddy');
} else {
    # The KASAN kernel (PAGODA_KASAN=1) reserves the linear map's shadow, RAM/8, at the top of RAM,
    # and its image is ~4x the normal one (outline checks, globals' red zones): the buddy gets
    # ~86 % of RAM. The same 98.5 % holds for what is left once those two are set aside.
    my ($kib, $mib) = $out =~ /\] kasan: KernelAddressSanitizer initialized \(generic, outline\): shadow (\d+) KiB for (\d+) MiB of RAM/;
    is(($kib // -1) * 1024, $ram_dtb / 8, 'KASAN: the boot line states a shadow of RAM/8 (' . ($kib // '?') . ' KiB)');
    is(($mib // -1) << 20, $ram_dtb, "KASAN: ... for all of memblock's RAM");
    my @rsv = regions(section($out, $views[1]));
    my ($shadow) = grep { $_->[2] eq 'kasan-shadow' } @rsv;
    is_deeply($shadow ? [$shadow->[0], $shadow->[1]] : [], [$ram_dtb - $ram_dtb / 8, $ram_dtb],
              'KASAN: memblock reserves the last RAM/8 of RAM as "kasan-shadow"');
    like($out, qr/\] Memory: .*\b${\ ($ram_dtb \/ 8 \/ 1024)}K kasan-shadow\)$/m, 'KASAN: the Memory: line names it');
    my ($kernel) = map { $_->[1] - $_->[0] } grep { $_->[2] eq 'kernel' } @rsv;
    my $rest = $ram_dtb - $ram_dtb / 8 - ($kernel // 0);
    cmp_ok($free * 1024 / $rest, '>=', 0.985, sprintf('DTB boot: at least 98.5%% of RAM less the shadow and the %d KiB image '
           . 'left to the buddy (%.2f%%; %.2f%% of all RAM)', ($kernel // 0) / 1024, 100 * $free * 1024 / $rest,
           100 * $free * 1024 / $ram_dtb));
}

# 2. No DTB: the mailbox must give the same RAM.
($out, $st) = qemu_arm64(dtb => 0, input => join("\n", @views, 'poweroff', ''), timeout => 60);
is($st, 0, 'no DTB: the views printed and QEMU exited with status 0');
like($out, qr/memory: firmware mailbox: ARM memory 0x00000000-0x3bffffff \(960 MiB\)/, 'no DTB: the mailbox answered GET_ARM_MEMORY');
unlike($out, qr/WARNING: memory/, 'no DTB: no fallback to the default');
my ($ram_mbox, $total_mbox) = check_views('no DTB', $out);
is($ram_mbox, $ram_dtb, 'no DTB: the mailbox gives the same RAM as the DTB');
is(($total_mbox - $total_dtb) * 1024, $dtb_rsv // -1, 'no DTB: MemTotal differs from the DTB boot by exactly the reserved DTB');

# 3. A malformed DTB: a /reserved-memory child whose reg has 3 cells where 1+1 are expected
# (QEMU rebuilds /memory itself, so the damage goes where it does not look): one line, then the mailbox.
system('cp', "$tmp/qemu.dtb", "$tmp/bad.dtb") == 0 or die;
system('fdtput', '-c', "$tmp/bad.dtb", '/reserved-memory/bad@1000000') == 0 or die 'fdtput -c';
system('fdtput', '-t', 'x', "$tmp/bad.dtb", '/reserved-memory/bad@1000000', 'reg', '1000000', '1000', '0') == 0 or die;
($out, $st) = run_timeout(60, join("\n", $views[0], 'cat /proc/meminfo', 'poweroff', ''),
    'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', arm64_image(), '-dtb', "$tmp/bad.dtb",
    '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
$out = clean_output($out);
is($st, 0, 'malformed DTB: still boots to the shell and powers off');
my @lines = $out =~ /^(\[[ \d.]+\] OF: fdt: .*)$/mg;
is(scalar @lines, 1, 'malformed DTB: exactly one OF: fdt line');
like($lines[0] // '', qr/ignoring the device tree at 0x[0-9a-f]{16}: wrong cells: reserved-memory reg is 12 bytes, not a multiple of 8/,
     'malformed DTB: the line says what is wrong');
like($out, qr/firmware mailbox: ARM memory 0x00000000-0x3bffffff/, 'malformed DTB: fell back to the mailbox');
is_deeply([map { [$_->[0], $_->[1]] } regions(section($out, $views[0]))], [[0, 0x3c000000]],
          'malformed DTB: the map is the mailbox one, not the DTB one');

done_testing();
