#!/usr/bin/perl
# x86_smp.t: qemu-system-i386 -smp N — APs from the ACPI MADT, LAPIC tick and IPIs, the whole selftest and TLB shootdown on 4 CPUs, nosmp/maxcpus=, -smp 8.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;
my $elf = 'build/x86/kernel.elf';
plan skip_all => "$elf not built (make ARCH=x86)" unless -e $elf;

# QEMU's default for i386 guests is multi-threaded TCG: the vCPUs run in parallel on host
# threads. On a loaded 2-core host a vCPU spinning for another is slow, hence the deadlines.
my @qemu = ('qemu-system-i386', '-m', '512', '-cpu', 'Nehalem,-lm,-syscall', '-kernel', $elf,
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot', '-display', 'none',
            '-monitor', 'none', '-serial', 'stdio');

# boot(SMP, APPEND, [STEPS], [EXTRA]): returns (output, kernel status or -1); STEPS types at
# prompts; EXTRA: more QEMU arguments, or a -cpu to use instead of Nehalem.
sub boot {
    my ($smp, $append, $steps, $extra) = @_;
    my @base = @qemu;
    if ($extra && $extra->[0] eq '-cpu') {
        @base = map { $_ eq 'Nehalem,-lm,-syscall' ? $extra->[1] : $_ } @qemu;
        $extra = [];
    }
    my @cmd = (@base, '-smp', $smp, @{ $extra // [] }, '-append', $append);
    my ($out, $st, $to) = $steps ? run_dialog(400, $steps, @cmd) : run_timeout(400, undef, @cmd);
    diag("QEMU -smp $smp '$append' timed out") if $to;
    return ($out, ($st & 1) ? $st >> 1 : -1);
}

# cat_file(OUT, PATH, N): what the Nth (from 0) `cat PATH` printed, up to the next prompt or log line.
sub cat_file {
    my ($out, $path, $n) = @_;
    my @t = $out =~ /^pagoda# cat \Q$path\E\n(.*?)(?=^pagoda# |^\[)/msg;
    return $t[$n // 0] // '';
}

# interrupts(TEXT): { LABEL => [count per CPU] } and the number of CPU columns in the header.
sub interrupts {
    my ($t) = @_;
    my ($hdr) = $t =~ /^(\s+CPU0.*)$/m;
    my %rows;
    for (split /\n/, $t) {
        $rows{$1} = [split ' ', $2] if /^\s*([A-Z]{3}):((?:\s+\d+)+)/;
    }
    return (\%rows, $hdr ? scalar(() = $hdr =~ /CPU\d+/g) : 0);
}

sub processors { my ($out) = @_; return join(',', $out =~ /^processor\s*: (\d+)$/mg) }

# ---- -smp 4: the bring-up, the whole selftest on 4 CPUs, /proc/interrupts and /proc/cpuinfo -------
my $suites = 'smp_call spinlock x86_tlb x86_smpboot';
# The whole selftest runs on single-threaded TCG (see Pagoda.pm); the other boots keep QEMU's
# multi-threaded default, so the bring-up and the IPIs below happen in parallel.
my ($out, $st) = boot(4, "run=\"cat /proc/interrupts; selftest; cat /proc/interrupts; cat /proc/cpuinfo\"",
                      undef, [@TCG_SINGLE]);
is($st, 0, '-smp 4: boots, the whole selftest passes, status 0');
like($out, qr/\] smp: 4 CPUs in the ACPI MADT, local APIC at 0xfee00000\r?$/m, 'the CPUs come from the ACPI MADT');
like($out, qr/\] APIC: local APIC version 0x[0-9a-f]+ at 0xfee00000 \(ID 0x00\); 8259 PICs masked\r?$/m,
     'the boot CPU\'s local APIC is on and the 8259s masked');
like($out, qr/\] APIC timer: HZ 100, \d+ counts per tick/m, 'the APIC timer is calibrated for HZ 100');
like($out, qr/\] smp: Bringing up secondary CPUs \.\.\.\r?$/m, 'the boot CPU announces the bring-up');
for my $cpu (1 .. 3) {
    like($out, qr/\] CPU$cpu: Booted secondary processor 0x000000000$cpu \[0x[0-9a-f]{8}\]\r?$/m,
         "CPU$cpu: Linux's line with its APIC id and CPUID signature");
}
like($out, qr/\] smp: Brought up 1 node, 4 CPUs\r?$/m, 'four CPUs online');
my ($bootlog) = $out =~ /\A(.*?)Boot took/s;
unlike($bootlog // $out, qr/failed to come online|not started|malformed/, 'no CPU missing, no table refused');
like($out, qr/\] Memory: .*\b4K trampoline\b.*\b48K secondary-stack\b/, 'memblock shows the trampoline page and three AP stacks');
for my $s (split ' ', $suites) {
    like($out, qr/^ok \d+ \Q$s\E$/m, "selftest $s passes on 4 CPUs");
}
unlike($out, qr/^\s*not ok/m, 'no KTAP case fails');
like($out, qr/^\s+ok \d+ no_stale_translation_after_remap$/m, 'the stale-TLB case ran (not skipped) and passed');
like($out, qr/^\s+ok \d+ absent_cpu_is_left_out$/m, 'the never-answering AP case ran and passed');
my ($before, $ncol0) = interrupts(cat_file($out, '/proc/interrupts', 0));
my ($after, $ncol) = interrupts(cat_file($out, '/proc/interrupts', 1));
is($ncol0, 4, '/proc/interrupts has 4 CPU columns');
is(join(' ', sort keys %$after), 'CAL ERR LOC RES SPU TLB', "Linux's x86 rows: LOC SPU RES CAL TLB ERR");
is(join(' ', cat_file($out, '/proc/interrupts', 1) =~ /^\s*([A-Z]{3}):/mg), 'LOC SPU RES CAL TLB ERR', '... in that order');
for my $cpu (0 .. 3) {
    cmp_ok($after->{LOC}[$cpu] // 0, '>', $before->{LOC}[$cpu] // 0, "LOC grows on CPU$cpu");
}
for my $cpu (1 .. 3) {
    cmp_ok($after->{CAL}[$cpu] // 0, '>', 0, "CPU$cpu took function-call IPIs");
    cmp_ok($after->{TLB}[$cpu] // 0, '>', 0, "CPU$cpu took TLB-shootdown IPIs");
}
is(join(',', @{ $after->{ERR} // [] }), '0,0,0,0', 'no APIC errors or unexpected vectors');
is(processors(cat_file($out, '/proc/cpuinfo')), '0,1,2,3', '/proc/cpuinfo lists processors 0-3');
is(join(',', cat_file($out, '/proc/cpuinfo') =~ /^apicid\s*: (\d+)$/mg), '0,1,2,3', '... with APIC ids 0-3');

# ---- the shell at the prompt on 4 CPUs: typed commands, cross calls from the prompt ------------
($out, $st) = boot(4, '', [[qr/pagoda# /, "selftest smp_call\r"], [qr/^ok \d+ smp_call/m, "cat /proc/interrupts\r"],
                           [qr/ERR:.*\n.*pagoda# /, "poweroff 3\r"]]);
is($st, 3, '-smp 4, typed at the prompt: the shell runs the suite and powers off with status 3');
like($out, qr/^ok \d+ smp_call$/m, 'smp_call passes when typed at the prompt');
my ($typed) = interrupts(cat_file($out, '/proc/interrupts'));
cmp_ok($typed->{LOC}[0] // 0, '>', 0, 'CPU0 takes its tick while it waits for input');

# ---- nosmp, maxcpus= -------------------------------------------------------------------------------
($out, $st) = boot(4, 'nosmp run="cat /proc/cpuinfo; selftest smp_call x86_tlb"');
is($st, 0, 'nosmp: boots; smp_call and x86_tlb pass on one CPU');
like($out, qr/\] smp: 3 CPU\(s\) left parked in wait-for-SIPI \(nosmp\)\r?$/m, 'nosmp: three APs left out, and why');
like($out, qr/\] smp: Brought up 1 node, 1 CPU\r?$/m, 'nosmp: one CPU');
unlike($out, qr/Booted secondary processor/, 'nosmp: no AP entered the kernel');
is(processors($out), '0', 'nosmp: /proc/cpuinfo lists processor 0 only');
like($out, qr/^\s+ok \d+ remote_flush_counted$/m, 'nosmp: a range flush sends no IPI (remote count unchanged)');

($out, $st) = boot(4, 'maxcpus=2 run="cat /proc/cpuinfo; cat /proc/interrupts"');
is($st, 0, 'maxcpus=2: boots');
like($out, qr/\] CPU1: Booted secondary processor/m, 'maxcpus=2: CPU1 comes up');
unlike($out, qr/CPU[23]: Booted/, 'maxcpus=2: CPU2 and CPU3 do not');
like($out, qr/\] smp: Brought up 1 node, 2 CPUs\r?$/m, 'maxcpus=2: two CPUs');
is(processors($out), '0,1', 'maxcpus=2: /proc/cpuinfo lists processors 0 and 1');
is((interrupts(cat_file($out, '/proc/interrupts')))[1], 2, 'maxcpus=2: /proc/interrupts has 2 columns');

for my $arg ('maxcpus=junk', 'maxcpus=', 'maxcpus=0') {
    ($out, $st) = boot(4, "$arg run=\"cat /proc/cpuinfo\"");
    is($st, 0, "$arg: boots (not a hang)");
    like($out, qr/^\[\s*\d+\.\d+\] smp: (\Q$arg\E is not a number of CPUs; booting CPU 0 only|maxcpus=0: booting CPU 0 only, as nosmp)\r?$/m,
         "$arg: a clear line");
    like($out, qr/\] smp: Brought up 1 node, 1 CPU\r?$/m, "$arg: one CPU");
    is(processors($out), '0', "$arg: /proc/cpuinfo lists processor 0 only");
}

# ---- -smp 8 (CONFIG_NR_CPUS), hot-pluggable CPUs, the MP table fallback --------------------------
($out, $st) = boot(8, 'run="cat /proc/cpuinfo; selftest smp_call"');
is($st, 0, '-smp 8: boots, smp_call passes');
like($out, qr/\] smp: Brought up 1 node, 8 CPUs\r?$/m, '-smp 8: eight CPUs online');
like($out, qr/\] CPU7: Booted secondary processor 0x0000000007 /m, '-smp 8: CPU7 with APIC id 7');
is(processors($out), join(',', 0 .. 7), '-smp 8: /proc/cpuinfo lists processors 0-7');

($out, $st) = boot('2,maxcpus=4', 'run="cat /proc/cpuinfo"');
is($st, 0, '-smp 2,maxcpus=4: boots');
like($out, qr/\] smp: 2 CPUs in the ACPI MADT, local APIC at 0xfee00000\r?\n.*\] smp: 2 more listed disabled \(hot-pluggable\): not started\r?$/m,
     'the MADT\'s two disabled (hot-pluggable) CPUs are counted, not started');
like($out, qr/\] smp: Brought up 1 node, 2 CPUs\r?$/m, '-smp 2,maxcpus=4: two CPUs');
unlike($out, qr/failed to come online/, 'no disabled CPU was tried');

($out, $st) = boot(2, 'run="cat /proc/cpuinfo"', undef, ['-machine', 'acpi=off']);
is($st, 0, '-machine acpi=off: boots');
# SeaBIOS (QEMU 7.2) writes only the boot CPU into its MP table: the fallback finds one CPU.
like($out, qr/\] smp: 1 CPU in the MP table, local APIC at 0xfee00000\r?$/m, 'without ACPI the MP table is read');
like($out, qr/\] smp: Brought up 1 node, 1 CPU\r?$/m, '... and what it lists comes up');

# A CPU without NX (pentium3): the trampoline must leave EFER alone (writing NXE would fault), and
# the page-table suite expects every mapping executable there and skips the no-execute case.
($out, $st) = boot(2, 'run="selftest x86_tlb pgtable"', undef, ['-cpu', 'pentium3']);
is($st, 0, '-cpu pentium3 -smp 2 (no NX): boots, x86_tlb and pgtable pass');
like($out, qr/\] smp: Brought up 1 node, 2 CPUs\r?$/m, '-cpu pentium3: both CPUs online');
like($out, qr/^\s+ok \d+ device_is_xn # SKIP this CPU has no execute-disable bit/m, '-cpu pentium3: the no-execute case skips, saying why');

# A CPU that cannot be stopped: CPU1 panics while CPU0 waits for it with interrupts masked.
($out, $st) = boot(4, 'run="fault panic-other"');
is($st, 127, 'panic-other: the panic ends QEMU (isa-debug-exit 255 >> 1)');
like($out, qr/\] CPU$_: stopping\r?$/m, "panic-other: CPU$_ answers the stop") for 2, 3;
like($out, qr/\] SMP: failed to stop secondary CPUs 0\r?$/m, 'panic-other: CPU0, interrupts masked, is named');

done_testing();
