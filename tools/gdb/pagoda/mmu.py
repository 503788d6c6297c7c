# mmu.py: the two translation-table formats, decoded by the architecture's rules (ARM ARM, Intel SDM).
"""Descriptor decoding for the pagoda helpers, independent of pagoda's C headers.

Arm64: VMSAv8-64 stage 1, 4 KiB granule (ARM ARM D8.2-D8.3): the TTBR1_EL1 half,
its size from TCR_EL1.T1SZ, memory types from MAIR_EL1's attribute bytes.
x86: PAE paging (Intel SDM vol. 3, 4.4): CR3 -> 4-entry PDPT -> PD -> PT.

Each class gives the walk's geometry and, for a leaf, the words Linux's ptdump
prints (column for column) plus a key that decides which entries merge into a run.
"""
from . import kernel


def bits(v, hi, lo):
    return (v >> lo) & ((1 << (hi - lo + 1)) - 1)


class Arm64Mmu:
    """The kernel half (TTBR1_EL1) of an arm64 stage-1 regime with the 4 KiB granule."""
    addr_digits = 16
    va_bits_total = 64
    level_names = ('PGD', 'PUD', 'PMD', 'PTE')
    level_last = False

    def __init__(self, ttbr1=None, tcr=None, mair=None):
        self.ttbr1 = kernel.register('TTBR1_EL1') if ttbr1 is None else ttbr1
        self.tcr = kernel.register('TCR_EL1') if tcr is None else tcr
        self.mair = kernel.register('MAIR_EL1') if mair is None else mair
        if bits(self.tcr, 31, 30) != 2:		# TG1: 0b10 is the 4 KiB granule
            raise kernel.PagodaError('pagoda: TCR_EL1.TG1 is not the 4 KiB granule (0x%x)' % self.tcr)
        self.t1sz = bits(self.tcr, 21, 16)
        va = 64 - self.t1sz
        self.first_level = 4 - (va - 12 + 8) // 9	# 48 bits: level 0; 39 bits: level 1
        self.va_size = 1 << va
        self.va_base = (1 << 64) - self.va_size
        self.root_pa = self.ttbr1 & 0x0000fffffffffffe	# BADDR; ASID in [63:48], CnP in bit 0

    # Geometry. Levels are the architecture's (0..3); the walk starts at first_level.
    def levels(self):
        return range(self.first_level, 4)

    def shift(self, level):
        return 39 - 9 * level

    def entries(self, level):
        if level == self.first_level:
            return 1 << (64 - self.t1sz - self.shift(level))
        return 512

    def is_valid(self, e, level):
        """Bits[1:0]: x0 invalid; 01 a block at levels 1-2 (reserved, so invalid, at 0 and 3)."""
        if not e & 1:
            return False
        return bool(e & 2) or level in (1, 2)

    def is_table(self, e, level):
        return (e & 3) == 3 and level < 3

    def table_pa(self, e):
        return e & 0x0000fffffffff000

    def leaf_pa(self, e, level):
        return e & 0x0000fffffffff000 & ~((1 << self.shift(level)) - 1)

    def memtype(self, e):
        """MAIR_EL1.Attr<AttrIndx> decoded (D8.5.6), in Linux ptdump's words."""
        attr = (self.mair >> (8 * bits(e, 4, 2))) & 0xff
        if attr == 0x00:
            return 'DEVICE/nGnRnE'
        if attr == 0x04:
            return 'DEVICE/nGnRE'
        if attr == 0x08:
            return 'DEVICE/nGRE'
        if attr == 0x0c:
            return 'DEVICE/GRE'
        if attr == 0x44:
            return 'MEM/NORMAL-NC'
        if attr == 0xf0:
            return 'MEM/NORMAL-TAGGED'
        return 'MEM/NORMAL' if attr & 0x44 == 0x44 else 'MEM/NORMAL-0x%02x' % attr

    def words(self, e, level):
        """Linux arm64 ptdump's columns for a leaf: blanks keep their width."""
        return ['     ',				# the blank Linux 6.1 prints before ro/RW
                'USR' if e & (1 << 6) else '   ',		# AP[1]: EL0 access
                'ro' if e & (1 << 7) else 'RW',		# AP[2]
                'NX' if e & (1 << 53) else 'x ',		# PXN
                'SHD' if bits(e, 9, 8) == 3 else '   ',	# SH: inner shareable
                'AF' if e & (1 << 10) else '  ',
                'NG' if e & (1 << 11) else '  ',
                'CON' if e & (1 << 52) else '   ',		# contiguous hint
                '   ' if e & 2 else 'BLK',			# page (level 3) or block
                'UXN' if e & (1 << 54) else '   ',
                'GP' if e & (1 << 50) else '  ',		# BTI guarded
                self.memtype(e)]

    def key(self, e, level):
        """What must be equal for two leaves to share a ptdump line (besides level and PA)."""
        return (tuple(self.words(e, level)), bits(e, 9, 8), bits(e, 4, 2))

    def hole_words(self):
        return []

    def outside_why(self, va):
        if bits(self.tcr, 7, 7):	# EPD0
            return ('the lower half belongs to TTBR0, which is empty (TCR_EL1.EPD0): '
                    'any access faults (level 0 translation fault)')
        return 'the lower half belongs to TTBR0 (TCR_EL1.T0SZ = %d), not to the kernel\'s TTBR1' % bits(self.tcr, 5, 0)


class PaeMmu:
    """32-bit PAE paging from CR3: the whole 4 GiB (Intel SDM 4.4)."""
    addr_digits = 8
    va_bits_total = 32
    level_names = ('pgd', 'pmd', 'pte')	# Linux's x86 dump calls the PDPT the pgd
    level_last = True
    first_level = 0
    va_base = 0
    va_size = 1 << 32

    def __init__(self, cr3=None):
        self.cr3 = kernel.register('cr3') if cr3 is None else cr3
        self.root_pa = self.cr3 & 0xffffffe0		# the PDPT is 32-byte aligned (4.4.1)

    def levels(self):
        return range(0, 3)

    def shift(self, level):
        return 30 - 9 * level

    def entries(self, level):
        return 4 if level == 0 else 512

    def is_valid(self, e, level):
        return bool(e & 1)

    def is_table(self, e, level):
        """A PDPTE always references a PD; a PDE references a PT unless PS (bit 7) maps 2 MiB."""
        return bool(e & 1) and (level == 0 or (level == 1 and not e & (1 << 7)))

    def table_pa(self, e):
        return e & 0x000ffffffffff000

    def leaf_pa(self, e, level):
        return e & (0x000fffffffe00000 if level == 1 else 0x000ffffffffff000)

    def words(self, e, level):
        """Linux x86 dump_pagetables' columns: USR RW/ro PWT PCD PSE PAT GLB NX/x."""
        pat = e & (1 << 12) if level == 1 else e & (1 << 7)	# PAT bit: 12 in a 2 MiB PDE, 7 in a PTE
        return ['USR' if e & 4 else '   ',
                'RW' if e & 2 else 'ro',
                'PWT' if e & 8 else '   ',
                'PCD' if e & 16 else '   ',
                'PSE' if level == 1 and e & (1 << 7) else '   ',
                'PAT' if pat else '   ',
                'GLB' if e & (1 << 8) else '   ',
                'NX' if e & (1 << 63) else 'x ']		# XD (meaningful with EFER.NXE)

    def key(self, e, level):
        return tuple(self.words(e, level))

    def hole_words(self):
        return ['   ', '  ', '   ', '   ', '   ', '   ', '   ', '  ']

    def outside_why(self, va):
        return 'beyond the 32-bit address space'


def current():
    """The MMU of the halted CPU, from its live registers."""
    return Arm64Mmu() if kernel.arch_name() == 'arm64' else PaeMmu()
