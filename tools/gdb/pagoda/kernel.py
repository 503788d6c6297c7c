# kernel.py: reading a halted pagoda kernel through gdb — symbols, fields by name, physical memory.
"""Access to the target for the pagoda helpers.

Everything is read through gdb's DWARF view of the kernel (symbols and struct
fields by name), so the helpers follow refactorings of the C code. The few
values that are preprocessor macros (invisible to DWARF without -g3) are read
from the kernel's own headers in the source tree, next to this package.
"""
import os
import re
import struct

import gdb

SRC_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
PAGE_SHIFT = 12		# the 4 KiB granule: arm64 TCR_EL1.TG1 is checked in mmu.py; PAE has no other


class PagodaError(gdb.GdbError):
    """A helper cannot do what it was asked: gdb prints the message, nothing else."""


def arch_name():
    """'arm64' or 'x86', from the inferior's architecture."""
    name = gdb.selected_inferior().architecture().name()
    if 'aarch64' in name:
        return 'arm64'
    if 'i386' in name or 'x86' in name:
        return 'x86'
    raise PagodaError('pagoda: unknown architecture %s (arm64 and i386 only)' % name)


def ulong_bits():
    return 8 * gdb.lookup_type('unsigned long').sizeof


def symbol(name):
    """The value of a global or file-static variable, by name."""
    sym = gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)
    if sym is None:
        try:
            return gdb.parse_and_eval(name)
        except gdb.error:
            raise PagodaError('pagoda: no symbol %s in the kernel (is this pagoda\'s kernel.elf?)' % name)
    return sym.value()


def has_symbol(name):
    return (gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)) is not None


def register(name):
    """A CPU register as an unsigned integer (system registers as QEMU's stub names them)."""
    try:
        v = gdb.selected_frame().read_register(name)
    except (gdb.error, ValueError):
        raise PagodaError('pagoda: the gdb stub does not show register %s' % name)
    return int(v) & ((1 << (8 * v.type.sizeof)) - 1)


def read(addr, size):
    """size bytes of kernel virtual memory at addr."""
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, size))
    except gdb.MemoryError:
        raise PagodaError('pagoda: cannot read %d bytes at 0x%x' % (size, addr))


def read_chars(addr, limit=256):
    """The NUL-terminated string at addr (at most limit bytes); '' for NULL."""
    if not addr:
        return ''
    out = bytearray()
    while len(out) < limit:
        chunk = read(addr + len(out), 64)
        nul = chunk.find(b'\0')
        if nul >= 0:
            out += chunk[:nul]
            break
        out += chunk
    return out[:limit].decode('latin-1')


def field_offset(typ, name):
    """Byte offset of a member (searching anonymous unions/structs)."""
    for f in typ.strip_typedefs().fields():
        if f.name == name:
            return f.bitpos // 8
        if f.name is None:
            try:
                return f.bitpos // 8 + field_offset(f.type, name)
            except KeyError:
                pass
    raise KeyError(name)


def list_for_each_entry(head, typename, member):
    """The structs of type typename linked through their list_head member, from head (a value)."""
    typ = gdb.lookup_type(typename)
    off = field_offset(typ, member)
    head_addr = int(head.address)
    node = int(head['next'])
    ptr = typ.pointer()
    seen = 0
    while node != head_addr:
        entry = gdb.Value(node - off).cast(ptr).dereference()
        yield entry
        node = int(entry[member]['next'])
        seen += 1
        if seen > 1 << 22:
            raise PagodaError('pagoda: list at 0x%x does not come back to its head' % head_addr)


def array_len(value):
    """Elements in an array-typed value (from its DWARF bounds)."""
    lo, hi = value.type.strip_typedefs().range()
    return hi - lo + 1


def header_define(relpath, name):
    """The integer value of '#define NAME value' in a kernel header (for macros DWARF lacks)."""
    path = os.path.join(SRC_ROOT, relpath)
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        raise PagodaError('pagoda: cannot read %s (the helpers read macros from the source tree)' % path)
    m = re.search(r'^#define\s+%s\s+(?:\()?(0x[0-9a-fA-F]+|\d+)[uUlL]*' % re.escape(name), text, re.M)
    if not m:
        raise PagodaError('pagoda: no #define %s in %s' % (name, relpath))
    return int(m.group(1), 0)


def linear_offset():
    """VA - PA in the linear map: mm_init sets high_memory = __va(PFN_PHYS(max_low_pfn))."""
    hm = int(symbol('high_memory'))
    return (hm - (int(symbol('max_low_pfn')) << PAGE_SHIFT)) & ((1 << ulong_bits()) - 1)


class PhysReader:
    """Reads physical memory a page at a time, cached for one command.

    After mem_init the kernel's linear map reaches every table page (any gdb stub,
    JTAG included). Before it (high_memory still 0: a hang early in boot) the only
    way in is the stub's own physical view: QEMU's Qqemu.PhyMemMode packet."""

    def __init__(self):
        self.mask = (1 << ulong_bits()) - 1
        self.off = linear_offset() if int(symbol('high_memory')) else None
        self.pages = {}

    def read_page(self, base):
        if self.off is not None:
            return read((base + self.off) & self.mask, 1 << PAGE_SHIFT)
        if 'OK' not in gdb.execute('maint packet Qqemu.PhyMemMode:1', to_string=True):
            raise PagodaError('pagoda: the linear map is not set up yet (high_memory is 0) and this gdb stub '
                              'has no physical-memory mode (QEMU\'s Qqemu.PhyMemMode)')
        try:
            return read(base, 1 << PAGE_SHIFT)
        finally:
            gdb.execute('maint packet Qqemu.PhyMemMode:0', to_string=True)

    def page(self, pa):
        base = pa & ~((1 << PAGE_SHIFT) - 1)
        data = self.pages.get(base)
        if data is None:
            data = self.pages[base] = self.read_page(base)
        return data

    def u64s(self, pa, count):
        """count little-endian 64-bit words at pa (within one page)."""
        o = pa & ((1 << PAGE_SHIFT) - 1)
        return struct.unpack_from('<%dQ' % count, self.page(pa), o)


class Kallsyms:
    """The kernel's own symbol table (tools/kallsyms), so %pS prints as the kernel prints it."""

    def __init__(self):
        self.n = int(symbol('kallsyms_num')) if has_symbol('kallsyms_num') else 0
        if not self.n:
            return
        self.text = int(symbol('_text').address)
        self.etext = int(symbol('_etext').address)
        self.offsets = struct.unpack('<%dI' % self.n, read(int(symbol('kallsyms_offsets').address), 4 * self.n))
        self.name_offsets = struct.unpack('<%dI' % self.n,
                                          read(int(symbol('kallsyms_name_offsets').address), 4 * self.n))
        self.names = int(symbol('kallsyms_names').address)

    def sprint_symbol(self, addr):
        """'function+0xoff/0xsize', or '0xADDR' outside the text (kernel/kallsyms.c's contract)."""
        if not self.n or addr < self.text or addr >= self.etext:
            return '0x%x' % addr
        off = addr - self.text
        lo, hi = 0, self.n
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.offsets[mid] <= off:
                lo = mid
            else:
                hi = mid
        if self.offsets[lo] > off:
            return '0x%x' % addr
        end = self.offsets[lo + 1] if lo + 1 < self.n else self.etext - self.text
        name = read_chars(self.names + self.name_offsets[lo], 128)
        return '%s+0x%x/0x%x' % (name, off - self.offsets[lo], end - self.offsets[lo])
