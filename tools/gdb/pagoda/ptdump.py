# ptdump.py: kernel_page_tables and `walk VA` from the live translation tables, in the kernel's formats.
"""The dump and the walk, done in gdb from the root register (TTBR1_EL1 / CR3).

Table pages are reached by PA through the kernel's linear map (kernel.PhysReader).
The region markers are the kernel's own table (ptdump_markers in mm/ptdump.c);
the run-merging rules are Linux's, as /sys/kernel/debug/kernel_page_tables applies
them: a run ends where the level, the attributes or the PA sequence change, and at
every marker (holes are cut there, so every marker prints).
"""
from . import kernel
from . import mmu as mmu_mod


def kernel_markers():
    """[(start, name)] from the kernel's ptdump_markers (ending at the entry with a NULL name)."""
    if not kernel.has_symbol('ptdump_markers'):
        return []
    arr = kernel.symbol('ptdump_markers')
    out = []
    for i in range(kernel.array_len(arr)):
        m = arr[i]
        if not int(m['name']):
            out.append((int(m['start']), None))
            break
        out.append((int(m['start']), kernel.read_chars(int(m['name']), 64)))
    return out


def size_words(delta_bytes):
    """Linux's size column: the largest unit that divides the size (K, M, G, T, P, E)."""
    delta = delta_bytes >> 10
    units = 'KMGTPE'
    u = 0
    while not delta & 1023 and u < len(units) - 1:
        delta >>= 10
        u += 1
    return '%9d%s' % (delta, units[u])


class Dumper:
    """Linux's pg_state: merges entries into runs and prints a line per run."""

    def __init__(self, mmu, phys, markers):
        self.mmu, self.phys = mmu, phys
        self.mask = (1 << mmu.va_bits_total) - 1
        self.markers = markers + [(1 << 64, None)] if not markers or markers[-1][1] else markers
        self.mi = 0
        while self.markers[self.mi + 1][1] and self.markers[self.mi + 1][0] <= mmu.va_base:
            self.mi += 1
        self.lines = []
        self.level = None

    def fmt(self, va):
        return '0x%0*x' % (self.mmu.addr_digits, va & self.mask)

    def end_run(self, va):
        m = self.mmu
        line = '%s-%s   %s' % (self.fmt(self.start_va), self.fmt(va), size_words((va - self.start_va) & self.mask))
        name = m.level_names[self.level - m.first_level]
        words = m.words(self.first, self.level) if self.key is not None else m.hole_words()
        if not m.level_last:
            line += ' ' + name
        line += ''.join(' ' + w for w in words)
        if m.level_last:
            line += ' ' + name
        if self.key is not None:
            line += ' -> 0x%016x' % self.start_pa
        self.lines.append(line)

    def marker_line(self):
        if self.markers[self.mi][1]:
            self.lines.append('---[ %s ]---' % self.markers[self.mi][1])

    def note_page(self, level, va, e):
        m = self.mmu
        valid = m.is_valid(e, level)
        key = m.key(e, level) if valid else None
        pa = m.leaf_pa(e, level) if valid else 0
        nxt = self.markers[self.mi + 1][0]
        if self.level is not None:
            if key == self.key and level == self.level and va < nxt and \
               (key is None or pa == self.start_pa + (va - self.start_va)):
                return
            self.end_run(va)
            while va >= self.markers[self.mi + 1][0]:
                self.mi += 1
                self.marker_line()
        else:
            self.marker_line()
        self.level, self.key, self.first, self.start_va, self.start_pa = level, key, e, va, pa

    def note_entry(self, level, va, e):
        last = va + (1 << self.mmu.shift(level)) - 1
        self.note_page(level, va, e)
        if self.mmu.is_valid(e, level):
            return
        while self.markers[self.mi + 1][1] and va < self.markers[self.mi + 1][0] <= last:
            self.note_page(level, self.markers[self.mi + 1][0], e)

    def walk_table(self, pa, level, base):
        m = self.mmu
        sz = 1 << m.shift(level)
        n = m.entries(level)
        for i, e in enumerate(self.phys.u64s(pa, n)):
            off = base + i * sz
            if off >= m.va_size:
                break
            if m.is_table(e, level):
                self.walk_table(m.table_pa(e), level + 1, off)
            else:
                self.note_entry(level, m.va_base + off, e)

    def dump(self):
        m = self.mmu
        self.walk_table(m.root_pa, m.first_level, 0)
        if self.level is not None:
            self.end_run(m.va_base + m.va_size)
        return self.lines


def ptdump_lines():
    mmu = mmu_mod.current()
    return Dumper(mmu, kernel.PhysReader(), kernel_markers()).dump()


def squeeze(words):
    return ' '.join(w.strip() for w in words if w.strip())


def size_name(sz):
    if sz >= 1 << 30:
        return '%dG' % (sz >> 30)
    if sz >= 1 << 20:
        return '%dM' % (sz >> 20)
    return '%dK' % (sz >> 10)


def walk_va(mmu, phys, va, quiet=False):
    """The kernel's `walk VA` text (mm/ptdump.c ptdump_walk_va), as a list of lines; quiet: the verdict only."""
    out = []
    off = (va - mmu.va_base) & ((1 << 64) - 1)
    if va < mmu.va_base or off >= mmu.va_size:
        return ['VA 0x%016x is outside the page tables (0x%016x-0x%016x): %s' %
                (va, mmu.va_base, mmu.va_base + mmu.va_size - 1, mmu.outside_why(va))]
    tpa = mmu.root_pa
    for level in mmu.levels():
        sh = mmu.shift(level)
        idx = (off >> sh) & (mmu.entries(level) - 1)
        e = phys.u64s(tpa + 8 * idx, 1)[0]
        name = mmu.level_names[level - mmu.first_level]
        head = '%s[%3u] table 0x%016x entry 0x%016x: ' % (name, idx, tpa, e)
        if not mmu.is_valid(e, level):
            out.append(head + 'invalid')
            out.append('VA 0x%016x: translation stops at %s (level %d translation fault): '
                       'entry %u of the table is invalid' % (va, name, level - mmu.first_level, idx))
            return out[-1:] if quiet else out
        if not mmu.is_table(e, level):
            break
        tpa = mmu.table_pa(e)
        out.append(head + 'table -> 0x%016x' % tpa)
    kind = 'page' if level == mmu.levels()[-1] else 'block'
    pa = mmu.leaf_pa(e, level)
    out.append(head + '%s -> 0x%016x' % (kind, pa))
    out.append('VA 0x%016x -> PA 0x%016x: %s %s: %s' % (va, pa + (off & ((1 << sh) - 1)), size_name(1 << sh),
                                                        kind, squeeze(mmu.words(e, level))))
    return out[-1:] if quiet else out


def walk_lines(vas, quiet=False):
    mmu = mmu_mod.current()
    phys = kernel.PhysReader()
    out = []
    for va in vas:
        out.extend(walk_va(mmu, phys, va, quiet))
    return out
