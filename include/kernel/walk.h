/* walk.h: `walk VA` — explain how a translation context maps one address, level by level. */
#ifndef PAGODA_KERNEL_WALK_H
#define PAGODA_KERNEL_WALK_H

#include <mm/pgtable.h>

/*
 * walk_va: prints (kprintf) how va translates in ctx, from the read walk
 * (pt_walk): per level the index, the table's PA, the raw entry and its
 * meaning, then the PA and the dump's attribute words, or where and why
 * translation stops. Returns 0 if va is mapped, -ENOENT if an entry on the
 * way is invalid, -EINVAL if va is outside ctx.
 */
int walk_va(struct mm_ctx *ctx, vaddr_t va);
/*
 * walk_parse_va: arg as a VA in hex ("ffff0000...", "0x..."): NULL and *va,
 * or why it is not one: "negative", "wider than 64 bits" (32 on x86), or ""
 * (not a hex number at all). Nothing wraps: "-1" and 17 significant hex
 * digits are refused, not folded into some other address.
 */
const char *walk_parse_va(const char *arg, vaddr_t *va);

#endif
