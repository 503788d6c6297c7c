/* spinlock_debug_test.c: KTAP suite for the spinlock_debug checks — each misuse gives exactly its one report, and the lock stays consistent. */
#include <kernel/arch.h>
#include <kernel/kallsyms.h>
#include <kernel/kunit.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <stdio.h>
#include <string.h>

/*
 * The cases call the debug entry points directly on a lock of their own, so
 * they check the checker whether or not the kernel was booted with
 * spinlock_debug (turning the global mode on here would judge every other
 * CPU's locks mid-flight).
 */
static char log[2048];

static void stop_capture(void *unused)
{
	(void)unused;
	printk_capture_stop();
}

static void start_capture(struct kunit *test)
{
	log[0] = '\0';
	printk_capture_start(log, sizeof(log));
	kunit_add_action(test, stop_capture, NULL);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/*
 * site(label, fn): the text a report shows for a call site inside fn, e.g.
 * "taken at: debug_recursion+" — or "taken at: 0x" where there are no symbols
 * (the host build prints addresses).
 */
static const char *site(const char *label, unsigned long fn)
{
	static char needle[128];
	char sym[96], *plus;

	sprint_symbol(sym, sizeof(sym), fn);
	plus = strchr(sym, '+');
	if (plus)
		plus[1] = '\0';
	else
		strcpy(sym, "0x");
	snprintf(needle, sizeof(needle), "%s %s", label, sym);
	return needle;
}

/* Taking a held lock again on the same CPU: one report, not taken twice, the outer hold intact. */
static void debug_recursion(struct kunit *test)
{
	DEFINE_SPINLOCK(rec_lock);

	start_capture(test);
	spin_lock_debug(&rec_lock);
	spin_lock_debug(&rec_lock);		/* would spin forever without the check */
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&rec_lock));
	spin_unlock_debug(&rec_lock);	/* undoes the refused take */
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&rec_lock));
	spin_unlock_debug(&rec_lock);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&rec_lock));
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock recursion on CPU#"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "lock: rec_lock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("first taken at:", (unsigned long)debug_recursion)), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("taken again at:", (unsigned long)debug_recursion)), 1);
}

/* An unlock by a CPU that does not hold it is reported and not carried out. */
static void debug_wrong_cpu(struct kunit *test)
{
	DEFINE_SPINLOCK(wrong_lock);
	unsigned int me;

	start_capture(test);
	spin_lock_debug(&wrong_lock);
	me = wrong_lock.dbg.owner;
	wrong_lock.dbg.owner = me + 1;		/* as if the next CPU held it */
	spin_unlock_debug(&wrong_lock);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&wrong_lock));
	wrong_lock.dbg.owner = me;
	spin_unlock_debug(&wrong_lock);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&wrong_lock));
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock wrong CPU"), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("taken at:", (unsigned long)debug_wrong_cpu)), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("unlocked at:", (unsigned long)debug_wrong_cpu)), 1);
}

/* A lock that was only zeroed (BSS, kzalloc) is a free lock, not one CPU 0 holds. */
static void debug_zeroed_lock_is_free(struct kunit *test)
{
	spinlock_t zeroed;

	memset(&zeroed, 0, sizeof(zeroed));
	start_capture(test);
	spin_lock_debug(&zeroed);
	spin_unlock_debug(&zeroed);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 0);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&zeroed));
}

/* Unlocking a free lock: reported; the ticket word is left alone (a release would unbalance it). */
static void debug_already_unlocked(struct kunit *test)
{
	DEFINE_SPINLOCK(free_lock);
	u32 before = free_lock.raw.val;

	start_capture(test);
	spin_unlock_debug(&free_lock);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, free_lock.raw.val, before);
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock already unlocked"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "lock: free_lock"), 1);
}

/* Taken once with interrupts on and once masked: one report naming both places, and only once. */
static void debug_irq_mix(struct kunit *test)
{
	DEFINE_SPINLOCK(mix_lock);
	unsigned long flags, outer;
	int i;

	local_irq_save(outer);
	start_capture(test);
	for (i = 0; i < 2; i++) {
		local_irq_enable();
		spin_lock_debug(&mix_lock);
		spin_unlock_debug(&mix_lock);
		local_irq_save(flags);
		spin_lock_debug(&mix_lock);
		spin_unlock_debug(&mix_lock);
		local_irq_restore(flags);
	}
	local_irq_restore(outer);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "taken with interrupts both on and masked"), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("interrupts on at:", (unsigned long)debug_irq_mix)), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("interrupts masked at:", (unsigned long)debug_irq_mix)), 1);
}

static void restore_deadline(void *old)
{
	spinlock_debug_deadline_ms = (unsigned long)old;
}

static void spin_for_ms(unsigned long ms)
{
	u64 end = arch_counter_read() + ms * arch_counter_freq() / 1000;

	while (arch_counter_read() < end)
		cpu_relax();
}

/* Held past the deadline: one report at the unlock with both places; the unlock still happens. */
static void debug_held_too_long(struct kunit *test)
{
	DEFINE_SPINLOCK(slow_lock);

	kunit_add_action(test, restore_deadline, (void *)spinlock_debug_deadline_ms);
	spinlock_debug_deadline_ms = 1;
	start_capture(test);
	spin_lock_debug(&slow_lock);
	spin_for_ms(5);
	spin_unlock_debug(&slow_lock);
	printk_capture_stop();
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&slow_lock));
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock"), 1);
	KUNIT_EXPECT_EQ(test, count(log, "(deadline 1 ms)"), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("taken at:", (unsigned long)debug_held_too_long)), 1);
}

struct lockup {
	spinlock_t lock;
	unsigned int holder;
	atomic_t held;
};

/*
 * The holder keeps the lock until the other CPU, waiting on it past the 1 ms
 * deadline, has reported (or 5 s: an emulated CPU can be descheduled).
 */
static void lockup_worker(void *arg)
{
	struct lockup *l = arg;
	u64 give_up;

	if (smp_processor_id() == l->holder) {
		spin_lock_debug(&l->lock);
		atomic_set(&l->held, 1);
		give_up = arch_counter_read() + 5 * arch_counter_freq();
		while (!__atomic_load_n(&l->lock.dbg.lockups, __ATOMIC_ACQUIRE) && arch_counter_read() < give_up)
			cpu_relax();
		spin_unlock_debug(&l->lock);
		return;
	}
	while (!atomic_read(&l->held))
		cpu_relax();
	spin_lock_debug(&l->lock);
	/*
	 * The holder's "held for" report is out (it prints before it releases).
	 * This CPU's own hold is not under test: under a loaded host its vCPU
	 * can be descheduled for more than 1 ms between these two lines, and a
	 * second report would be true but not the one counted below.
	 */
	WRITE_ONCE(spinlock_debug_deadline_ms, 1000);
	spin_unlock_debug(&l->lock);
}

static void debug_lockup_suspected(struct kunit *test)
{
	struct lockup l = { .held = ATOMIC_INIT(0) };
	unsigned int cpu, me = smp_processor_id();

	spin_lock_init(&l.lock);
	for (cpu = 0; cpu < CONFIG_NR_CPUS && (cpu == me || !cpu_online(cpu)); cpu++)
		;
	if (cpu == CONFIG_NR_CPUS)
		kunit_skip(test, "one CPU online: nobody else can hold the lock");
	l.holder = cpu;
	kunit_add_action(test, restore_deadline, (void *)spinlock_debug_deadline_ms);
	spinlock_debug_deadline_ms = 1;
	start_capture(test);
	on_each_cpu_mask(cpumask_of(me) | cpumask_of(cpu), lockup_worker, &l, 1);
	printk_capture_stop();
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&l.lock));
	KUNIT_EXPECT_EQ(test, count(log, "BUG: spinlock lockup suspected"), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("held since:", (unsigned long)lockup_worker)), 1);
	KUNIT_EXPECT_EQ(test, count(log, site("waiting at:", (unsigned long)lockup_worker)), 1);
	KUNIT_EXPECT_EQ(test, count(log, "(deadline 1 ms)"), 1);	/* the holder's wait for it */
}

kunit_test_suite(spinlock_debug,
	KUNIT_CASE(debug_recursion),
	KUNIT_CASE(debug_wrong_cpu),
	KUNIT_CASE(debug_already_unlocked),
	KUNIT_CASE(debug_zeroed_lock_is_free),
	KUNIT_CASE(debug_irq_mix),
	KUNIT_CASE(debug_held_too_long),
	KUNIT_CASE(debug_lockup_suspected));
