#!/usr/bin/perl
# user.t: user processes on raspi3b (issue 16, first slice) — exec runs the initramfs's programs at EL0
# with Linux's stack and syscalls; demand-zero faults cost one fault and one page each and all come back
# at exit; bad accesses get Linux's segfault line and the shell lives; bad pointers in write() give
# -EFAULT; running out of memory kills the process with Linux's OOM line and gives everything back;
# a malformed ELF and a missing program get one clear line; the user_mm KTAP suite passes; shared anonymous
# memory across fork (sharedtest, the shmem KTAP suite) with MemFree back to the page.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Sharedtest;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

sub timer_cpu0 { my ($s) = @_; return $s =~ /^\s*3:\s+(\d+)\s/m ? $1 : -1; }

my @cmds = ('exec hello a b', 'cat /proc/interrupts', 'exec spin 30', 'cat /proc/interrupts',
            'cat /proc/meminfo', 'cat /proc/vmstat', 'exec demandzero 100', 'cat /proc/meminfo',
            'cat /proc/vmstat', 'exec badaccess null', 'exec badaccess text', 'exec badaccess kernel',
            'exec efault', 'exec badelf', 'exec nosuch', 'exec', 'exec memhog 2000', 'cat /proc/meminfo',
            'exec hello again',
            'exec cat /proc/self/maps /proc/self/status', 'exec cat /proc/1/maps', 'selftest user_mm',
            'exec hello', 'cat /proc/meminfo', 'exec sharedtest', 'cat /proc/meminfo', 'selftest shmem');
my ($out, $st, $to) = qemu_arm64(timeout => 120, append => 'run="' . join('; ', @cmds) . '"');
ok(!$to, 'the boot ran every command and powered off');
like($out, qr/run: 8 command\(s\) failed/, 'exactly the eight failing commands failed (3 segfaults, badelf, nosuch, usage, OOM, cat of a gone pid)');
unlike($out, qr/Oops|Kernel panic|Unable to handle kernel/, 'no kernel fault, no panic');

# 1. hello: its pid, argv as passed, Linux's envp for init, the auxiliary vector, status 0.
#    AT_ENTRY is the ELF's e_entry (8 bytes at offset 24), AT_PHDR the headers at offset 64 of the text.
my $entry = do { open(my $f, '<:raw', 'build/arm64/user/bin/hello') or die; local $/; unpack('x24 Q<', <$f>) };
my $hello = run_section($out, 'exec hello a b');
my $tail = $hello =~ s/^(exec: .*\n)\z//m ? $1 : '';
is($hello,
   "hello from pid 1\nargv[0] = hello\nargv[1] = a\nargv[2] = b\nenvp[0] = HOME=/\nenvp[1] = TERM=linux\n" .
   sprintf("auxv: AT_PAGESZ 4096 AT_ENTRY 0x%x AT_PHDR 0x400040 AT_RANDOM present\n", $entry),
   'exec hello a b: pid, argv, envp and the auxiliary vector as Linux lays them out');
my ($hf, $hrss) = $tail =~ /^exec: hello \(pid 1\) exited with status 0; faults (\d+), peak rss (\d+) pages$/;
ok(defined $hf && $hf >= 1 && $hf <= 4 && $hrss == $hf + 1,
   'hello exits 0; its program pages came at first touch, one fault each, the stack top at exec (' .
   ($hf // '?') . ' faults, peak rss ' . ($hrss // '?') . ' pages)');

# 2. IRQs keep coming while the process computes at EL0 (the lower-EL IRQ vector).
my $t0 = timer_cpu0(run_section($out, 'cat /proc/interrupts', 1));
my $t1 = timer_cpu0(run_section($out, 'cat /proc/interrupts', 2));
like(run_section($out, 'exec spin 30'), qr/^spin: 30 million rounds done .*\nexec: spin \(pid 2\) exited with status 0;/,
     'exec spin 30: computes and exits 0');
cmp_ok($t1 - $t0, '>=', 5, "CPU0's timer ticked during the user loop ($t0 -> $t1)");

# 3. demandzero: 100 pages, 100 faults, all memory back after exit.
my $dz = run_section($out, 'exec demandzero 100');
like($dz, qr/^demandzero: 100 pages at 0x[0-9a-f]+ ok$/m, 'demandzero: every page read zero first, then kept its pattern');
my ($dzf) = $dz =~ /^exec: demandzero \(pid 3\) exited with status 0; faults (\d+), peak rss \d+ pages$/m;
ok(defined $dzf && $dzf > 100 && $dzf <= 106, 'demandzero: exit 0 after 100 faults and its program pages\' (' . ($dzf // '?') . ')');
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

# 4. Bad accesses: Linux's segfault line, status 139, and the shell carries on.
my $re = sub { my ($addr, $err) = @_;
    qr/badaccess\[\d+\]: segfault at $addr ip [0-9a-f]{16} sp 0000ffffffff[0-9a-f]{4} error $err in badaccess\[400000\+[0-9a-f]+\]\n/ };
like(run_section($out, 'exec badaccess null'), $re->('0', 6), 'write through NULL: segfault at 0, error 6 (user write, not present)');
like(run_section($out, 'exec badaccess text'), $re->('40[0-9a-f]{4}', 7), 'write to its text: error 7 (user write, protection)');
like(run_section($out, 'exec badaccess kernel'), $re->('ffff000000000000', 5), 'read of a kernel address: error 5');
like(run_section($out, "exec badaccess $_"), qr/^exec: badaccess \(pid \d+\) killed by SIGSEGV, status 139$/m,
     "badaccess $_: killed by SIGSEGV, status 139") for qw(null text kernel);
unlike(run_section($out, "exec badaccess $_"), qr/still alive/, "badaccess $_: the access did not go on") for qw(null text kernel);

# 5. write() through bad pointers returns -EFAULT.
my $ef = run_section($out, 'exec efault');
like($ef, qr/^efault: write\(1, 0x10, 5\) = -14$/m, 'write(1, 0x10, 5) = -EFAULT');
like($ef, qr/^efault: write\(1, 0xffff000000000000, 5\) = -14$/m, 'a kernel pointer: -EFAULT');
like($ef, qr/^efault: write\(1, 0x7fff00000000, 5\) = -14$/m, 'an unmapped user pointer: -EFAULT');
like($ef, qr/^exec: efault \(pid \d+\) exited with status 0;/m, 'efault exits 0');

# 6. Refusals: one clear line each.
is(run_section($out, 'exec badelf'), "exec: badelf: not an executable: program headers outside the file\n",
   'a truncated ELF is refused with one line');
like(run_section($out, 'exec nosuch'), qr/^exec: nosuch: no such program in the initramfs; programs: hello demandzero badaccess efault spin cat memhog mprotecttest page-types virt2phys forktest cowtest usertests oomtest faultlat fptest sharedtest vmamany fuzz pidpagemap badelf\n\z/,
     'a missing program: one line listing what there is');
like(run_section($out, 'exec'), qr/^usage: exec PROG \[ARGS\] \[&\]; programs: hello/, 'exec alone: usage');

# 7. Out of memory: 2000 MiB on a 1 GiB machine — Linux's OOM report, SIGKILL, and all of it comes back.
my $oom = run_section($out, 'exec memhog 2000');
like($oom, qr/Out of memory: Killed process \d+ \(memhog\) total-vm:\d+kB, anon-rss:(\d+)kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0\n/,
     "memhog 2000: Linux's OOM killer line");
my ($anon) = $oom =~ /anon-rss:(\d+)kB/;
my $free0 = meminfo_kb($m0, 'MemFree');	# what there was to take (the KASAN kernel's shadow has 1/8 of RAM)
cmp_ok($anon // 0, '>', 0.95 * $free0, "the victim held nearly all of the free RAM (" . ($anon // '?') . " of $free0 kB)");
like($oom, qr/^exec: memhog \(pid \d+\) killed by SIGKILL, status 137$/m, 'memhog: killed by SIGKILL, status 137');

# 8. After everything (killed processes too), memory is where it was; the shell still runs programs.
is(meminfo_kb(run_section($out, 'cat /proc/meminfo', 3), 'MemFree'), meminfo_kb($m0, 'MemFree'),
   'MemFree after the segfaults, refusals and the OOM kill is its value before, to the page');
is(meminfo_kb(run_section($out, 'cat /proc/meminfo', 3), 'PageTables'), meminfo_kb($m0, 'PageTables'),
   'PageTables too');
like(run_section($out, 'exec hello again'), qr/^hello from pid \d+\nargv\[0\] = hello\nargv\[1\] = again\n/, 'the shell lives on');

# 9. /proc/self/maps and /proc/self/status, read by the process itself (openat/read/close): Linux's
#    layout, the name in column 73; a pid that is gone has no files.
my $cat = run_section($out, 'exec cat /proc/self/maps /proc/self/status');
my @maps = grep { /^[0-9a-f]{8,}-/ } split /\n/, $cat;
is(scalar(@maps), 3, 'maps: text, data and stack') or diag($cat);
like($maps[0] // '', qr{^00400000-00402000 r-xp 00000000 00:00 0 {34}/cat$}, 'maps: the text, r-xp, named from column 73');
like($maps[1] // '', qr{^00402000-00403000 rw-p 00000000 00:00 0 {34}/cat$}, 'maps: the data and bss, rw-p');
like($maps[2] // '', qr{^fffffffdf000-fffffffff000 rw-p 00000000 00:00 0 {26}\[stack\]$}, 'maps: the 128 KiB stack under the top page');
my ($pid) = $cat =~ /^exec: cat \(pid (\d+)\) exited with status 0;/m;
like($cat, qr/^Pid:\t\Q${\($pid \/\/ '?')}\E\n/m, "status: the process's pid");
like($cat, qr/^VmStk:\t     128 kB\n/m, 'status: VmStk 128 kB');
like($cat, qr/^VmRSS:\t +\d+ kB\n(?:.*\n)*VmPTE:\t      28 kB$/m, 'status: VmRSS, and VmPTE: 7 tables (a root, a path to the text and one to the stack)');
like(run_section($out, 'exec cat /proc/1/maps'), qr/^cat: \/proc\/1\/maps: error 2\n/, '/proc/1/maps after pid 1 exited: ENOENT');

# 10. The KTAP suite (cpio reader, ELF checks, VMAs, brk, faults) in the kernel too.
like(run_section($out, 'selftest user_mm'), qr/^ok 1 user_mm$/m, 'selftest user_mm passes');
ktap_passthrough(run_section($out, 'selftest user_mm')) if $out !~ /^ok 1 user_mm$/m;

# Shared anonymous memory across fork (SMP on: the children run on other CPUs than their parent):
# user/sharedtest's checks and figures, MemFree back to the page, the shmem KTAP suite.
sharedtest_checks('arm64', run_section($out, 'exec sharedtest'), run_section($out, 'cat /proc/meminfo', 4),
                  run_section($out, 'cat /proc/meminfo', 5), run_section($out, 'selftest shmem'));
ktap_passthrough(run_section($out, 'selftest shmem')) if $out !~ /^ok 1 shmem$/m;

done_testing();
