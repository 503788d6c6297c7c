# page.py: `pagoda pfn N` and `pagoda page ADDR` — one struct page decoded, in the spirit of Linux's dump_page.
"""The flags come from the DWARF enum pageflags (names and bits), the zone index
from the top bits of ->flags (ZONES_SHIFT in include/mm/mm_types.h), the buddy's
record of an allocated block's order from PAGE_ALLOC_ORDER_* (include/mm/mm.h)."""
import gdb

from . import kernel


def page_geometry():
    """(mem_map address, first pfn, end pfn, sizeof(struct page))."""
    return (int(kernel.symbol('mem_map')), int(kernel.symbol('min_low_pfn')), int(kernel.symbol('max_pfn')),
            gdb.lookup_type('struct page').sizeof)


def page_from_pfn(pfn):
    mem_map, lo, hi, sz = page_geometry()
    if not mem_map:
        raise kernel.PagodaError('pagoda: mem_map is not set up yet (before mem_init)')
    if not lo <= pfn < hi:
        raise kernel.PagodaError('pagoda: pfn 0x%x is outside mem_map (pfns 0x%x-0x%x)' % (pfn, lo, hi - 1))
    return mem_map + (pfn - lo) * sz


def pfn_from_page(addr):
    mem_map, lo, hi, sz = page_geometry()
    if not mem_map or addr < mem_map or addr >= mem_map + (hi - lo) * sz or (addr - mem_map) % sz:
        raise kernel.PagodaError('pagoda: 0x%x is not a struct page in mem_map (0x%x, %d pages of %d bytes)' %
                                 (addr, mem_map, hi - lo, sz))
    return lo + (addr - mem_map) // sz


def flag_names(flags):
    names = []
    for f in gdb.lookup_type('enum pageflags').fields():
        if f.name.startswith('PG_') and flags & (1 << f.enumval):
            names.append(f.name[3:])
    return names


def describe(addr):
    """The lines printed for the struct page at addr."""
    pfn = pfn_from_page(addr)
    pg = gdb.Value(addr).cast(gdb.lookup_type('struct page').pointer()).dereference()
    flags = int(pg['flags'])
    zshift = kernel.header_define('include/mm/mm_types.h', 'ZONES_SHIFT')
    oshift = kernel.header_define('include/mm/mm.h', 'PAGE_ALLOC_ORDER_SHIFT')
    zones = kernel.symbol('zones')
    zi = flags >> zshift
    zone = kernel.read_chars(int(zones[zi]['name'])) if zi < kernel.array_len(zones) else '?%d' % zi
    names = flag_names(flags)
    out = ['page:0x%x pfn:0x%x phys:0x%016x zone:%s' % (addr, pfn, pfn << kernel.PAGE_SHIFT, zone),
           'flags: 0x%x(%s)' % (flags, '|'.join(names))]
    alloc_order = (flags >> oshift) & 0xf
    if alloc_order:
        out.append('allocated: a block of order %d (%d pages) starts here' % (alloc_order - 1, 1 << (alloc_order - 1)))
    if 'buddy' in names:
        o = int(pg['order'])
        out.append('buddy: free block of order %d (%d pages, pfn 0x%x-0x%x)' % (o, 1 << o, pfn, pfn + (1 << o) - 1))
    if 'head' in names:
        out.append('compound head: order %d' % int(pg['order']))
    if 'tail' in names:
        out.append('compound tail: head page 0x%x' % int(pg['compound_head']))
    if 'slab' in names:
        c = pg['slab_cache']
        cname = kernel.read_chars(int(c['name'])) if int(c) else '(none)'
        out.append('slab: cache %s (0x%x), %d objects in use, first free object %d' %
                   (cname, int(c), int(pg['inuse']), int(pg['freeidx'])))
    if 'pcp' in names:
        out.append('free on a per-CPU list')
    if not {'buddy', 'head', 'tail', 'slab'} & set(names):
        out.append('order/inuse word: 0x%x, private: 0x%x' % (int(pg['order']), int(pg['private'])))
    out.append('lru: next 0x%x prev 0x%x' % (int(pg['lru']['next']), int(pg['lru']['prev'])))
    if 'highmem' not in names and pfn < int(kernel.symbol('max_low_pfn')):
        out.append('virtual: 0x%x (linear map)' % ((pfn << kernel.PAGE_SHIFT) + kernel.linear_offset()))
    return out
