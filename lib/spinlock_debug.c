/* spinlock_debug.c: the spinlock_debug mode — owners, call sites and hold times of every lock checked, each finding reported once. */
#include <kernel/arch.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <stdio.h>
#include <stdlib.h>

bool spinlock_debug;
unsigned long spinlock_debug_deadline_ms = 1000;	/* held or waited for longer than this: reported */

/*
 * spinlock_debug[=MS]: check every lock, MS the hold/wait deadline (default
 * 1000: generous, because under an emulator a vCPU thread can be descheduled
 * for tens of milliseconds while holding a lock). Taken at boot only: a lock
 * held across a switch of the mode would be reported falsely.
 */
static int setup_spinlock_debug(const char *val)
{
	char *end;
	unsigned long ms;

	spinlock_debug = true;
	if (!val || !*val)
		return 0;
	ms = strtoul(val, &end, 10);
	if (*end || !ms) {
		printk("spinlock_debug: '%s' is not a deadline in ms; using %lu\n", val,
		       spinlock_debug_deadline_ms);
		return -1;
	}
	spinlock_debug_deadline_ms = ms;
	return 0;
}
early_param("spinlock_debug", setup_spinlock_debug);

static u64 deadline_ticks(void)
{
	return spinlock_debug_deadline_ms * arch_counter_freq() / 1000;
}

/* One report: the headline with CPU and lock, then the two call sites, each labelled. */
static void spin_bug(const spinlock_t *lock, const char *what, const char *label1, unsigned long ip1,
		     const char *label2, unsigned long ip2)
{
	char s1[96], s2[96];

	printk("BUG: spinlock %s on CPU#%u, lock: %s, .owner_cpu: %d\n", what, smp_processor_id(),
	       lock->dbg.name ? lock->dbg.name : "?", (int)READ_ONCE(lock->dbg.owner) - 1);
	printk(" %s %s\n", label1, sprint_symbol(s1, sizeof(s1), ip1));
	printk(" %s %s\n", label2, sprint_symbol(s2, sizeof(s2), ip2));
}

/* Interrupts on at one take and masked at another: reported once per lock. */
static void check_irq_usage(spinlock_t *lock, unsigned long ip)
{
	struct spinlock_dbg *d = &lock->dbg;
	unsigned long *mine = irqs_disabled() ? &d->irqs_off_ip : &d->irqs_on_ip;

	if (!READ_ONCE(*mine))
		WRITE_ONCE(*mine, ip);
	if (READ_ONCE(d->irqs_on_ip) && READ_ONCE(d->irqs_off_ip) &&
	    !atomic_cmpxchg(&d->irq_mix_reported, 0, 1)) {
		spin_bug(lock, "taken with interrupts both on and masked", "interrupts on at:",
			 READ_ONCE(d->irqs_on_ip), "interrupts masked at:", READ_ONCE(d->irqs_off_ip));
	}
}

/* The owner taking its own lock again: reported and not taken (it would spin forever). */
static bool check_recursion(spinlock_t *lock, unsigned long ip)
{
	if (READ_ONCE(lock->dbg.owner) != smp_processor_id() + 1)
		return false;
	spin_bug(lock, "recursion", "first taken at:", lock->dbg.owner_ip, "taken again at:", ip);
	lock->dbg.recursion++;
	return true;
}

static void set_owner(spinlock_t *lock, unsigned long ip)
{
	WRITE_ONCE(lock->dbg.owner_ip, ip);	/* a waiter's lockup report reads it */
	lock->dbg.taken_at = arch_counter_read();
	WRITE_ONCE(lock->dbg.owner, smp_processor_id() + 1);
}

void spin_lock_debug(spinlock_t *lock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	u64 start = arch_counter_read();
	bool said = false;

	check_irq_usage(lock, ip);
	if (check_recursion(lock, ip))
		return;
	while (!arch_spin_trylock(&lock->raw)) {
		if (!said && arch_counter_read() - start > deadline_ticks()) {
			said = true;
			spin_bug(lock, "lockup suspected", "held since:", READ_ONCE(lock->dbg.owner_ip),
				 "waiting at:", ip);
			__atomic_add_fetch(&lock->dbg.lockups, 1, __ATOMIC_RELEASE);
		}
		cpu_relax();
	}
	set_owner(lock, ip);
}

int spin_trylock_debug(spinlock_t *lock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);

	check_irq_usage(lock, ip);
	if (!arch_spin_trylock(&lock->raw))	/* a try by the owner fails, as it should: no report */
		return 0;
	set_owner(lock, ip);
	return 1;
}

/*
 * An unlock is only carried out by the owner; a refused nested take is undone
 * by the matching unlock without releasing the outer one.
 */
void spin_unlock_debug(spinlock_t *lock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	struct spinlock_dbg *d = &lock->dbg;
	u64 held;

	if (d->recursion && READ_ONCE(d->owner) == smp_processor_id() + 1) {
		d->recursion--;
		return;
	}
	if (!arch_spin_is_locked(&lock->raw) || !READ_ONCE(d->owner)) {
		spin_bug(lock, "already unlocked", "last taken at:", READ_ONCE(d->owner_ip), "unlocked at:", ip);
		return;
	}
	if (READ_ONCE(d->owner) != smp_processor_id() + 1) {
		spin_bug(lock, "wrong CPU", "taken at:", READ_ONCE(d->owner_ip), "unlocked at:", ip);
		return;
	}
	held = arch_counter_read() - d->taken_at;
	if (held > deadline_ticks()) {
		char what[64];

		snprintf(what, sizeof(what), "held for %lu us (deadline %lu ms)", ticks_to_us(held),
			 spinlock_debug_deadline_ms);
		spin_bug(lock, what, "taken at:", d->owner_ip, "unlocked at:", ip);
	}
	WRITE_ONCE(d->owner, 0);
	arch_spin_unlock(&lock->raw);
}
