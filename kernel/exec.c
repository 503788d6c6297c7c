/* exec.c: runs a program of the initramfs — ELF loading, the initial stack, the process's life and death. */
#include <errno.h>
#include <string.h>
#include <kernel/arch.h>
#include <kernel/elf.h>
#include <kernel/initramfs.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/shell.h>
#include <mm/gfp.h>
#include <mm/mm.h>
#include <mm/mmzone.h>
#include <mm/slab.h>
#include <stdio.h>

/* Linux's auxiliary vector tags (include/uapi/linux/auxvec.h) that pagoda passes. */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define NR_AUXV		13

/* exit_jmp's values: how the process came back to exec. */
#define BACK_EXIT	2
#define BACK_KILLED	3

static struct process *current_proc;	/* see current_process() in process.h */
static int last_pid;			/* only exec (the shell's CPU) writes it */

struct process *current_process(void)
{
	return current_proc;
}

/*
 * load_segment: the VMA of one PT_LOAD and all its pages, filled now (at
 * exec, not at first touch): file bytes, then zeros (.bss). Text pages are
 * made safe to execute. 0 or -ENOMEM; what was mapped stays in the VMA for
 * mmput to free.
 */
static int load_segment(struct mm_struct *mm, const u8 *img, const Elf64_Phdr *p)
{
	unsigned long start = p->p_vaddr & PAGE_MASK, end = PFN_ALIGN(p->p_vaddr + p->p_memsz), va;
	u32 prot = PROT_READ | (p->p_flags & PF_W ? PROT_WRITE : 0) | (p->p_flags & PF_X ? PROT_EXEC : 0);
	int err = mmap_region(mm, start, end - start, prot, VM_IMAGE, (p->p_offset & PAGE_MASK) >> PAGE_SHIFT);

	for (va = start; !err && va < end; va += PAGE_SIZE) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		unsigned long lo = va > p->p_vaddr ? va : p->p_vaddr;
		unsigned long hi = va + PAGE_SIZE < p->p_vaddr + p->p_filesz ? va + PAGE_SIZE : p->p_vaddr + p->p_filesz;
		u8 *k;

		if (!page)
			return -ENOMEM;
		k = page_address(page);
		if (hi > lo)
			memcpy(k + (lo - va), img + p->p_offset + (lo - p->p_vaddr), hi - lo);
		if (prot & PROT_EXEC)
			arch_sync_icache((unsigned long)k, (unsigned long)k + PAGE_SIZE);
		err = install_user_page(mm, va, page, prot);
	}
	return err;
}

/* stack_push: copies n bytes below *pos in the stack page k (top at user VA top); the user address. */
static unsigned long stack_push(u8 *k, unsigned long *pos, unsigned long top, const void *src, size_t n)
{
	*pos -= n;
	memcpy(k + *pos, src, n);
	return top - PAGE_SIZE + *pos;
}

/*
 * build_stack: Linux's initial stack (fs/binfmt_elf.c create_elf_tables) in
 * the top stack page k: the strings at the top, 16 random bytes (AT_RANDOM),
 * then from a 16-byte aligned sp up: argc, argv[], NULL, envp[], NULL, auxv
 * pairs ending with AT_NULL. Returns sp, or 0 if it does not fit in a page.
 */
static unsigned long build_stack(u8 *k, unsigned long top, int argc, char **argv, int envc,
				 const char *const *envp, const struct elf_info *info)
{
	unsigned long pos = PAGE_SIZE, strs[SHELL_ARGV_MAX + 4], execfn, rnd, sp, *w;
	unsigned long words = 1 + argc + 1 + envc + 1 + 2 * NR_AUXV;
	u64 seed[2] = { arch_counter_read() * 0x9e3779b97f4a7c15ULL, arch_counter_read() ^ 0x5851f42d4c957f2dULL };
	size_t need = 16 + words * 8 + 16 + strlen(argv[0]) + 1;	/* + AT_EXECFN's copy */
	int i;

	for (i = 0; i < argc; i++)
		need += strlen(argv[i]) + 1;
	for (i = 0; i < envc; i++)
		need += strlen(envp[i]) + 1;
	if (argc + envc > SHELL_ARGV_MAX + 4 || need > PAGE_SIZE)
		return 0;
	execfn = stack_push(k, &pos, top, argv[0], strlen(argv[0]) + 1);
	for (i = envc; i-- > 0;)
		strs[argc + i] = stack_push(k, &pos, top, envp[i], strlen(envp[i]) + 1);
	for (i = argc; i-- > 0;)
		strs[i] = stack_push(k, &pos, top, argv[i], strlen(argv[i]) + 1);
	rnd = stack_push(k, &pos, top, seed, sizeof(seed));
	pos = (pos - words * 8) & ~15UL;
	sp = top - PAGE_SIZE + pos;
	w = (unsigned long *)(k + pos);
	*w++ = argc;
	for (i = 0; i < argc + envc + 1; i++) {
		if (i == argc)
			*w++ = 0;
		*w++ = i < argc + envc ? strs[i] : 0;
	}
	{
		const unsigned long auxv[2 * NR_AUXV] = {
			AT_PHDR, info->phdr_va, AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, info->eh.e_phnum,
			AT_PAGESZ, PAGE_SIZE, AT_ENTRY, info->eh.e_entry, AT_UID, 0, AT_EUID, 0,
			AT_GID, 0, AT_EGID, 0, AT_SECURE, 0, AT_RANDOM, rnd, AT_EXECFN, execfn,
			AT_NULL, 0,
		};
		memcpy(w, auxv, sizeof(auxv));
	}
	return sp;
}

/* setup_stack: the stack VMA under STACK_TOP, its top page written now (the rest demand-zero). */
static int setup_stack(struct mm_struct *mm, int argc, char **argv, const struct elf_info *info)
{
	static const char *const envp[] = { "HOME=/", "TERM=linux" };	/* what Linux gives init */
	struct page *page;
	int err;

	err = mmap_region(mm, STACK_TOP - STACK_MAX, STACK_MAX, PROT_READ | PROT_WRITE, VM_ANON | VM_STACK, 0);
	if (err)
		return err;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	mm->start_stack = build_stack(page_address(page), STACK_TOP, argc, argv, 2, envp, info);
	if (!mm->start_stack) {
		__free_page(page);
		return -E2BIG;
	}
	return install_user_page(mm, STACK_TOP - PAGE_SIZE, page, PROT_READ | PROT_WRITE);
}

/* exec_load: a new mm holding the program f, its break and its stack; -errno (and *why for -ENOEXEC). */
static int exec_load(struct process *p, const struct cpio_file *f, int argc, char **argv,
		     struct elf_info *info, const char **why)
{
	struct mm_struct *mm;
	unsigned int i;
	int err = elf_check(f->data, f->size, MMAP_MIN_ADDR, STACK_TOP - STACK_MAX - STACK_GUARD_GAP, info, why);

	if (err)
		return err;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	mm->comm = p->comm;
	mm->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
	mm->start_brk = mm->brk = info->load_end;
	p->mm = mm;
	for (i = 0; !err && i < info->eh.e_phnum; i++)
		if (info->ph[i].p_type == PT_LOAD)
			err = load_segment(mm, f->data, &info->ph[i]);
	return err ? err : setup_stack(mm, argc, argv, info);
}

/*
 * run_process: runs p until it exits or is killed, on this CPU and kernel
 * stack. exit_jmp is also this CPU's fault recovery while it runs, so an Oops
 * in a system call ends the process, not the shell. Returns the shell status,
 * or -1 if it could not start (said why).
 */
static int run_process(struct process *p, unsigned long entry)
{
	jmp_buf *prev = fault_recovery;
	unsigned long flags;
	int back, err;

	local_irq_save(flags);
	err = arch_mm_activate(p->mm);
	if (err) {
		local_irq_restore(flags);
		kprintf("exec: %s: %s\n", p->comm, err == -ENOSYS ? "no user mode on this arch yet" :
			"no address-space id free");
		return -1;
	}
	current_proc = p;
	back = setjmp(p->exit_jmp);
	if (!back) {
		fault_recovery = &p->exit_jmp;
		arch_enter_user(entry, p->mm->start_stack);
	}
	fault_recovery = prev;
	current_proc = NULL;
	arch_mm_deactivate(p->mm);
	local_irq_restore(flags);
	if (back == BACK_EXIT)
		return p->exit_code & 0xff;
	if (back != BACK_KILLED)
		p->killed_by = SIGKILL;	/* a kernel fault in its system call (the Oops above) */
	return 128 + p->killed_by;
}

__noreturn void process_exit(int status)
{
	current_proc->exit_code = status;
	longjmp(current_proc->exit_jmp, BACK_EXIT);
}

__noreturn void force_sig(int sig)
{
	current_proc->killed_by = sig;
	longjmp(current_proc->exit_jmp, BACK_KILLED);
}

__noreturn void force_sig_fault(int sig, unsigned long addr, unsigned long ip, unsigned long sp,
				unsigned int error)
{
	struct process *p = current_proc;
	struct vm_area_struct *vma;
	char where[64] = "";

	spin_lock(&p->mm->lock);
	vma = find_vma(p->mm, ip);
	if (vma && (vma->vm_flags & VM_IMAGE))
		snprintf(where, sizeof(where), " in %s[%lx+%lx]", p->comm, vma->vm_start, vma->vm_end - vma->vm_start);
	spin_unlock(&p->mm->lock);
	printk("%s[%d]: segfault at %lx ip %016lx sp %016lx error %x%s\n", p->comm, p->pid, addr, ip, sp,
	       error, where);
	force_sig(sig);
}

/*
 * pagefault_out_of_memory: no page for the current process's fault. The
 * process is the only one, so the largest: Linux's OOM killer report for it,
 * then SIGKILL (all its memory comes back at exit).
 */
__noreturn void pagefault_out_of_memory(void)
{
	struct process *p = current_proc;
	unsigned long kb = PAGE_SIZE >> 10;

	printk("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
	       "shmem-rss:0kB, UID:0 pgtables:%lukB oom_score_adj:0\n", p->pid, p->comm,
	       mm_total_vm(p->mm) * kb, p->mm->rss * kb, p->mm->ctx.nr_tables * kb);
	force_sig(SIGKILL);
}

int initramfs_find(const char *name, struct cpio_file *f)
{
	struct cpio_iter it;
	int r;

	cpio_iter_init(&it, __initramfs_start, (size_t)(__initramfs_end - __initramfs_start));
	r = cpio_find(&it, name, f);
	if (r == -EINVAL)
		printk("initramfs: malformed archive at offset %zu: %s\n", it.at, it.why);
	return r;
}

/* list_programs: the archive's members, on one line after prefix and name. */
static void list_programs(const char *prefix, const char *name)
{
	struct cpio_iter it;
	struct cpio_file f;
	unsigned int n = 0;

	kprintf(prefix, name);
	cpio_iter_init(&it, __initramfs_start, (size_t)(__initramfs_end - __initramfs_start));
	while (cpio_next(&it, &f) > 0)
		kprintf(" %s", f.name), n++;
	kprintf("%s\n", n ? "" : " none (this arch has no user mode yet)");
}

static const char *const sig_names[] = { [SIGILL] = "SIGILL", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV" };

/* report_end: how the process ended, with what it cost. */
static void report_end(const struct process *p, int status)
{
	if (p->killed_by)
		kprintf("exec: %s (pid %d) killed by %s, status %d\n", p->comm, p->pid,
			sig_names[p->killed_by], status);
	else
		kprintf("exec: %s (pid %d) exited with status %d; faults %lu, peak rss %lu pages\n",
			p->comm, p->pid, status, p->mm->nr_faults, p->mm->hiwater_rss);
}

/* exec PROG [ARGS]: runs PROG from the initramfs and prints how it ended; the status is the shell's $?. */
static int cmd_exec(int argc, char **argv)
{
	struct process *p;
	struct cpio_file f;
	struct elf_info *info;
	const char *why = NULL;
	int err, status;

	if (argc < 2) {
		list_programs("usage: exec PROG [ARGS]%s; programs:", "");
		return SHELL_EUSAGE;
	}
	err = initramfs_find(argv[1], &f);
	if (err) {
		if (err == -ENOENT)
			list_programs("exec: %s: no such program in the initramfs; programs:", argv[1]);
		return 127;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!p || !info) {
		kfree(p);
		kfree(info);
		kprintf("exec: %s: out of memory\n", argv[1]);
		return 1;
	}
	p->comm = f.name;
	p->pid = ++last_pid;
	err = exec_load(p, &f, argc - 1, argv + 1, info, &why);
	if (err == -ENOEXEC)
		kprintf("exec: %s: not an executable: %s\n", argv[1], why);
	else if (err)
		kprintf("exec: %s: cannot load: error %d\n", argv[1], err);
	status = err ? -1 : run_process(p, info->eh.e_entry);
	if (status >= 0)
		report_end(p, status);
	exit_files(p);
	if (p->mm)
		mmput(p->mm);
	kfree(info);
	kfree(p);
	/* What the process left cached goes back (as selftest does): meminfo before and after shows leaks only. */
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return status < 0 ? 126 : status;
}
SHELL_CMD(exec, "exec", "exec PROG [ARGS]", "run a user program of the initramfs; prints its exit status", cmd_exec);
