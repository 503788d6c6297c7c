# Sharedtest.pm: the checks of user/sharedtest's output (shared anonymous memory across fork), the same on both arches.
package Sharedtest;
use strict;
use warnings;
use Exporter 'import';
use Test::More;
our @EXPORT = qw(sharedtest_checks);

sub kb { my ($s, $k) = @_; return $s =~ /^\Q$k\E:\s+(\d+) kB$/m ? $1 : -1; }

# sharedtest_checks(ARCH, OUT, MEMINFO_BEFORE, MEMINFO_AFTER, KTAP): OUT is what `exec sharedtest`
# printed, the meminfos were read right before and after it (each after an exec), KTAP is what
# `selftest shmem` printed.
sub sharedtest_checks {
    my ($arch, $out, $m0, $m1, $ktap) = @_;
    like($out, qr/^sharedtest: ok\nexec: sharedtest \(pid \d+\) exited with status 0;/m, "$arch: sharedtest exits 0: every check held")
        or diag($out);
    like($out, qr{^sharedtest: maps: [0-9a-f]{8,}-[0-9a-f]{8,} rw-s 00000000 00:01 \d+ +/dev/zero \(deleted\)$}m,
         "$arch: maps: the shared region is rw-s, 00:01 and an inode, /dev/zero (deleted) as on Linux");
    like($out, qr/^sharedtest: mmap\(MAP_SHARED, fd 0\) = -19, closed fd 13 = -9, no MAP_SHARED\/PRIVATE = -22$/m,
         "$arch: a file mapping is -ENODEV (-EBADF for a closed fd), no type -EINVAL");
    my @c = $out =~ /^sharedtest: child: RssShmem (\d+) kB after fork; read 16 shared pages: (\d+) pages allocated; wrote them: (\d+) copied \(cow_fault\), (\d+) allocated; wrote 16 private pages: (\d+) copied; RssShmem (\d+) kB, VmRSS (\d+) kB$/m;
    is($c[0] // -1, 0, "$arch: the fork child has no PTE in the shared region (RssShmem 0 kB)");
    ok(defined $c[1] && $c[1] >= 8 && $c[1] <= 16, "$arch: the child's reads allocate the 8 shared pages nobody touched (" . ($c[1] // '?') . ')');
    is($c[2] // -1, 0, "$arch: the child's 16 shared writes copy nothing (cow_fault unchanged)");
    is($c[4] // -1, 16, "$arch: its 16 private writes copy one page each");
    is($c[5] // -1, 64, "$arch: RssShmem 64 kB in the child");
    my ($pa, $ps) = $out =~ /^sharedtest: parent: sees the child's 16 shared pages: (\d+) pages allocated, RssShmem (\d+) kB$/m;
    ok(defined $pa && $pa <= 8, "$arch: the parent maps the child's pages without allocating them again (" . ($pa // '?') . ')');
    is($ps // -1, 64, "$arch: RssShmem 64 kB in the parent");
    my ($pfn, $ppfn, $cnt, $flags) = $out =~ /^sharedtest: child2: shared page 0 at PFN (0x[0-9a-f]+) \(the parent's (0x[0-9a-f]+)\), kpagecount (\d+),(.*?) \d+ pages allocated$/m;
    ok(defined $pfn && $pfn eq $ppfn, "$arch: the second child maps the parent's physical page (" . ($pfn // '?') . ')');
    is($cnt // -1, 2, "$arch: kpagecount 2 while both map it");
    is($flags // '', ' file/shared', "$arch: pagemap: the file/shared-anon bit, not exclusive");
    my ($cpus, $lost) = $out =~ /^sharedtest: 3 children on CPUs (\d \d \d) faulted the same 255 fresh pages at once, 8 times: (\d+) writes lost$/m;
    my %cpus = map { $_ => 1 } split / /, $cpus // '';
    cmp_ok(scalar(keys %cpus), '>=', 2, "$arch: the racing children ran on CPUs " . ($cpus // '?'));
    is($lost // -1, 0, "$arch: faulting the same fresh shared pages at once on several CPUs makes one page per index: no write lost");
    my ($fa, $fpte, $ra, $rs) = $out =~ /^sharedtest: fork of a process with 64 MiB shared written: (\d+) pages allocated, child's page tables (\d+) kB; reading the 64 MiB: (\d+) pages allocated, RssShmem (\d+) kB$/m;
    ok(defined $fa && $fa < 64, "$arch: fork of a process with 64 MiB shared written allocates " . ($fa // '?') .
       ' pages (its tables, ' . ($fpte // '?') . ' kB, and a kernel stack): no PTE copied');
    ok(defined $ra && $ra >= 32 && $ra <= 40, "$arch: the child maps the 64 MiB for their 32 page tables (" . ($ra // '?') . ' pages)');
    is($rs // -1, 65536, "$arch: RssShmem 65536 kB in that child");
    cmp_ok(kb($m0, 'MemFree'), '>', 0, "$arch: MemFree read before sharedtest");
    is(kb($m1, 'MemFree'), kb($m0, 'MemFree'), "$arch: MemFree after sharedtest and its children exit is its value before, to the page");
    is(kb($m1, 'PageTables'), kb($m0, 'PageTables'), "$arch: PageTables too");
    like($ktap, qr/^ok 1 shmem$/m, "$arch: selftest shmem passes") or diag($ktap);
}

1;
