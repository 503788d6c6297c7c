#!/usr/bin/perl
# slab_array.t: a burst of frees grows the running CPU's slab array, the tick's reap gives it back
# while the shell sleeps (raspi3b, and i386 with 4 CPUs); `sleep` refuses bad arguments with one line.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $F = '/sys/kernel/debug/slab/cpu_arrays';
sub section {
    my ($out, $cmd, $n) = @_;
    my @all = $out =~ /^pagoda# \Q$cmd\E\r?\n(.*?)(?=^pagoda# |^\[\s*\d+\.\d+\] run: )/msg;
    return $all[$n // 0] // '';
}
# { "kmalloc-4k" => [limit, avail, cache limit], ... } for CPU 0's rows of cpu_arrays.
sub arrays {
    my ($text) = @_;
    my %a;
    $a{$1} = [$2, $3, $4] while $text =~ /^(\S+)\s+0\s+(\d+)\s+(\d+)\s+\d+\s+(\d+)\s*$/mg;
    return \%a;
}
sub slab_kb { my ($t) = @_; return $t =~ /^Slab:\s+(\d+) kB/m ? $1 : -1 }

# The bursts grew CPU 0's arrays of 1 KiB and 4 KiB objects; 9 s of sleep reaped them, and Slab fell.
sub check_growth_and_reap {
    my ($arch, $out, $bench) = @_;
    for my $size (1024, 4096) {
        my ($limit, $cache) = $bench =~ /^$size\s+\d+\s+[\d.]+\s+(\d+)\s+(\d+)\s*$/m;
        ok(defined $limit && $limit >= 256 && $limit > $cache,
           "$arch: bursts of 256 grew CPU 0's array of $size-byte objects (" . ($limit // '?') . ' > ' . ($cache // '?') . ')');
    }
    my $grown = arrays(section($out, "cat $F", 1));
    my $later = arrays(section($out, "cat $F", 2));
    ok($grown->{'kmalloc-4k'} && $grown->{'kmalloc-4k'}[0] >= 256, "$arch: cpu_arrays lists kmalloc-4k's grown array")
        or diag(section($out, "cat $F", 1));
    my ($before, $after) = (slab_kb(section($out, 'cat /proc/meminfo', 0)), slab_kb(section($out, 'cat /proc/meminfo', 1)));
    for my $name (sort keys %$grown) {
        my $l = $later->{$name} ? $later->{$name}[0] : $grown->{$name}[2];
        ok($l <= $grown->{$name}[0] / 4, "$arch: after 9 s of sleep ${name}'s array was reaped from $grown->{$name}[0] to $l");
    }
    # kmalloc-4k: a slab of one page per object. What the reaps flushed went back to the buddy, but
    # for the two the shared array keeps and the two empty slabs the cache keeps (16 kB).
    my $flushed = ($grown->{'kmalloc-4k'}[1] - ($later->{'kmalloc-4k'} ? $later->{'kmalloc-4k'}[1] : 0)) * 4;
    ok($before - $after >= $flushed - 16,
       "$arch: Slab fell by the 4 KiB objects reaped ($before -> $after kB, at least $flushed - 16)");
}

my $cmds = "cat $F; bench slab_burst; cat $F; cat /proc/meminfo; sleep 9; cat $F; cat /proc/meminfo; "
         . "sleep x; sleep; sleep 1 2; sleep -1; echo alive";
for my $arch ('arm64', 'x86') {
    my ($out, $st, $to) = $arch eq 'arm64'
        ? qemu_arm64(timeout => 120, append => "run=\"$cmds\"")
        : qemu_x86(timeout => 120, smp => 4, append => "run=\"$cmds\"");
    ok(!$to, "$arch: finished");
    is(section($out, "cat $F", 0), "# name            cpu  limit  avail  batch  cache-limit\n",
       "$arch: no array has grown after the boot");
    my $bench = section($out, 'bench slab_burst');
    if ($arch eq 'arm64' && kasan()) {
        # KASAN's quarantine takes every free and gives objects back to their slabs, never to an
        # array: nothing overflows, nothing grows.
        like($bench, qr/^4096\s+\d+\s+[\d.]+\s+2\s+2\s*$/m, 'arm64 (KASAN): the quarantine takes the frees, no array grows');
        is(section($out, "cat $F", 1), "# name            cpu  limit  avail  batch  cache-limit\n",
           'arm64 (KASAN): cpu_arrays lists nothing after the bursts');
    } else {
        check_growth_and_reap($arch, $out, $bench);
    }
    like($out, qr/^sleep: invalid time interval 'x' \(whole seconds, 0\.\.3600\)$/m, "$arch: sleep x: one line");
    like($out, qr/^sleep: missing operand$/m, "$arch: sleep without operand: one line");
    like($out, qr/^sleep: extra operand '2'$/m, "$arch: sleep 1 2: one line");
    like($out, qr/^sleep: invalid time interval '-1'/m, "$arch: sleep -1: one line");
    like($out, qr/^alive$/m, "$arch: the shell lives on");
    unlike($out, qr/Kernel panic|Unhandled|BUG:|WARNING:/, "$arch: no panic, no BUG, no warning");
}
done_testing();
