#!/usr/bin/perl
# smp.t: raspi3b's cores 1-3 come online (multi-threaded TCG); nosmp and maxcpus= limit them; a CPU that never answers is left out.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use File::Temp qw(tempdir);
use Test::More;

my $tmp = tempdir(CLEANUP => 1);
my @mttcg = @TCG_MULTI;

# boot(APPEND, [DTB]): runs cat /proc/cpuinfo after boot; returns (output, status, processors listed).
sub boot {
    my ($append, $dtb) = @_;
    my ($out, $st) = qemu_arm64(append => "$append run=\"cat /proc/cpuinfo\"",
                                $dtb ? (dtb => 0, extra => [@mttcg, '-dtb', $dtb]) : (extra => \@mttcg));
    my @procs = $out =~ /^processor\s*: (\d+)$/mg;
    return ($out, $st, join(',', @procs));
}

# dtb_from(NAME, DTS): compiles DTS with dtc into $tmp/NAME.dtb; returns its path.
sub dtb_from {
    my ($name, $dts) = @_;
    open(my $fh, '>', "$tmp/$name.dts") or die "$tmp/$name.dts: $!";
    print $fh $dts;
    close($fh);
    system('dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', "$tmp/$name.dtb", "$tmp/$name.dts") == 0
        or BAIL_OUT("dtc cannot build $name.dtb");
    return "$tmp/$name.dtb";
}

my ($out, $st, $procs) = boot('');
is($st, 0, '4 CPUs: boots and powers off with status 0');
like($out, qr/\] smp: Bringing up secondary CPUs \.\.\.$/m, 'the boot CPU announces the bring-up');
for my $cpu (1 .. 3) {
    like($out, qr/\] CPU$cpu: Booted secondary processor 0x000000000$cpu \[0x410fd034\]$/m,
         "CPU$cpu: Linux's line with its MPIDR affinity and the Cortex-A53 r0p4 MIDR");
}
like($out, qr/\] smp: Brought up 1 node, 4 CPUs$/m, 'four CPUs online');
unlike($out, qr/failed to come online|parked in WFI/, 'no core missing or parked');
is($procs, '0,1,2,3', '/proc/cpuinfo lists processors 0-3');
is(() = $out =~ /^CPU part\s*: 0xd03$/mg, 4, 'each processor block has its Cortex-A53 part number');

($out, $st, $procs) = boot('nosmp');
is($st, 0, 'nosmp: boots');
like($out, qr/\] smp: 3 CPU\(s\) left parked in WFI \(nosmp\)$/m, 'nosmp: the secondaries are parked, and the log says why');
like($out, qr/\] smp: Brought up 1 node, 1 CPU$/m, 'nosmp: one CPU');
unlike($out, qr/Booted secondary processor/, 'nosmp: no secondary entered the kernel');
is($procs, '0', 'nosmp: /proc/cpuinfo lists processor 0 only');
unlike($out, qr/Unknown kernel command line parameters/, 'nosmp is a known parameter');

($out, $st, $procs) = boot('maxcpus=2');
is($st, 0, 'maxcpus=2: boots');
like($out, qr/\] CPU1: Booted secondary processor/m, 'maxcpus=2: CPU1 comes up');
unlike($out, qr/CPU[23]: Booted/, 'maxcpus=2: CPU2 and CPU3 do not');
like($out, qr/\] smp: 2 CPU\(s\) left parked in WFI \(maxcpus=2\)$/m, 'maxcpus=2: the other two are parked');
like($out, qr/\] smp: Brought up 1 node, 2 CPUs$/m, 'maxcpus=2: two CPUs');
is($procs, '0,1', 'maxcpus=2: /proc/cpuinfo lists processors 0 and 1');

my %bad_out;
for my $bad (['maxcpus=junk', qr/smp: maxcpus=junk is not a number of CPUs; booting CPU 0 only/],
             ['maxcpus=', qr/smp: maxcpus= is not a number of CPUs; booting CPU 0 only/],
             ['maxcpus=0', qr/smp: maxcpus=0: booting CPU 0 only, as nosmp/]) {
    my ($arg, $line) = @$bad;
    ($out, $st, $procs) = boot($arg);
    is($st, 0, "$arg: boots, never hangs");
    like($out, $line, "$arg: one clear line");
    like($out, qr/\] smp: Brought up 1 node, 1 CPU$/m, "$arg: one CPU");
    is($procs, '0', "$arg: /proc/cpuinfo lists processor 0 only");
    $bad_out{$arg} = $out;
}
like($bad_out{'maxcpus=junk'}, qr/Malformed early option 'maxcpus=junk'/, 'maxcpus=junk: the command line names the malformed option');
unlike($bad_out{'maxcpus=junk'}, qr/Unknown kernel command line parameters/, 'maxcpus is a known parameter');

# A fifth CPU the machine does not have: listed after cpu@3 in the real DTB, with its own release word.
my $dts = qx{dtc -q -I dtb -O dts build/deps/bcm2837-rpi-3-b.dtb};
$? == 0 or BAIL_OUT('dtc cannot decompile the Pi 3 DTB');
my $real_dts = $dts;
my $cpu4 = "\t\tcpu\@4 {\n\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"arm,cortex-a53\";\n"
         . "\t\t\treg = <0x04>;\n\t\t\tenable-method = \"spin-table\";\n\t\t\tcpu-release-addr = <0x00 0xf8>;\n\t\t};\n";
$dts =~ s/(\n\t\tcpu\@3 \{.*?\n\t\t\};\n)/$1$cpu4/s or BAIL_OUT('no cpu@3 node in the DTB');
my $five_dtb = dtb_from('five', $dts);

($out, $st, $procs) = boot('', $five_dtb);
is($st, 0, 'a fifth, absent CPU: the boot still reaches the shell and powers off');
like($out, qr/\] CPU4: failed to come online$/m, 'CPU4 is reported after its deadline');
like($out, qr/\] CPU3: Booted secondary processor 0x0000000003/m, 'the real cores still come up');
like($out, qr/\] smp: Brought up 1 node, 4 CPUs$/m, 'four CPUs online, CPU4 left out');
is($procs, '0,1,2,3', '/proc/cpuinfo does not list CPU4');
my ($t3) = $out =~ /\[\s*(\d+\.\d+)\] CPU3: Booted/;
my ($t4) = $out =~ /\[\s*(\d+\.\d+)\] CPU4: failed/;
ok(defined $t3 && defined $t4 && $t4 - $t3 >= 0.9 && $t4 - $t3 < 5,
   'the boot CPU waited about a second (generic timer) for CPU4, not forever');

# A release word outside the firmware's spin-table page is not written (it could be any RAM): CPU3 is left alone.
(my $far = $real_dts) =~ s/(cpu\@3 \{.*?cpu-release-addr = <0x00 )0xf0>/${1}0x2000>/s or BAIL_OUT('no cpu@3 release word');
my $far_dtb = dtb_from('far', $far);
($out, $st, $procs) = boot('', $far_dtb);
is($st, 0, 'a release word outside the spin-table page: boots');
like($out, qr/\] smp: CPU 0x3: cpu-release-addr 0x2000 outside the spin-table page; left alone$/m, '... one line names the CPU and the address');
like($out, qr/\] smp: Brought up 1 node, 3 CPUs$/m, '... the other two secondaries still come up');
is($procs, '0,1,2', '... /proc/cpuinfo lists three processors');
unlike($out, qr/failed to come online/, '... and nothing is waited for in vain');

# A DTB that gives core 3's release word to an MPIDR no core has (7): core 3 is released, finds no
# slot with its own MPIDR and parks; the boot CPU gives up on "CPU3" after its deadline.
(my $wrong = $real_dts) =~ s/(cpu\@3 \{.*?reg = <)0x03>/${1}0x07>/s or BAIL_OUT('no cpu@3 reg');
my $wrong_dtb = dtb_from('wrong', $wrong);
($out, $st, $procs) = boot('', $wrong_dtb);
is($st, 0, 'a core released under another MPIDR: boots');
like($out, qr/\] CPU3: failed to come online$/m, '... the CPU the DTB promised is reported missing');
unlike($out, qr/CPU3: Booted/, '... and the core that was released does not enter the kernel as someone else');
like($out, qr/\] smp: Brought up 1 node, 3 CPUs$/m, '... three CPUs');
is($procs, '0,1,2', '... /proc/cpuinfo lists three processors');

# interrupts(OUT, NTH): the NTH (0-based) /proc/interrupts table in OUT, as { label => [counts per CPU] }.
sub interrupts {
    my ($out, $nth) = @_;
    my @tables = $out =~ /^pagoda# (?:taskset \d+ )?cat \/proc\/interrupts\n(.*?)(?=^pagoda# |\z)/msg;
    my %rows;
    for my $line (split /\n/, $tables[$nth] // '') {
        my ($label, $counts) = $line =~ /^\s*(\w+):((?:\s+\d+)+)/ or next;
        $rows{$label} = [ $counts =~ /(\d+)/g ];
    }
    return \%rows;
}

# /proc/interrupts in Linux's arm64 layout; the tick grows on every CPU; cross calls go through IPI1.
($out, $st) = qemu_arm64(append => 'run="cat /proc/interrupts; selftest smp_call; cat /proc/interrupts; '
                                 . 'cat /proc/stat; taskset 2 cat /proc/interrupts"', extra => \@mttcg);
is($st, 0, '/proc/interrupts, selftest smp_call, /proc/stat, taskset: all succeed');
like($out, qr/^ {11}CPU0 {7}CPU1 {7}CPU2 {7}CPU3 {7}$/m, "the header: a CPU%-8d column per online CPU after 11 blanks, as Linux's");
like($out, qr/^  3:(?: +\d+ ){4} bcm2836-timer   3 Level     arch_timer$/m,
     "the tick's row: line 3 (CNTV) of the ARM-local controller, Linux's columns");
like($out, qr/^IPI0:(?: +\d+ ){4}      Rescheduling interrupts\nIPI1:(?: +\d+ ){4}      Function call interrupts\nIPI2:(?: +\d+ ){4}      CPU stop interrupts\nErr: +\d+$/m,
     'the IPI rows in order with Linux\'s spacing, then Err');
my ($before, $after, $on2) = map { interrupts($out, $_) } 0 .. 2;
for my $cpu (0 .. 3) {
    ok($after->{3}[$cpu] > $before->{3}[$cpu], "CPU$cpu: its timer count grew between two reads ($before->{3}[$cpu] -> $after->{3}[$cpu])");
}
for my $cpu (1 .. 3) {
    ok($after->{IPI1}[$cpu] > $before->{IPI1}[$cpu],
       "CPU$cpu: selftest smp_call reached it through function-call IPIs ($before->{IPI1}[$cpu] -> $after->{IPI1}[$cpu])");
}
like($out, qr/^ok \d+ smp_call$/m, 'selftest smp_call passes over real IPIs');
ok($on2->{IPI1}[2] > $after->{IPI1}[2], 'taskset 2: the command reached CPU2 as a function-call IPI');
is($on2->{IPI1}[1], $after->{IPI1}[1], '... and not CPU1');
like($out, qr/^cpu  0 0 \d+ \d+ 0 0 0 0 0 0\n(?:cpu\d 0 0 \d+ \d+ 0 0 0 0 0 0\n){4}intr \d+ \d+$/m,
     '/proc/stat: a cpu line in total and per CPU, then intr');
my ($intr) = $out =~ /^intr (\d+)/m;
my $sum = 0;
$sum += $_ for map { @$_ } values %$after;
$sum -= $after->{Err}[0];
ok($intr >= $sum, "/proc/stat's intr total ($intr) counts every row of the earlier /proc/interrupts ($sum)");
for my $cpu (1 .. 3) {
    my ($idle) = $out =~ /^cpu$cpu 0 0 \d+ (\d+)/m;
    ok($idle > 0, "cpu$cpu: its ticks found it idle in WFI ($idle)");
}

# taskset: the command runs on that CPU (an Oops report names the CPU it ran on), the shell survives.
($out, $st) = qemu_arm64(append => 'run="taskset 2 fault null; echo alive; taskset 1 echo hello from one; taskset 0 echo on zero; '
                                 . 'taskset 1 selftest smp_call; cat /proc/interrupts"', extra => \@mttcg);
is($st, 1, 'taskset 2 fault null fails the run= (status 1), the rest runs');
like($out, qr/Internal error: Oops: .*\n.*\] CPU: 2$/m, 'the Oops happened on CPU2');
like($out, qr/^fault: ended by a fault \(see the report above\)\nrun: 'taskset' failed\npagoda# echo alive\nalive$/m,
     "the fault ended only the command, recovered on CPU2's stack; the shell goes on");
like($out, qr/^hello from one$/m, 'taskset 1 echo: the command prints');
like($out, qr/^on zero$/m, 'taskset 0: the boot CPU runs it directly');
like($out, qr/^pagoda# taskset 1 selftest smp_call\n(?:.*\n)*?ok 1 smp_call$/m, 'selftest smp_call passes when CPU1 drives it');
my $last = interrupts($out, 0);
ok($last->{IPI1}[0] > 0, "CPU0 took function-call IPIs while taskset waited ($last->{IPI1}[0])");

# Typed at the prompt: the shell's wait for input takes interrupts — half a second at the prompt
# before `cat /proc/stat` is typed is fifty ticks of HZ 100, each counted as idle —
# and ^C stops a command that taskset runs on CPU1 (input stays CPU0's; CPU1 sees the ^C).
($out, $st) = qemu_arm64(extra => \@mttcg, timeout => 120,
    steps => [[qr/^pagoda# /m, "selftest smp_call\n"], [qr/^ok 1 smp_call\r?\npagoda# /m, "cat /proc/stat\n", 0.5], [qr/^pagoda# /m, "taskset 1 selftest\n"],
              [qr/^    ok 1 /m, "\x03"], [qr/interrupted \(\^C\)/, "echo back\n"], [qr/^back/m, "poweroff 9\n"]]);
my ($idle0) = $out =~ /^cpu0 0 0 \d+ (\d+)/m;
ok(defined $idle0 && $idle0 > 0, "CPU0 took its tick while the shell waited for input (idle ticks: @{[$idle0 // 'none']})");
like($out, qr/^# selftest: interrupted \(\^C\)/m, '^C typed while taskset 1 selftest runs interrupts it');
like($out, qr/^back$/m, '... and the shell on CPU0 takes the next line');
is($st, 9, '... through to poweroff 9');

# Bad taskset input: a clear line each, never a hang.
($out, $st) = qemu_arm64(append => 'run="taskset 7 echo no; taskset x echo no; taskset 9999 echo no; taskset 99999999999999999999 echo no; '
                                 . 'taskset -1 echo no; taskset 1; taskset 1 nosuchcmd; taskset 1 taskset 2 echo no; echo still here"',
                         extra => \@mttcg, timeout => 60);
is($st, 1, 'bad taskset input: the run= fails, and ends (no hang)');
like($out, qr/^taskset: CPU 7 is not online$/m, 'taskset 7: not online (Pi 3 has 4)');
like($out, qr/^taskset: 'x' is not a CPU number$/m, 'taskset x: not a number');
like($out, qr/^taskset: CPU 9999 is not online$/m, 'taskset 9999: not online');
like($out, qr/^taskset: CPU 99999999999999999999 is not online$/m, 'a CPU number too large for any type: not online');
like($out, qr/^taskset: '-1' is not a CPU number$/m, 'taskset -1: not a number');
like($out, qr/^usage: taskset CPU COMMAND \[ARGS\.\.\.\]$/m, 'taskset without a command: usage');
like($out, qr/^taskset: nosuchcmd: command not found \(try 'help'\)$/m, 'an unknown command: one line');
like($out, qr/^taskset: a command run by taskset cannot be taskset$/m, 'taskset inside taskset: refused');
unlike($out, qr/^no$/m, 'none of the refused commands ran');
like($out, qr/^still here$/m, 'the shell is alive after all of them');
like($out, qr/\] run: 8 command\(s\) failed; powering off$/m, 'each refusal is a failing status');

# The stop IPI: a panic on CPU2 stops the others, each printing where it was.
($out, $st) = qemu_arm64(append => 'run="taskset 2 fault panic"', extra => \@mttcg);
is($st, 255, 'a panic ends QEMU with status 255');
like($out, qr/\] Kernel panic - not syncing: fault: panic requested on CPU2\n.*\] CPU: 2\n.*\] Call trace:$/m,
     'the panicking CPU names itself and prints its call trace');
like($out, qr/\] SMP: stopping secondary CPUs$/m, "Linux's line before the stop IPIs");
for my $cpu (0, 1, 3) {
    like($out, qr/\] CPU$cpu: stopping\n.*\] pc : \S+\n.*\] lr : \S+\n.*\] sp : [0-9a-f]{16}\n.*\] far: [0-9a-f]{16} pstate: [0-9a-f]{8}\n(?:.*\] x\d+ *: [0-9a-f]{16}(?: x\d+ *: [0-9a-f]{16})?\n){15}.*\] Call trace:$/m,
         "CPU$cpu: 'CPU$cpu: stopping', then its registers and call trace in one block");
}
like($out, qr/\] CPU0: stopping\n(?:.*\n){21}.*\]  cmd_taskset\+/m, 'CPU0 was stopped while taskset waited for CPU2');
unlike($out, qr/CPU2: stopping|failed to stop/, 'the panicking CPU is not sent the stop; every other CPU answered');
like($out, qr/\] ---\[ end Kernel panic - not syncing: fault: panic requested on CPU2 \]---$/m, 'then the end line');
unlike($out, qr/\[\s*\d+\.\d{6}\] [^\n]*\[\s*\d+\.\d{6}\] /, 'no line holds two timestamps: lines of different CPUs never mix');

# A CPU that cannot be stopped: CPU1 panics while CPU0 waits for it in a cross call with interrupts
# masked. The others stop; CPU0 is named after the stop's two-second deadline, and the panic ends.
($out, $st) = qemu_arm64(append => 'run="fault panic-other"', extra => \@mttcg);
is($st, 255, 'panic-other: the panic still ends QEMU with status 255');
like($out, qr/\] Kernel panic - not syncing: fault: panic requested on CPU1 while CPU0 waits with interrupts masked$/m,
     'panic-other: CPU1 panics, naming the CPU that waits');
like($out, qr/\] CPU$_: stopping$/m, "panic-other: CPU$_ answers the stop") for 2, 3;
unlike($out, qr/CPU[01]: stopping/, 'panic-other: CPU0 (interrupts masked) never answers, CPU1 is the panicking one');
like($out, qr/\] SMP: failed to stop secondary CPUs 0$/m, "panic-other: Linux's line names CPU0");
like($out, qr/failed to stop secondary CPUs 0\n.*\] ---\[ end Kernel panic - not syncing: fault: panic requested on CPU1/m,
     'panic-other: the end line follows');

# nosmp: one column, taskset to another CPU refused, the cross calls still pass on one CPU.
($out, $st) = qemu_arm64(append => 'nosmp run="cat /proc/interrupts; selftest smp_call; taskset 0 echo zero; taskset 1 echo no"',
                         extra => \@mttcg);
is($st, 1, 'nosmp: taskset 1 fails the run=');
like($out, qr/^ {11}CPU0 {7}$/m, 'nosmp: /proc/interrupts has one column');
like($out, qr/^  3: +\d+  bcm2836-timer   3 Level     arch_timer$/m, 'nosmp: the tick row has one count');
like($out, qr/^IPI1: +\d+       Function call interrupts$/m, 'nosmp: IPI rows have one count');
like($out, qr/^ok \d+ smp_call$/m, 'nosmp: selftest smp_call passes');
like($out, qr/^zero$/m, 'nosmp: taskset 0 runs the command');
like($out, qr/^taskset: CPU 1 is not online$/m, 'nosmp: CPU1 is not online');

($out, $st) = qemu_arm64(append => 'nosmp run="fault panic"', extra => \@mttcg);
is($st, 255, 'nosmp: a panic ends QEMU with 255');
unlike($out, qr/SMP: stopping|stopping$/m, 'nosmp: no other CPU to stop, no stop line');

done_testing();
