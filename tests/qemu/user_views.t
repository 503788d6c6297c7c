#!/usr/bin/perl
# user_views.t: the views and address-space details of issue 16 on raspi3b — mprotect (splits and
# merges in /proc/self/maps, the faults it causes), /proc/self/pagemap against the process's own page
# tables, /proc/kpagecount and /proc/kpageflags, page-types' table and its buddy row against
# /proc/buddyinfo, 10000 VMAs in /proc/self/maps (vmamany), a child's /proc/PID/pagemap read by its
# parent (pidpagemap), ASID rollover with a tiny ASID space, and asid_bits='s refusal of a bad value.
use strict;
use warnings;
no warnings 'portable';	# 64-bit addresses through hex()
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;


my @cmds = ('exec mprotecttest', 'exec mprotecttest ro', 'exec mprotecttest none', 'exec virt2phys -t',
            'exec cat /proc/self/page_tables', 'exec page-types --buddyinfo', 'exec page-types -r -a 0,+1', 'exec page-types -a 1,0',
            'selftest user_mm', 'exec vmamany', 'exec pidpagemap');
my ($out, $st, $to) = qemu_arm64(timeout => 120, append => 'run="' . join('; ', @cmds) . '"');
ok(!$to, 'the boot ran every command and powered off');
like($out, qr/run: 3 command\(s\) failed/, 'exactly the three failing commands failed (2 segfaults, a bad range)');
unlike($out, qr/Oops|Kernel panic|Unable to handle kernel/, 'no kernel fault, no panic');

# 1. mprotect: splits and merges (counted in /proc/self/maps), PROT_NONE, PROT_EXEC on data, W^X, errors.
my $mp = run_section($out, 'exec mprotecttest');
like($mp, qr/^mprotecttest: vmas (\d+), split (\d+), merged (\d+)$/m, 'mprotecttest printed its VMA counts');
my ($n0, $n1, $n2) = $mp =~ /vmas (\d+), split (\d+), merged (\d+)/;
is(($n1 // 0) - ($n0 // 0), 2, "a read-only middle page splits one VMA into three ($n0 -> $n1)");
is($n2, $n0, 'making it writable again merges them back into one');
unlike($mp, qr/FAILED/, 'every mprotecttest check passed') or diag($mp);
like($mp, qr/^mprotecttest: the code written as data runs and returns 42: ok$/m, 'PROT_EXEC on data: the code runs');
like($mp, qr/^exec: mprotecttest \(pid \d+\) exited with status 0;/m, 'mprotecttest exits 0');
my $seg = sub { my ($err) = @_;
    qr/mprotecttest\[\d+\]: segfault at ([0-9a-f]+) ip [0-9a-f]{16} sp [0-9a-f]{16} error $err in mprotecttest\[400000\+[0-9a-f]+\]\n/ };
my $ro = run_section($out, 'exec mprotecttest ro');
like($ro, $seg->(7), 'a write to a page made read-only: segfault, error 7 (user write to a present page)');
my ($roaddr) = $ro =~ /read-only page at 0x([0-9a-f]+)/;
my ($rofault) = $ro =~ $seg->(7);
is($rofault, $roaddr, 'the fault address is the page made read-only');
like($ro, qr/reads 7; writing/, 'the page stayed readable with its contents');
like(run_section($out, 'exec mprotecttest none'), $seg->(5), 'a read of a PROT_NONE page: segfault, error 5 (user read, present)');
like(run_section($out, "exec mprotecttest $_"), qr/^exec: mprotecttest \(pid \d+\) killed by SIGSEGV, status 139$/m,
     "mprotecttest $_: killed by SIGSEGV") for qw(ro none);

# 2. virt2phys: every present VA's PFN (from pagemap) is what the process's page tables map it to
#    (/proc/self/page_tables, the generic walk's dump with the PA column, read by the same process
#    while it lives); untouched pages are not present and fall in a hole of the dump.
my $v2p = run_section($out, 'exec virt2phys -t');
my (@runs, @lines);
for (split /\n/, $v2p) {
    next unless /^0x([0-9a-f]{16})-0x([0-9a-f]{16})\s+\d+[KMGTPE] (PGD|PUD|PMD|PTE)(.*?)(?: -> 0x([0-9a-f]{16}))?$/;
    push @runs, { s => hex($1), e => hex($2), attr => $4, pa => defined $5 ? hex($5) : undef };
}
cmp_ok(scalar(@runs), '>=', 8, 'virt2phys -t printed its page tables (' . scalar(@runs) . ' runs)');
sub run_of { my ($va) = @_; for (@runs) { return $_ if $va >= $_->{s} && ($va < $_->{e} || $_->{e} == 0) } return undef; }
my ($present, $absent) = (0, 0);
for (split /\n/, $v2p) {
    if (/^virt2phys: (\S+) 0x([0-9a-f]+) -> PFN 0x([0-9a-f]+) PA 0x([0-9a-f]+) exclusive count (\d+) flags 0x([0-9a-f]+)$/) {
        my ($name, $va, $pfn, $pa, $count, $flags) = ($1, hex($2), hex($3), hex($4), $5, hex($6));
        my $r = run_of($va);
        ok($r && defined $r->{pa}, "$name: mapped in the page tables");
        is(sprintf('%x', $r && defined $r->{pa} ? $r->{pa} + ($va - $r->{s}) : 0), sprintf('%x', $pa),
           "$name: pagemap's PFN 0x" . sprintf('%x', $pfn) . ' is the page-table walk\'s');
        is($count, 1, "$name: /proc/kpagecount is 1");
        is($flags & 0x1c00, 0x1800, "$name: /proc/kpageflags has mmap and anonymous, not buddy");
        $present++;
    } elsif (/^virt2phys: (\S+) 0x([0-9a-f]+) not present$/) {
        my $r = run_of(hex($2));
        ok($r && !defined $r->{pa}, "$1: not present, and a hole in the page tables");
        $absent++;
    }
}
is($present, 5, 'virt2phys: text, stack, heap0, mmap0, mmap2 present');
is($absent, 3, 'virt2phys: heap1, mmap1, mmap3 (never touched) not present');
my ($text) = grep { defined $_->{pa} && $_->{s} == 0x400000 } @runs;
like($text ? $text->{attr} : '', qr/^\s+USR ro NX SHD AF NG {4}\s+ {3}\s+MEM\/NORMAL$/,
     'the text: user, read-only, executable at EL0 (no UXN), nG');
ok(scalar(grep { defined $_->{pa} && $_->{attr} =~ /USR RW NX SHD AF NG .* UXN / } @runs) >= 3,
   'data, heap, mmap and stack: user RW, UXN, nG');
like($v2p, qr/^---\[ User Space \]---$/m, 'the dump starts with its marker');
like($v2p, qr/^exec: virt2phys \(pid \d+\) exited with status 0;/m, 'virt2phys exits 0');

# 2b. The dump read with cat: text r-x (ro, executable at EL0), data rw- (UXN), the stack's top page; all nG, USR.
my $ptab = run_section($out, 'exec cat /proc/self/page_tables');
like($ptab, qr/^0x0000000000400000-0x0000000000401000 +4K PTE +USR ro NX SHD AF NG {4} +MEM\/NORMAL -> 0x[0-9a-f]{16}$/m,
     "cat's text: user, read-only, no UXN (r-x), nG")
    or diag($ptab);
like($ptab, qr/^0x0000000000402000-0x0000000000403000 +4K PTE +USR RW NX SHD AF NG +UXN +MEM\/NORMAL -> /m,
     "cat's data: user RW, UXN (rw-), nG");
like($ptab, qr/^0x0000ffffffffe000-0x0000fffffffff000 +4K PTE +USR RW NX SHD AF NG +UXN +MEM\/NORMAL -> /m,
     'the top page of the stack: user RW, UXN, nG');
my @mapped = grep { / -> 0x/ } split /\n/, $ptab;
cmp_ok(scalar(@mapped), '>=', 3, 'the dump has mapped runs with the PA column');
is(scalar(grep { !/ PTE +USR .* NG / } @mapped), 0, 'every mapped run is a user page, nG');

# 3. page-types: Linux's header and layout; the buddy row counts the free blocks' heads, which is
#    /proc/buddyinfo's sum, read by page-types right before its scan. Exact: the program faults
#    in all its buffers before that read, and the scan itself allocates nothing (pread renders into
#    a kernel-stack buffer), nothing else runs (the other CPUs idle in the shell's wait), so no
#    block moves between the two reads; per-CPU-list pages are in neither (Linux: no flag).
my $pt = run_section($out, 'exec page-types --buddyinfo');
like($pt, qr/^             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n/,
     "page-types: Linux's header line");
my ($bheads, $bblocks) = $pt =~ /^page-types: buddy heads (\d+), \/proc\/buddyinfo free blocks (\d+)$/m;
ok(defined $bblocks && $bblocks > 0, 'page-types read /proc/buddyinfo (' . ($bblocks // '?') . ' free blocks)');
is($bheads, $bblocks, 'the buddy row counts exactly the free blocks /proc/buddyinfo lists');
my ($brow) = $pt =~ /^0x0000000000000400\t\s*(\d+) +\d+  __________B_{32}\tbuddy$/m;
is($brow, $bheads, 'the row 0x400 (B, buddy) has that count');
my $sum = 0;
$sum += $1 while $pt =~ /^0x[0-9a-f]{16}\t\s*(\d+) /mg;
my ($total, $mb) = $pt =~ /^             total\t\s*(\d+)\s+(\d+)$/m;
is($sum, $total, 'the rows add up to the total');
is($total, 245760, 'the total: every PFN of the 960 MiB of RAM');
is($mb, 960, 'total MB 960');
my ($anon) = $pt =~ /^0x0000000000001800\t\s*(\d+) +\d+  ___________Ma_{30}\tmmap,anonymous$/m;
my ($ptrss) = $pt =~ /^exec: page-types \(pid \d+\) exited with status 0; faults \d+, peak rss (\d+) pages$/m;
ok(defined $anon && defined $ptrss, 'a row of mapped anonymous pages, and page-types exited 0');
is($anon, $ptrss, "the mmap,anonymous row is page-types' own RSS, the only user pages there are ("
   . ($anon // '?') . ' pages)');
like(run_section($out, 'exec page-types -r -a 0,+1'), qr/^0x0000000100000000\t\s+1 +0  _{27}r_{15}\treserved$/m,
     'page-types -r: PFN 0 (the spin table) is reserved, a kernel-hacker bit shown only raw');
like(run_section($out, 'exec page-types -a 1,0'), qr/^usage: page-types /, 'a bad range: usage');

# 4. The KTAP cases (split/merge, the encoders, pagemap of an mm).
like(run_section($out, 'selftest user_mm'), qr/^ok 1 user_mm$/m, 'selftest user_mm passes');
ktap_passthrough(run_section($out, 'selftest user_mm')) if $out !~ /^ok 1 user_mm$/m;

# 4b. Many VMAs (the red-black tree): one mapping made 10000 VMAs by mprotect of every other page,
#     each line of /proc/self/maps the next page with its protection; mprotect back merges them into
#     one, munmap leaves none.
my $vm = run_section($out, 'exec vmamany');
like($vm, qr/^vmamany: 10000 VMAs in \/proc\/self\/maps \((\d+) lines\), each page in order with its protection$/m,
     'vmamany: 10000 VMAs, each in /proc/self/maps') or diag($vm);
like($vm, qr/^vmamany: mprotect back: merged into 1 \(\d+ lines\)\n/m, 'vmamany: mprotect back merges them into one');
like($vm, qr/^exec: vmamany \(pid \d+\) exited with status 0;/m, 'vmamany: munmap leaves none; exits 0');

# 4c. Another process's pagemap: the parent reads /proc/CHILD/pagemap at a page the child wrote
#     (its copy-on-write copy): present, exclusive, the PFN the child read in its own pagemap, not
#     the parent's; after the child is reaped the open file reads as empty and a new open is ENOENT.
my $pm = run_section($out, 'exec pidpagemap');
my ($cpid, $cpfn) = $pm =~ /^pidpagemap: child (\d+): VA 0x[0-9a-f]+ PFN (0x[0-9a-f]+)$/m;
my ($ppid, $ppfn, $own) = $pm =~ /^pidpagemap: parent reads \/proc\/(\d+)\/pagemap: VA 0x[0-9a-f]+ PFN (0x[0-9a-f]+) exclusive; its own PFN (0x[0-9a-f]+)$/m;
ok(defined $cpfn && defined $ppfn && $cpfn eq $ppfn && $cpid == $ppid,
   "/proc/PID/pagemap: the parent reads the child's PFN (" . ($ppfn // '?') . ' = ' . ($cpfn // '?') . ')') or diag($pm);
isnt($own // '', $ppfn // '', "the parent's own PFN differs (the child's write copied the page)");
like($pm, qr/^pidpagemap: after the child is gone: read 0, open -2$/m, 'after the child is gone: EOF, and ENOENT at a new open');
like($pm, qr/^exec: pidpagemap \(pid \d+\) exited with status 0;/m, 'pidpagemap exits 0');

# 5. ASID rollover: with 4 ASID bits (15 ASIDs), 40 execs in a row all succeed and the generation
#    rolls over; programs still run right after (mprotect's flushes by ASID included).
my $n = 40;
($out, $st, $to) = qemu_arm64(timeout => 120, append => 'asid_bits=4 run="cat /sys/kernel/debug/asid; ' .
                              join('', map { 'exec hello; ' } 1 .. $n) . 'cat /sys/kernel/debug/asid; exec mprotecttest"');
ok(!$to, 'the rollover boot ran every command');
my @ok = $out =~ /^exec: hello \(pid \d+\) exited with status 0;/mg;
is(scalar(@ok), $n, "all $n execs succeeded");
like(run_section($out, 'cat /sys/kernel/debug/asid', 1), qr/^asid_bits 4\ngeneration 1\nrollovers 0\n/, 'asid_bits=4 taken; no rollover yet');
my ($rolls) = run_section($out, 'cat /sys/kernel/debug/asid', 2) =~ /^rollovers (\d+)$/m;
cmp_ok($rolls // 0, '>=', 2, "rollovers after $n execs with 15 ASIDs: " . ($rolls // '?'));
like(run_section($out, 'exec mprotecttest'), qr/^mprotecttest: all passed$/m, 'mprotecttest passes after the rollovers');
# Every change to a process's tables was flushed by its ASID (TLBI VAE1IS/ASIDE1IS), not for all.
my ($f1) = run_section($out, 'cat /sys/kernel/debug/asid', 1) =~ /^flushes_by_asid (\d+)$/m;
my ($f2) = run_section($out, 'cat /sys/kernel/debug/asid', 2) =~ /^flushes_by_asid (\d+)$/m;
cmp_ok(($f2 // 0) - ($f1 // 0), '>=', $n, "$n execs and exits flushed by ASID (" . ($f1 // '?') . ' -> ' . ($f2 // '?') . ')');

# 6. A bad asid_bits: one line, the hardware's width kept.
($out, $st, $to) = qemu_arm64(timeout => 60, append => 'asid_bits=2 run="cat /sys/kernel/debug/asid"');
like($out, qr/^\[\s*\d+\.\d+\] asid_bits=2: expected a number of ASID bits from 4 to (8|16) \(.*\); keeping \1$/m,
     'asid_bits=2: one line saying why');
my ($hw) = $out =~ /keeping (\d+)$/m;
like(run_section($out, 'cat /sys/kernel/debug/asid'), qr/^asid_bits \Q${\($hw \/\/ '?')}\E\n/, 'the default width stays');

done_testing();
