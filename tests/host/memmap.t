#!/usr/bin/perl
# memmap.t: tools/memmap draws well-formed SVG whose labelled regions are exactly those of the capture (both arches).
use strict;
use warnings;
no warnings 'portable';    # 64-bit addresses
use FindBin;
use lib "$FindBin::Bin/../qemu/lib";
use Pagoda;
use Test::More;
use File::Temp qw(tempdir);

chdir "$FindBin::Bin/../.." or die;
my $tmp = tempdir(CLEANUP => 1);
my $VIEWS = 'cat /proc/iomem; cat /sys/kernel/debug/memblock/memory; cat /sys/kernel/debug/memblock/reserved; '
          . 'cat /proc/zoneinfo; cat /proc/buddyinfo; cat /sys/kernel/debug/kernel_page_tables; cat /proc/vmallocinfo';

sub section {
    my ($out, $path) = @_;
    my ($s) = $out =~ /^pagoda# cat \Q$path\E\n(.*?)(?=^pagoda# |^\[\s*\d+\.\d+\] run: |\z)/ms;
    return $s // '';
}

# The regions the capture describes, as "kind start end label" (what the picture must label).
sub expected_regions {
    my ($out) = @_;
    my @r;
    for my $l (split /\n/, section($out, '/sys/kernel/debug/memblock/memory')) {
        push @r, sprintf('memory 0x%x 0x%x', hex $1, hex($2) + 1) if $l =~ /^\s*\d+: 0x(\w+)\.\.0x(\w+)$/;
    }
    for my $l (split /\n/, section($out, '/sys/kernel/debug/memblock/reserved')) {
        push @r, sprintf('reserved 0x%x 0x%x %s', hex $1, hex($2) + 1, $3) if $l =~ /^\s*\d+: 0x(\w+)\.\.0x(\w+) (\S+)$/;
    }
    my $zone;
    my %z;
    for my $l (split /\n/, section($out, '/proc/zoneinfo')) {
        $zone = $1 if $l =~ /^Node \d+, zone\s+(\S+)/;
        $z{$zone}{spanned} = $1 if $l =~ /^\s+spanned\s+(\d+)/;
        $z{$zone}{start} = $1 if $l =~ /^\s+start_pfn:\s+(\d+)/;
    }
    for my $n (sort keys %z) {
        push @r, sprintf('zone 0x%x 0x%x Zone %s', $z{$n}{start} * 4096, ($z{$n}{start} + $z{$n}{spanned}) * 4096, $n)
            if $z{$n}{spanned} && defined $z{$n}{start};
    }
    for my $l (split /\n/, section($out, '/proc/iomem')) {
        push @r, sprintf('iomem 0x%x 0x%x %s', hex $1, hex($2) + 1, $3) if $l =~ /^\s*(\w+)-(\w+) : (.+)$/;
    }
    my (@markers, $top);
    my @pending;
    for my $l (split /\n/, section($out, '/sys/kernel/debug/kernel_page_tables')) {
        if ($l =~ /^---\[ (.+) \]---$/) { push @pending, $1; next }
        my ($s, $e, $pa) = $l =~ /^0x(\w+)-0x(\w+)\s+\d+[KMGTPE].*?(?: -> 0x(\w+))?$/ or next;
        $top = 2**(4 * length $s);
        push @markers, [hex $s, $_] for @pending;
        @pending = ();
        push @r, sprintf('mapping 0x%x 0x%x', hex $s, hex($e) || $top) if defined $pa;
    }
    for my $i (0 .. $#markers) {
        my ($s, $name) = @{ $markers[$i] };
        next if $name =~ /(end|End)$/;
        my ($next) = grep { $_ > $s } map { $_->[0] } @markers[$i + 1 .. $#markers];
        (my $label = $name) =~ s/ (start|Area)$//;
        push @r, sprintf('vregion 0x%x 0x%x %s', $s, $next // $top, $label);
    }
    for my $l (split /\n/, section($out, '/proc/vmallocinfo')) {
        push @r, sprintf('vmalloc 0x%x 0x%x', hex $1, hex $2) if $l =~ /^0x(\w+)-0x(\w+)\s/;
    }
    return sort @r;
}

# The regions the SVG labels, read back with an XML parser (which also proves it well-formed).
sub svg_regions {
    my ($svg) = @_;
    my $py = 'import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
for g in ET.parse(sys.argv[1]).getroot().iter(ns + "g"):
    k = g.get("data-kind")
    if k and k not in ("free", "mapped-by"):
        lab = g.get("data-label") if k in ("reserved", "zone", "iomem", "vregion") else ""
        print(" ".join(x for x in (k, g.get("data-start"), g.get("data-end"), lab) if x))';
    my @r = `/usr/bin/python3 -c '$py' $svg 2>&1`;
    my $ok = $? == 0;
    chomp @r;
    return ($ok, sort @r);
}

sub check_capture {
    my ($name, $log) = @_;
    my $out = do { local $/; open(my $h, '<', $log) or die "$log: $!"; clean_output(<$h>) };
    (my $svg = "$tmp/$name.svg") =~ s/ /-/g;
    my $rc = system('tools/memmap', '-o', $svg, $log);
    is($rc, 0, "$name: tools/memmap drew it");
    my ($ok, @got) = svg_regions($svg);
    ok($ok, "$name: the SVG is well-formed XML") or diag(join("\n", @got));
    my @want = expected_regions($out);
    cmp_ok(scalar @want, '>=', 8, "$name: the capture describes regions (" . scalar(@want) . ')');
    is_deeply(\@got, \@want, "$name: the picture labels exactly the capture's regions");
    ok((grep { /^reserved .* (kernel|mem_map)$/ } @got) == 2, "$name: the image and mem_map are drawn");
}

for my $arch (qw(arm64 x86)) {
    check_capture("committed $arch", "docs/memmap-$arch.log");
    SKIP: {
        my $img = $arch eq 'arm64' ? 'build/arm64/kernel8.img' : 'build/x86/kernel.elf';
        skip "$img not built", 5 unless -e $img;
        my @q = $arch eq 'arm64'
            ? ('qemu-system-aarch64', '-M', 'raspi3b', '-kernel', $img, '-dtb', 'build/deps/bcm2837-rpi-3-b.dtb', '-semihosting')
            : ('qemu-system-i386', '-kernel', $img, '-m', '2048', '-cpu', 'Nehalem,-lm,-syscall',
               '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04');
        my ($out, $st, $to) = run_timeout(60, undef, @q, '-no-reboot', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
                                '-append', "run=\"$VIEWS\"");
        ok(!$to, "$arch: the fresh capture finished (no timeout)");
        open(my $h, '>', "$tmp/$arch.log") or die;
        print $h $out;
        close $h;
        check_capture("fresh $arch", "$tmp/$arch.log");
    }
}

# Bad input: a clear error, no picture.
my $err = `printf 'nothing here\\n' | tools/memmap -o $tmp/none.svg 2>&1`;
isnt($? >> 8, 0, 'a capture without views fails');
like($err, qr/^memmap: the capture has none of the views/, 'and says what it needs');
ok(!-e "$tmp/none.svg", 'and writes no file');
done_testing();
