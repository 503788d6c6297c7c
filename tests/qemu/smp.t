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
my @mttcg = ('-accel', 'tcg,thread=multi');

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

done_testing();
