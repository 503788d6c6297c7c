/* memory.c (x86): the Multiboot v1 information — command line and memory map into memblock. */
#include <kernel/bug.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <mm/memblock.h>
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/setup.h>
#include <string.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MB_INFO_MEMORY		(1u << 0)	/* mem_lower / mem_upper valid */
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MEM_MAP		(1u << 6)
#define MB_INFO_LOADER_NAME	(1u << 9)
#define MB_MEMORY_AVAILABLE	1

/* Multiboot Specification 0.6.96, section 3.3 (only the fields pagoda reads). */
struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;	/* KiB below 1 MiB, KiB above 1 MiB */
	u32 boot_device;
	u32 cmdline;			/* PA of a NUL-terminated string */
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;	/* PA and byte length of the memory map */
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;		/* PA of a NUL-terminated string */
} __attribute__((packed));

struct multiboot_mmap_entry {
	u32 size;			/* of the rest of the entry (not counting this field) */
	u64 addr, len;
	u32 type;			/* 1: available RAM */
} __attribute__((packed));

extern char _text[], _end[];

/* The loader's name ("qemu", "GRUB 2.06", ...), or "unknown". */
const char *multiboot_loader_name(void)
{
	const struct multiboot_info *mbi = __va(multiboot_info_pa);

	return mbi->flags & MB_INFO_LOADER_NAME ? (const char *)__va(mbi->boot_loader_name) : "unknown";
}

static void reserve_pa(u32 pa, u32 size, const char *owner)
{
	u32 start = pa & ~(u32)(PAGE_SIZE - 1);

	memblock_reserve(start, ALIGN(pa + size, (u32)PAGE_SIZE) - start, owner);
}

/* Adds each available range, trimmed to whole pages, to memblock.memory. */
static void add_memory_map(const struct multiboot_info *mbi)
{
	u32 off = 0;

	while (off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
		const struct multiboot_mmap_entry *e = __va(mbi->mmap_addr + off);
		paddr_t start = ALIGN(e->addr, (paddr_t)PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(e->addr + e->len, (paddr_t)PAGE_SIZE);

		printk("BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->len - 1),
		       e->type == MB_MEMORY_AVAILABLE ? "usable" : "reserved");
		if (e->type == MB_MEMORY_AVAILABLE && end > start)
			memblock_add(start, end - start);
		off += e->size + 4;
	}
}

/*
 * multiboot_parse: checks the loader's magic, copies the command line into
 * boot_command_line and builds memblock: RAM from the memory map (or from
 * mem_lower/mem_upper when there is none), then the reservations — the low
 * 1 MiB (BIOS data, EBDA, option ROMs), the kernel image (with its BSS, early
 * tables and stack), and the Multiboot information itself.
 */
/*
 * skip_image_path: QEMU's -kernel (like GRUB Legacy) starts the Multiboot
 * command line with the image's path; GRUB 2 passes only the arguments. A
 * first word with a '/' and no '=' is that path, not a parameter: skipped, so
 * it is not reported as an unknown parameter on every boot.
 */
static const char *skip_image_path(const char *s)
{
	const char *end = s + strcspn(s, " \t");

	if (memchr(s, '/', end - s) && !memchr(s, '=', end - s))
		s = end + strspn(end, " \t");
	return s;
}

void multiboot_parse(void)
{
	const struct multiboot_info *mbi = __va(multiboot_info_pa);

	if (multiboot_magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("multiboot: bad magic 0x%08x (not started by a Multiboot loader)", multiboot_magic);
	if (mbi->flags & MB_INFO_CMDLINE)
		cmdline_set(skip_image_path(__va(mbi->cmdline)), (size_t)-1);
	if (mbi->flags & MB_INFO_MEM_MAP)
		add_memory_map(mbi);
	else if (mbi->flags & MB_INFO_MEMORY)
		memblock_add(LEGACY_HOLE_END, (paddr_t)mbi->mem_upper << 10);
	else
		panic("multiboot: no memory information");

	memblock_reserve_board();	/* the legacy hole below 1 MiB */
	memblock_reserve(__pa_symbol(_text), ALIGN(__pa_symbol(_end), (paddr_t)PAGE_SIZE) -
			 __pa_symbol(_text), "kernel");
	reserve_pa(multiboot_info_pa, sizeof(*mbi), "multiboot");
	if (mbi->flags & MB_INFO_MEM_MAP)
		reserve_pa(mbi->mmap_addr, mbi->mmap_length, "multiboot");
	if (mbi->flags & MB_INFO_CMDLINE)
		reserve_pa(mbi->cmdline, strlen(__va(mbi->cmdline)) + 1, "multiboot");
}
