# __init__.py: the `pagoda` prefix command and its subcommands (the kernel's debugfs views, from gdb).
"""pagoda's gdb helpers: `pagoda dmesg`, `pagoda ptdump`, `pagoda walk VA...`,
`pagoda buddyinfo`, `pagoda slabinfo`, `pagoda memblock memory|reserved`,
`pagoda vmallocinfo`, `pagoda pfn N`, `pagoda page ADDR`. Each prints what the
kernel's own file or command prints for the same state."""
import gdb

from . import kernel, page, ptdump, views


def emit(lines):
    gdb.write(''.join(l + '\n' for l in lines))


def parse_number(arg, what):
    """An integer from a gdb expression (so `pagoda walk $x1`, `pagoda pfn 0x3b880` work)."""
    try:
        return int(gdb.parse_and_eval(arg)) & ((1 << 64) - 1)
    except gdb.error as e:
        raise kernel.PagodaError('pagoda: %s: %s is not a number (%s)' % (what, arg, e))


class Pagoda(gdb.Command):
    """Views of a halted pagoda kernel, in the formats the kernel prints on its console.

pagoda dmesg                      the log ring (the shell's dmesg)
pagoda ptdump                     /sys/kernel/debug/kernel_page_tables, from TTBR1_EL1 / CR3
pagoda walk [-q] VA... | -f FILE  the shell's walk VA (-q: only the verdict line)
pagoda buddyinfo | slabinfo | vmallocinfo
pagoda memblock memory|reserved   /sys/kernel/debug/memblock/...
pagoda pfn N | page ADDR          one struct page, decoded"""

    def __init__(self):
        super().__init__('pagoda', gdb.COMMAND_DATA, gdb.COMPLETE_NONE, True)


class Sub(gdb.Command):
    """Base for `pagoda NAME`: subclasses set name and run(args) -> lines."""
    name = None

    def __init__(self):
        super().__init__('pagoda ' + self.name, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        emit(self.run(gdb.string_to_argv(arg)))


class Dmesg(Sub):
    """The kernel log ring (kernel/printk.c log_buf), as the shell's dmesg prints it."""
    name = 'dmesg'

    def invoke(self, arg, from_tty):
        gdb.write(views.dmesg_text())


class Ptdump(Sub):
    """The kernel page tables from the live root register, as /sys/kernel/debug/kernel_page_tables."""
    name = 'ptdump'

    def run(self, args):
        return ptdump.ptdump_lines()


class Walk(Sub):
    """pagoda walk [-q] VA... | pagoda walk [-q] -f FILE: how each VA translates, level by level.
-q prints only the verdict line of each walk; FILE holds one hex VA per line."""
    name = 'walk'

    def run(self, args):
        quiet = '-q' in args
        args = [a for a in args if a != '-q']
        if len(args) == 2 and args[0] == '-f':
            with open(args[1]) as f:
                vas = [int(l, 16) for l in f if l.strip()]
        elif args:
            vas = [parse_number(a if a.startswith(('0x', '$')) else '0x' + a, 'walk') for a in args]
        else:
            raise kernel.PagodaError('usage: pagoda walk [-q] VA... | pagoda walk [-q] -f FILE')
        return ptdump.walk_lines(vas, quiet)


class Buddyinfo(Sub):
    """/proc/buddyinfo: free blocks per order and zone."""
    name = 'buddyinfo'

    def run(self, args):
        return views.buddyinfo_lines()


class Slabinfo(Sub):
    """/proc/slabinfo (version 2.1)."""
    name = 'slabinfo'

    def run(self, args):
        return views.slabinfo_lines()


class Memblock(Sub):
    """pagoda memblock memory|reserved: /sys/kernel/debug/memblock/{memory,reserved}."""
    name = 'memblock'

    def run(self, args):
        if len(args) != 1:
            raise kernel.PagodaError('usage: pagoda memblock memory|reserved')
        return views.memblock_lines(args[0])


class Vmallocinfo(Sub):
    """/proc/vmallocinfo: the busy vmalloc areas by address."""
    name = 'vmallocinfo'

    def run(self, args):
        return views.vmallocinfo_lines()


class Pfn(Sub):
    """pagoda pfn N: the struct page of page frame N (a gdb expression: 0x3b880, 1000)."""
    name = 'pfn'

    def run(self, args):
        if len(args) != 1:
            raise kernel.PagodaError('usage: pagoda pfn N')
        return page.describe(page.page_from_pfn(parse_number(args[0], 'pfn')))


class Page(Sub):
    """pagoda page ADDR: the struct page at ADDR (an address in mem_map)."""
    name = 'page'

    def run(self, args):
        if len(args) != 1:
            raise kernel.PagodaError('usage: pagoda page ADDR')
        return page.describe(parse_number(args[0], 'page'))


Pagoda()
for cls in (Dmesg, Ptdump, Walk, Buddyinfo, Slabinfo, Memblock, Vmallocinfo, Pfn, Page):
    cls()
