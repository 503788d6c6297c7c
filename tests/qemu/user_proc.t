#!/usr/bin/perl
# user_proc.t: processes that live together on raspi3b (issue 16, arm64) — with SMP on (multi-threaded
# TCG): background processes on the other CPUs seen by ps and ended by kill; usertests (fork/exec/wait,
# demand-zero, COW, -EFAULT, kill, nanosleep, the fork bomb stopped by the process limit) exits 0;
# forktest's statuses; cowtest's figures (a 64 MiB fork costs page tables, each written page one page,
# three generations); MemFree identical before and after; the shell lives on.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;


# MemFree is read first after an exec (which drains the per-CPU lists and shrinks the caches, as
# at the end), so both figures count the same things.
my @cmds = ('exec hello', 'cat /proc/meminfo', 'exec spin 5000 &', 'exec spin 5000 &', 'exec spin 5000 &', 'ps',
            'cat /proc/2/status', 'cat /proc/2/maps', 'cat /proc/99/maps', 'exec cat /proc/2/status', 'cat /proc/2/stat',
            'kill 2', 'kill -9 3', 'kill 999', 'kill x1', 'ps', 'kill 4', 'cat /proc/vmstat',
            'exec usertests', 'exec forktest 50', 'exec cowtest', 'cat /proc/vmstat', 'ps', 'exec oomtest',
            'cat /proc/meminfo', 'exec hello');
my ($out, $st, $to) = qemu_arm64(timeout => 300, append => 'run="' . join('; ', @cmds) . '"',
                                 extra => [@Pagoda::TCG_MULTI]);
ok(!$to, 'the boot ran every command and powered off');
like($out, qr/run: 3 command\(s\) failed/, 'exactly the two bad kills and the cat of a missing PID failed');
unlike($out, qr/Oops|Kernel panic|Unable to handle kernel|segfault/, 'no kernel fault, no panic, no segfault');

# 1. Three background spins, one per CPU other than the shell's; ps shows them running there.
like(run_section($out, "exec spin 5000 &", $_), qr/^exec: spin \(pid ${\($_ + 1)}\) running in the background$/m,
     "exec spin 5000 & (pid ${\($_ + 1)}) returns at once") for 1 .. 3;
my $ps = run_section($out, 'ps', 1);
like($ps, qr/^  PID  PPID S PSR   RSS COMMAND$/m, "ps: Linux's columns");
my %cpu = map { $_->[0] => $_->[1] } map { [ /^\s+(\d+)\s+0 R\s+(\d+)\s+\d+ spin$/ ] } grep { /spin$/ } split /\n/, $ps;
is(scalar(keys %cpu), 3, 'ps: the three spins, running (R), parent 0 (the shell)') or diag($ps);
is(join(',', sort values %cpu), '1,2,3', 'ps: one on each of CPUs 1-3 (least-loaded placement; CPU 0 runs the shell)');

# 2. kill: SIGTERM by default, -9 for SIGKILL; bad pids get one clear line.
like(run_section($out, 'kill 2'), qr/^exec: spin \(pid 2\) killed by SIGTERM, status 143$/m, 'kill 2: SIGTERM ends it, status 143');
like(run_section($out, 'kill -9 3'), qr/^exec: spin \(pid 3\) killed by SIGKILL, status 137$/m, 'kill -9 3: SIGKILL, status 137');
is(run_section($out, 'kill 999'), "kill: (999) - No such process\n", 'kill of a pid that does not exist: one line');
is(run_section($out, 'kill x1'), "kill: x1: arguments must be process IDs\n", 'kill of a non-number: one line');
my $ps2 = run_section($out, 'ps', 2);
ok($ps2 !~ /^\s+[23]\s/m && $ps2 =~ /^\s+4\s+0 R\s+\d+\s+\d+ spin$/m, 'ps after the kills: only pid 4 is left') or diag($ps2);
like(run_section($out, 'kill 4'), qr/^exec: spin \(pid 4\) killed by SIGTERM/m, 'kill 4');

# 3. usertests: every case passes, the fork bomb meets the limit.
my $ut = run_section($out, 'exec usertests');
like($ut, qr/^usertests: $_ ok$/m, "usertests: $_") for qw(exitwait forkexec waiterrors demandzero cow shared efault kill sleep clone orphan forkbomb);
like($out, qr/^usertests: orphan: reparented to the shell \(ppid 0\)$/m, "an orphan's parent is the shell (getppid 0)");
like($ut, qr/^usertests: forkbomb: 63 children, then fork said -11$/m, 'the fork bomb: 63 children (64 processes with usertests), then -EAGAIN');
like($ut, qr/^usertests: ALL TESTS PASSED\nexec: usertests \(pid \d+\) exited with status 0;/m, 'usertests exits 0');

# 4. forktest: 50 children, each status right.
like(run_section($out, 'exec forktest 50'), qr/^forktest: 50 children, every exit status right\nexec: forktest \(pid \d+\) exited with status 0;/m,
     'forktest 50: every wait4 status right, exit 0');

# 5. cowtest's figures.
my $cow = run_section($out, 'exec cowtest');
like($cow, qr/^cowtest: ok\nexec: cowtest \(pid \d+\) exited with status 0;/m, 'cowtest exits 0') or diag($cow);
my ($mf0, $mf1, $drop, $forkpages, $pte) =
    $cow =~ /^cowtest: fork of a 64 MiB process: MemFree (\d+) -> (\d+) kB \(-(\d+) kB\), (\d+) pages allocated, child's page tables (\d+) kB$/m;
ok(defined $pte && $forkpages * 4 <= $pte + 64 + 32, "the fork allocated $forkpages pages: its $pte kB of page tables, a kernel stack and a few more") or diag($cow);
ok(defined $drop && $drop < 1024, "MemFree fell by " . ($drop // '?') . " kB at the fork of 64 MiB (under 1 MiB: nothing copied)");
# The copies are exact (cow_fault); pgalloc may count a few pages the kernel took for itself (KASAN's
# stack depot, a slab): cowtest allows 8, and the plain kernel takes none.
my $noise = Pagoda::kasan() ? 8 : 0;
my ($ca, $cb) = $cow =~ /^cowtest: child wrote 256 pages: (\d+) copied \(cow_fault\), (\d+) pages allocated, MemFree -\d+ kB$/m;
is($ca, 256, "the child's 256 written pages are 256 copies");
ok(defined $cb && $cb >= 256 && $cb <= 256 + $noise, "... which allocated " . ($cb // '?') . " pages");
my ($ga, $gb) = $cow =~ /^cowtest: grandchild wrote 256 pages: (\d+) copied \(cow_fault\), (\d+) pages allocated$/m;
is($ga, 256, "the grandchild's too (third generation)");
ok(defined $gb && $gb >= 256 && $gb <= 256 + $noise, "... which allocated " . ($gb // '?') . " pages");
my ($pa, $pb) = $cow =~ /^cowtest: parent wrote 256 pages after its children exited: (\d+) made writable in place \(cow_reuse\), (\d+) pages allocated$/m;
is($pa, 256, 'the parent then writes in place: 256 reuses');
ok(defined $pb && $pb <= $noise, '... allocating no page (' . ($pb // '?') . ')');
my ($v0, $v1) = (run_section($out, 'cat /proc/vmstat', 1), run_section($out, 'cat /proc/vmstat', 2));
cmp_ok(vmstat_count($v1, 'cow_fault') - vmstat_count($v0, 'cow_fault'), '>=', 512, '/proc/vmstat cow_fault counts the copies');
cmp_ok(vmstat_count($v1, 'cow_reuse') - vmstat_count($v0, 'cow_reuse'), '>=', 256, '/proc/vmstat cow_reuse counts the writes in place');

# 6. Everything comes back; the shell lives on.
check_processes_gone($out, 3, 2);

# The OOM killer picks the largest process: oomtest's child holds 640 MiB, then the parent (the one
# whose fault finds no page) writes 400 MiB; the child is killed, the parent finishes.
my $oom = run_section($out, 'exec oomtest');
my ($child) = $oom =~ /^oomtest: child (\d+) holds 640 MiB; parent writes 400 MiB$/m;
ok(defined $child, 'oomtest: the child holds its 640 MiB');
like($oom, qr/Out of memory: Killed process ${\($child \/\/ -1)} \(oomtest\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0\n/,
     "oomtest: Linux's OOM line names the child, the largest, not the faulting parent");
is(() = $oom =~ /Out of memory:/g, 1, 'oomtest: one victim only');
like($oom, qr/^oomtest: parent wrote 400 MiB; child killed by signal 9$/m, 'oomtest: the parent got its memory; the child died of SIGKILL');
like($oom, qr/^exec: oomtest \(pid \d+\) exited with status 0;/m, 'oomtest: exits 0');

# /proc/PID of another process, from the shell: a background spin's status and maps.
like(run_section($out, 'cat /proc/2/status'), qr/^Name:\tspin\nState:\t[RS] \(\w+\)\nPid:\t2\nVmSize:\t +\d+ kB\n/,
     '/proc/2/status: the spin, pid 2');
like(run_section($out, 'cat /proc/2/maps'), qr/^00400000-[0-9a-f]+ r-xp [0-9a-f]{8} 00:00 0 +\/spin\n(?:.*\n)*[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 +\[stack\]\n\z/,
     "/proc/2/maps: the spin's text first, its stack last");
is(run_section($out, 'cat /proc/99/maps'), "cat: /proc/99/maps: No such file or directory\n", '/proc/99/maps: no such process, one line');

like(run_section($out, 'exec cat /proc/2/status'), qr/^Name:\tspin\nState:\t[RS] \(\w+\)\nPid:\t2\n/m,
     "a program's openat of /proc/2/status reads the other process's");

# /proc/2/stat: Linux's 52 fields; the spin's faults are its program pages (major) and its stack's.
my @stat = split ' ', run_section($out, 'cat /proc/2/stat');
is(scalar(@stat), 52, '/proc/2/stat: 52 fields');
is("@stat[0..3]", '2 (spin) R 0', '/proc/2/stat: pid, (comm), state R, ppid 0 (the shell)');
ok(($stat[11] // 0) >= 1 && ($stat[11] // 0) <= 4, "/proc/2/stat: majflt counts its program pages read from the archive ($stat[11])");
ok(defined $stat[9] && $stat[9] >= 0, "/proc/2/stat: minflt ($stat[9])");
is($stat[23], 4, "/proc/2/stat: rss in pages, as ps's 16 kB");
is($stat[37], 17, '/proc/2/stat: exit_signal SIGCHLD (field 38)');
like($stat[38] // '', qr/^[123]$/, "/proc/2/stat: processor, one of CPUs 1-3 (field 39)");

done_testing();
