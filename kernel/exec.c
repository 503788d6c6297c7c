/* exec.c: runs a program of the initramfs — ELF loading, the initial stack, execve, the shell's exec and its reports. */
#include <errno.h>
#include <string.h>
#include <kernel/arch.h>
#include <kernel/elf.h>
#include <kernel/initramfs.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
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

/*
 * load_segment: the VMA of one PT_LOAD, filled at first touch (mm/memory.c's
 * do_image_page): the file's bytes for [p_vaddr, p_vaddr + p_filesz) from the
 * archive, which stays in the kernel image; zeros after them (.bss). 0 or
 * mmap_image's error.
 */
static int load_segment(struct mm_struct *mm, const u8 *img, const Elf64_Phdr *p)
{
	unsigned long start = p->p_vaddr & PAGE_MASK, end = PFN_ALIGN(p->p_vaddr + p->p_memsz);
	u32 prot = PROT_READ | (p->p_flags & PF_W ? PROT_WRITE : 0) | (p->p_flags & PF_X ? PROT_EXEC : 0);

	return mmap_image(mm, start, end - start, prot, (p->p_offset & PAGE_MASK) >> PAGE_SHIFT,
			  img + p->p_offset, p->p_vaddr, p->p_vaddr + p->p_filesz);
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

/*
 * exec_load: a new mm (*out) holding the program f, its break and its stack;
 * 0 or -errno (and *why for -ENOEXEC). On failure *out is what was built
 * (NULL or a partial mm, for the caller to mmput).
 */
static int exec_load(struct mm_struct **out, const struct cpio_file *f, int argc, char **argv,
		     struct elf_info *info, const char **why)
{
	struct mm_struct *mm;
	unsigned int i;
	int err = elf_check(f->data, f->size, MMAP_MIN_ADDR, STACK_TOP - STACK_MAX - STACK_GUARD_GAP, info, why);

	*out = NULL;
	if (err)
		return err;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	mm->comm = f->name;
	mm->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
	mm->start_brk = mm->brk = info->load_end;
	*out = mm;
	for (i = 0; !err && i < info->eh.e_phnum; i++)
		if (info->ph[i].p_type == PT_LOAD)
			err = load_segment(mm, f->data, &info->ph[i]);
	return err ? err : setup_stack(mm, argc, argv, info);
}

__noreturn void force_sig_fault(int sig, unsigned long addr, unsigned long ip, unsigned long sp,
				unsigned int error)
{
	struct process *p = current;
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

/* copy_argv: argv's strings into buf (one page), pointers in argv_out[SHELL_ARGV_MAX]; argc or -errno. */
static int copy_argv(unsigned long uargv, char *buf, char **argv_out)
{
	size_t used = 0;
	int argc;

	for (argc = 0; uargv; argc++) {
		unsigned long ustr;
		long len;

		if (copy_from_user(&ustr, (const void *)(uargv + argc * sizeof(ustr)), sizeof(ustr)))
			return -EFAULT;
		if (!ustr)
			break;
		if (argc == SHELL_ARGV_MAX)
			return -E2BIG;
		len = strncpy_from_user(buf + used, ustr, PAGE_SIZE - used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		argv_out[argc] = buf + used;
		used += (size_t)len + 1;
	}
	return argc;
}

/* exec_switch_mm: the current process p runs mm from now on; its old mm is freed. */
static void exec_switch_mm(struct process *p, struct mm_struct *mm)
{
	struct mm_struct *old = p->mm;
	unsigned long flags;

	local_irq_save(flags);
	arch_mm_deactivate(old);
	if (arch_mm_activate(mm))
		panic("execve: the new mm lost its address-space id");
	local_irq_restore(flags);
	spin_lock_irqsave(&tasklist_lock, flags);
	p->mm = mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mmput(old);
}

/*
 * execve(path, argv, envp): the current process runs the program of the
 * archive named path (a leading '/' ignored) with argv; the environment is
 * Linux's for init (envp is not read yet). The open files stay. 0 (into the
 * new program), or -ENOENT, -ENOEXEC, -EFAULT, -E2BIG, -ENOMEM, -EAGAIN (no
 * address-space id) with the old program still running.
 */
long sys_execve(unsigned long upath, unsigned long uargv, unsigned long uenvp)
{
	struct process *p = current;
	char path[64], *argv[SHELL_ARGV_MAX + 1], *buf;
	struct elf_info *info;
	struct mm_struct *mm = NULL;
	struct cpio_file f;
	const char *why = NULL;
	long err = strncpy_from_user(path, upath, sizeof(path));
	int argc;

	(void)uenvp;
	if (err < 0)
		return err;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	err = buf && info ? 0 : -ENOMEM;
	argc = err ? 0 : copy_argv(uargv, buf, argv);
	if (!err && argc < 0)
		err = argc;
	if (!err && argc == 0)
		argv[argc++] = path;		/* Linux allows an empty argv; the stack wants argv[0] */
	if (!err)
		err = initramfs_find(path[0] == '/' ? path + 1 : path, &f);
	if (!err)
		err = exec_load(&mm, &f, argc, argv, info, &why);
	if (!err)
		err = mm_take_asid(mm, p->mm);
	if (!err) {
		exec_switch_mm(p, mm);
		p->comm = f.name;
		arch_exec_regs(p, info->eh.e_entry, mm->start_stack);
	} else if (mm) {
		mmput(mm);
	}
	kfree(info);
	kfree(buf);
	return err;
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

static const char *const sig_names[] = { [SIGILL] = "SIGILL", [SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV",
					 [SIGTERM] = "SIGTERM" };

/* report_end: how the process ended, with what it cost. */
static void report_end(const struct process *p, int status)
{
	if (p->killed_by)
		kprintf("exec: %s (pid %d) killed by %s, status %d\n", p->comm, p->pid,
			sig_names[p->killed_by], status);
	else
		kprintf("exec: %s (pid %d) exited with status %d; faults %lu, peak rss %lu pages\n",
			p->comm, p->pid, status, p->nr_faults, p->hiwater_rss);
}

/* The shell's foreground process and its status once reaped (-1 until then): CPU 0's shell only. */
static struct process *fg_proc;
static int fg_status = -1;

/* shell_report: a zombie of the shell's: how it ended (for those exec started), then freed. */
static void shell_report(struct process *p)
{
	int status = p->killed_by ? 128 + p->killed_by : p->exit_code & 0xff;

	if (p->parent_is_shell)
		report_end(p, status);
	if (p == fg_proc)
		fg_status = status;
	release_task(p);
}

/* reap_shell_children: reports and frees what ended since (background jobs, orphans). */
void reap_shell_children(void)
{
	shell_reap(shell_report);
}

/*
 * exec_start: a new process running f with argv, child of the shell, on a
 * run queue. The process, or NULL (said why; *status is the shell's status).
 */
static struct process *exec_start(const struct cpio_file *f, int argc, char **argv, int *status)
{
	struct elf_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	struct mm_struct *mm = NULL;
	struct process *p = NULL;
	const char *why = NULL;
	int err = info ? 0 : -ENOMEM;

	if (!err)
		p = alloc_process(&err);
	if (!err)
		err = exec_load(&mm, f, argc, argv, info, &why);
	if (!err)
		err = mm_take_asid(mm, NULL);
	*status = 126;
	if (err == -ENOEXEC)
		kprintf("exec: %s: not an executable: %s\n", argv[0], why);
	else if (err == -EAGAIN && !mm)
		kprintf("exec: %s: process limit reached (%d processes)\n", argv[0], NPROC_MAX);
	else if (err == -EAGAIN)
		kprintf("exec: %s: no address-space id free\n", argv[0]);
	else if (err == -ENOSYS)
		kprintf("exec: %s: no user mode on this arch yet\n", argv[0]);
	else if (err)
		kprintf("exec: %s: cannot load: error %d\n", argv[0], err);
	if (err) {
		if (mm)
			mmput(mm);
		if (p)
			free_process(p);
		kfree(info);
		return NULL;
	}
	p->comm = f->name;
	p->mm = mm;
	p->parent_is_shell = true;
	arch_thread_start_user(p, info->eh.e_entry, mm->start_stack);
	kfree(info);
	wake_up_new_task(p);
	return p;
}

/*
 * exec PROG [ARGS] [&]: runs PROG from the initramfs and prints how it ended;
 * the status is the shell's $?. With a last argument "&" the shell does not
 * wait: the process runs on (ps, kill) and its end is reported when the
 * shell next reaps (at exec, ps, kill).
 */
static int cmd_exec(int argc, char **argv)
{
	struct process *p;
	struct cpio_file f;
	bool bg = argc > 2 && !strcmp(argv[argc - 1], "&");
	int err, status;

	if (smp_processor_id() != 0) {		/* taskset N exec: the shell's side of init is CPU 0's */
		kprintf("exec: runs on CPU 0 (the shell's); processes go to the other CPUs' run queues\n");
		return 1;
	}
	reap_shell_children();
	if (argc < 2) {
		list_programs("usage: exec PROG [ARGS] [&]%s; programs:", "");
		return SHELL_EUSAGE;
	}
	if (bg)
		argc--;
	err = initramfs_find(argv[1], &f);
	if (err) {
		if (err == -ENOENT)
			list_programs("exec: %s: no such program in the initramfs; programs:", argv[1]);
		return 127;
	}
	p = exec_start(&f, argc - 1, argv + 1, &status);
	if (!p)
		return status;
	if (bg) {
		kprintf("exec: %s (pid %d) running in the background\n", p->comm, p->pid);
		return 0;
	}
	fg_proc = p;
	fg_status = -1;
	while (fg_status < 0) {
		sched_yield_idle();	/* CPU 0's queue runs, or the CPU sleeps until an interrupt */
		reap_shell_children();
	}
	fg_proc = NULL;
	/* What the process left cached goes back (as selftest does): meminfo before and after shows leaks only. */
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return fg_status;
}
SHELL_CMD(exec, "exec", "exec PROG [ARGS] [&]", "run a user program of the initramfs; prints its exit status", cmd_exec);
