#!/usr/bin/perl
# gdb.t: the gdb helpers (tools/gdb) on a halted kernel of each arch agree with what the kernel prints.
use strict;
use warnings;
no warnings 'portable';    # 64-bit addresses
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);

chdir "$FindBin::Bin/../.." or die;
plan skip_all => 'gdb-multiarch is not installed' unless grep { -x "$_/gdb-multiarch" } split /:/, $ENV{PATH};

my $tmp = tempdir(CLEANUP => 1);
my $seed = $ENV{PAGODA_SEED} // time() % 100000;
srand($seed);
diag("random VAs from seed $seed (PAGODA_SEED=$seed reproduces them)");
my $NWALK = 10000;
my $qemu_pid;
END { kill_qemu() }

my %ARCH = (
    arm64 => { elf => arm64_elf(), bits => 64, va_base => 0xffff000000000000, shifts => [39, 30, 21, 12],
               entries => [512, 512, 512, 512], levels => [qw(PGD PUD PMD PTE)], level_last => 0,
               qemu => ['qemu-system-aarch64', '-M', 'raspi3b', '-kernel', arm64_image(),
                        '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb', '-semihosting'],
               fixed_vas => [qw(ffff800008080000 ffff000000000000 ffff00003bffffff ffff00003c000000 0 ffffffffffffffff
                                fffffe0000000000 fffffe0001000000 ffff800010000000 ffff800010001000)] },
    x86   => { elf => 'build/x86/kernel.elf', bits => 32, va_base => 0, shifts => [30, 21, 12],
               entries => [4, 512, 512], levels => [qw(pgd pmd pte)], level_last => 1,
               qemu => ['qemu-system-i386', '-kernel', 'build/x86/kernel.elf', '-m', '512',
                        '-cpu', 'Nehalem,-lm,-syscall', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
               fixed_vas => [qw(c0100000 c0000000 0 fffff000 f8800000 dffe0000 c0200000 bfffffff)] },
);

my @views = ('cat /sys/kernel/debug/kernel_page_tables', 'cat /proc/vmallocinfo',
             'cat /sys/kernel/debug/memblock/memory', 'cat /sys/kernel/debug/memblock/reserved',
             'cat /proc/slabinfo', 'cat /proc/buddyinfo', 'dmesg');
my %helper = ('cat /sys/kernel/debug/kernel_page_tables' => 'pagoda ptdump', 'cat /proc/vmallocinfo' => 'pagoda vmallocinfo',
              'cat /sys/kernel/debug/memblock/memory' => 'pagoda memblock memory',
              'cat /sys/kernel/debug/memblock/reserved' => 'pagoda memblock reserved',
              'cat /proc/slabinfo' => 'pagoda slabinfo', 'cat /proc/buddyinfo' => 'pagoda buddyinfo', 'dmesg' => 'pagoda dmesg');

for my $arch (qw(arm64 x86)) {
    my $a = $ARCH{$arch};
    SKIP: {
        skip "$a->{elf} not built (make ARCH=$arch)", 1 unless -e $a->{elf};
        check_arch($arch, $a);
    }
}
done_testing();

sub free_port {
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp') or die "socket: $!";
    my $p = $s->sockport;
    close $s;
    return $p;
}

# kill_qemu: ends the QEMU boot() started; what its UART printed must hold no KASAN report (Pagoda.pm).
my ($qemu_cmd, $qemu_log);
sub kill_qemu {
    return unless $qemu_pid;
    kill('KILL', $qemu_pid);
    waitpid($qemu_pid, 0);
    undef $qemu_pid;
    Pagoda::check_kasan_reports($qemu_cmd, slurp($qemu_log)) if ${^GLOBAL_PHASE} ne 'END';
}

sub slurp { my ($f) = @_; open(my $h, '<', $f) or return ''; local $/; my $s = <$h>; return clean_output($s // '') }

# boot(ARCH, INPUT): QEMU in the background with the gdb stub on a free port, the shell fed INPUT;
# returns (port, log file) once the last command's prompt has appeared, or () after 60 s.
sub boot {
    my ($a, $input, $done, @extra) = @_;
    my $log = "$tmp/uart.txt";
    # One line per prompt, as a person types: a burst sent ahead of the shell can overrun the
    # UART while the kernel is busy printing (QEMU 10 drops such bytes; 7.2 held them back).
    my @lines = map { "$_\n" } split(/\n/, $input, -1);
    pop @lines if @lines && $lines[-1] eq "\n";
    unlink $log;
    for my $try (1 .. 3) {
        my $port = free_port();
        pipe(my $in_r, my $in_w) or die "pipe: $!";
        ($qemu_cmd, $qemu_log) = ($a->{qemu}[0], $log);
        $qemu_pid = fork() // die "fork: $!";
        if (!$qemu_pid) {
            close $in_w;
            open(STDIN, '<&', $in_r) or die;
            open(STDOUT, '>', $log) or die;
            open(STDERR, '>&', \*STDOUT) or die;
            exec(@{ $a->{qemu} }, '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
                 '-gdb', "tcp:127.0.0.1:$port", @extra) or die "exec: $!";
        }
        close $in_r;
        $in_w->autoflush(1);
        return ($port, $log) unless defined $done;    # halted at reset (-S): gdb's connect retries
        my ($deadline, $sent) = (time() + 60, 0);
        while (time() < $deadline) {
            last if waitpid($qemu_pid, WNOHANG) != 0;
            my $now = slurp($log);
            return ($port, $log) if $now =~ /^pagoda# echo \Q$done\E\n\Q$done\E\n/m;
            my $prompts = () = $now =~ /^pagoda# /mg;
            syswrite($in_w, $lines[$sent++]) while $sent < @lines && $sent < $prompts;
            sleep(0.05);
        }
        my $why = slurp($log);
        kill_qemu();
        diag("QEMU try $try did not reach the end of the input: " . substr($why, -400)) unless $why =~ /could not|Address already in use/;
    }
    return ();
}

# What one shell command printed: from its echo to the next prompt.
sub section {
    my ($out, $cmd) = @_;
    my ($s) = $out =~ /^pagoda# \Q$cmd\E\n(.*?)(?=^pagoda# )/ms;
    return $s // '';
}

# The runs of the kernel's dump: [start, end, level index, attribute words squeezed or undef, pa].
sub dump_runs {
    my ($a, $dump) = @_;
    my @runs;
    my $lv = join '|', @{ $a->{levels} };
    for (split /\n/, $dump) {
        next if /^---\[/;
        my ($s, $e, $rest) = /^0x([0-9a-f]+)-0x([0-9a-f]+) +\d+[KMGTPE](.*)$/ or next;
        my ($level, $words, $pa);
        if ($a->{level_last}) {
            ($words, $level, $pa) = $rest =~ /^(.*?) ($lv)(?: -> 0x([0-9a-f]{16}))?$/;
        } else {
            ($level, $words, $pa) = $rest =~ /^ ($lv)(.*?)(?: -> 0x([0-9a-f]{16}))?$/;
        }
        my ($li) = grep { $a->{levels}[$_] eq $level } 0 .. $#{ $a->{levels} };
        $words = join ' ', split ' ', $words;
        my $end = hex $e;
        $end = 2**$a->{bits} if $end == 0;    # the last run ends at the top of the address space
        push @runs, [hex $s, $end, $li, defined $pa ? $words : undef, defined $pa ? hex $pa : undef];
    }
    return @runs;
}

# The verdict line the kernel's walk must print for va, from the dump's runs.
sub expected_walk {
    my ($a, $runs, $va) = @_;
    my ($lo, $hi) = (0, $#$runs);
    return undef if !@$runs || $va < $runs->[0][0];
    while ($lo < $hi) {
        my $mid = int(($lo + $hi + 1) / 2);
        if ($runs->[$mid][0] <= $va) { $lo = $mid } else { $hi = $mid - 1 }
    }
    my $r = $runs->[$lo];
    return undef if $va >= $r->[1] && $r->[1] != 2**$a->{bits};
    my $name = $a->{levels}[$r->[2]];
    if (!defined $r->[3]) {
        my $idx = (($va - $a->{va_base}) >> $a->{shifts}[$r->[2]]) & ($a->{entries}[$r->[2]] - 1);
        return sprintf('VA 0x%016x: translation stops at %s (level %d translation fault): entry %u of the table is invalid',
                       $va, $name, $r->[2], $idx);
    }
    my $sz = 1 << $a->{shifts}[$r->[2]];
    my $size = $sz >= 1 << 30 ? ($sz >> 30) . 'G' : $sz >= 1 << 20 ? ($sz >> 20) . 'M' : ($sz >> 10) . 'K';
    my $kind = $r->[2] == $#{ $a->{levels} } ? 'page' : 'block';
    return sprintf('VA 0x%016x -> PA 0x%016x: %s %s: %s', $va, $r->[4] + ($va - $r->[0]), $size, $kind, $r->[3]);
}

# Random VAs: most inside the dump's runs (mapped and holes alike), some at run edges, some anywhere.
sub random_vas {
    my ($a, $runs, $n) = @_;
    my @vas;
    my $top = 2**$a->{bits};
    while (@vas < $n) {
        my $r = $runs->[int(rand(@$runs))];
        my $len = $r->[1] - $r->[0];
        my $k = rand();
        my $va;
        if ($k < 0.8) {
            $va = $r->[0] + int(rand($len / 4096)) * 4096 + int(rand(4096));
        } elsif ($k < 0.9) {
            $va = (($r->[0], $r->[1] - 1, $r->[0] + 4095, $r->[1] - 4096)[int(rand(4))]);
        } else {
            $va = $a->{bits} == 64 ? (int(rand(2**32)) << 32) | int(rand(2**32)) : int(rand(2**32));
        }
        push @vas, $va if $va < $top;
    }
    return @vas;
}

# gdb(ARCH, PORT, COMMANDS): runs gdb-multiarch -batch on the halted kernel; returns {command => output}.
sub gdb {
    my ($a, $port, @cmds) = @_;
    my @ex = ('-ex', 'set tcp connect-timeout 60', '-ex', "target remote 127.0.0.1:$port",
              '-ex', 'source tools/gdb/pagoda-gdb.py');
    push @ex, '-ex', "echo \@\@\@ $_\\n", '-ex', $_ for @cmds;    # -ex: an error ends one command, not the batch
    my $t0 = time();
    my ($out, $st, $to) = run_timeout(120, undef, 'gdb-multiarch', '-batch', '-nx', '-q', $a->{elf}, @ex);
    my %r;
    for my $part (split /^\@\@\@ /m, $out) {
        my ($cmd, $body) = $part =~ /^(.*?)\n(.*)\z/s or next;
        $body =~ s/\n?\[Inferior 1 \(process 1\) detached\]\n?\z//;
        $r{$cmd} = $body;
    }
    $r{_all} = $out;
    $r{_status} = $to ? 'timed out' : $st;
    $r{_secs} = time() - $t0;
    return %r;
}

# A hang early in boot: halted in mem_init (high_memory still 0, no linear map to read tables
# through), pagoda ptdump goes through QEMU's physical-memory mode. The linear map and the image
# are final by then: their lines must be those of the finished kernel's dump.
sub check_early {
    my ($arch, $a, $final) = @_;
    my ($port) = boot($a, '', undef, '-S');
    my %g = gdb($a, $port, 'hbreak mem_init', 'continue', 'print/x (unsigned long)high_memory', 'pagoda ptdump');
    kill_qemu();
    like($g{continue} // '', qr/Breakpoint 1, mem_init/, "$arch: halted at mem_init") or diag($g{_all});
    like($g{'print/x (unsigned long)high_memory'} // '', qr/= 0x0$/m, "$arch: high_memory is not set yet");
    my $kernel = $arch eq 'arm64' ? qr/^---\[ Linear Mapping start \]---\n.*?^---\[ Kernel image end \]---\n/ms
                                  : qr/^---\[ Kernel Mapping \]---\n.*?(?=^---\[ vmalloc)/ms;
    my ($want) = $final =~ $kernel;
    my ($got) = ($g{'pagoda ptdump'} // '') =~ $kernel;
    ok(defined $want, "$arch: the final dump has the linear map and the image");
    is($got, $want, "$arch: early pagoda ptdump (QEMU physical mode) shows them as the finished kernel does")
        or diag($g{_all});
}

sub check_arch {
    my ($arch, $a) = @_;
    my @walks = map { "walk $_" } @{ $a->{fixed_vas} };
    my $done = "gdb-t-$arch-done";
    my ($port, $log) = boot($a, join("\n", @views, @walks, "echo $done", ''), $done);
    ok(defined $port, "$arch: booted with a gdb stub on a free port and ran the shell's views") or return;
    my $out = slurp($log);
    my @runs = dump_runs($a, section($out, $views[0]));
    cmp_ok(scalar @runs, '>=', 8, "$arch: the kernel's dump has its runs (" . scalar(@runs) . ')') or return;

    my @vas = random_vas($a, \@runs, $NWALK);
    open(my $h, '>', "$tmp/vas.txt") or die;
    printf $h "%x\n", $_ for @vas;
    close $h;
    my ($kbase) = section($out, $views[3]) =~ /^\s*\d+: 0x([0-9a-f]+)\.\.0x[0-9a-f]+ kernel$/m;
    my $pfn = sprintf('0x%x', hex($kbase // 0) >> 12);
    my %g = gdb($a, $port, (map { $helper{$_} } @views), (map { "pagoda $_" } @walks), "pagoda walk -q -f $tmp/vas.txt",
                "pagoda pfn $pfn", "pagoda page &mem_map[$pfn-min_low_pfn]", 'pagoda pfn 0x7fffffff', 'pagoda walk',
                'pagoda memblock both', 'pagoda page 1');
    kill_qemu();
    ok($g{_status} ne 'timed out' && $g{_all} !~ /Python Exception|Error occurred in Python|Remote connection closed/,
       "$arch: gdb-multiarch -batch ran every helper without a Python error (" . sprintf('%.1f', $g{_secs}) . ' s)')
        or diag($g{_all});

    for my $v (@views) {
        my $want = section($out, $v);
        isnt($want, '', "$arch: the kernel printed $v")    # x86 boots with no vmalloc area: an empty file
            unless $arch eq 'x86' && $v eq 'cat /proc/vmallocinfo';
        is($g{ $helper{$v} } // '', $want, "$arch: '$helper{$v}' prints what '$v' printed") or diag($g{_all});
    }
    for my $w (@walks) {
        is($g{"pagoda $w"} // '', section($out, $w), "$arch: 'pagoda $w' prints what the kernel's '$w' printed");
    }
    check_walks($arch, $a, \@runs, \@vas, $g{"pagoda walk -q -f $tmp/vas.txt"});
    check_pages($arch, \%g, $pfn, $kbase);
    check_early($arch, $a, section($out, $views[0]));
}

# The batch walk's verdicts against the kernel's dump, one per random VA.
sub check_walks {
    my ($arch, $a, $runs, $vas, $text) = @_;
    my @got = split /\n/, $text // '';
    is(scalar @got, scalar @$vas, "$arch: the batch walk answered each of the $NWALK VAs");
    my (@bad, %kinds);
    for my $i (0 .. $#$vas) {
        my $want = expected_walk($a, $runs, $vas->[$i]);
        my $got = $got[$i] // '(nothing)';
        if (!defined $want) {
            $kinds{outside}++;
            my $va = sprintf('%016x', $vas->[$i]);
            push @bad, "$got (expected: outside the page tables)" unless $got =~ /^VA 0x$va is outside the page tables/;
        } else {
            $kinds{$want =~ /-> PA/ ? 'mapped' : 'unmapped'}++;
            push @bad, "$got\n   expected $want" unless $got eq $want;
        }
    }
    is(scalar @bad, 0, "$arch: every walk agrees with the kernel's dump (" .
       join(', ', map { "$kinds{$_} $_" } sort keys %kinds) . ')') or diag(join("\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]));
    cmp_ok($kinds{mapped} // 0, '>=', $NWALK / 10, "$arch: at least a tenth of the VAs are mapped");
    cmp_ok($kinds{unmapped} // 0, '>=', $NWALK / 10, "$arch: at least a tenth are holes");
}

# pfn/page: the kernel image's first page decodes, both ways in; bad input is refused clearly.
sub check_pages {
    my ($arch, $g, $pfn, $kbase) = @_;
    my $page = $g->{"pagoda pfn $pfn"} // '';
    my $phys = sprintf('%016x', hex($kbase // 0));
    like($page, qr/^page:0x[0-9a-f]+ pfn:$pfn phys:0x$phys zone:DMA$/m,
         "$arch: pfn $pfn (the kernel's first page) decodes to its PA and zone") or diag($g->{_all});
    like($page, qr/^flags: 0x[0-9a-f]+\(reserved\)$/m, "$arch: and it is reserved");
    is($g->{"pagoda page &mem_map[$pfn-min_low_pfn]"}, $page, "$arch: 'pagoda page' of its struct page says the same");
    like($g->{'pagoda page 1'} // '', qr/^pagoda: 0x1 is not a struct page in mem_map/m, "$arch: a stray address is refused");
    like($g->{'pagoda pfn 0x7fffffff'} // '', qr/^pagoda: pfn 0x7fffffff is outside mem_map \(pfns 0x[0-9a-f]+-0x[0-9a-f]+\)$/m,
         "$arch: a pfn beyond mem_map is refused with the range");
    like($g->{'pagoda walk'} // '', qr/^usage: pagoda walk/m, "$arch: walk without a VA prints its usage");
    like($g->{'pagoda memblock both'} // '', qr/^usage: pagoda memblock memory\|reserved$/m, "$arch: memblock names its two arrays");
}
