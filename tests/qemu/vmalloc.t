#!/usr/bin/perl
# vmalloc.t: vmalloc, ioremap, fixmap, coherent DMA and the mailbox on raspi3b, as a person would check them.
use strict;
use warnings;
no warnings 'portable';    # 64-bit addresses
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $suites = 'vmalloc,vmap_area,ioremap,fixmap,dma,rpi_firmware';
# The KASAN kernel (PAGODA_KASAN=1) reports `fault vmalloc-guard`'s write before it faults (the
# guard page's shadow is poisoned): each boot that runs it must print that report, once.
my @guard_report = (qr/^BUG: KASAN: vmalloc-out-of-bounds in fault_vmalloc_guard\+/);
my ($out, $st, $to) = qemu_arm64(
    timeout => 120, kasan_reports => \@guard_report,
    append => "run=\"cat /proc/vmallocinfo; fault vmalloc-guard; echo survived; selftest $suites; "
            . "cat /proc/vmallocinfo; cat /sys/kernel/debug/kernel_page_tables; "
            . "cat /sys/kernel/debug/rpi_firmware; cat /proc/meminfo\"");
ok(!$to, 'the boot finished (no timeout)');

# What one command printed: everything from its echo to the next prompt (the n-th time it ran).
sub section {
    my ($cmd, $n) = @_;
    my @all = $out =~ /^pagoda# \Q$cmd\E\n(.*?)(?=^pagoda# |^\[\s*\d+\.\d+\] run: )/msg;
    return $all[$n // 0] // '';
}

# 1. The suites, in the kernel.
for my $s (split /,/, $suites) {
    like($out, qr/^ok \d+ \Q$s\E$/m, "KTAP suite $s passes in the kernel");
}

# 2. /proc/vmallocinfo: Linux's columns, sizes that add up, the drivers on ioremap.
my $info = section('cat /proc/vmallocinfo', 0);
my (@areas, @bad);
for my $l (split /\n/, $info) {
    if ($l =~ /^0x([0-9a-f]{16})-0x([0-9a-f]{16}) +(\d+) ([\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+|0x[0-9a-f]+)( pages=\d+)?( phys=0x[0-9a-f]{16})? (ioremap|vmalloc|vmap|dma-coherent)$/) {
        push @bad, "size is not end - start: $l" if hex($2) - hex($1) != $3;
        push @areas, { s => hex $1, e => hex $2, line => $l, kind => $7 };
    } else {
        push @bad, $l;
    }
}
ok(@areas >= 4, 'vmallocinfo lists the boot-time areas (' . scalar(@areas) . ')');
is(scalar @bad, 0, 'every vmallocinfo line is well-formed') or diag(join("\n", @bad));
my @sorted = sort { $a->{s} <=> $b->{s} } @areas;
my @overlap = grep { $sorted[$_]{s} < $sorted[$_ - 1]{e} } 1 .. $#sorted;
is(scalar @overlap, 0, 'no two areas overlap');
for my $dev ([ '3f201000', 'PL011' ], [ '3f215000', 'mini UART' ], [ '3f00b000', 'mailbox' ]) {
    like($info, qr/ 8192 \S+ phys=0x00000000$dev->[0] ioremap$/m, "the $dev->[1] registers are ioremap'd");
}
like($info, qr/ 8192 arch_ioremap_devices\+0x[0-9a-f]+\/0x[0-9a-f]+ phys=0x000000003f201000 ioremap$/m,
     'the caller column names the function (as Linux %pS)');
like($info, qr/ pages=1 phys=0x[0-9a-f]{16} dma-coherent$/m, 'the mailbox message lives in a coherent DMA buffer');
my ($pl011_va) = $info =~ /^0x([0-9a-f]{16})-0x[0-9a-f]{16} +8192 \S+ phys=0x000000003f201000 ioremap$/m;
my ($dma_va, $dma_pa) = $info =~ /^0x([0-9a-f]{16})-\S+ +\d+ \S+ pages=1 phys=0x([0-9a-f]{16}) dma-coherent$/m;

# The consoles: on early_ioremap windows (fixmap) from paging_init, on ioremap after vmalloc_init.
my ($e_pl, $e_aux) = $out =~ /console: PL011 at 0x([0-9a-f]+), mini UART at 0x([0-9a-f]+) \(early_ioremap, fixmap\)$/m;
my ($l_pl, $l_aux) = $out =~ /console: PL011 at 0x([0-9a-f]+), mini UART at 0x([0-9a-f]+) \(ioremap\)$/m;
ok(defined $e_pl && hex($e_pl) >= 0xffffffffffc00000 && hex($e_aux) >= 0xffffffffffc00000,
   'before the buddy, the consoles write through the fixmap');
ok(defined $l_pl && $l_pl eq ($pl011_va // '') =~ s/^0+//r, "after vmalloc_init, the PL011 uses its ioremap area");
ok(defined $e_pl && $out =~ /console: .*\(early_ioremap, fixmap\)\n(?:.*\n)*?.*Memory: /,
   'the consoles move to the fixmap before the buddy exists (the Memory: line comes later)');

# 3. The guard page: the fault names its area, the shell survives, the area is still listed.
my $fault = section('fault vmalloc-guard');
my ($far) = $fault =~ /Unable to handle kernel paging request at virtual address ([0-9a-f]{16})$/m;
ok(defined $far, 'touching the guard page is a paging request fault');
my ($x, $a0, $a1, $caller) = $fault =~
    /vmalloc: ([0-9a-f]{16}) is in the guard page of the vmalloc area 0x([0-9a-f]+)-0x([0-9a-f]+) \(8192 bytes, pages=1, caller (\S+)\)$/m;
ok(defined $x, 'the report names the vmalloc area of the guard page') or diag($fault);
if (defined $x) {
    is($x, $far // '', 'the named address is the faulting one');
    like($caller, qr/^fault_vmalloc_guard\+0x[0-9a-f]+\/0x[0-9a-f]+$/, 'the caller is the function that vmalloc()ed');
    is(hex($x), hex($a0) + 4096, 'the fault is on the page right after the one-page area');
    is(hex($a1), hex($a0) + 8192, 'the area spans the page and its guard');
}
like($fault, qr/FSC = 0x07: level 3 translation fault/, 'the guard is an unmapped PTE (level 3 translation fault)');
like($out, qr/^pagoda# echo survived\nsurvived$/m, 'the shell runs the next command');
my $info2 = section('cat /proc/vmallocinfo', 1);
ok(defined $a0 && $info2 =~ /^0x0*\Q$a0\E-0x0*\Q$a1\E +8192 \Q$caller\E pages=1 vmalloc$/m,
   'the faulting area is in vmallocinfo with the same caller');

# 4. The page-table dump: content between the vmalloc and fixmap markers, with the right types.
my $dump = section('cat /sys/kernel/debug/kernel_page_tables');
my ($vm) = $dump =~ /^---\[ vmalloc\(\) area \]---\n(.*?)^---\[ vmalloc\(\) end \]---$/ms;
my ($fix) = $dump =~ /^---\[ Fixmap start \]---\n(.*?)^---\[ Fixmap end \]---$/ms;
ok(defined $vm && defined $fix, 'the dump has the vmalloc() and Fixmap markers');
$vm //= '';
$fix //= '';
like($vm, qr/^0x\Q$pl011_va\E-\S+ +4K PTE +RW NX +AF +UXN +DEVICE\/nGnRE -> 0x000000003f201000$/m,
     'the PL011 page is Device-nGnRE, RW, NX in the vmalloc area') if $pl011_va;
like($vm, qr/^0x\Q$dma_va\E-\S+ +4K PTE +RW NX SHD AF +UXN +MEM\/NORMAL-NC -> 0x\Q$dma_pa\E$/m,
     'the DMA buffer is Normal non-cacheable') if $dma_va;
my ($dtb_pa) = $out =~ /DTB: at 0x([0-9a-f]{16}), \d+ bytes/;
like($fix, qr/ ro NX SHD AF +UXN +MEM\/NORMAL -> 0x\Q$dtb_pa\E$/m, 'the DTB is mapped read-only in the fixmap')
    if $dtb_pa;
unlike($vm . $fix, qr/ RW x /, 'nothing in vmalloc or the fixmap is writable and executable');

# 5. The mailbox answers, against the device tree the kernel was given.
my $fw = section('cat /sys/kernel/debug/rpi_firmware');
my ($dt_mib) = $out =~ /OF: fdt: 1 memory region\(s\), (\d+) MiB/;
like($fw, qr/^ARM memory: +0x00000000-0x([0-9a-f]{8}) \((\d+) MiB\)$/m, 'the firmware reports the ARM memory');
my ($arm_mib) = $fw =~ /^ARM memory: .* \((\d+) MiB\)$/m;
is($arm_mib, $dt_mib, 'mailbox and DTB agree on the ARM memory') if defined $dt_mib;
like($fw, qr/^board revision: +0x00a02082 \(Raspberry Pi 3 Model B rev 1\.2, 1024 MiB, BCM2837, Sony UK\)$/m,
     "QEMU's raspi3b board revision, decoded");
like($fw, qr/^VC memory: +0x3c000000-0x3fffffff \(64 MiB\)$/m, "the VideoCore's 64 MiB on top");
like($fw, qr/^firmware revision: +\d+ \(0x[0-9a-f]{8}\)$/m, 'a firmware revision');

# 6. meminfo counts the vmalloc pages.
my ($used) = section('cat /proc/meminfo') =~ /^VmallocUsed:\s+(\d+) kB$/m;
ok(defined $used && $used >= 4, 'VmallocUsed counts the leaked guard-test page (' . ($used // '?') . ' kB)');

# 7. walk agrees (a second boot with the same first command puts the guard at the same VA).
if ($pl011_va && defined $x) {
    my ($w) = qemu_arm64(kasan_reports => \@guard_report, append => sprintf('run="fault vmalloc-guard; walk %x; walk %s; walk %x"',
                                           hex($pl011_va) + 0x18, $x, hex($x) - 4096));
    like($w, qr/^VA 0x0*\Q${\ sprintf('%x', hex($pl011_va) + 0x18)}\E -> PA 0x000000003f201018: 4K page: RW NX AF UXN DEVICE\/nGnRE$/m,
         'walk: the PL011 ioremap is a Device-nGnRE page');
    like($w, qr/^VA 0x\Q$x\E: translation stops at PTE \(level 3 translation fault\)/m,
         'walk: the guard page is not mapped');
    like($w, qr/^VA 0x\Q${\ sprintf('%016x', hex($x) - 4096)}\E -> PA 0x[0-9a-f]{16}: 4K page: RW NX SHD AF UXN MEM\/NORMAL$/m,
         'walk: the page before it is the area, RW NX Normal');
}

# 9. SMP (real parallelism: -accel tcg,thread=multi): no CPU reads through a stale translation
#    after a remap, and areas made and freed on all four CPUs at once leave nothing behind.
{
    my ($so, $sst, $sto) = qemu_arm64(
        timeout => 240, extra => [@TCG_MULTI],
        append => 'run="selftest stale_tlb,vmalloc_torture; cat /proc/vmallocinfo"');
    ok(!$sto, 'SMP: the boot finished (no timeout)');
    like($so, qr/smp: Brought up 1 node, 4 CPUs$/m, 'SMP: four CPUs online');
    for my $c (qw(stale_vmalloc stale_ioremap vmap_ioremap_all_cpus vmalloc_vfree_all_cpus)) {
        like($so, qr/^    ok \d+ \Q$c\E$/m, "SMP: $c passes (not skipped)") or diag($so);
    }
    like($so, qr/^    ok \d+ stale_kmap # SKIP no highmem/m, 'SMP: kmap is the linear map on arm64: skipped with the reason');
    my ($ops) = $so =~ /# vmap_ioremap_all_cpus: (\d+) operations on 4 CPU\(s\)$/m;
    ok(defined $ops && $ops >= 4 * 150, 'SMP: the torture ran on the four CPUs (' . ($ops // '?') . ' operations)');
    my ($si) = $so =~ /^pagoda# cat \/proc\/vmallocinfo\n(.*?)(?=^\[\s*\d+\.\d+\] run: )/ms;
    my @odd = grep { !/^0x[0-9a-f]{16}-0x[0-9a-f]{16} +\d+ (\S+( pages=\d+)?( phys=0x[0-9a-f]{16})? (ioremap|vmalloc|vmap|dma-coherent)|unpurged vm_area)$/ }
              split /\n/, $si // '';
    ok(defined $si && !@odd, 'SMP: vmallocinfo after the run is well-formed') or diag(join("\n", @odd));
    my ($no) = qemu_arm64(timeout => 120, append => 'nosmp run="selftest stale_tlb"');
    like($no, qr/^    ok \d+ stale_vmalloc # SKIP needs a second CPU online/m, 'nosmp: the stale-TLB cases skip with the reason');
}

# 8. The same generic code on the x86 PAE kernel: suites, vmallocinfo's 32-bit columns, the guard fault.
SKIP: {
    skip 'build/x86/kernel.elf not built (make ARCH=x86)', 5 unless -e 'build/x86/kernel.elf';
    my ($xo) = run_timeout(120, undef, 'qemu-system-i386', '-m', '512', '-cpu', 'Nehalem,-lm,-syscall',
        '-kernel', 'build/x86/kernel.elf', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-append',
        'run="selftest vmalloc,vmap_area,ioremap,fixmap,dma; fault vmalloc-guard; echo alive; cat /proc/vmallocinfo"');
    my @ok = $xo =~ /^ok \d+ (vmalloc|vmap_area|ioremap|fixmap|dma)$/mg;
    is(scalar @ok, 5, 'x86: the five suites pass') or diag($xo);
    my ($xa, $xs, $xe) = $xo =~
        /^\[[^]]*\] vmalloc: ([0-9a-f]{8}) is in the guard page of the vmalloc area 0x([0-9a-f]{8})-0x([0-9a-f]{8}) \(8192 bytes/m;
    ok(defined $xa, 'x86: the #PF report names the vmalloc area');
    is(hex($xa // 0), hex($xs // 0) + 4096, 'x86: the fault is on the guard page');
    like($xo, qr/^pagoda# echo alive\nalive$/m, 'x86: the shell survives');
    like($xo, qr/^0x\Q${\($xs \/\/ 'none')}\E-0x[0-9a-f]{8}    8192 fault_vmalloc_guard\+0x[0-9a-f]+\/0x[0-9a-f]+ pages=1 vmalloc$/m,
         'x86: vmallocinfo prints 32-bit addresses and the caller');
}

done_testing();
