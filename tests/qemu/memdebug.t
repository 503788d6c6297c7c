#!/usr/bin/perl
# memdebug.t: page_owner on raspi3b — off by default, page_owner=on records every block in Linux's
# layout with a summary by stack, a bad value is refused with one line.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;

my $D = '/sys/kernel/debug';

# 1. Off by default: the files say so, nothing is reserved for it.
{
    my ($out, $st, $to) = qemu_arm64(timeout => 60, append => "run=\"cat $D/page_owner; cat $D/page_owner_sort\"");
    ok(!$to && $st == 0, 'default boot: clean, status 0');
    is(run_section($out, "cat $D/page_owner"), "page_owner is off (boot with page_owner=on)\n", 'page_owner is off by default');
    unlike($out, qr/page_owner: on|K page_owner/, 'no table is reserved when off');
}

# 2. A bad value: one line, stays off, the boot is clean.
{
    my ($out, $st, $to) = qemu_arm64(timeout => 60, append => "page_owner=yes run=\"cat $D/page_owner\"");
    ok(!$to && $st == 0, 'page_owner=yes: the boot is clean');
    like($out, qr/page_owner=yes: expected on or off; page_owner stays off/, 'page_owner=yes: one line says why');
    like(run_section($out, "cat $D/page_owner"), qr/^page_owner is off/, 'page_owner=yes: stays off');
}

# 3. page_owner=on: the table's cost is stated and reserved; every allocated block has Linux's
#    three parts (header, PFN line, stack), in the summary the counts add up to the file's.
#    Under KASAN (PAGODA_KASAN=1) the workload is the boot alone: selftest vmalloc leaves vmalloc's
#    shadow (case 4), one order-0 block per 32 KiB of vmalloc space used, and with their 12-frame
#    stacks the file outgrows cat's 64 KiB buffer.
my $workload = kasan() ? '' : 'selftest vmalloc; ';
{
    my ($out, $st, $to) = qemu_arm64(timeout => 120,
        append => "page_owner=on run=\"${workload}cat $D/page_owner; cat $D/page_owner_sort; cat /proc/meminfo\"");
    ok(!$to && $st == 0, 'page_owner=on: the boot' . ($workload ? ' and selftest vmalloc pass' : ' is clean'));
    like($out, qr/page_owner: on, 245760 records of 24 bytes \(5760 KiB\) for PFNs 0x0-0x3bfff/, 'the cost is stated: 24 bytes x 245760 pages');
    like($out, qr/Memory: .*5760K page_owner/, 'memblock reserved it under its name');
    my $po = run_section($out, "cat $D/page_owner");
    my @blocks = split /\n\n/, $po;
    ok(@blocks >= 3, scalar(@blocks) . ' blocks listed');
    my @bad = grep { !/\APage allocated via order (\d+), mask 0x[0-9a-f]+\([\w|]+\), pid -1, tgid -1 \(swapper\/0\), ts \d+ ns, free_ts 0 ns\nPFN \d+ type Unmovable Block \d+ type Unmovable Flags 0x[0-9a-f]+\n( [\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+\n?)+\z/ } @blocks;	# GCC's clones: foo.part.0, as in Linux's traces
    is_deeply(\@bad, [], "every block in Linux's layout") or diag($bad[0]);
    like($po, qr/^ vmalloc_init\+/m, "vmalloc's first tree page is owned by vmalloc_init");
    my $pages = 0;
    $pages += 2**$_ for $po =~ /^Page allocated via order (\d+)/mg;
    my ($times, $gpages) = (0, 0);
    my $sort = run_section($out, "cat $D/page_owner_sort");
    while ($sort =~ /^(\d+) times, (\d+) pages:$/mg) { $times += $1; $gpages += $2; }
    is($times, scalar(@blocks), "the summary's times add up to the blocks listed ($times)");
    is($gpages, $pages, "the summary's pages add up to the file's ($pages)");
}

# 4. KASAN: vmalloc's shadow pages are the buddy's, so page_owner names their owner: after selftest
#    vmalloc the largest group is kasan_populate_vmalloc's, one page per block (order 0), allocated
#    for __vmalloc_caller; and the whole file no longer fits cat's buffer (why case 3 boots alone).
SKIP: {
    skip 'the KASAN kernel only (PAGODA_KASAN=1)', 6 unless kasan();
    my ($out, $st, $to) = qemu_arm64(timeout => 120,
        append => "page_owner=on run=\"selftest vmalloc; cat $D/page_owner_sort; cat $D/page_owner\"");
    ok(!$to, 'KASAN, page_owner=on: selftest vmalloc and the cats end');
    like($out, qr/^ok 1 vmalloc$/m, 'KASAN: selftest vmalloc passes');
    my $sort = run_section($out, "cat $D/page_owner_sort");
    my ($times, $pages, $stack) = $sort =~ /\A(\d+) times, (\d+) pages:\n((?: \S+\n)+)/;
    like($stack // '', qr/\A __alloc_pages\+\S+\n kasan_populate_vmalloc\+\S+\n __vmalloc_caller\+/,
         'KASAN: the largest group is the vmalloc shadow (kasan_populate_vmalloc for __vmalloc_caller)') or diag($sort);
    ok(($times // 0) > 0 && $times == $pages, "KASAN: ... order-0 pages, one per block (" . ($pages // '?') . ' pages)');
    like($out, qr/^cat: \Q$D\E\/page_owner: output truncated at 65535 bytes$/m, "KASAN: ... too many blocks for cat's 64 KiB buffer");
    is($st, 1, 'KASAN: ... so that cat fails, and says so');
}

done_testing();
