/* proc_pid.c: /proc/self/maps, status and page_tables (also as /proc/PID/...) for the running process, Linux's layout. */
#include <kernel/debugfs.h>
#include <kernel/process.h>
#include <mm/ptdump.h>

/* /proc/self/maps: one line per VMA (show_map_vma, mm/mmap.c); empty when no process runs. */
static void show_self_maps(struct seq_buf *s)
{
	struct mm_struct *mm = current_mm();
	unsigned int i;

	if (!mm)
		return;
	spin_lock(&mm->lock);
	for (i = 0; i < mm->nr_vmas; i++)
		show_map_vma(s, mm, &mm->vmas[i]);
	spin_unlock(&mm->lock);
}
DEBUGFS_FILE(self_maps, "/proc/self/maps", show_self_maps);

/* vm_kb: kB of the VMAs with all of flags set (0: every VMA), and for exe those executable. */
static unsigned long vm_kb(struct mm_struct *mm, u32 flags, bool exe)
{
	unsigned long bytes = 0;
	unsigned int i;

	for (i = 0; i < mm->nr_vmas; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];

		if ((v->vm_flags & flags) == flags && (!exe || (v->vm_prot & PROT_EXEC)))
			bytes += v->vm_end - v->vm_start;
	}
	return bytes >> 10;
}

/* /proc/self/status: Linux's name, pid and Vm* lines ("VmRSS:\t    NNNN kB"), those this slice counts. */
static void show_self_status(struct seq_buf *s)
{
	struct process *p = current_process();
	struct mm_struct *mm = p ? p->mm : NULL;
	unsigned long kb = PAGE_SIZE >> 10;

	if (!mm)
		return;
	spin_lock(&mm->lock);
	seq_buf_printf(s, "Name:\t%s\nState:\tR (running)\nPid:\t%d\n", p->comm, p->pid);
	seq_buf_printf(s, "VmSize:\t%8lu kB\n", vm_kb(mm, 0, false));	/* mm_total_vm's, under the lock held */
	seq_buf_printf(s, "VmHWM:\t%8lu kB\n", mm->hiwater_rss * kb);
	seq_buf_printf(s, "VmRSS:\t%8lu kB\n", mm->rss * kb);
	seq_buf_printf(s, "VmData:\t%8lu kB\n", vm_kb(mm, VM_ANON, false) - vm_kb(mm, VM_STACK, false));
	seq_buf_printf(s, "VmStk:\t%8lu kB\n", vm_kb(mm, VM_STACK, false));
	seq_buf_printf(s, "VmExe:\t%8lu kB\n", vm_kb(mm, VM_IMAGE, true));
	seq_buf_printf(s, "VmPTE:\t%8lu kB\n", mm->ctx.nr_tables * kb);
	spin_unlock(&mm->lock);
}
DEBUGFS_FILE(self_status, "/proc/self/status", show_self_status);

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
	struct mm_struct *mm = current_mm();

	if (mm)
		ptdump_show(&mm->ctx, user_markers, s);
}
DEBUGFS_FILE(self_page_tables, "/proc/self/page_tables", show_self_page_tables);
