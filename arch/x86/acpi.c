/* acpi.c (x86): the CPUs from the firmware — ACPI's RSDP/RSDT/XSDT/MADT, else the MP table — read through early_memremap. */
#include <kernel/printk.h>
#include <mm/fixmap.h>
#include <asm/apic.h>
#include <string.h>

/*
 * ACPI 6.x, 5.2.5 (RSDP), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.12 (MADT); Intel
 * MultiProcessor Specification 1.4, chapter 4 (floating pointer and
 * configuration table). Both are searched where the firmware must put them:
 * the first KiB of the EBDA, then the BIOS area 0xE0000-0xFFFFF, on 16-byte
 * boundaries.
 */
#define BDA_EBDA_SEG		0x40e		/* the EBDA's segment, a word in the BIOS data area */
#define BIOS_AREA		0xe0000
#define BIOS_AREA_SIZE		0x20000
#define SCAN_CHUNK		0x10000		/* one early_memremap window (NR_FIX_BTMAPS pages) */
#define SDT_HEADER_LEN		36
#define MADT_ENTRIES		44		/* after the header, the LAPIC address and flags */
#define MADT_LAPIC		0		/* Processor Local APIC structure */
#define MADT_LAPIC_OVERRIDE	5		/* Local APIC Address Override (64-bit) */
#define MADT_ENABLED		(1u << 0)
#define MAX_TABLE		(SCAN_CHUNK - 0x1000)	/* fits one window at any offset; larger is malformed */
#define MPC_ENTRIES		44
#define MPC_PROCESSOR		0
#define MPC_CPU_ENABLED		(1u << 0)

static u8 sum_bytes(const u8 *p, unsigned long n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * scan_for: the PA of the first 16-byte-aligned sig (len bytes checksumming
 * to 0) in [pa, pa + size), or 0. Each chunk is mapped only while it is read.
 */
static u32 scan_range(u32 pa, u32 size, const char *sig, unsigned int len)
{
	u32 off, chunk, found = 0;

	for (; size && !found; pa += chunk, size -= chunk) {
		const u8 *p;

		chunk = size < SCAN_CHUNK ? size : SCAN_CHUNK;
		p = early_memremap(pa, chunk);
		if (!p)
			return 0;
		for (off = 0; off + len <= chunk && !found; off += 16)
			if (!memcmp(p + off, sig, strlen(sig)) && !sum_bytes(p + off, len))
				found = pa + off;
		early_memunmap((void *)p, chunk);
	}
	return found;
}

static u32 scan_for(const char *sig, unsigned int len)
{
	const u16 *bda = early_memremap(BDA_EBDA_SEG, 2);
	u32 ebda = 0, pa = 0;

	if (bda) {
		ebda = (u32)*bda << 4;
		early_memunmap((void *)bda, 2);
	}
	if (ebda >= 0x80000 && ebda < 0xa0000)	/* a plausible EBDA (below the VGA hole) */
		pa = scan_range(ebda, 1024, sig, len);
	return pa ? pa : scan_range(BIOS_AREA, BIOS_AREA_SIZE, sig, len);
}

/*
 * map_table: maps the table at pa whole, after checking its length (a u32 at
 * offset 4, or a u16 if len16: the MP table's) is sane; *len gets it. NULL
 * with a line if not.
 */
static const u8 *map_table(u32 pa, const char *what, unsigned int min_len, bool len16, u32 *len)
{
	const u8 *p = early_memremap(pa, 8);

	if (!p)
		return NULL;
	*len = len16 ? (u32)(p[4] | p[5] << 8) : get32(p + 4);
	early_memunmap((void *)p, 8);
	if (*len < min_len || *len > MAX_TABLE) {
		printk("%s at 0x%08x: length %u is not a table length; ignored\n", what, pa, *len);
		return NULL;
	}
	return early_memremap(pa, *len);
}

typedef enum fw_result (*fw_parser)(const u8 *t, u32 len, struct fw_cpus *fc);

/* parse_at: the table at pa mapped whole (map_table), handed to parse, unmapped; FW_BAD if it cannot be mapped. */
static enum fw_result parse_at(u32 pa, const char *what, unsigned int min_len, bool len16, fw_parser parse,
			       struct fw_cpus *fc)
{
	u32 len;
	const u8 *p = map_table(pa, what, min_len, len16, &len);
	enum fw_result r;

	if (!p)
		return FW_BAD;
	r = parse(p, len, fc);
	early_memunmap((void *)p, len);
	return r;
}

/* One enabled CPU for fc, or a line if CONFIG_NR_CPUS are there already. */
static void fw_add(struct fw_cpus *fc, u32 apic_id, const char *who)
{
	if (fc->nr < CONFIG_NR_CPUS)
		fc->apic_id[fc->nr++] = apic_id;
	else
		printk("%s: CPU with APIC id 0x%02x: more than %u CPUs (CONFIG_NR_CPUS); ignored\n", who,
		       apic_id, CONFIG_NR_CPUS);
}

/*
 * madt_parse: the MADT in t[0..len) (signature, length and checksum checked)
 * into fc: the local APIC's address and each enabled Local APIC entry; a
 * disabled one (hot-pluggable, as QEMU's -smp N,maxcpus=M lists them) is only
 * counted. FW_BAD with a line if the table or an entry does not add up.
 */
enum fw_result madt_parse(const u8 *t, u32 len, struct fw_cpus *fc)
{
	u32 off = MADT_ENTRIES;

	*fc = (struct fw_cpus){ .source = "ACPI MADT" };
	if (len < MADT_ENTRIES || memcmp(t, "APIC", 4) || get32(t + 4) != len || sum_bytes(t, len)) {
		printk("ACPI: MADT: bad signature, length or checksum\n");
		return FW_BAD;
	}
	fc->lapic_base = get32(t + SDT_HEADER_LEN);
	while (off < len) {
		u8 type = t[off], elen = off + 2 <= len ? t[off + 1] : 0;

		if (elen < 2 || off + elen > len) {
			printk("ACPI: MADT: entry at offset %u has length %u, past the table's %u bytes\n",
			       off, elen, len);
			return FW_BAD;
		}
		if (type == MADT_LAPIC && elen >= 8 && (get32(t + off + 4) & MADT_ENABLED))
			fw_add(fc, t[off + 3], "ACPI: MADT");
		else if (type == MADT_LAPIC && elen >= 8)
			fc->nr_disabled++;
		if (type == MADT_LAPIC_OVERRIDE && elen >= 12)
			printk("ACPI: LAPIC address override ignored (32-bit xAPIC at 0x%08x kept)\n",
			       fc->lapic_base);
		off += elen;
	}
	return FW_OK;
}

/* find_madt: the MADT's PA among the RSDT's (or XSDT's) entries, 0 if none; *bad set if the root is malformed. */
static u32 find_madt(u32 root, bool xsdt, bool *bad)
{
	unsigned int esz = xsdt ? 8 : 4, i;
	u32 len, madt = 0;
	const u8 *t = map_table(root, xsdt ? "ACPI: XSDT" : "ACPI: RSDT", SDT_HEADER_LEN, false, &len);

	if (!t || memcmp(t, xsdt ? "XSDT" : "RSDT", 4) || sum_bytes(t, len)) {
		printk("ACPI: %s at 0x%08x: bad signature or checksum\n", xsdt ? "XSDT" : "RSDT", root);
		if (t)
			early_memunmap((void *)t, len);
		*bad = true;
		return 0;
	}
	for (i = 0; SDT_HEADER_LEN + (i + 1) * esz <= len && !madt; i++) {
		u32 pa = get32(t + SDT_HEADER_LEN + i * esz), hi = xsdt ? get32(t + SDT_HEADER_LEN + i * 8 + 4) : 0;
		const char *sig = hi ? NULL : early_memremap(pa, 4);

		if (sig && !memcmp(sig, "APIC", 4))
			madt = pa;
		if (sig)
			early_memunmap((void *)sig, 4);
	}
	early_memunmap((void *)t, len);
	return madt;
}

enum fw_result acpi_find_cpus(struct fw_cpus *fc)
{
	u32 rsdp = scan_for("RSD PTR ", 20), madt, root;
	const u8 *p;
	bool bad = false, xsdt;

	if (!rsdp)
		return FW_NONE;
	p = early_memremap(rsdp, 36);
	if (!p)
		return FW_NONE;
	xsdt = p[15] >= 2 && !sum_bytes(p, 36) && get32(p + 24) && !get32(p + 28);
	root = xsdt ? get32(p + 24) : get32(p + 16);
	early_memunmap((void *)p, 36);
	madt = find_madt(root, xsdt, &bad);
	if (bad)
		return FW_BAD;
	if (!madt)
		return FW_NONE;
	return parse_at(madt, "ACPI: MADT", MADT_ENTRIES, false, madt_parse, fc);
}

/*
 * mpc_parse: the MP configuration table in t[0..len) (signature, the base
 * table's length and checksum checked) into fc; processor entries are 20
 * bytes, the others 8. FW_BAD with a line if it does not add up.
 */
enum fw_result mpc_parse(const u8 *t, u32 len, struct fw_cpus *fc)
{
	unsigned int count, i;
	u32 off = MPC_ENTRIES;

	*fc = (struct fw_cpus){ .source = "MP table" };
	if (len < MPC_ENTRIES || memcmp(t, "PCMP", 4) || (u32)(t[4] | t[5] << 8) != len || sum_bytes(t, len)) {
		printk("MPTABLE: bad signature, length or checksum\n");
		return FW_BAD;
	}
	count = t[34] | t[35] << 8;
	fc->lapic_base = get32(t + 36);
	for (i = 0; i < count; i++) {
		unsigned int elen = off < len && t[off] == MPC_PROCESSOR ? 20 : 8;

		if (off + elen > len) {
			printk("MPTABLE: entry %u runs past the table's %u bytes\n", i, len);
			return FW_BAD;
		}
		if (t[off] == MPC_PROCESSOR && (t[off + 3] & MPC_CPU_ENABLED))
			fw_add(fc, t[off + 1], "MPTABLE");
		else if (t[off] == MPC_PROCESSOR)
			fc->nr_disabled++;
		off += elen;
	}
	return FW_OK;
}

enum fw_result mptable_find_cpus(struct fw_cpus *fc)
{
	u32 mpf = scan_for("_MP_", 16), pa;
	const u8 *p;

	if (!mpf)
		return FW_NONE;
	p = early_memremap(mpf, 16);
	if (!p)
		return FW_NONE;
	pa = get32(p + 4);
	early_memunmap((void *)p, 16);
	if (!pa)
		return FW_NONE;		/* a default configuration (feature byte 1): not supported */
	return parse_at(pa, "MPTABLE", MPC_ENTRIES, true, mpc_parse, fc);
}
