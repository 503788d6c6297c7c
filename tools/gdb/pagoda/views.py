# views.py: the kernel's text views (dmesg, buddyinfo, slabinfo, memblock, vmallocinfo, struct page) read by gdb.
"""Each function returns the lines the kernel's own file would print for the same state.

Structures are read by field name (gdb's DWARF view); array sizes come from the
DWARF bounds (MAX_ORDER, SLAB_NR_CPUS, the log buffer), and the few macros DWARF
cannot show (VM_* flags, ZONES_SHIFT) from the kernel's headers.
"""
import gdb

from . import kernel


def dmesg_text():
    """kernel/printk.c's ring: log_buf holds the last sizeof(log_buf) of the log_head bytes ever written."""
    buf = kernel.symbol('log_buf')
    size = buf.type.sizeof
    head = int(kernel.symbol('log_head'))
    data = kernel.read(int(buf.address), size)
    text = data[:head] if head <= size else data[head % size:] + data[:head % size]
    return text.decode('latin-1')


def buddyinfo_lines():
    """mm/show_mem.c: 'Node 0, zone %8s ' then '%6lu ' per order, for each populated zone."""
    zones = kernel.symbol('zones')
    out = []
    for i in range(kernel.array_len(zones)):
        z = zones[i]
        if not int(z['present_pages']):
            continue
        fa = z['free_area']
        line = 'Node %d, zone %8s ' % (0, kernel.read_chars(int(z['name'])))
        line += ''.join('%6d ' % int(fa[o]['nr_free']) for o in range(kernel.array_len(fa)))
        out.append(line)
    return out


def slabinfo_lines():
    """/proc/slabinfo 2.1, computed as kmem_cache_get_info does (per-CPU free objects not active)."""
    out = ['slabinfo - version: 2.1',
           '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables '
           '<limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>']
    for c in kernel.list_for_each_entry(kernel.symbol('slab_caches'), 'struct kmem_cache', 'list'):
        active = sum(int(pg['inuse']) for pg in kernel.list_for_each_entry(c['partial'], 'struct page', 'lru'))
        objects = int(c['objects'])
        active += int(c['nr_full']) * objects
        active_slabs = int(c['nr_partial']) + int(c['nr_full'])
        num_slabs = active_slabs + int(c['nr_empty'])
        cpu = c['cpu_cache']  # one array pointer per possible CPU
        active -= sum(int(cpu[i].dereference()['avail']) for i in range(kernel.array_len(cpu)))
        out.append('%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d' % (
            kernel.read_chars(int(c['name'])), active, num_slabs * objects, int(c['stride']), objects,
            1 << int(c['order']), int(c['limit']), int(c['batch']), 0, active_slabs, num_slabs, 0))
    return out


def memblock_lines(which):
    """/sys/kernel/debug/memblock/{memory,reserved}: '%4lu: 0x%016llx..0x%016llx[ owner]'."""
    if which not in ('memory', 'reserved'):
        raise kernel.PagodaError('usage: pagoda memblock memory|reserved')
    t = kernel.symbol('memblock')[which]
    out = []
    for i in range(int(t['cnt'])):
        r = t['regions'][i]
        base, size = int(r['base']), int(r['size'])
        line = '%4d: 0x%016x..0x%016x' % (i, base, base + size - 1)
        owner = kernel.read(int(r['owner'].address), r['owner'].type.sizeof).split(b'\0')[0].decode('latin-1')
        if owner:
            line += ' ' + owner
        out.append(line)
    return out


def vm_flags():
    h = 'include/mm/vmalloc.h'
    return {n: kernel.header_define(h, n) for n in ('VM_IOREMAP', 'VM_ALLOC', 'VM_MAP', 'VM_DMA_COHERENT')}


def area_kind(flags, f):
    for name, kind in (('VM_IOREMAP', 'ioremap'), ('VM_DMA_COHERENT', 'dma-coherent'),
                       ('VM_ALLOC', 'vmalloc'), ('VM_MAP', 'vmap')):
        if flags & f[name]:
            return kind
    return 'reserved'


def vmallocinfo_lines():
    """/proc/vmallocinfo: the busy treap (mm/vmalloc.c busy_root) in address order."""
    f = vm_flags()
    syms = kernel.Kallsyms()
    vm_ptr = gdb.lookup_type('struct vm_struct').pointer()
    va_off = kernel.field_offset(gdb.lookup_type('struct vm_struct'), 'va')
    digits = 2 * gdb.lookup_type('unsigned long').sizeof
    out, stack = [], []
    node = int(kernel.symbol('busy_root'))
    while stack or node:		# in-order, without recursion
        while node:
            stack.append(node)
            node = int(gdb.Value(node).cast(gdb.lookup_type('struct va_node').pointer())['left'])
        node = stack.pop()
        vm = gdb.Value(node - va_off).cast(vm_ptr).dereference()
        a, size, flags = int(vm['addr']), int(vm['size']), int(vm['flags'])
        line = '0x%0*x-0x%0*x %7d %s' % (digits, a, digits, a + size, size, syms.sprint_symbol(int(vm['caller'])))
        if int(vm['nr_pages']):
            line += ' pages=%d' % int(vm['nr_pages'])
        if flags & (f['VM_IOREMAP'] | f['VM_DMA_COHERENT']):
            line += ' phys=0x%016x' % int(vm['phys_addr'])
        out.append(line + ' ' + area_kind(flags, f))
        node = int(gdb.Value(node).cast(gdb.lookup_type('struct va_node').pointer())['right'])
    return out
