#!/usr/bin/perl
# hostile.t: hostile input — long or wrong command lines, bad statuses and suite names, odd DTBs and CPUs.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use Test::More;

chdir "$FindBin::Bin/../.." or die;
my $img = arm64_image();
my $elf = 'build/x86/kernel.elf';
my $dtb = 'build/deps/bcm2837-rpi-3-b.dtb';
-s $img or BAIL_OUT("no $img (run make)");
my $tmp = tempdir(CLEANUP => 1);

# arm(APPEND, %opts): boots raspi3b with -append APPEND; returns (output, status).
sub arm {
    my ($append, %o) = @_;
    my ($out, $st, $to) = qemu_arm64(append => $append, timeout => $o{timeout} // 30, %o);
    diag('raspi3b timed out: ' . substr($append, 0, 60)) if $to;
    return ($out, $st);
}

# x86(MEM, CPU, APPEND, TIMEOUT): boots the Multiboot ELF; returns (output, QEMU's exit status).
sub x86 {
    my ($mem, $cpu, $append, $timeout) = @_;
    my ($out, $st, $to) = run_timeout($timeout // 30, undef, 'qemu-system-i386', '-m', $mem, @TCG_SINGLE,
        '-cpu', $cpu, '-kernel', $elf, '-append', $append,
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-no-reboot',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio');
    diag("i386 -cpu $cpu timed out") if $to;
    return ($out, $st);
}

# section(OUT, CMD): what the shell command CMD printed.
sub section {
    my ($out, $cmd) = @_;
    return $out =~ /^pagoda# \Q$cmd\E\n(.*?)(?=^pagoda# |^\[|\z)/ms ? $1 : '';
}

# dts_variant(NAME, EDIT): the real Pi 3 DTB through dtc, EDIT applied to its source; returns the path.
my $dts = `dtc -q -I dtb -O dts $dtb`;
sub dts_variant {
    my ($name, $edit) = @_;
    local $_ = $dts;
    $edit->();
    my $path = "$tmp/$name.dtb";
    open(my $fh, '|-', "dtc -q -I dts -O dtb -o $path -") or die;
    print $fh $_;
    close($fh) or die "dtc failed for $name";
    return $path;
}

# ---- (4) the command line: what Linux accepts (2048 bytes), and nothing cut silently ----------
{
    my $pad = 'pad=' . ('a' x 1500);
    my ($out, $st) = arm("$pad run=\"echo long-line-ran\"");
    like($out, qr/^long-line-ran$/m, 'a 1.5 KiB command line keeps its run=');
    is($st, 0, '... and exits 0');

    ($out, $st) = arm('pad=' . ('a' x 2100) . ' run="echo must-not-run"');
    like($out, qr/Kernel command line: cut at 2047 of 2\d{3} bytes/, 'a 2.1 KiB line is reported as cut');
    unlike($out, qr/^must-not-run$/m, '... its run= does not run');
    is($st, 1, '... and run= fails');

    # Each command may be as long as a typed line (255 characters); the run= word is far past the
    # old 511-byte word limit.
    my ($b, $c) = ('b' x 250, 'c' x 250);
    ($out, $st) = arm("run=\"echo $b; echo $c; echo third-ran\"");
    ok($out =~ /^$b$/m && $out =~ /^$c$/m, 'a 530-byte run= runs its long commands whole');
    like($out, qr/^third-ran$/m, '... and the command after them');
    is($st, 0, '... exit 0');

    # A command longer than a line is refused whole, and run= fails: never a prefix run.
    my $d = 'd' x 300;
    ($out, $st) = arm("run=\"echo $d; echo after-long\"");
    like($out, qr/line too long: more than 255 characters; not run/, 'a 305-byte command in run= is refused');
    unlike($out, qr/^d+$/m, '... no prefix of it runs');
    isnt($st, 0, '... and run= fails');

    my $cmds = join('; ', map { "echo cmd$_" } 1 .. 60);
    ($out, $st) = arm("run=\"$cmds\"");
    my @ran = $out =~ /^cmd(\d+)$/mg;
    is(scalar(@ran), 60, 'all 60 commands of a long run= run');
    is($st, 0, '... exit 0');

    ($out, $st) = arm('foo=1 bar run="echo x" run="echo y"');
    like($out, qr/Unknown kernel command line parameters "foo=1 bar", ignored/, 'unknown parameters are named');
    like($out, qr/run: given 2 times on the command line/, 'a second run= is an error');
    unlike($out, qr/^[xy]$/m, '... and neither runs');
    is($st, 1, '... run= fails');
}

# ---- (5) exit statuses: bad arguments are errors -----------------------------------------------
{
    my ($out, $st) = arm('run="poweroff abc"');
    like($out, qr/poweroff: invalid status 'abc'/, 'poweroff abc: refused');
    is($st, 1, '... run= fails');
    ($out, $st) = arm('run="poweroff 3 4"');
    like($out, qr/usage: poweroff \[STATUS\]/, 'poweroff 3 4: usage');
    is($st, 1, '... run= fails');
    ($out, $st) = arm('run="poweroff 256"');
    like($out, qr/poweroff: status 256 cannot be reported \(0\.\.255\)/, 'arm64 poweroff 256: refused');
    is($st, 1, '... run= fails');
    ($out, $st) = arm('run="poweroff 255"');
    is($st, 255, 'arm64 poweroff 255 exits 255');

    ($out, $st) = arm('run="selftest nosuch"');
    like($out, qr/selftest: no suite named 'nosuch'/, 'selftest nosuch: an error');
    is($st, 1, '... run= fails');
    ($out, $st) = arm('run="selftest lib memblock"', timeout => 60);
    like($out, qr/^KTAP version 1\n1\.\.2\n/m, 'selftest lib memblock: two suites');
    like($out, qr/^ok 1 lib$/m, '... lib ran');
    like($out, qr/^ok 2 memblock$/m, '... memblock ran');
    ($out, $st) = arm('run="selftest lib,memblock"', timeout => 60);
    like($out, qr/^ok 2 memblock$/m, 'selftest lib,memblock runs both');
}

# ---- (6, 12) page_poison and slub_debug say so at boot; the last page_poison= wins --------------
{
    my ($out, $st) = arm('page_poison=on slub_debug=FZ run="selftest kmalloc; cat /sys/kernel/debug/page_poison"');
    like($out, qr/^\[[\s\d.]+\] page_poison: on \(freed pages filled with 0xaa/m, 'page_poison=on: a boot line says so');
    like($out, qr/^\[[\s\d.]+\] slub_debug: FZ for all caches/m, 'slub_debug=FZ: a boot line says so');
    like(section($out, 'cat /sys/kernel/debug/page_poison'), qr/^page_poison: on\npoisoned free pages: [1-9]/,
         '... and freed pages carry the poison');
    ($out, $st) = arm('page_poison=on page_poison=off run="cat /sys/kernel/debug/page_poison"');
    unlike($out, qr/page_poison: on/, 'page_poison=on page_poison=off: no boot line says on');
    like(section($out, 'cat /sys/kernel/debug/page_poison'), qr/^page_poison: off\npoisoned free pages: 0$/m,
         '... poisoning is off, no page poisoned');
}

# ---- (7) ^C stops a long command between test cases ---------------------------------------------
{
    # Typed as a person would: the command at the prompt, ^C once the first case has ended.
    my ($out, $st) = qemu_arm64(append => 'page_poison=on', timeout => 120,
        steps => [[qr/^pagoda# /m, "selftest\n"], [qr/^    ok 1 /m, "\x03"],
                  [qr/interrupted \(\^C\)/, "poweroff 9\n"]]);
    like($out, qr/^    ok 1 \S+/m, 'selftest prints each case as it ends');
    like($out, qr/^# selftest: interrupted \(\^C\)/m, '^C interrupts selftest with a line');
    unlike($out, qr/# Subtest: vmalloc$/m, '... before the last suites');
    is($st, 9, '... and the shell takes the next command');

    # bench: between benches and between rows (the ^C waits in the UART for the first check)
    ($out, $st) = qemu_arm64(input => "bench\n\x03poweroff 7\n", timeout => 120);
    like($out, qr/^bench( \S+)?: interrupted \(\^C\)/m, '^C interrupts bench with a line');
    unlike($out, qr/^== bench vmalloc/m, '... before the later benches');
    is($st, 7, '... and the shell takes the next command');
    ($out, $st) = qemu_arm64(input => "bench page_alloc\n\x03poweroff 6\n", timeout => 120);
    like($out, qr/^bench page_alloc: interrupted \(\^C\)$/m, '^C stops a bench between its rows');
    unlike($out, qr/^order-9 /m, '... before its last rows');
    is($st, 6, '... and the shell goes on');
}

# ---- (12) cat of a directory --------------------------------------------------------------------
{
    my ($out, $st) = arm('run="cat /"');
    like($out, qr/^cat: \/: Is a directory$/m, 'cat /: Is a directory');
    is($st, 1, '... run= fails');
}

# ---- (10) selftest leaves memory as it found it --------------------------------------------------
sub counts {
    my ($text) = @_;
    my %c = map { $_ => ($text =~ /^\Q$_\E:\s+(\d+) kB$/m)[0] } qw(MemFree Slab VmallocUsed);
    return \%c;
}
sub caches {
    my ($text) = @_;
    return join(' ', sort map { (split)[0] } grep { !/^(slabinfo|#)/ } split /\n/, $text);
}
# A first, small selftest leaves the caches as every selftest does (shrunk, per-CPU lists drained),
# and grows vmalloc's own metadata pools (vmap_area nodes, vm_struct pages) to what the vmalloc
# suite needs: those pages are the allocator's, kept for reuse, not a leak of a test.
my $probe = 'cat /proc/meminfo; cat /proc/slabinfo; echo probed';
{
    my ($out, $st) = arm("run=\"selftest lib vmalloc; $probe; selftest; $probe\"", timeout => 600);	# as selftest.t
    my @mi = $out =~ /^pagoda# cat \/proc\/meminfo\n(.*?)^pagoda# /msg;
    my @si = $out =~ /^pagoda# cat \/proc\/slabinfo\n(.*?)^pagoda# /msg;
    is_deeply(counts($mi[1] // ''), counts($mi[0] // ''), 'arm64: MemFree, Slab, VmallocUsed the same after selftest');
    is(caches($si[1] // ''), caches($si[0] // 'x'), 'arm64: the same slab caches after selftest');
}

# ---- (11) a rejected DTB leaves no alias; one bad /memreserve/ entry is dropped alone ------------
SKIP: {
    skip 'no dtc', 8 unless $dts;
    my $overlap = dts_variant('overlap', sub { s/(\tchosen \{)/\tram\@1000000 {\n\t\tdevice_type = "memory";\n\t\treg = <0x1000000 0x1000000>;\n\t};\n\n$1/ });
    my ($out, $st) = arm('run="cat /sys/kernel/debug/kernel_page_tables"', dtb => 0, extra => ['-dtb', $overlap]);
    like($out, qr/OF: fdt: ignoring the device tree/, 'overlapping /memory: the DTB is rejected');
    my ($fix) = $out =~ /---\[ Fixmap start \]---\n(.*?)---\[ Fixmap end \]---/s;
    unlike($fix // '', qr/-> 0x0000000008000000/, '... and the fixmap does not map its pages (the buddy owns them)');
    is($st, 0, '... the dump prints');

    my $rsv = dts_variant('memreserve', sub {
        s{^/memreserve/.*$}{/memreserve/ 0x0 0x1000;\n/memreserve/ 0x3000000 0x10000;\n/memreserve/ 0xfffffffffffff000 0x2000;\n/memreserve/ 0x3100000 0x1000;\n/memreserve/ 0x3e000000 0x100000;}m });
    ($out, $st) = arm('run="cat /sys/kernel/debug/memblock/reserved"', dtb => 0, extra => ['-dtb', $rsv]);
    like($out, qr/OF: fdt: memreserve entry 2 \(0xfffffffffffff000\+0x2000\): beyond 2\^52; dropped/, 'a wrapping /memreserve/ entry is dropped with a line');
    my $r = section($out, 'cat /sys/kernel/debug/memblock/reserved');
    like($r, qr/0x0000000003000000\.\.0x000000000300ffff memreserve/, '... the entry before it is kept');
    like($r, qr/0x0000000003100000\.\.0x0000000003100fff memreserve/, '... the entry after it is kept');
    my ($total, $parts) = $out =~ /Memory: \d+K\/\d+K available \((\d+)K reserved: ([^)]*)\)/;
    my $sum = 0;
    $sum += $1 while ($parts // '') =~ /(\d+)K/g;
    is($sum, $total, "Memory: the breakdown adds up to the reserved total (a reservation outside RAM is not counted)");
    is($st, 0, '... exit 0');
}

# ---- (2) RAM that does not start at PA 0: the spin table is reached through the fixmap -----------
SKIP: {
    skip 'no dtc or gdb-multiarch', 5 unless $dts && `which gdb-multiarch`;
    my $off = dts_variant('ram-at-16m', sub {
        s/(memory\@0 \{\n\t\tdevice_type = "memory";\n\t\treg = <)0x00 0x40000000>/${1}0x1000000 0x3b000000>/ or die;
        s/(\tchosen \{\n)/$1\t\tbootargs = "run=\\"cat \/sys\/kernel\/debug\/memblock\/memory; echo alive\\"";\n/ or die;
    });
    # QEMU rewrites /memory in a -dtb blob; load it raw and point x0 at it through the gdb stub.
    my $port = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0)->sockport;
    my $pid = fork() // die;
    if (!$pid) {		# retried until QEMU listens (a loaded machine starts it slowly)
        open(STDOUT, '>', '/dev/null');
        open(STDERR, '>', '/dev/null');
        for (1 .. 40) {
            select(undef, undef, undef, 0.5);
            system('gdb-multiarch', '-nx', '-batch', '-ex', "target remote 127.0.0.1:$port",
                   '-ex', 'set $x0 = 0x8000000', '-ex', 'set $pc = 0x80000', '-ex', 'detach');
            exit 0 if $? == 0;
        }
        exit 1;
    }
    my ($out, $st) = run_timeout(40, undef, 'qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $img,
        '-semihosting', '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
        '-device', "loader,file=$off,addr=0x8000000,force-raw=on", '-S', '-gdb', "tcp:127.0.0.1:$port");
    waitpid($pid, 0);
    like($out, qr/^   0: 0x0000000001000000\.\.0x000000003bffffff$/m, 'RAM from 0x1000000: memblock says so');
    like($out, qr/^alive$/m, '... it boots to the shell (no Oops at the spin table)');
    like($out, qr/smp: Brought up 1 node, 4 CPUs/, '... the secondaries are released through the fixmap and come online');
    like($out, qr/^\[[\s\d.]+\] Memory: .*reserved: (?!.*spin-table)/m, '... the spin-table page (outside RAM) is not in the Memory: line');
    is($st, 0, '... exit 0');
}

# ---- x86: CPUs without what the build needs; NX-less exec-data; statuses; small RAM --------------
SKIP: {
    skip "$elf not built", 12 unless -e $elf;
    my %missing = ('486' => 'tsc pae cmov', 'pentium' => 'pae cmov', 'pentium3,-cmov' => 'cmov');
    for my $cpu (sort keys %missing) {
        my ($out, $st) = x86(64, $cpu, 'run="echo booted"', 15);
        like($out, qr/^This kernel requires the following features not present on the CPU: $missing{$cpu}$/m,
             "-cpu $cpu: names what is missing ($missing{$cpu})");
        is($st, (1 << 1) | 1, "... and stops with status 1 through isa-debug-exit");
    }
    my ($out, $st) = x86(128, 'pentium3', 'run="fault exec-data"');
    like($out, qr/^fault: exec-data: kernel data is executable on this CPU \(no NX\); not run$/m, 'pentium3: exec-data refused');
    unlike($out, qr/NULL pointer/, '... not misreported as a NULL dereference');
    is($st, (1 << 1) | 1, '... run= fails');
    ($out, $st) = x86(128, 'Nehalem,-lm,-syscall', 'run="poweroff 128"');
    like($out, qr/poweroff: status 128 cannot be reported \(0\.\.127\)/, 'x86 poweroff 128: refused');
    is($st, (1 << 1) | 1, '... run= fails');
    # At 4 MiB the vmalloc suite's many-areas case runs out of memory before it has grown the
    # area pools as far as vmalloc_torture needs (by how much depends on the image's size: 3 pages
    # with the user-space slice's 32 KiB), so the first small selftest runs that suite too.
    ($out, $st) = x86(4, 'Nehalem,-lm,-syscall', "run=\"selftest lib vmalloc vmalloc_torture; $probe; selftest; $probe\"", 300);
    my @mi = $out =~ /^pagoda# cat \/proc\/meminfo\n(.*?)^pagoda# /msg;
    my @si = $out =~ /^pagoda# cat \/proc\/slabinfo\n(.*?)^pagoda# /msg;
    is_deeply(counts($mi[1] // ''), counts($mi[0] // ''), 'x86 -m 4 (the least that boots): MemFree, Slab, VmallocUsed the same after selftest');
    is(caches($si[1] // ''), caches($si[0] // 'x'), 'x86 -m 4 (the least that boots): the same slab caches after selftest');
}

done_testing();
