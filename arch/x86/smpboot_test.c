/* smpboot_test.c (x86): KTAP suite x86_smpboot — the MADT and MP table parsers on good and malformed tables, and an AP that never answers. */
#include <kernel/arch.h>
#include <kernel/kunit.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <string.h>

#define PHANTOM_APIC_ID	0x7e	/* no QEMU CPU has it (-smp 8 uses 0-7) */

static void set_sum(u8 *t, unsigned int len, unsigned int at)
{
	u8 s = 0;
	unsigned int i;

	t[at] = 0;
	for (i = 0; i < len; i++)
		s += t[i];
	t[at] = (u8)-s;
}

/* A MADT with one Local APIC entry per id (enabled[i] its flag); returns its length. */
static unsigned int make_madt(u8 *t, const u8 *ids, const u8 *enabled, unsigned int n)
{
	unsigned int len = 44 + 8 * n, i;

	memset(t, 0, len);
	memcpy(t, "APIC", 4);
	memcpy(t + 4, &len, 4);
	t[8] = 3;
	*(u32 *)(t + 36) = APIC_DEFAULT_PHYS_BASE;
	for (i = 0; i < n; i++) {
		u8 *e = t + 44 + 8 * i;

		e[0] = 0;
		e[1] = 8;
		e[2] = i;
		e[3] = ids[i];
		e[4] = enabled[i];
	}
	set_sum(t, len, 9);
	return len;
}

static void madt_enabled_cpus(struct kunit *test)
{
	static const u8 ids[] = { 0, 1, 2, 5 }, en[] = { 1, 1, 1, 0 };
	u8 t[128];
	struct fw_cpus fc;
	unsigned int len = make_madt(t, ids, en, 4);

	KUNIT_ASSERT_EQ(test, madt_parse(t, len, &fc), FW_OK);
	KUNIT_EXPECT_EQ(test, fc.nr, 3u);
	KUNIT_EXPECT_EQ(test, fc.nr_disabled, 1u);
	KUNIT_EXPECT_EQ(test, fc.apic_id[2], 2u);
	KUNIT_EXPECT_EQ(test, fc.lapic_base, APIC_DEFAULT_PHYS_BASE);
}

/* A bad checksum, an entry of length 0, an entry past the end, a wrong length field: FW_BAD each. */
static void madt_malformed(struct kunit *test)
{
	static const u8 ids[] = { 0, 1 }, en[] = { 1, 1 };
	u8 t[128];
	struct fw_cpus fc;
	unsigned int len = make_madt(t, ids, en, 2);

	t[9]++;
	KUNIT_EXPECT_EQ(test, madt_parse(t, len, &fc), FW_BAD);
	make_madt(t, ids, en, 2);
	t[44 + 8 + 1] = 0;
	set_sum(t, len, 9);
	KUNIT_EXPECT_EQ(test, madt_parse(t, len, &fc), FW_BAD);
	make_madt(t, ids, en, 2);
	t[44 + 8 + 1] = 40;
	set_sum(t, len, 9);
	KUNIT_EXPECT_EQ(test, madt_parse(t, len, &fc), FW_BAD);
	make_madt(t, ids, en, 2);
	KUNIT_EXPECT_EQ(test, madt_parse(t, len - 8, &fc), FW_BAD);
	KUNIT_EXPECT_EQ(test, madt_parse(t, 20, &fc), FW_BAD);
}

/* More enabled CPUs than CONFIG_NR_CPUS: the first CONFIG_NR_CPUS are kept. */
static void madt_more_than_nr_cpus(struct kunit *test)
{
	u8 ids[CONFIG_NR_CPUS + 2], en[CONFIG_NR_CPUS + 2], t[44 + 8 * (CONFIG_NR_CPUS + 2)];
	struct fw_cpus fc;
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS + 2; i++) {
		ids[i] = i;
		en[i] = 1;
	}
	KUNIT_ASSERT_EQ(test, madt_parse(t, make_madt(t, ids, en, CONFIG_NR_CPUS + 2), &fc), FW_OK);
	KUNIT_EXPECT_EQ(test, fc.nr, (unsigned int)CONFIG_NR_CPUS);
	KUNIT_EXPECT_EQ(test, fc.apic_id[CONFIG_NR_CPUS - 1], CONFIG_NR_CPUS - 1u);
}

/* An MP table: two processors (one disabled), a bus entry; then a bad checksum and a short count. */
static void mp_table(struct kunit *test)
{
	u8 t[44 + 20 + 20 + 8];
	struct fw_cpus fc;
	unsigned int len = sizeof(t);

	memset(t, 0, len);
	memcpy(t, "PCMP", 4);
	t[4] = len;
	t[6] = 4;
	t[34] = 3;
	*(u32 *)(t + 36) = APIC_DEFAULT_PHYS_BASE;
	t[44] = 0, t[45] = 0, t[47] = 3;		/* processor, APIC id 0, enabled + BSP */
	t[64] = 0, t[65] = 3, t[67] = 0;		/* processor, APIC id 3, disabled */
	t[84] = 1;					/* bus */
	set_sum(t, len, 7);
	KUNIT_ASSERT_EQ(test, mpc_parse(t, len, &fc), FW_OK);
	KUNIT_EXPECT_EQ(test, fc.nr, 1u);
	KUNIT_EXPECT_EQ(test, fc.nr_disabled, 1u);
	t[34] = 4;					/* a fourth entry would run past the end */
	set_sum(t, len, 7);
	KUNIT_EXPECT_EQ(test, mpc_parse(t, len, &fc), FW_BAD);
	t[7]++;
	KUNIT_EXPECT_EQ(test, mpc_parse(t, len, &fc), FW_BAD);
}

static void forget_phantom(void *slot)
{
	x86_cpu_apic_id[(uintptr_t)slot] = 0;
}

/*
 * The boot path for a CPU the firmware lists but that never answers (QEMU
 * cannot be made to list one): arch_cpu_up sends INIT-SIPI-SIPI to an APIC
 * id nobody has, nothing comes online within the deadline, and
 * arch_cpu_up_failed leaves the trampoline closed to latecomers.
 */
static void absent_cpu_is_left_out(struct kunit *test)
{
	unsigned int slot = arch_nr_possible_cpus();
	const struct trampoline_params *tp = (const void *)((u8 *)__va(TRAMPOLINE_PA) + TR_PARAMS);
	u64 deadline;

	if (slot >= CONFIG_NR_CPUS || slot < 2) {
		kunit_mark_skipped(test, "needs the trampoline (an SMP boot) and a free CPU slot");
		return;
	}
	x86_cpu_apic_id[slot] = PHANTOM_APIC_ID;
	kunit_add_action(test, forget_phantom, (void *)(uintptr_t)slot);
	KUNIT_ASSERT_TRUE(test, arch_cpu_up(slot));
	KUNIT_EXPECT_EQ(test, READ_ONCE(tp->apic_id), (u32)PHANTOM_APIC_ID);
	deadline = arch_counter_read() + arch_counter_freq() / 5;	/* 200 ms */
	while (arch_counter_read() < deadline && !cpu_online(slot))
		cpu_relax();
	KUNIT_EXPECT_FALSE(test, cpu_online(slot));
	KUNIT_EXPECT_EQ(test, READ_ONCE(tp->answered), 0u);
	arch_cpu_up_failed(slot);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tp->apic_id), TR_APIC_ID_NONE);
}

kunit_test_suite(x86_smpboot,
	KUNIT_CASE(madt_enabled_cpus),
	KUNIT_CASE(madt_malformed),
	KUNIT_CASE(madt_more_than_nr_cpus),
	KUNIT_CASE(mp_table),
	KUNIT_CASE(absent_cpu_is_left_out));
