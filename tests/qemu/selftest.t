#!/usr/bin/perl
# selftest.t: the KTAP suites inside the kernel on raspi3b, passed through to prove as TAP.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;

# Generous: buddy_smp runs its torture on all four vCPUs, and on a loaded two-core host each
# contended hand-over between vCPU threads waits for the host scheduler (tens of seconds in all).
my ($out, $st, $to) = qemu_arm64(append => 'run="selftest"', timeout => 600);
if (!ktap_passthrough($out)) {
    print "1..1\nnot ok 1 selftest printed no KTAP (status $st, timed out: $to)\n";
    exit 1;
}
print "# selftest exit status $st\n";
exit($st == 0 ? 0 : 1);
