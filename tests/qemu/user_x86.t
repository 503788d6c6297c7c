#!/usr/bin/perl
# user_x86.t: user processes on qemu-system-i386 (PAE, 4 CPUs) — the same programs as user.t, built for
# i386, run in ring 3 with a PDPT per process: argv/envp/auxv, int $0x80 system calls, demand-zero faults
# (also in a GiB whose PDPT entry is new), segfault lines with x86's error bits, #UD/#GP/#DE kill the
# process with a line, -EFAULT from bad pointers, the OOM kill, refusals, /proc/self/maps; the timer ticks
# while ring 3 runs and user TLB flushes send no IPI; the user_mm and shmem KTAP suites pass in the kernel;
# sharedtest (shared anonymous memory across fork) with MemFree back to the page. A second
# boot runs processes under the scheduler (user_proc.t's checks): background spins on CPUs 1-3, ps, kill,
# two processes sharing a CPU, usertests, forktest, cowtest's figures, MemFree back to the page.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Sharedtest;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

sub irq_cpu { my ($s, $row, $cpu) = @_; return $s =~ /^\s*\Q$row\E:((?:\s+\d+)+)/m ? ((split ' ', $1)[$cpu] // -1) : -1; }
sub irq_sum { my ($s, $row) = @_; return $s =~ /^\s*\Q$row\E:((?:\s+\d+)+)/m ? eval { my $t = 0; $t += $_ for split ' ', $1; $t } : -1; }

my @cmds = ('exec hello a b', 'cat /proc/interrupts', 'cat /proc/stat', 'exec spin 30', 'cat /proc/interrupts', 'cat /proc/stat',
            'cat /proc/meminfo', 'cat /proc/vmstat', 'exec demandzero 100', 'cat /proc/meminfo',
            'cat /proc/vmstat', 'cat /proc/interrupts', 'exec demandzero 600 0x7ff00000', 'cat /sys/kernel/debug/pdpt', 'exec demandzero 64 0x40000000 3',
            'cat /sys/kernel/debug/pdpt',
            'exec badaccess null', 'exec badaccess text', 'exec badaccess kernel', 'exec badaccess nx',
            'exec badaccess ill', 'exec badaccess priv', 'exec badaccess div0',
            'exec efault', 'exec badelf', 'exec nosuch', 'exec', 'exec memhog 2000', 'cat /proc/meminfo',
            'exec mprotecttest', 'exec hello again', 'exec cat /proc/self/maps /proc/self/status',
            'selftest user_mm', 'exec hello', 'cat /proc/meminfo', 'exec sharedtest', 'cat /proc/meminfo',
            'selftest shmem');
# KFENCE off in the boots that count TLB shootdown IPIs: once a sample interval it unmaps a freed
# object's kernel page, a shootdown of its own that has nothing to do with user mappings.
my $nokfence = 'kfence.sample_interval=0';
my ($out, $st, $to) = qemu_x86(smp => 4, timeout => 120, append => "$nokfence run=\"" . join('; ', @cmds) . '"');
ok(!$to, 'the boot ran every command and powered off');
like($out, qr/\] smp: Brought up 1 node, 4 CPUs$/m, 'four CPUs online');
like($out, qr/run: 11 command\(s\) failed/, 'exactly the eleven failing commands failed (7 kills, badelf, nosuch, usage, OOM)');
unlike($out, qr/Oops|Kernel panic|BUG: |general protection fault: /, 'no kernel fault, no panic');

# 1. hello: its pid, argv as passed, envp, the auxiliary vector (i386 words), status 0.
#    AT_ENTRY is the ELF32's e_entry (4 bytes at offset 24), AT_PHDR the headers at offset 52 of the first page.
my $entry = do { open(my $f, '<:raw', 'build/x86/user/bin/hello') or die; local $/; unpack('x24 V', <$f>) };
my $hello = run_section($out, 'exec hello a b');
my $tail = $hello =~ s/^(exec: .*\n)\z//m ? $1 : '';
is($hello,
   "hello from pid 1\nargv[0] = hello\nargv[1] = a\nargv[2] = b\nenvp[0] = HOME=/\nenvp[1] = TERM=linux\n" .
   sprintf("auxv: AT_PAGESZ 4096 AT_ENTRY 0x%x AT_PHDR 0x400034 AT_RANDOM present\n", $entry),
   'exec hello a b: pid, argv, envp and the auxiliary vector as the i386 ABI lays them out');
my ($hf, $hrss) = $tail =~ /^exec: hello \(pid 1\) exited with status 0; faults (\d+), peak rss (\d+) pages$/;
ok(defined $hf && $hf >= 1 && $hf <= 4 && $hrss == $hf + 1,
   'hello exits 0; its program pages came at first touch, one fault each, the stack top at exec (' .
   ($hf // '?') . ' faults, peak rss ' . ($hrss // '?') . ' pages)');

# 2. The timer keeps coming while the process computes in ring 3 (on CPU 1: exec places a process on
#    the least-loaded of CPUs 1-3, the lowest first).
my $t0 = irq_cpu(run_section($out, 'cat /proc/interrupts', 1), 'LOC', 1);
my $t1 = irq_cpu(run_section($out, 'cat /proc/interrupts', 2), 'LOC', 1);
like(run_section($out, 'exec spin 30'), qr/^spin: 30 million rounds done .*\nexec: spin \(pid 2\) exited with status 0;/,
     'exec spin 30: computes and exits 0');
cmp_ok($t1 - $t0, '>=', 5, "CPU1's local timer ticked during the ring-3 loop ($t0 -> $t1)");
# /proc/stat counts an AP's ticks in its idle loop as idle, the others as system: CPU 1's system
# ticks are the ticks that interrupted the process (ring 3, or its kernel work), CPU 2's stay put.
my ($s0, $s1) = (run_section($out, 'cat /proc/stat', 1), run_section($out, 'cat /proc/stat', 2));
my $sys = sub { my ($st, $cpu) = @_; return $st =~ /^cpu$cpu \d+ \d+ (\d+) /m ? $1 : -1; };
cmp_ok($sys->($s1, 1) - $sys->($s0, 1), '>=', 3, 'the ticks on CPU 1 during spin 30 found it running the process, not idle (' .
       $sys->($s0, 1) . ' -> ' . $sys->($s1, 1) . ')');
is($sys->($s1, 2), $sys->($s0, 2), "CPU 2, idle meanwhile, counted no system tick");

# 3. demandzero: 100 pages, 100 faults, all memory back after exit; no TLB shootdown IPI for it.
my $dz = run_section($out, 'exec demandzero 100');
like($dz, qr/^demandzero: 100 pages at 0x[0-9a-f]+ ok$/m, 'demandzero: every page read zero first, then kept its pattern');
my ($dzf) = $dz =~ /^exec: demandzero \(pid 3\) exited with status 0; faults (\d+), peak rss \d+ pages$/m;
ok(defined $dzf && $dzf > 100 && $dzf <= 106, "demandzero: exit 0 after 100 faults and its program pages' (" . ($dzf // '?') . ')');
my ($rss) = $dz =~ /peak rss (\d+) pages/;
ok(defined $rss && $rss >= 100 && $rss <= 110, 'peak RSS counts the 100 pages (' . ($rss // '?') . ')');
my ($m0, $m1) = (run_section($out, 'cat /proc/meminfo', 1), run_section($out, 'cat /proc/meminfo', 2));
my ($v0, $v1) = (run_section($out, 'cat /proc/vmstat', 1), run_section($out, 'cat /proc/vmstat', 2));
my $major = vmstat_count($v1, 'pgmajfault') - vmstat_count($v0, 'pgmajfault');
is(vmstat_count($v1, 'pgfault') - vmstat_count($v0, 'pgfault'), 100 + $major, "/proc/vmstat pgfault rose by 100 + the $major program pages");
is(100 + $major, $dzf // -1, "pgmajfault counts the program's pages read from the archive: the faults are 100 + $major");
cmp_ok(meminfo_kb($m0, 'MemFree'), '>', 0, 'MemFree read before');
is(meminfo_kb($m1, 'MemFree'), meminfo_kb($m0, 'MemFree'), 'MemFree after demandzero is its value before, to the page');
is(meminfo_kb($m1, 'PageTables'), meminfo_kb($m0, 'PageTables'), "PageTables too: the process's tables are freed");
my ($tlb0, $tlb1) = (irq_sum(run_section($out, 'cat /proc/interrupts', 2), 'TLB'), irq_sum(run_section($out, 'cat /proc/interrupts', 3), 'TLB'));
cmp_ok($tlb0, '>=', 0, 'the TLB shootdown row is there');
is($tlb1, $tlb0, 'demandzero and its munmap and exit sent no TLB shootdown IPI (only the running CPU holds user entries)');

# 4. Pages in GiBs whose PDPT entries did not exist when CR3 was loaded (0x7ff00000 spans GiBs 1 and 2),
#    and a GiB whose PMD is freed and made again within one process. Real CPUs keep the 4 PDPT entries
#    in registers from the CR3 load on; QEMU's TCG reads them from memory at each walk, so the pages
#    being right cannot show a missing reload: /sys/kernel/debug/pdpt counts the reloads pagoda makes.
like(run_section($out, 'exec demandzero 600 0x7ff00000'),
     qr/^demandzero: 600 pages at 0x7ff00000 ok\nexec: demandzero \(pid \d+\) exited with status 0; faults ${\(600 + $major)},/m,
     'demandzero across a new PDPT entry: CR3 reloaded after the new PMD, every page right');
like(run_section($out, 'exec demandzero 64 0x40000000 3'),
     qr/^(?:demandzero: 64 pages at 0x40000000 ok\n){3}exec: demandzero \(pid \d+\) exited with status 0; faults ${\(192 + $major)},/m,
     'three rounds in GiB 1: each munmap frees its PMD, each round makes a new one, every page right');
my ($p0, $p1) = (run_section($out, 'cat /sys/kernel/debug/pdpt', 1), run_section($out, 'cat /sys/kernel/debug/pdpt', 2));
is(vmstat_count($p1, 'cr3_reload_new_pdpte') - vmstat_count($p0, 'cr3_reload_new_pdpte'), 3 + 2,
   "a CR3 reload after the first fault of each round (its PDPT entry is new), and after each of the two runs' first program page (GiB 0's entry is made then), no other");
is(vmstat_count($p1, 'cr3_reload_tables') - vmstat_count($p0, 'cr3_reload_tables'), 3,
   'a CR3 reload after each munmap freed the PMD (no PDPT register may keep a freed table)');

# 5. Bad accesses: Linux's segfault line with x86's own error bits (NX too), status 139, and the shell carries on.
my $re = sub { my ($addr, $err) = @_;
    qr/badaccess\[\d+\]: segfault at $addr ip 00000000004[0-9a-f]{5} sp 00000000bfff[0-9a-f]{4} error $err in badaccess\[401000\+[0-9a-f]+\]\n/ };
like(run_section($out, 'exec badaccess null'), $re->('0', 6), 'write through NULL: segfault at 0, error 6 (user write, not present)');
like(run_section($out, 'exec badaccess text'), $re->('40[0-9a-f]{4}', 7), 'write to its text: error 7 (user write, protection)');
like(run_section($out, 'exec badaccess kernel'), $re->('c0000000', 5), 'read of a kernel address: error 5 (user read, protection)');
like(run_section($out, 'exec badaccess nx'), qr/badaccess\[\d+\]: segfault at (4[0-9a-f]{5}) ip 0000000000\1 sp 00000000bfff[0-9a-f]{4} error 15 in badaccess\[4[0-9a-f]{5}\+[0-9a-f]+\]\n/,
     'a call into rw- data: error 15 (user instruction fetch, protection: NX), at the data address');
like(run_section($out, "exec badaccess $_"), qr/^exec: badaccess \(pid \d+\) killed by SIGSEGV, status 139$/m,
     "badaccess $_: killed by SIGSEGV, status 139") for qw(null text kernel nx priv div0);
like(run_section($out, 'exec badaccess ill'), qr/^\[[^]]*\] traps: badaccess\[\d+\] trap invalid opcode ip:4[0-9a-f]{5} sp:bfff[0-9a-f]{4} error:0\n(?:.*\n)*exec: badaccess \(pid \d+\) killed by SIGILL, status 132$/m,
     '#UD (ud2): the traps line, SIGILL, status 132');
like(run_section($out, 'exec badaccess priv'), qr/ traps: badaccess\[\d+\] general protection fault ip:4[0-9a-f]{5} sp:bfff[0-9a-f]{4} error:0\n/,
     '#GP (hlt in ring 3): the traps line');
like(run_section($out, 'exec badaccess div0'), qr/ traps: badaccess\[\d+\] trap divide error ip:4[0-9a-f]{5} sp:bfff[0-9a-f]{4} error:0\n/,
     '#DE (7 / 0): the traps line');
unlike(run_section($out, "exec badaccess $_"), qr/still alive|7 \/ 0 =|returned/, "badaccess $_: the access did not go on")
    for qw(null text kernel nx ill priv div0);

# 6. write() through bad pointers returns -EFAULT (access_ok against TASK_SIZE, or the exception-table fixup).
my $ef = run_section($out, 'exec efault');
like($ef, qr/^efault: write\(1, 0x10, 5\) = -14$/m, 'write(1, 0x10, 5) = -EFAULT');
like($ef, qr/^efault: write\(1, 0xc0000000, 5\) = -14$/m, 'a kernel pointer: -EFAULT');
like($ef, qr/^efault: write\(1, 0x70000000, 5\) = -14$/m, 'an unmapped user pointer: -EFAULT');
like($ef, qr/^exec: efault \(pid \d+\) exited with status 0;/m, 'efault exits 0');

# 7. Refusals: one clear line each.
is(run_section($out, 'exec badelf'), "exec: badelf: not an executable: program headers outside the file\n",
   'a truncated ELF32 is refused with one line');
like(run_section($out, 'exec nosuch'), qr/^exec: nosuch: no such program in the initramfs; programs: hello demandzero badaccess efault spin cat memhog mprotecttest page-types virt2phys forktest cowtest usertests oomtest faultlat fptest sharedtest vmamany fuzz pidpagemap badelf\n\z/,
     'a missing program: one line listing what there is');
like(run_section($out, 'exec'), qr/^usage: exec PROG \[ARGS\] \[&\]; programs: hello/, 'exec alone: usage');

# 8. Out of memory: 2000 MiB on a 512 MiB machine — Linux's OOM report, SIGKILL, and all of it comes back.
my $oom = run_section($out, 'exec memhog 2000');
like($oom, qr/Out of memory: Killed process \d+ \(memhog\) total-vm:\d+kB, anon-rss:(\d+)kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0\n/,
     "memhog 2000: Linux's OOM killer line");
my ($anon) = $oom =~ /anon-rss:(\d+)kB/;
cmp_ok($anon // 0, '>', 0.95 * meminfo_kb($m0, 'MemFree'), 'the victim held nearly all of the free RAM (' . ($anon // '?') . ' kB)');
like($oom, qr/^exec: memhog \(pid \d+\) killed by SIGKILL, status 137$/m, 'memhog: killed by SIGKILL, status 137');
is(meminfo_kb(run_section($out, 'cat /proc/meminfo', 3), 'MemFree'), meminfo_kb($m0, 'MemFree'),
   'MemFree after the kills, refusals and the OOM kill is its value before, to the page');
is(meminfo_kb(run_section($out, 'cat /proc/meminfo', 3), 'PageTables'), meminfo_kb($m0, 'PageTables'), 'PageTables too');

# 9. mprotect (code written as data runs after PROT_EXEC: NX cleared), and the shell lives on.
like(run_section($out, 'exec mprotecttest'), qr/^mprotecttest: all passed\nexec: mprotecttest \(pid \d+\) exited with status 0;/m,
     'mprotecttest: every case passes on x86 (splits, merges, PROT_NONE, exec of written code, errors)');
like(run_section($out, 'exec hello again'), qr/^hello from pid \d+\nargv\[0\] = hello\nargv\[1\] = again\n/, 'the shell lives on');

# 10. /proc/self/maps and status, read by the process itself: i386 ld's four segments (r--, r-x, r--, rw-)
#     and the 128 KiB stack under the top page of the 3 GiB user range.
my $cat = run_section($out, 'exec cat /proc/self/maps /proc/self/status');
my @maps = grep { /^[0-9a-f]{8,}-/ } split /\n/, $cat;
is(scalar(@maps), 5, 'maps: four segments of the program and the stack') or diag($cat);
like($maps[1] // '', qr{^00401000-004[0-9a-f]{5} r-xp 00001000 00:00 0 {34}/cat$}, 'maps: the text, r-xp, named from column 73');
like($maps[-2] // '', qr{^004[0-9a-f]{5}-004[0-9a-f]{5} rw-p 00000000 00:00 0 {34}/cat$}, 'maps: the data and bss, rw-p');
like($maps[-1] // '', qr{^bffdf000-bffff000 rw-p 00000000 00:00 0 {34}\[stack\]$}, 'maps: the 128 KiB stack under the top page');
like($cat, qr/^VmStk:\t     128 kB\n/m, 'status: VmStk 128 kB');
like($cat, qr/^exec: cat \(pid \d+\) exited with status 0;/m, 'cat exits 0');

# 11. The KTAP suite (cpio reader, ELF checks, VMAs, brk, faults, pagemap) in the x86 kernel too.
like(run_section($out, 'selftest user_mm'), qr/^ok 1 user_mm$/m, 'selftest user_mm passes');
ktap_passthrough(run_section($out, 'selftest user_mm')) if $out !~ /^ok 1 user_mm$/m;

# 12. Processes under the scheduler (a second boot; the checks of user_proc.t where the figures are
#     the same; MemFree is read after an exec both times, which drains the per-CPU lists): three background spins, one on each of CPUs 1-3, seen by ps and ended by kill; a
#     foreground spin shares CPU 1 with one of them (a context switch between two ring-3 processes,
#     and back); usertests (fork/exec/wait, demand-zero, COW, -EFAULT, kill, nanosleep, the fork
#     bomb) exits 0; forktest's statuses; cowtest's figures; one spin stays on CPU 3 meanwhile, and
#     no user TLB flush sends it a shootdown IPI (each mm runs on one CPU: the mm cpumask is that
#     CPU alone); MemFree identical before and after. spin 4000: 4e9 rounds, the most a 32-bit
#     unsigned long counts (spin 5000 would wrap to 705 million and might end before its kill).
my @pcmds = ('exec hello', 'cat /proc/meminfo', 'exec spin 4000 &', 'exec spin 4000 &', 'exec spin 4000 &', 'ps',
             'exec spin 30', 'ps', 'kill 2', 'kill -9 3', 'kill 999', 'kill x1', 'ps', 'cat /proc/vmstat',
             'cat /proc/interrupts', 'exec usertests', 'exec forktest 50', 'exec cowtest', 'cat /proc/interrupts',
             'cat /proc/vmstat', 'kill 4', 'ps', 'exec hello', 'cat /proc/meminfo', 'exec hello');
my ($pout, $pst, $pto) = qemu_x86(smp => 4, timeout => 300, append => "$nokfence run=\"" . join('; ', @pcmds) . '"');
ok(!$pto, 'processes: the boot ran every command and powered off');
like($pout, qr/run: 2 command\(s\) failed/, 'processes: exactly the two bad kills failed');
unlike($pout, qr/Oops|Kernel panic|BUG: |general protection fault: |segfault|traps: /, 'processes: no kernel fault, no panic, no segfault');

like(run_section($pout, "exec spin 4000 &", $_), qr/^exec: spin \(pid ${\($_ + 1)}\) running in the background$/m,
     "exec spin 4000 & (pid ${\($_ + 1)}) returns at once") for 1 .. 3;
my $ps = run_section($pout, 'ps', 1);
like($ps, qr/^  PID  PPID S PSR   RSS COMMAND$/m, "ps: Linux's columns");
my %cpu = map { $_->[0] => $_->[1] } map { [ /^\s+(\d+)\s+0 R\s+(\d+)\s+\d+ spin$/ ] } grep { /spin$/ } split /\n/, $ps;
is(scalar(keys %cpu), 3, 'ps: the three spins, running (R), parent 0 (the shell)') or diag($ps);
is(join(',', sort values %cpu), '1,2,3', 'ps: one on each of CPUs 1-3 (least-loaded placement; CPU 0 runs the shell)');
like(run_section($pout, 'exec spin 30'), qr/^spin: 30 million rounds done .*\nexec: spin \(pid 5\) exited with status 0;/m,
     'exec spin 30 shares a CPU with a background spin, computes and exits 0');
like(run_section($pout, 'ps', 2), qr/^\s+2\s+0 R\s+1\s+\d+ spin$/m, '... and the spin it shared CPU 1 with runs on');

like(run_section($pout, 'kill 2'), qr/^exec: spin \(pid 2\) killed by SIGTERM, status 143$/m, 'kill 2: SIGTERM ends it, status 143');
like(run_section($pout, 'kill -9 3'), qr/^exec: spin \(pid 3\) killed by SIGKILL, status 137$/m, 'kill -9 3: SIGKILL, status 137');
is(run_section($pout, 'kill 999'), "kill: (999) - No such process\n", 'kill of a pid that does not exist: one line');
is(run_section($pout, 'kill x1'), "kill: x1: arguments must be process IDs\n", 'kill of a non-number: one line');
my $ps3 = run_section($pout, 'ps', 3);
ok($ps3 !~ /^\s+[23]\s/m && $ps3 =~ /^\s+4\s+0 R\s+3\s+\d+ spin$/m, 'ps after the kills: only pid 4 is left, on CPU 3') or diag($ps3);

my $ut = run_section($pout, 'exec usertests');
like($ut, qr/^usertests: $_ ok$/m, "usertests: $_") for qw(exitwait forkexec waiterrors demandzero cow shared efault kill sleep clone orphan forkbomb);
like($pout, qr/^usertests: orphan: reparented to the shell \(ppid 0\)$/m, "an orphan's parent is the shell (getppid 0)");
like($ut, qr/^usertests: forkbomb: 62 children, then fork said -11$/m, 'the fork bomb: 62 children (64 processes with usertests and the spin), then -EAGAIN');
like($ut, qr/^usertests: ALL TESTS PASSED\nexec: usertests \(pid \d+\) exited with status 0;/m, 'usertests exits 0');
like(run_section($pout, 'exec forktest 50'), qr/^forktest: 50 children, every exit status right\nexec: forktest \(pid \d+\) exited with status 0;/m,
     'forktest 50: every wait4 status right, exit 0');

my $cow = run_section($pout, 'exec cowtest');
like($cow, qr/^cowtest: ok\nexec: cowtest \(pid \d+\) exited with status 0;/m, 'cowtest exits 0') or diag($cow);
my ($drop, $forkpages, $pte) =
    $cow =~ /^cowtest: fork of a 64 MiB process: MemFree \d+ -> \d+ kB \(-(\d+) kB\), (\d+) pages allocated, child's page tables (\d+) kB$/m;
ok(defined $pte && $forkpages * 4 <= $pte + 64 + 32, "the fork allocated " . ($forkpages // '?') . " pages: its " . ($pte // '?') . " kB of page tables, a kernel stack and a few more") or diag($cow);
ok(defined $drop && $drop < 1024, "MemFree fell by " . ($drop // '?') . " kB at the fork of 64 MiB (under 1 MiB: nothing copied)");
my ($ca, $cb) = $cow =~ /^cowtest: child wrote 256 pages: (\d+) copied \(cow_fault\), (\d+) pages allocated, MemFree -\d+ kB$/m;
is($ca, 256, "the child's 256 written pages are 256 copies");
is($cb, 256, '... which allocated 256 pages');
my ($ga, $gb) = $cow =~ /^cowtest: grandchild wrote 256 pages: (\d+) copied \(cow_fault\), (\d+) pages allocated$/m;
is($ga, 256, "the grandchild's too (third generation)");
is($gb, 256, '... which allocated 256 pages');
my ($pa, $pb) = $cow =~ /^cowtest: parent wrote 256 pages after its children exited: (\d+) made writable in place \(cow_reuse\), (\d+) pages allocated$/m;
is($pa, 256, 'the parent then writes in place: 256 reuses');
is($pb, 0, '... allocating no page');
my ($pv0, $pv1) = (run_section($pout, 'cat /proc/vmstat', 1), run_section($pout, 'cat /proc/vmstat', 2));
cmp_ok(vmstat_count($pv1, 'cow_fault') - vmstat_count($pv0, 'cow_fault'), '>=', 512, '/proc/vmstat cow_fault counts the copies');
cmp_ok(vmstat_count($pv1, 'cow_reuse') - vmstat_count($pv0, 'cow_reuse'), '>=', 256, '/proc/vmstat cow_reuse counts the writes in place');
my ($ptlb0, $ptlb1) = (irq_sum(run_section($pout, 'cat /proc/interrupts', 1), 'TLB'), irq_sum(run_section($pout, 'cat /proc/interrupts', 2), 'TLB'));
cmp_ok($ptlb0, '>=', 0, 'the TLB shootdown row is there');
is($ptlb1, $ptlb0, "usertests, forktest and cowtest (munmaps, COW, exits) sent no TLB shootdown IPI, a spin running on CPU 3 all along");

like(run_section($pout, 'kill 4'), qr/^exec: spin \(pid 4\) killed by SIGTERM/m, 'kill 4');
check_processes_gone($pout, 4, 3);

# The OOM killer on x86 too: the child holding 300 MiB of 512 is killed, not the parent that faults.
{
    my ($o, $ost, $oto) = qemu_x86(smp => 4, timeout => 120, append => 'run="exec oomtest 300 250"');
    my ($child) = $o =~ /^oomtest: child (\d+) holds 300 MiB; parent writes 250 MiB$/m;
    like($o, qr/Out of memory: Killed process ${\($child \/\/ -1)} \(oomtest\) /, 'oomtest: the largest process (the child) is the victim');
    like($o, qr/^exec: oomtest \(pid \d+\) exited with status 0;/m, 'oomtest: the parent finishes, status 0');
}

# Shared anonymous memory across fork (SMP on: the children run on other CPUs than their parent):
# user/sharedtest's checks and figures, MemFree back to the page, the shmem KTAP suite.
sharedtest_checks('x86', run_section($out, 'exec sharedtest'), run_section($out, 'cat /proc/meminfo', 4),
                  run_section($out, 'cat /proc/meminfo', 5), run_section($out, 'selftest shmem'));
ktap_passthrough(run_section($out, 'selftest shmem')) if $out !~ /^ok 1 shmem$/m;

done_testing();
