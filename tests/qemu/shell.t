#!/usr/bin/perl
# shell.t: the line editor as a person at a VT100 terminal meets it — keys in, the screen checked.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Pagoda;
use Test::More;

chdir "$FindBin::Bin/../.." or die;
plan skip_all => arm64_image() . ' not built' unless -e arm64_image();
plan skip_all => 'Term::VT102 missing (tools/bootstrap installs libterm-vt102-perl)'
    unless eval { require Term::VT102 };

# Keys as a VT100/xterm terminal sends them.
my %k = (up => "\e[A", down => "\e[B", right => "\e[C", left => "\e[D", home => "\e[H",
         end => "\e[F", home1 => "\e[1~", end4 => "\e[4~", del => "\e[3~", ss3_up => "\eOA",
         ss3_down => "\eOB", cleft => "\e[1;5D", cright => "\e[1;5C");
sub ctrl { chr(ord(uc $_[0]) & 0x1f) }

# session(KEYS, COLS): boots to the prompt, types KEYS (all at once, as a fast typist or a paste
# would), then poweroff 0. Returns (the rows of a COLS-wide screen (80) from the first prompt on,
# status, plain output).
sub session {
    my ($keys, $cols) = @_;
    my ($raw, $st, $to) = qemu_arm64(input => $keys . "poweroff 0\r", raw => 1, timeout => 60);
    diag('QEMU timed out') if $to;
    my $i = index($raw, 'pagoda# ');
    my @screen = screen_lines($i < 0 ? '' : substr($raw, $i), $cols);
    return (\@screen, $st, clean_output($raw));
}

# shows(SCREEN, LINES...): the screen holds these rows one after the other.
sub shows {
    my ($screen, @want) = @_;
    my $text = join("\n", @$screen) . "\n";
    my $pat = join("\n", map { "\Q$_\E" } @want);
    return $text =~ /^$pat$/m;
}

sub count_rows {
    my ($screen, $row) = @_;
    return scalar grep { $_ eq $row } @$screen;
}

# --- The defects first: escape sequences, tabs, long lines, many words -------------------------
my ($scr, $st, $out) = session("\eecho esc-kept\r" . "\eOPecho ss3-kept\r" . "echo csi-cut\e[\r"
    . "echo after-csi\r" . "\e[1;2Qecho params-ok\r" . "\e[?25hecho private-ok\r");
is($st, 0, 'escape session powers off with 0');
ok(shows($scr, 'pagoda# echo esc-kept', 'esc-kept'), 'a lone ESC does not swallow the next byte');
ok(shows($scr, 'pagoda# echo ss3-kept', 'ss3-kept'), 'an unbound SS3 key (F1: ESC O P) inserts nothing');
ok(shows($scr, 'pagoda# echo csi-cut', 'csi-cut', 'pagoda# echo after-csi', 'after-csi'),
   'Enter ends an unfinished CSI and runs the line; the next command is whole');
ok(shows($scr, 'pagoda# echo params-ok', 'params-ok'), 'a CSI with parameters ends at its final byte');
ok(shows($scr, 'pagoda# echo private-ok', 'private-ok'), 'a private CSI (ESC [ ? 25 h) is swallowed whole');
unlike($out, qr/command not found/, 'no sequence left a stray byte in a command');

my $long = 'echo ' . ('x' x 300);
my $w64 = 'echo' . join('', map { " w$_" } 1 .. 63);
my $w65 = $w64 . ' w64';
($scr, $st, $out) = session("$long\r" . "$w65\r" . "$w64\r" . "echo still-here\r"
    . ('z' x 300) . ctrl('U') . "echo retyped\r");
like($out, qr/^line too long: more than 255 characters; not run$/m, 'a typed over-long line is refused');
unlike($out, qr/^x{250}/m, 'no prefix of the over-long line ran');
like($out, qr/^too many arguments: more than 64 words; not run$/m, '65 words are refused');
unlike($out, qr/^w1 .* w64$/m, 'the 65-word line did not run');
like($out, qr/^w1 w2 .* w62 w63$/m, '64 words run, none glued together');
ok(shows($scr, 'pagoda# echo still-here', 'still-here'), 'the shell goes on after refusals');
ok(shows($scr, 'pagoda# echo retyped', 'retyped'), 'an over-long line killed with Ctrl-U leaves no refusal behind');
is(() = $out =~ /^line too long/mg, 1, 'only the line sent over-long was refused');

# The same limits for run=, which powers off with a failing status; tabs separate words.
($out, $st) = qemu_arm64(append => qq{run="echo\ttab-a\t\ttab-b;\techo tab-lead; echo } . ('y' x 300) . '"');
is($st, 1, 'run=: a refused over-long command fails the list');
like($out, qr/^tab-a tab-b$/m, 'run=: tabs separate words like spaces');
like($out, qr/^tab-lead$/m, 'run=: a leading tab is blank');
like($out, qr/^line too long: more than 255 characters; not run$/m, 'run=: the over-long command is refused');
unlike($out, qr/^y{200}/m, 'run=: no prefix of it ran');
($out, $st) = qemu_arm64(append => qq{run="$w65"});
is($st, 1, 'run=: 65 words fail');
like($out, qr/^too many arguments: more than 64 words; not run$/m, 'run=: 65 words refused with one line');

# --- History: arrows, SS3 arrows, Ctrl-P/Ctrl-N ----------------------------------------------
($scr, $st, $out) = session("echo one\r" . "echo two\r" . "$k{up}$k{up}\r" . ctrl('P') . ctrl('P')
    . ctrl('P') . ctrl('N') . "\r" . "$k{ss3_up}$k{ss3_up}$k{ss3_down}\r"
    . "echo draft$k{up}$k{down}-kept\r" . "history\r");
is($st, 0, 'history session powers off with 0');
is(count_rows($scr, 'one'), 2, 'Up Up recalls and runs the older command');
ok(shows($scr, 'pagoda# echo one', 'one', 'pagoda# echo two', 'two', 'pagoda# echo one', 'one',
   'pagoda# echo two', 'two'), 'the recalled line is on the screen as the command; Ctrl-P x3 then Ctrl-N');
ok(shows($scr, 'pagoda# echo two', 'two', 'pagoda# echo two', 'two', 'pagoda# echo draft-kept'),
   'ESC O A / ESC O B walk the history too');
ok(shows($scr, 'pagoda# echo draft-kept', 'draft-kept'), 'Down past the newest entry restores the line being typed');
like($out, qr/^\s+1  echo one\n\s+2  echo two\n\s+3  echo one\n\s+4  echo two\n\s+5  echo draft-kept\n\s+6  history$/m,
     'history lists the lines run, a repeat of the newest not stored twice');

# --- Cursor motion and insertion in the middle, deletion, kills ------------------------------
($scr, $st, $out) = session("echo wrld$k{left}$k{left}$k{left}o\r"
    . "cho a" . ctrl('A') . "e\r"
    . "echo b" . ctrl('A') . ctrl('E') . "c\r"
    . "echo xz" . ctrl('B') . 'y' . ctrl('F') . "!\r"
    . "cho h$k{home}e$k{end}1\r" . "cho h$k{home1}e$k{end4}2\r"
    . "echo abxc$k{left}\x7f\r" . "echo abxc$k{left}$k{left}$k{del}\r" . "echo qxr$k{left}$k{left}" . ctrl('D') . "\r"
    . "zzzecho u2" . ctrl('A') . ctrl('F') x 3 . ctrl('U') . "\r"
    . "echo keep drop" . ctrl('W') . "\r"
    . "echo k1 junk" . $k{left} x 4 . ctrl('K') . "\r"
    . "echo one two$k{cleft}$k{cleft}1-$k{cright}$k{cright}-3\r"
    . "echo abandoned" . ctrl('C') . "echo fresh\r" . "echo mid-line$k{home}" . ctrl('C') . "echo after-mid\r");
is($st, 0, 'editing session powers off with 0');
ok(shows($scr, 'pagoda# echo world', 'world'), 'Left x3 then a letter inserts in the middle; the line is redrawn');
ok(shows($scr, 'pagoda# echo a', 'a'), 'Ctrl-A goes to the start');
ok(shows($scr, 'pagoda# echo bc', 'bc'), 'Ctrl-E goes to the end');
ok(shows($scr, 'pagoda# echo xyz!', 'xyz!'), 'Ctrl-B / Ctrl-F move by one');
ok(shows($scr, 'pagoda# echo h1', 'h1'), 'Home / End (ESC [ H, ESC [ F)');
ok(shows($scr, 'pagoda# echo h2', 'h2'), 'Home / End (ESC [ 1 ~, ESC [ 4 ~)');
is(count_rows($scr, 'abc'), 2, 'Backspace and Delete in the middle of the line');
ok(shows($scr, 'pagoda# echo abc', 'abc', 'pagoda# echo abc', 'abc'), 'the screen shows the edited lines');
ok(shows($scr, 'pagoda# echo qr', 'qr'), 'Ctrl-D deletes under the cursor');
ok(shows($scr, 'pagoda# echo u2', 'u2'), 'Ctrl-U kills from the start to the cursor');
ok(shows($scr, 'pagoda# echo keep', 'keep'), 'Ctrl-W kills the word before the cursor');
ok(shows($scr, 'pagoda# echo k1', 'k1'), 'Ctrl-K kills to the end');
ok(shows($scr, 'pagoda# echo 1-one two-3', '1-one two-3'), 'Ctrl-Left / Ctrl-Right move by words');
ok(shows($scr, 'pagoda# echo abandoned^C', 'pagoda# echo fresh', 'fresh'), 'Ctrl-C abandons the line');
ok(shows($scr, 'pagoda# echo mid-line^C', 'pagoda# echo after-mid', 'after-mid'),
   'Ctrl-C with the cursor inside the line leaves the whole line on the screen');
unlike($out, qr/command not found/, 'every edited line was a whole command');

# Ctrl-L: the screen is cleared and the prompt with the line is at the top.
($scr, $st, $out) = session("echo before\r" . "echo cleared" . ctrl('L') . "\r");
is($scr->[0], 'pagoda# echo cleared', 'Ctrl-L clears the screen and redraws the prompt and the line at the top');
is($scr->[1], 'cleared', '... and the line still runs');

# Lines wider than the terminal: editing across the wrap, at 80 columns (a VT100's) and at the
# width the terminal reports when asked (ESC [ 6 n, answered with ESC [ row ; col R).
sub rows_of {
    my ($text, $cols) = @_;
    return map { substr($text, $_ * $cols, $cols) } 0 .. int((length($text) - 1) / $cols);
}
($scr, $st, $out) = session('echo ' . ('a' x 90) . "Z$k{left}$k{left}" . "\x7f" x 89 . "\r"
    . 'echo ' . ('b' x 90) . ctrl('A') . ctrl('F') x 5 . "B\r");
my ($raw) = qemu_arm64(input => "echo short\rpoweroff 0\r", raw => 1);
like($raw, qr/\npagoda# echo short\r\nshort\r\npagoda# poweroff 0\r\n/,
     'short lines: the console shows prompts and commands plainly (no width question)');
ok(shows($scr, 'pagoda# echo aZ', 'aZ'), 'Backspace back across the wrap; the row it left is cleared');
ok(shows($scr, rows_of('pagoda# echo B' . ('b' x 90), 80), 'B' . ('b' x 79), 'b' x 11),
   'an insertion on the first row of a wrapped line is redrawn across both rows');
# The question goes out once the line nears 80 columns; the terminal's answer comes in among the keys.
($scr, $st, $out) = session('echo ' . ('c' x 60) . "\e[24;120R" . ('c' x 40) . ctrl('A') . ctrl('F') x 5 . "C\r", 120);
is_deeply([@$scr[0, 1]], ['pagoda# echo C' . ('c' x 100), 'C' . ('c' x 100)],
   'a terminal that reports 120 columns gets its 114-column line redrawn in place, on one row');
is(() = $out =~ /\e7\e\[999C\e\[6n\e8/g, 1, 'the width is asked once, when the line nears 80 columns');

# --- Tab completion ---------------------------------------------------------------------------
($scr, $st, $out) = session("cat /proc/buddyi\t\r" . "hist\t\r" . "ec\tdone\r" . "cat /proc/\tversion\r"
    . "cat /sys/k\t\t\r" . "cat /nowhere\t\r" . "cat /proc/cmdline /proc/vers\t\r");
is($st, 0, 'completion session powers off with 0');
ok(shows($scr, 'pagoda# cat /proc/buddyinfo'), 'a unique path completes: /proc/buddyi -> buddyinfo');
like($out, qr/^Node 0, zone\s+\S+/m, '... and the completed command ran');
ok(shows($scr, 'pagoda# history'), 'a unique command name completes');
ok(shows($scr, 'pagoda# echo done', 'done'), 'a completed command gets a space after it');
my ($list) = join("\n", @$scr) =~ m{^pagoda# cat /proc/\n((?:.+\n)+?)pagoda# cat /proc/version$}m;
my %cand = map { $_ => 1 } split ' ', $list // '';
ok($cand{buddyinfo} && $cand{version} && $cand{meminfo} && $cand{cmdline}, 'several candidates are listed under the line')
    or diag("listed: " . ($list // '(nothing)'));
ok(!grep({ !m{^[a-z_]+/?$} } keys %cand), 'the list holds names only (directories end in /)');
my @listed = split ' ', $list // '';
is_deeply(\@listed, [sort @listed], 'the list is in alphabetical order');
like($out, qr/^pagoda version /m, 'after the list the prompt and the line are redrawn, and typing goes on');
ok(shows($scr, 'pagoda# cat /sys/kernel/debug/'), 'unique directories complete one per Tab, with their /');
ok(shows($scr, 'pagoda# cat /nowhere', 'cat: /nowhere: No such file or directory'), 'no match: nothing inserted');
ok(shows($scr, 'pagoda# cat /proc/cmdline /proc/version'), 'a later argument completes too');
unlike(join("\n", @$scr), qr/command not found/, 'no completion produced a bad command');

done_testing();
