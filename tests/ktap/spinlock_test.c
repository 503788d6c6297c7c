/* spinlock_test.c: KTAP suite for spinlock_t, atomic_t, interrupt masking and per-CPU access (on every online CPU at once: threads on the host). */
#include <kernel/atomic.h>
#include <kernel/kunit.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

static void spin_lock_and_trylock(struct kunit *test)
{
	DEFINE_SPINLOCK(lock);

	KUNIT_EXPECT_FALSE(test, spin_is_locked(&lock));
	spin_lock(&lock);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&lock));
	KUNIT_EXPECT_EQ(test, spin_trylock(&lock), 0);	/* held: no second ticket is taken */
	KUNIT_EXPECT_EQ(test, lock.raw.next, 1);
	spin_unlock(&lock);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&lock));
	KUNIT_EXPECT_EQ(test, spin_trylock(&lock), 1);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&lock));
	spin_unlock(&lock);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&lock));
}

/* Each lock/unlock pair serves one ticket; the 16-bit halves wrap together. */
static void spin_lock_tickets_wrap(struct kunit *test)
{
	spinlock_t lock;
	int i;

	spin_lock_init(&lock);
	for (i = 0; i < 5; i++) {
		spin_lock(&lock);
		spin_unlock(&lock);
	}
	KUNIT_EXPECT_EQ(test, lock.raw.owner, 5);
	KUNIT_EXPECT_EQ(test, lock.raw.next, 5);
	lock.raw.owner = lock.raw.next = 0xffff;
	spin_lock(&lock);
	KUNIT_EXPECT_EQ(test, lock.raw.next, 0);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&lock));
	spin_unlock(&lock);
	KUNIT_EXPECT_EQ(test, lock.raw.owner, 0);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&lock));
}

/*
 * local_irq_save masks and hands back the old state; restore puts that state
 * back, nested too. Only the mask is compared: x86's EFLAGS also holds the
 * arithmetic flags, which any compare changes.
 */
static void irqsave_restores(struct kunit *test)
{
	int before = arch_irqs_disabled_flags(arch_local_save_flags());
	unsigned long outer, inner;
	DEFINE_SPINLOCK(lock);

	local_irq_save(outer);
	KUNIT_EXPECT_EQ(test, arch_irqs_disabled_flags(outer), before);
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	spin_lock_irqsave(&lock, inner);
	KUNIT_EXPECT_TRUE(test, arch_irqs_disabled_flags(inner));	/* saved inside the outer section */
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&lock));
	spin_unlock_irqrestore(&lock, inner);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&lock));
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	local_irq_restore(outer);
	KUNIT_EXPECT_EQ(test, irqs_disabled(), before);
}

static void atomic_ops(struct kunit *test)
{
	atomic_t v = ATOMIC_INIT(5);

	atomic_inc(&v);
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 6);
	atomic_dec(&v);
	atomic_dec(&v);
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 4);
	KUNIT_EXPECT_EQ(test, atomic_add_return(10, &v), 14);
	KUNIT_EXPECT_EQ(test, atomic_sub_return(20, &v), -6);
	atomic_set(&v, 1);
	KUNIT_EXPECT_TRUE(test, atomic_dec_and_test(&v));
	KUNIT_EXPECT_FALSE(test, atomic_dec_and_test(&v));
	KUNIT_EXPECT_EQ(test, atomic_read(&v), -1);
}

static void atomic_cmpxchg_only_on_match(struct kunit *test)
{
	atomic_t v = ATOMIC_INIT(7);

	KUNIT_EXPECT_EQ(test, atomic_cmpxchg(&v, 3, 9), 7);	/* mismatch: returns what it saw */
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 7);		/* and stores nothing */
	KUNIT_EXPECT_EQ(test, atomic_cmpxchg(&v, 7, 9), 7);
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 9);
	KUNIT_EXPECT_EQ(test, atomic_cmpxchg(&v, -1, 0), 9);
	KUNIT_EXPECT_EQ(test, atomic_read(&v), 9);
}

static DEFINE_PER_CPU(int, pcpu_counter);

/* The suite runs on the boot CPU (offset 0): this_cpu_ptr is its slot, the others are apart. */
static void percpu_this_cpu(struct kunit *test)
{
	unsigned long flags;

	KUNIT_EXPECT_EQ(test, smp_processor_id(), 0U);
	KUNIT_EXPECT_EQ(test, __my_cpu_offset(), per_cpu_offset(0));
	KUNIT_EXPECT_TRUE(test, this_cpu_ptr(pcpu_counter) == per_cpu_ptr(pcpu_counter, 0));
	local_irq_save(flags);
	(*this_cpu_ptr(pcpu_counter))++;
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, per_cpu(pcpu_counter, 0), 1);
	per_cpu(pcpu_counter, 0) = 0;
	if (CONFIG_NR_CPUS > 1)
		KUNIT_EXPECT_EQ(test, (char *)per_cpu_ptr(pcpu_counter, CONFIG_NR_CPUS - 1) -
				(char *)per_cpu_ptr(pcpu_counter, 0), (long)((CONFIG_NR_CPUS - 1) * sizeof(int)));
}

#define HAMMER_ROUNDS	TORTURE_SIZE(100000, 100000)

struct hammer {
	spinlock_t lock;
	long counter;		/* protected by lock; a plain ++ */
	atomic_t acount;
	atomic_t cpus;
};

/* Run on every CPU at once: HAMMER_ROUNDS increments under the lock, and as many atomically. */
static void hammer(void *arg)
{
	struct hammer *h = arg;
	int i;

	atomic_inc(&h->cpus);
	for (i = 0; i < HAMMER_ROUNDS; i++) {
		spin_lock(&h->lock);
		h->counter++;
		spin_unlock(&h->lock);
		atomic_inc(&h->acount);
	}
}

/* Every online CPU hammers one counter: with the lock no increment is lost, and the atomics agree. */
static void spin_lock_all_cpus(struct kunit *test)
{
	struct hammer h = { .counter = 0, .acount = ATOMIC_INIT(0), .cpus = ATOMIC_INIT(0) };
	int n = (int)num_online_cpus();

	spin_lock_init(&h.lock);
	on_each_cpu(hammer, &h, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.cpus), n);
	KUNIT_EXPECT_EQ(test, h.counter, (long)n * HAMMER_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&h.acount), n * HAMMER_ROUNDS);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&h.lock));
}

kunit_test_suite(spinlock,
	KUNIT_CASE(spin_lock_and_trylock),
	KUNIT_CASE(spin_lock_tickets_wrap),
	KUNIT_CASE(irqsave_restores),
	KUNIT_CASE(atomic_ops),
	KUNIT_CASE(atomic_cmpxchg_only_on_match),
	KUNIT_CASE(spin_lock_all_cpus),
	KUNIT_CASE(percpu_this_cpu));
