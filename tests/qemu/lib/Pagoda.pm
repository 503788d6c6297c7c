# Pagoda.pm: boot a pagoda image in QEMU with a hard timeout and return what the serial port printed.
package Pagoda;
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempfile);
use POSIX qw(:sys_wait_h);
our @EXPORT = qw(run_timeout run_timeout_raw run_dialog qemu_arm64 qemu_x86 clean_output ktap_passthrough screen_lines
                 @TCG_SINGLE @TCG_MULTI kasan arm64_image arm64_elf kasan_reports_outside
                 run_section meminfo_kb vmstat_count check_processes_gone);

# ---- which arm64 kernel the tests boot ----------------------------------------------------------
# PAGODA_KASAN=1 (make test-kasan) runs every test against the KASAN kernel (make KASAN=1,
# build/arm64-kasan/); tests name the image and the ELF only through these, and ask kasan() where
# a figure is different under KASAN (the shadow's RAM, its page-table rows, KFENCE off, speed).

# kasan(): true when the tests run against the KASAN kernel.
sub kasan { return ($ENV{PAGODA_KASAN} // '') eq '1' }

# arm64_image(): the kernel8.img the arm64 tests boot (and build SD cards and U-Boot images from).
sub arm64_image { return kasan() ? 'build/arm64-kasan/kernel8.img' : 'build/arm64/kernel8.img' }

# arm64_elf(): the kernel.elf that goes with arm64_image() (symbols for nm and gdb).
sub arm64_elf { return kasan() ? 'build/arm64-kasan/kernel.elf' : 'build/arm64/kernel.elf' }

# A KASAN report in any arm64 boot fails the test that booted it: every run of qemu-system-aarch64
# through this module is checked, and a report adds a failing test naming its first line. The
# reports the kasan suite provokes (in a full selftest) are its own: its KTAP subtest is left out.
# A boot that provokes reports on purpose under KASAN (a write past a vmalloc area) names them:
# qemu_arm64(kasan_reports => [FIRST_LINE_RE, ...]) passes only if exactly those appeared, in order.
# kasan.t, which provokes and counts its own, sets $Pagoda::KASAN_REPORTS_EXPECTED.
our $KASAN_REPORTS_EXPECTED = 0;
our @KASAN_EXPECT;	# the first lines expected, for the boot under way (qemu_arm64's kasan_reports)

# kasan_reports_outside(OUTPUT): the first lines ("BUG: KASAN: ...") of the reports in a boot's
# output, but for those inside the kasan suite's KTAP subtest (it provokes them).
sub kasan_reports_outside {
    (my $outside = clean_output($_[0])) =~ s/^\s+# Subtest: kasan\n.*?^(?:not )?ok \d+ kasan\n//smg;
    my @first = $outside =~ /^.*?(BUG: KASAN: .*)$/mg;
    return @first;
}

# check_kasan_reports(CMD, OUTPUT): the failing test, if OUTPUT (of CMD) holds an unexpected report;
# under KASAN with @KASAN_EXPECT, one test that exactly the reports named appeared.
sub check_kasan_reports {
    my ($cmd, $out) = @_;
    return if $KASAN_REPORTS_EXPECTED || $cmd !~ /qemu-system-aarch64$/;
    my @bugs = kasan_reports_outside($out);
    my @want = kasan() ? @KASAN_EXPECT : ();
    return unless @bugs || @want;
    require Test::More;
    my $ok = @bugs == @want && !grep { $bugs[$_] !~ $want[$_] } 0 .. $#want;
    my $what = @want ? 'KASAN: the expected report(s) and no other: ' . join('; ', map { re_text($_) } @want)
                     : scalar(@bugs) . ' KASAN report(s) in a boot that expects none: ' . $bugs[0];
    Test::More::ok($ok, $what) and return;
    Test::More::diag('reports: ' . join('; ', @bugs));
    Test::More::diag($1) if clean_output($out) =~ /^(.*\Q$bugs[0]\E\n(?:.*\n){0,40})/m;
}

# How QEMU runs the vCPUs. Multi-threaded TCG (QEMU's default for both guests on an x86 host)
# gives each vCPU a host thread: real parallelism, which the SMP tests (smp.t, slab_smp.t,
# vmalloc.t's torture, x86_smp.t's bring-up) want. But there WFE and YIELD do nothing, so a vCPU
# waiting for a lock spins through its whole host time slice while the holder waits for a core:
# on a 2-core CI machine running two QEMUs, a contended lock changes hands tens of times a
# second, and the full selftest took over ten minutes. Single-threaded TCG runs the vCPUs in
# turn on one host thread and switches at WFE, YIELD and x86's PAUSE, which is where pagoda's
# lock loops wait: the same four CPUs interleaving at every wait, a hand-over in microseconds,
# the full selftest on 4 CPUs in seconds. So the functional runs (the full selftest, KASAN,
# spinlock_debug, nosmp) use it, and the parallel runs say @TCG_MULTI.
our @TCG_SINGLE = ('-accel', 'tcg,thread=single');
our @TCG_MULTI = ('-accel', 'tcg,thread=multi');

# re_text(RE): a regex as the text it matches, for a test's name ("BUG: KASAN: ... in f+").
sub re_text {
    (my $t = "$_[0]") =~ s/^\(\?\^\w*:\^?(.*)\)$/$1/s;
    $t =~ s/\\(.)/$1/g;
    return $t;
}

# run_timeout(SECONDS, INPUT, CMD...): runs CMD with INPUT on stdin (undef: /dev/null),
# stdout and stderr together. Returns (output, exit status, timed_out).
sub run_timeout {
    my ($out, $status, $timed_out) = run_timeout_raw(@_);
    return (clean_output($out), $status, $timed_out);
}

# run_timeout_raw: run_timeout with the output exactly as the terminal got it (CR LF, escapes).
sub run_timeout_raw {
    my ($secs, $input, @cmd) = @_;
    my ($ofh, $ofile) = tempfile(UNLINK => 1);
    my ($ifh, $ifile) = tempfile(UNLINK => 1);
    print $ifh $input if defined $input;
    close $ifh;
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        open(STDIN, '<', defined $input ? $ifile : '/dev/null') or die;
        open(STDOUT, '>', $ofile) or die;
        open(STDERR, '>&', \*STDOUT) or die;
        setpgrp(0, 0);
        exec(@cmd) or die "exec $cmd[0]: $!";
    }
    my $timed_out = 0;
    my $deadline = time() + $secs;
    while (waitpid($pid, WNOHANG) == 0) {
        if (time() >= $deadline) {
            kill('KILL', -$pid);
            waitpid($pid, 0);
            $timed_out = 1;
            last;
        }
        select(undef, undef, undef, 0.05);
    }
    my $status = $timed_out ? -1 : ($? >> 8);
    local $/;
    open(my $in, '<', $ofile) or die;
    my $out = <$in> // '';
    check_kasan_reports($cmd[0], $out);
    return ($out, $status, $timed_out);
}

# run_dialog(SECONDS, [[WAIT_RE, SEND, PAUSE], ...], CMD...): runs CMD talking through pipes, as a
# person at the terminal would: waits until the output (since the last match) matches WAIT_RE, then
# (after PAUSE seconds, if given) types SEND, step after step; then reads until CMD exits. Returns (output, exit status, timed_out).
sub run_dialog {
    my ($secs, $steps, @cmd) = @_;
    pipe(my $in_r, my $in_w) or die "pipe: $!";
    pipe(my $out_r, my $out_w) or die "pipe: $!";
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        close $in_w;
        close $out_r;
        open(STDIN, '<&', $in_r) or die;
        open(STDOUT, '>&', $out_w) or die;
        open(STDERR, '>&', $out_w) or die;
        setpgrp(0, 0);
        exec(@cmd) or die "exec $cmd[0]: $!";
    }
    close $in_r;
    close $out_w;
    $in_w->autoflush(1);
    my ($out, $from, @todo) = ('', 0, @$steps);
    my $deadline = time() + $secs;
    my $timed_out = 0;
    while (1) {
        if (@todo && substr($out, $from) =~ $todo[0][0]) {
            $from += $+[0];
            my $step = shift @todo;
            select(undef, undef, undef, $step->[2]) if $step->[2];
            syswrite($in_w, $step->[1]);
            next;
        }
        my $rin = '';
        vec($rin, fileno($out_r), 1) = 1;
        if (time() >= $deadline) {
            $timed_out = 1;
            kill('KILL', -$pid);
            last;
        }
        next unless select(my $rout = $rin, undef, undef, 0.1);
        last unless sysread($out_r, my $buf, 4096);
        $out .= $buf;
    }
    close $in_w;
    waitpid($pid, 0);
    check_kasan_reports($cmd[0], $out);
    return (clean_output($out), $timed_out ? -1 : ($? >> 8), $timed_out);
}

# clean_output: CR LF -> LF, so patterns can use ^ and $ per line.
sub clean_output {
    my ($s) = @_;
    $s =~ s/\r//g;
    return $s;
}

# screen_lines(RAW, COLS): what a VT100 terminal COLS wide (default 80) shows after RAW
# (Term::VT102, wrapping at the margin), one string per row with trailing blanks cut; tall
# enough that nothing scrolls away.
sub screen_lines {
    my ($raw, $cols) = @_;
    require Term::VT102;
    my $rows = 1 + ($raw =~ tr/\n//) + int(length($raw) / ($cols // 80));
    my $vt = Term::VT102->new(cols => $cols // 80, rows => $rows);
    $vt->option_set('LINEWRAP', 1);     # wrap at the right margin, as terminals do
    $vt->process($raw);
    my @lines = map { my $l = $vt->row_plaintext($_) // ''; $l =~ s/[\s\0]+$//; $l } 1 .. $rows;
    pop @lines while @lines && $lines[-1] eq '';
    return @lines;
}

# qemu_arm64(append => STR, dtb => 0|1, input => STR, timeout => S, extra => [ARGS], raw => 0|1,
#            steps => [[WAIT_RE, SEND], ...]):
# boots arm64_image() on raspi3b with semihosting (so poweroff carries a status), on
# single-threaded TCG unless EXTRA names an -accel (@TCG_MULTI);
# kasan_reports => [RE, ...]: under KASAN, the reports this boot must print (see check_kasan_reports);
# raw => 1 returns the output as run_timeout_raw does; steps types as run_dialog does (each SEND
# once its WAIT_RE has appeared), for input that must not arrive before the kernel reads it.
sub qemu_arm64 {
    my (%o) = @_;
    local @KASAN_EXPECT = @{ $o{kasan_reports} // [] };
    my @cmd = ('qemu-system-aarch64', '-M', 'raspi3b', '-kernel', arm64_image(),
               '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none',
               '-serial', 'stdio');
    push @cmd, '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb' if $o{dtb} // 1;
    push @cmd, '-append', $o{append} if defined $o{append};
    push @cmd, @{ $o{extra} } if $o{extra};
    push @cmd, @TCG_SINGLE unless grep { $_ eq '-accel' } @{ $o{extra} // [] };
    return run_dialog($o{timeout} // 60, $o{steps}, @cmd) if $o{steps};
    return ($o{raw} ? \&run_timeout_raw : \&run_timeout)->($o{timeout} // 60, $o{input}, @cmd);
}

# qemu_x86(append => ..., timeout => ..., smp => N, mem => MiB, cpu => MODEL): boots the Multiboot ELF
# on qemu-system-i386 (single-threaded TCG) with isa-debug-exit; returns (output, QEMU's exit
# status, timed out). poweroff's status S comes back as (S << 1) | 1.
sub qemu_x86 {
    my (%o) = @_;
    my @cmd = ('qemu-system-i386', '-m', $o{mem} // 512, '-cpu', $o{cpu} // 'Nehalem,-lm,-syscall',
               '-smp', $o{smp} // 1, '-kernel', 'build/x86/kernel.elf',
               '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
               '-display', 'none', '-monitor', 'none', '-serial', 'stdio', @TCG_SINGLE);
    push @cmd, '-append', $o{append} if defined $o{append};
    return run_timeout($o{timeout} // 60, $o{input}, @cmd);
}

# run_section(OUTPUT, CMD, N): what the N-th (from 1) run of CMD in a run="..." boot printed, up to
# the next prompt or run='s closing line, without run='s own "run: 'CMD' failed" lines.
sub run_section {
    my ($out, $cmd, $n) = @_;
    my @s = $out =~ /^pagoda# \Q$cmd\E\n(.*?)(?=^pagoda# |^\[\s*\d+\.\d+\] run: )/msg;
    my $s = $s[($n // 1) - 1] // '';
    $s =~ s/^run: '[^']*' failed\n//mg;
    return $s;
}

# meminfo_kb(TEXT, KEY): KEY's kB in a /proc/meminfo (or /proc/PID/status) text, -1 if absent.
sub meminfo_kb { my ($s, $k) = @_; return $s =~ /^\Q$k\E:\s+(\d+) kB$/m ? $1 : -1; }
# vmstat_count(TEXT, KEY): KEY's count in a /proc/vmstat-like text ("key N" lines), -1 if absent.
sub vmstat_count { my ($s, $k) = @_; return $s =~ /^\Q$k\E (\d+)$/m ? $1 : -1; }

# check_processes_gone(OUTPUT, PS_N, HELLO_N): the checks that end a run of user programs: the
# PS_N-th ps lists no process, MemFree and PageTables in the second cat /proc/meminfo equal the
# first's (taken before the processes), and the HELLO_N-th exec hello still runs.
sub check_processes_gone {
    my ($out, $ps_n, $hello_n) = @_;
    require Test::More;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is(run_section($out, 'ps', $ps_n), "  PID  PPID S PSR   RSS COMMAND\n",
                   'ps at the end: no process left (every zombie reaped)');
    my ($m0, $m1) = (run_section($out, 'cat /proc/meminfo', 1), run_section($out, 'cat /proc/meminfo', 2));
    Test::More::cmp_ok(meminfo_kb($m0, 'MemFree'), '>', 0, 'MemFree read before the processes');
    Test::More::is(meminfo_kb($m1, 'MemFree'), meminfo_kb($m0, 'MemFree'),
                   'MemFree after every process is its value before, to the page');
    Test::More::is(meminfo_kb($m1, 'PageTables'), meminfo_kb($m0, 'PageTables'), 'PageTables too');
    Test::More::like(run_section($out, 'exec hello', $hello_n), qr/^exec: hello \(pid \d+\) exited with status 0;/m,
                     'the shell still runs programs');
}

# ktap_passthrough(OUTPUT): prints the KTAP document inside a boot log as TAP for prove;
# every other line becomes a comment. Returns true if a KTAP header was found.
sub ktap_passthrough {
    my ($out) = @_;
    my $in_ktap = 0;
    for my $line (split /\n/, $out) {
        $in_ktap = 1 if $line =~ /^KTAP version 1$/;
        if ($in_ktap && $line =~ /^(KTAP version|\d+\.\.\d+|(not )?ok \d+|\s+|#)/) {
            print "$line\n";
        } else {
            print "# $line\n";
        }
    }
    return $in_ktap;
}

1;
