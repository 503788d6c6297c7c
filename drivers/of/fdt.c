/* fdt.c: reads memory, reservations, bootargs and stdout-path from a DTB with libfdt, checking everything first. */
#include <drivers/of_fdt.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <mm/memblock.h>
#include <asm/memory.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

char of_stdout_path[64];
char of_stdout_options[32];

/* The kernel defines them in kernel/cmdline.c; the host build of this file needs its own. */
__weak char boot_command_line[COMMAND_LINE_SIZE];
__weak size_t boot_command_line_len;
__weak bool boot_command_line_has_run;

static __printf(3, 4) int dt_fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

int early_init_dt_check(const void *blob, size_t bufsize, char *why, size_t n)
{
	u32 size;
	int err;

	if (!blob)
		return dt_fail(why, n, "no blob");
	if ((uintptr_t)blob & 7)
		return dt_fail(why, n, "blob at a misaligned address");
	if (bufsize < sizeof(struct fdt_header))
		return dt_fail(why, n, "truncated: %zu bytes is less than a header", bufsize);
	if (fdt_magic(blob) != FDT_MAGIC)
		return dt_fail(why, n, "bad magic 0x%08x (expected 0x%08x)", fdt_magic(blob), FDT_MAGIC);
	size = fdt_totalsize(blob);
	if (size < sizeof(struct fdt_header) || size > FDT_MAX_SIZE)
		return dt_fail(why, n, "absurd totalsize %u bytes", size);
	if (size > bufsize)
		return dt_fail(why, n, "truncated: totalsize %u but only %zu bytes present", size, bufsize);
	err = fdt_check_header(blob);
	if (err)
		return dt_fail(why, n, "bad header: %s", fdt_strerror(err));
	err = fdt_check_full(blob, size);
	if (err)
		return dt_fail(why, n, "bad structure: %s", fdt_strerror(err));
	return 0;
}

/* #address-cells / #size-cells of node: absent means dflt; pagoda's addresses fit in 1 or 2 cells. */
static int dt_cells(const void *fdt, int node, const char *name, u32 dflt, u32 *out, char *why, size_t n)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p) {
		if (len != -FDT_ERR_NOTFOUND)
			return dt_fail(why, n, "%s: %s", name, fdt_strerror(len));
		*out = dflt;
		return 0;
	}
	if (len != 4)
		return dt_fail(why, n, "wrong cells: %s is %d bytes, not 4", name, len);
	*out = fdt32_to_cpu(*p);
	if (*out < 1 || *out > 2)
		return dt_fail(why, n, "wrong cells: %s = %u (memory needs 1 or 2)", name, *out);
	return 0;
}

static u64 dt_read_number(const fdt32_t *p, u32 cells)
{
	u64 v = 0;

	while (cells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* A region that wraps or reaches past what any arch addresses. */
static bool dt_region_absurd(u64 base, u64 size)
{
	return base + size < base || base + size > DT_MAX_PHYS;
}

static int dt_check_region(const char *what, u64 base, u64 size, char *why, size_t n)
{
	if (dt_region_absurd(base, size))
		return dt_fail(why, n, "absurd %s region 0x%llx+0x%llx (beyond 2^52)", what,
			       (unsigned long long)base, (unsigned long long)size);
	return 0;
}

/*
 * dt_parse_reg: the (base, size) pairs of node's reg, appended to out[*nr] (max
 * entries). Zero-sized entries are skipped, as Linux does.
 */
static int dt_parse_reg(const void *fdt, int node, u32 ac, u32 sc, const char *what,
			struct dt_region *out, unsigned int *nr, unsigned int max, char *why, size_t n)
{
	int len, i, entry = (int)(ac + sc) * 4;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const char *name = fdt_get_name(fdt, node, NULL);

	if (!reg)
		return len == -FDT_ERR_NOTFOUND ? 0 : dt_fail(why, n, "%s reg: %s", what, fdt_strerror(len));
	if (len % entry)
		return dt_fail(why, n, "wrong cells: %s reg is %d bytes, not a multiple of %d "
			       "(#address-cells=%u, #size-cells=%u)", what, len, entry, ac, sc);
	for (i = 0; i < len / entry; i++) {
		u64 base = dt_read_number(reg + i * (int)(ac + sc), ac);
		u64 size = dt_read_number(reg + i * (int)(ac + sc) + ac, sc);

		if (dt_check_region(what, base, size, why, n))
			return -1;
		if (!size)
			continue;
		if (*nr == max)
			return dt_fail(why, n, "more than %u %s regions", max, what);
		out[*nr].base = base;
		out[*nr].size = size;
		memset(out[*nr].owner, 0, sizeof(out[*nr].owner));
		memcpy(out[*nr].owner, name ? name : what, strnlen(name ? name : what, sizeof(out[0].owner) - 1));
		(*nr)++;
	}
	return 0;
}

static bool dt_node_disabled(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);

	return s && strcmp(s, "okay") && strcmp(s, "ok");
}

/* Sorts the memory regions and refuses overlaps (a DTB that says so is wrong, not mergeable). */
static int dt_sort_memory(struct dt_memory_map *m, char *why, size_t n)
{
	unsigned int i, j;

	for (i = 1; i < m->nr_mem; i++)
		for (j = i; j > 0 && m->mem[j].base < m->mem[j - 1].base; j--) {
			struct dt_region t = m->mem[j];

			m->mem[j] = m->mem[j - 1];
			m->mem[j - 1] = t;
		}
	for (i = 1; i < m->nr_mem; i++)
		if (m->mem[i - 1].base + m->mem[i - 1].size > m->mem[i].base)
			return dt_fail(why, n, "overlapping memory regions 0x%llx+0x%llx and 0x%llx+0x%llx",
				       (unsigned long long)m->mem[i - 1].base, (unsigned long long)m->mem[i - 1].size,
				       (unsigned long long)m->mem[i].base, (unsigned long long)m->mem[i].size);
	return 0;
}

static int dt_parse_memory(const void *fdt, struct dt_memory_map *m, char *why, size_t n)
{
	int node;

	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7); node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		if (fdt_parent_offset(fdt, node) != 0)
			continue;	/* a /memory node is a child of the root (whose cells we read) */
		if (dt_node_disabled(fdt, node))
			continue;
		if (dt_parse_reg(fdt, node, m->addr_cells, m->size_cells, "memory", m->mem, &m->nr_mem,
				 DT_MAX_MEM_REGIONS, why, n))
			return -1;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return dt_fail(why, n, "searching /memory: %s", fdt_strerror(node));
	if (!m->nr_mem)
		return dt_fail(why, n, "no /memory node with a usable reg");
	return dt_sort_memory(m, why, n);
}

/* The /memreserve/ block: bad entries are left out one by one (listed in m->dropped). */
static int dt_parse_memreserve(const void *fdt, struct dt_memory_map *m, char *why, size_t n)
{
	int i, num = fdt_num_mem_rsv(fdt);

	if (num < 0)
		return dt_fail(why, n, "memreserve block: %s", fdt_strerror(num));
	for (i = 0; i < num; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size))
			return dt_fail(why, n, "memreserve entry %d unreadable", i);
		if (dt_region_absurd(base, size)) {	/* left out alone: the others stay reserved */
			if (m->nr_dropped < DT_MAX_DROPPED) {
				m->dropped[m->nr_dropped].index = i;
				m->dropped[m->nr_dropped].base = base;
				m->dropped[m->nr_dropped].size = size;
			}
			m->nr_dropped++;
			continue;
		}
		if (!size)
			continue;
		if (m->nr_rsv == DT_MAX_RSV_REGIONS)
			return dt_fail(why, n, "more than %u reserved regions", DT_MAX_RSV_REGIONS);
		m->rsv[m->nr_rsv++] = (struct dt_region){ base, size, "memreserve" };
	}
	return 0;
}

static int dt_parse_reserved(const void *fdt, struct dt_memory_map *m, char *why, size_t n)
{
	int rmem, child;
	u32 ac, sc;

	if (dt_parse_memreserve(fdt, m, why, n))
		return -1;
	rmem = fdt_path_offset(fdt, "/reserved-memory");
	if (rmem < 0)
		return rmem == -FDT_ERR_NOTFOUND ? 0 : dt_fail(why, n, "/reserved-memory: %s", fdt_strerror(rmem));
	if (dt_cells(fdt, rmem, "#address-cells", m->addr_cells, &ac, why, n) ||
	    dt_cells(fdt, rmem, "#size-cells", m->size_cells, &sc, why, n))
		return -1;
	fdt_for_each_subnode(child, fdt, rmem) {
		if (dt_node_disabled(fdt, child))
			continue;
		if (!fdt_getprop(fdt, child, "reg", NULL)) {	/* a pool to allocate (CMA): none here */
			m->nr_dynamic++;
			continue;
		}
		if (dt_parse_reg(fdt, child, ac, sc, "reserved-memory", m->rsv, &m->nr_rsv,
				 DT_MAX_RSV_REGIONS, why, n))
			return -1;
	}
	return 0;
}

int early_init_dt_parse(const void *blob, size_t bufsize, struct dt_memory_map *map, char *why, size_t n)
{
	why[0] = '\0';
	memset(map, 0, sizeof(*map));
	if (early_init_dt_check(blob, bufsize, why, n))
		return -1;
	if (dt_cells(blob, 0, "#address-cells", 2, &map->addr_cells, why, n) ||
	    dt_cells(blob, 0, "#size-cells", 1, &map->size_cells, why, n))
		return -1;
	if (dt_parse_memory(blob, map, why, n) || dt_parse_reserved(blob, map, why, n))
		return -1;
	return 0;
}

/* A string property of /chosen and its length in bytes (NULL if absent or empty). */
static const char *dt_chosen_prop(const void *fdt, const char *prop, int *len)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *p = chosen >= 0 ? fdt_getprop(fdt, chosen, prop, len) : NULL;

	return p && *len > 0 ? p : NULL;
}

/* Copies a string property of /chosen (bounded by its length and by size). */
static void dt_chosen_string(const void *fdt, const char *prop, char *dst, size_t size)
{
	int len;
	const char *p = dt_chosen_prop(fdt, prop, &len);

	if (p)
		snprintf(dst, size, "%.*s", (int)strnlen(p, (size_t)len), p);
}

static void dt_scan_chosen(const void *fdt)
{
	char path[96] = "";
	size_t colon;
	int len;
	const char *args = dt_chosen_prop(fdt, "bootargs", &len);

	if (args)
		cmdline_set(args, (size_t)len);
	dt_chosen_string(fdt, "stdout-path", path, sizeof(path));
	colon = strcspn(path, ":");
	snprintf(of_stdout_path, sizeof(of_stdout_path), "%.*s", (int)colon, path);
	snprintf(of_stdout_options, sizeof(of_stdout_options), "%s", path[colon] ? path + colon + 1 : "");
}

#define PG	((paddr_t)PAGE_SIZE)

/* One line per /memreserve/ entry that parsing left out. */
static void dt_report_dropped(const struct dt_memory_map *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_dropped && i < DT_MAX_DROPPED; i++)
		printk("OF: fdt: memreserve entry %d (0x%llx+0x%llx): beyond 2^52; dropped\n",
		       m->dropped[i].index, (unsigned long long)m->dropped[i].base,
		       (unsigned long long)m->dropped[i].size);
	if (m->nr_dropped > DT_MAX_DROPPED)
		printk("OF: fdt: %u more bad memreserve entries dropped\n", m->nr_dropped - DT_MAX_DROPPED);
}

int early_init_dt_scan_phys(const void *blob, paddr_t blob_pa, size_t bufsize)
{
	static struct dt_memory_map map;
	char why[160];
	unsigned int i;
	int rc = 0;

	if (early_init_dt_parse(blob, bufsize, &map, why, sizeof(why))) {
		printk("OF: fdt: ignoring the device tree at 0x%016llx: %s\n", (unsigned long long)blob_pa, why);
		return -1;
	}
	dt_report_dropped(&map);
	/* Whole pages: RAM rounded inwards, reservations outwards (the buddy deals in pages). */
	for (i = 0; i < map.nr_mem; i++) {
		paddr_t b = ALIGN(map.mem[i].base, PG), e = ALIGN_DOWN(map.mem[i].base + map.mem[i].size, PG);

		if (b < e)
			rc |= memblock_add(b, e - b);
	}
	for (i = 0; i < map.nr_rsv; i++) {
		paddr_t b = ALIGN_DOWN(map.rsv[i].base, PG), e = ALIGN(map.rsv[i].base + map.rsv[i].size, PG);

		rc |= memblock_reserve(b, e - b, map.rsv[i].owner);
	}
	rc |= memblock_reserve(ALIGN_DOWN(blob_pa, PG), ALIGN(blob_pa + fdt_totalsize(blob), PG) -
			       ALIGN_DOWN(blob_pa, PG), "dtb");
	dt_scan_chosen(blob);
	printk("OF: fdt: %u memory region(s), %llu MiB, %u reservation(s) (#address-cells=%u #size-cells=%u)%s\n",
	       map.nr_mem, (unsigned long long)(memblock_phys_mem_size() >> 20), map.nr_rsv,
	       map.addr_cells, map.size_cells,
	       map.nr_dynamic ? "; size-only /reserved-memory pools (CMA) ignored" : "");
	return rc ? -1 : 0;
}

int early_init_dt_scan(const void *blob)
{
	return early_init_dt_scan_phys(blob, __pa(blob), FDT_MAX_SIZE);
}
