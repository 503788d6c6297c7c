/* proc_pid.c: /proc/self/maps, status, stat and page_tables, and /proc/PID/... of any live process, in Linux's layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/debugfs.h>
#include <kernel/percpu.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <mm/ptdump.h>

/*
 * The process a /proc file is rendered for: proc_pid_show's target on this
 * CPU while it renders (set and cleared with tasklist_lock held, interrupts
 * masked: nothing else runs here meanwhile), else the running process.
 */
static DEFINE_PER_CPU(struct process *, proc_target);

static struct process *proc_task(void)
{
	struct process *t = *this_cpu_ptr(proc_target);

	return t ? t : current_process();
}

static struct mm_struct *proc_mm(void)
{
	struct process *p = proc_task();

	return p ? p->mm : NULL;
}

/* /proc/self/maps: one line per VMA (show_map_vma, mm/mmap.c); empty when no process runs. */
static void show_self_maps(struct seq_buf *s)
{
	struct mm_struct *mm = proc_mm();
	struct vm_area_struct *v;

	if (!mm)
		return;
	spin_lock(&mm->lock);
	for_each_vma(mm, v)
		show_map_vma(s, mm, v);
	spin_unlock(&mm->lock);
}
DEBUGFS_FILE(self_maps, "/proc/self/maps", show_self_maps);

/* vm_kb: kB of the VMAs with all of flags set (0: every VMA), and for exe those executable. */
static unsigned long vm_kb(struct mm_struct *mm, u32 flags, bool exe)
{
	unsigned long bytes = 0;
	struct vm_area_struct *v;

	for_each_vma(mm, v) {
		if ((v->vm_flags & flags) == flags && (!exe || (v->vm_prot & PROT_EXEC)))
			bytes += v->vm_end - v->vm_start;
	}
	return bytes >> 10;
}

/* /proc/self/status: Linux's name, pid and Vm* lines ("VmRSS:\t    NNNN kB"), those this slice counts. */
static void show_self_status(struct seq_buf *s)
{
	struct process *p = proc_task();
	struct mm_struct *mm = p ? p->mm : NULL;
	unsigned long kb = PAGE_SIZE >> 10;

	if (!mm)
		return;
	spin_lock(&mm->lock);
	seq_buf_printf(s, "Name:\t%s\nState:\t%s\nPid:\t%d\n", p->comm,
		       p->state == TASK_INTERRUPTIBLE ? "S (sleeping)" : "R (running)", p->pid);
	seq_buf_printf(s, "VmSize:\t%8lu kB\n", vm_kb(mm, 0, false));	/* mm_total_vm's, under the lock held */
	seq_buf_printf(s, "VmHWM:\t%8lu kB\n", mm->hiwater_rss * kb);
	seq_buf_printf(s, "VmRSS:\t%8lu kB\n", mm->rss * kb);
	/* Linux's split of VmRSS: every private page is anonymous (no page cache), shared ones are shmem's */
	seq_buf_printf(s, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n",
		       (mm->rss - mm->rss_shmem) * kb, 0UL, mm->rss_shmem * kb);
	seq_buf_printf(s, "VmData:\t%8lu kB\n", vm_kb(mm, VM_ANON, false) - vm_kb(mm, VM_STACK, false));
	seq_buf_printf(s, "VmStk:\t%8lu kB\n", vm_kb(mm, VM_STACK, false));
	seq_buf_printf(s, "VmExe:\t%8lu kB\n", vm_kb(mm, VM_IMAGE, true));
	seq_buf_printf(s, "VmPTE:\t%8lu kB\n", mm->ctx.nr_tables * kb);
	spin_unlock(&mm->lock);
}
DEBUGFS_FILE(self_status, "/proc/self/status", show_self_status);

/* The VA range of the VMAs with all of flags set and PROT_EXEC as exe says: [*lo, *hi), 0s if none (mm->lock held). */
static void vm_range(struct mm_struct *mm, u32 flags, bool exe, unsigned long *lo, unsigned long *hi)
{
	struct vm_area_struct *v;

	*lo = *hi = 0;
	for_each_vma(mm, v) {
		if ((v->vm_flags & flags) != flags || !(v->vm_prot & PROT_EXEC) != !exe)
			continue;
		if (!*hi)
			*lo = v->vm_start;
		*hi = v->vm_end;
	}
}

/*
 * /proc/self/stat: Linux's 52 fields on one line (fs/proc/array.c,
 * do_task_stat), those pagoda has filled in: pid, (comm), state, ppid, the
 * fault counters (minflt, majflt: a program page read from the archive),
 * vsize in bytes, rss in pages, the text range, the stack start, the CPU
 * (processor) and exit_signal 17 (SIGCHLD); the rest (times, signals, the
 * process group as the pid itself) as Linux prints them for a process that
 * has none. Both counters of a process's children (cminflt, cmajflt) are 0.
 */
static void show_self_stat(struct seq_buf *s)
{
	struct process *p = proc_task();
	struct mm_struct *mm = p ? p->mm : NULL;
	unsigned long code_lo, code_hi, data_lo, data_hi, maj, min;

	if (!mm)
		return;
	spin_lock(&mm->lock);
	vm_range(mm, VM_IMAGE, true, &code_lo, &code_hi);
	vm_range(mm, VM_IMAGE, false, &data_lo, &data_hi);
	maj = mm->nr_majfaults;
	min = mm->nr_faults - maj;
	seq_buf_printf(s, "%d (%s) %c %d %d %d 0 -1 0 %lu 0 %lu 0 0 0 0 0 20 0 1 0 0 %lu %lu "
		       "18446744073709551615 %lu %lu %lu 0 0 0 0 0 0 0 0 0 17 %u 0 0 0 0 0 %lu %lu %lu 0 0 0 0 0\n",
		       p->pid, p->comm, p->state == TASK_INTERRUPTIBLE ? 'S' : 'R',
		       p->parent ? p->parent->pid : 0, p->pid, p->pid, min, maj,
		       vm_kb(mm, 0, false) << 10, mm->rss, code_lo, code_hi, mm->start_stack, p->cpu,
		       data_lo, data_hi, mm->start_brk);
	spin_unlock(&mm->lock);
}
DEBUGFS_FILE(self_stat, "/proc/self/stat", show_self_stat);

/*
 * /proc/self/page_tables: the process's own tables in the kernel dump's
 * format (mm/ptdump.c on the mm's context: runs, holes, attributes, the PA
 * column), from VA 0 to TASK_SIZE. A /proc/PID file rather than a debugfs
 * directory per PID: it lives and dies with the process like maps, the PID
 * lookup is openat's, and debugfs files are registered at link time.
 */
static const struct ptdump_marker user_markers[] = {
	{ 0,	"User Space" },
	{ ~0UL,	NULL },
};

static void show_self_page_tables(struct seq_buf *s)
{
	struct mm_struct *mm = proc_mm();

	if (mm)
		ptdump_show(&mm->ctx, user_markers, s);
}
DEBUGFS_FILE(self_page_tables, "/proc/self/page_tables", show_self_page_tables);

/* Whether pid is a live process (one with an address space: not a zombie). */
static bool proc_pid_alive(int pid)
{
	unsigned long flags;
	struct process *p;
	bool live;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_process(pid);
	live = p && p->mm;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return live;
}

int proc_pid_path(const char *path, char *self, size_t size)
{
	const char *name;
	long n;

	if (strncmp(path, "/proc/", 6) || path[6] < '1' || path[6] > '9')
		return 0;
	n = strtol(path + 6, (char **)&name, 10);
	if (*name != '/' || n <= 0 || n > 1000000 || (size_t)snprintf(self, size, "/proc/self%s", name) >= size)
		return 0;
	return proc_pid_alive((int)n) ? (int)n : 0;
}

const struct debugfs_file *proc_pid_file(const char *path, int *pid)
{
	char self[64];

	*pid = proc_pid_path(path, self, sizeof(self));
	return *pid ? debugfs_lookup(self) : NULL;
}

bool proc_pid_show(const struct debugfs_file *f, int pid, struct seq_buf *s)
{
	unsigned long flags;
	struct process *p;
	bool live;

	spin_lock_irqsave(&tasklist_lock, flags);
	p = find_process(pid);
	live = p && p->mm;		/* p->mm stays while tasklist_lock is held (do_exit) */
	if (live) {
		*this_cpu_ptr(proc_target) = p;
		f->show(s);
		*this_cpu_ptr(proc_target) = NULL;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return live;
}
