/* walk_cmd.c: the `walk VA` shell command — one address through the kernel page tables, level by level. */
#include <kernel/walk.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <mm/ptdump.h>
#include <ctype.h>
#include <errno.h>

/* The entry the walk is at: its level's name, index, table and raw value. */
static void walk_entry_line(const struct pt_walk_entry *e)
{
	kprintf("%s[%3u] table 0x%016llx entry 0x%016llx: ", ptdump_level_name(e->level), e->index,
		(unsigned long long)e->table_pa, (unsigned long long)pte_val(e->entry));
}

static int walk_table(const struct pt_walk_entry *e, void *priv)
{
	walk_entry_line(e);
	kprintf("table -> 0x%016llx\n", (unsigned long long)e->pa);
	return 0;
}

static int walk_hole(const struct pt_walk_entry *e, void *priv)
{
	walk_entry_line(e);
	kprintf("invalid\n");
	kprintf("VA 0x%016llx: translation stops at %s (level %d translation fault): "
		"entry %u of the table is invalid\n", (unsigned long long)*(vaddr_t *)priv,
		ptdump_level_name(e->level), e->level, e->index);
	return -ENOENT;
}

/* What a leaf means: the PA of the VA, its size, kind and the dump's words (blanks squeezed). */
static int walk_leaf(const struct pt_walk_entry *e, void *priv)
{
	vaddr_t va = *(vaddr_t *)priv;
	const char *kind = e->level == PT_LEVELS - 1 ? "page" : "block";
	u64 sz = e->size;
	char buf[160], *p, *q;
	struct seq_buf s;

	walk_entry_line(e);
	kprintf("%s -> 0x%016llx\n", kind, (unsigned long long)e->pa);
	kprintf("VA 0x%016llx -> PA 0x%016llx: ", (unsigned long long)va,
		(unsigned long long)(e->pa + (va - e->va)));
	seq_buf_init(&s, buf, sizeof(buf));
	ptdump_leaf_words(&s, e->entry);
	for (p = q = buf; *p; p++)	/* one space before each word */
		if (*p != ' ' || q == buf || q[-1] != ' ')
			*q++ = *p;
	while (q > buf && q[-1] == ' ')
		q--;
	*q = '\0';
	kprintf("%llu%c %s:%s\n", (unsigned long long)(sz >= SZ_1G ? sz >> 30 : sz >= SZ_1M ? sz >> 20 : sz >> 10),
		sz >= SZ_1G ? 'G' : sz >= SZ_1M ? 'M' : 'K', kind, buf);
	return 0;
}

static const struct pt_walk_ops walk_ops = { .table = walk_table, .leaf = walk_leaf, .hole = walk_hole };

int walk_va(struct mm_ctx *ctx, vaddr_t va)
{
	u64 off = (vaddr_t)(va - ctx->va_base);

	if (!ctx->root || off >= ctx->va_size) {
		kprintf("VA 0x%016llx is outside the page tables (0x%016llx-0x%016llx): %s\n",
			(unsigned long long)va, (unsigned long long)ctx->va_base,
			(unsigned long long)(ctx->va_base + ctx->va_size - 1), ptdump_outside_why(va));
		return -EINVAL;
	}
	return pt_walk(ctx, va, va + 1, &walk_ops, &va);
}

const char *walk_parse_va(const char *arg, vaddr_t *va)
{
	const char *p = arg;
	vaddr_t v = 0;

	if (*p == '-')
		return "negative";
	if (p[0] == '0' && (p[1] | 32) == 'x')
		p += 2;
	if (!*p)
		return "";
	for (; *p; p++) {
		if (!isxdigit(*p))
			return "";
		if (v >> (sizeof(vaddr_t) * 8 - 4))
			return sizeof(vaddr_t) == 8 ? "wider than 64 bits" : "wider than 32 bits";
		v = v << 4 | (vaddr_t)(isdigit(*p) ? *p - '0' : (*p | 32) - 'a' + 10);
	}
	*va = v;
	return NULL;
}

static int cmd_walk(int argc, char **argv)
{
	const char *why;
	vaddr_t va;

	if (argc != 2 || !*argv[1]) {
		kprintf("usage: walk VA\n");
		return 1;
	}
	why = walk_parse_va(argv[1], &va);
	if (why) {
		kprintf("walk: '%s' is not a virtual address%s%s\nusage: walk VA\n", argv[1], *why ? ": " : "", why);
		return 1;
	}
	walk_va(&init_mm, va);	/* unmapped is an answer, not a failure */
	return 0;
}
SHELL_CMD(walk, "walk", "walk VA", "show how the kernel page tables translate VA (hex)", cmd_walk);
