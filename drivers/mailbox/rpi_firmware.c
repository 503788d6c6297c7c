/* rpi_firmware.c: what the Pi firmware tells about the board (mailbox tags), its debugfs node and tests. */
#include <drivers/bcm2835_mbox.h>
#include <drivers/of_fdt.h>
#include <asm/memory.h>
#include <kernel/arch.h>
#include <kernel/debugfs.h>
#include <kernel/kunit.h>
#include <kernel/printk.h>
#include <kernel/seq_buf.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

extern const void *boot_fdt;	/* arch/arm64/setup.c: the checked DTB, or NULL */

struct rpi_range {
	u32 base, size;
};

/* Board revision codes, new style (bit 23), as the firmware documents them. */
static const char *const rev_types[] = {
	[0x00] = "A", [0x01] = "B", [0x02] = "A+", [0x03] = "B+", [0x04] = "2 Model B",
	[0x06] = "CM1", [0x08] = "3 Model B", [0x09] = "Zero", [0x0a] = "CM3", [0x0c] = "Zero W",
	[0x0d] = "3 Model B+", [0x0e] = "3 Model A+", [0x10] = "CM3+", [0x11] = "4 Model B",
	[0x12] = "Zero 2 W",
};
static const char *const rev_procs[] = { "BCM2835", "BCM2836", "BCM2837", "BCM2711", "BCM2712" };
static const char *const rev_makers[] = { "Sony UK", "Egoman", "Embest", "Sony Japan", "Embest",
					  "Stadium" };

#define REV_NEW_STYLE		(1u << 23)
#define REV_MEM(r)		(((r) >> 20) & 7)
#define REV_MAKER(r)		(((r) >> 16) & 0xf)
#define REV_PROC(r)		(((r) >> 12) & 0xf)
#define REV_TYPE(r)		(((r) >> 4) & 0xff)
#define REV_REVISION(r)		((r) & 0xf)

#define NAME_OR(tab, i)	((i) < ARRAY_SIZE(tab) && (tab)[i] ? (tab)[i] : "?")

/* rpi_revision_describe: "Raspberry Pi 3 Model B rev 1.2, 1024 MiB, BCM2837, Sony UK". */
static void rpi_revision_describe(u32 rev, char *buf, size_t n)
{
	if (!(rev & REV_NEW_STYLE)) {
		snprintf(buf, n, "old-style code");
		return;
	}
	snprintf(buf, n, "Raspberry Pi %s rev 1.%u, %u MiB, %s, %s", NAME_OR(rev_types, REV_TYPE(rev)),
		 REV_REVISION(rev), 256u << REV_MEM(rev), NAME_OR(rev_procs, REV_PROC(rev)),
		 NAME_OR(rev_makers, REV_MAKER(rev)));
}

static int get_u32(u32 tag, u32 *v)
{
	return rpi_firmware_property(tag, v, sizeof(*v));
}

static int get_range(u32 tag, struct rpi_range *r)
{
	u32 v[2] = { 0, 0 };
	int err = rpi_firmware_property(tag, v, sizeof(v));

	r->base = v[0];
	r->size = v[1];
	return err;
}

static void show_u32(struct seq_buf *s, const char *name, u32 tag)
{
	u32 v = 0;

	if (get_u32(tag, &v))
		seq_buf_printf(s, "%-19s(no answer)\n", name);
	else
		seq_buf_printf(s, "%-19s%u (0x%08x)\n", name, v, v);
}

static void show_range(struct seq_buf *s, const char *name, u32 tag)
{
	struct rpi_range r;

	if (get_range(tag, &r) || !r.size)
		seq_buf_printf(s, "%-19s(no answer)\n", name);
	else
		seq_buf_printf(s, "%-19s0x%08x-0x%08x (%u MiB)\n", name, r.base, r.base + r.size - 1,
			       r.size >> 20);
}

static void show_clock(struct seq_buf *s, const char *name, u32 id)
{
	u32 v[2] = { id, 0 };

	if (rpi_firmware_property(RPI_FIRMWARE_GET_CLOCK_RATE, v, sizeof(v)))
		seq_buf_printf(s, "%-19s(no answer)\n", name);
	else
		seq_buf_printf(s, "%-19s%u Hz\n", name, v[1]);
}

/* /sys/kernel/debug/rpi_firmware: every answer asked afresh from the firmware. */
static void rpi_firmware_show(struct seq_buf *s)
{
	u32 rev = 0, mac[2] = { 0, 0 }, serial[2] = { 0, 0 };
	const u8 *m = (const u8 *)mac;
	char desc[96];

	show_u32(s, "firmware revision:", RPI_FIRMWARE_GET_FIRMWARE_REVISION);
	show_u32(s, "board model:", RPI_FIRMWARE_GET_BOARD_MODEL);
	if (get_u32(RPI_FIRMWARE_GET_BOARD_REVISION, &rev)) {
		seq_buf_printf(s, "%-19s(no answer)\n", "board revision:");
	} else {
		rpi_revision_describe(rev, desc, sizeof(desc));
		seq_buf_printf(s, "%-19s0x%08x (%s)\n", "board revision:", rev, desc);
	}
	if (rpi_firmware_property(RPI_FIRMWARE_GET_BOARD_SERIAL, serial, sizeof(serial)))
		seq_buf_printf(s, "%-19s(no answer)\n", "board serial:");
	else
		seq_buf_printf(s, "%-19s0x%08x%08x\n", "board serial:", serial[1], serial[0]);
	if (rpi_firmware_property(RPI_FIRMWARE_GET_BOARD_MAC_ADDRESS, mac, 6))
		seq_buf_printf(s, "%-19s(no answer)\n", "MAC address:");
	else
		seq_buf_printf(s, "%-19s%02x:%02x:%02x:%02x:%02x:%02x\n", "MAC address:",
			       m[0], m[1], m[2], m[3], m[4], m[5]);
	show_range(s, "ARM memory:", RPI_FIRMWARE_GET_ARM_MEMORY);
	show_range(s, "VC memory:", RPI_FIRMWARE_GET_VC_MEMORY);
	show_clock(s, "ARM clock:", RPI_FIRMWARE_CLK_ARM);
	show_clock(s, "core clock:", RPI_FIRMWARE_CLK_CORE);
	show_clock(s, "UART clock:", RPI_FIRMWARE_CLK_UART);
}
DEBUGFS_FILE(rpi_firmware, "/sys/kernel/debug/rpi_firmware", rpi_firmware_show);

/* ---- KTAP: the answers against the device tree, and the error paths ----------------------- */

static void mailbox_arm_memory_matches_dtb(struct kunit *test)
{
	static struct dt_memory_map map;
	struct rpi_range arm;
	char why[96];

	if (!boot_fdt)
		kunit_skip(test, "no device tree to compare with");
	KUNIT_ASSERT_EQ(test, early_init_dt_parse(boot_fdt, fdt_totalsize(boot_fdt), &map, why,
						  sizeof(why)), 0);
	KUNIT_ASSERT_EQ(test, get_range(RPI_FIRMWARE_GET_ARM_MEMORY, &arm), 0);
	KUNIT_EXPECT_EQ(test, arm.base, map.mem[0].base);
	KUNIT_EXPECT_EQ(test, arm.size, map.mem[0].size);
	kunit_info(test, "mailbox and DTB: ARM memory 0x%08x + 0x%08x", arm.base, arm.size);
}

static void mailbox_vc_memory_follows_arm(struct kunit *test)
{
	struct rpi_range arm, vc;
	u32 rev = 0;

	KUNIT_ASSERT_EQ(test, get_range(RPI_FIRMWARE_GET_ARM_MEMORY, &arm), 0);
	KUNIT_ASSERT_EQ(test, get_range(RPI_FIRMWARE_GET_VC_MEMORY, &vc), 0);
	KUNIT_EXPECT_EQ(test, vc.base, arm.base + arm.size);	/* the GPU's share sits on top */
	KUNIT_EXPECT_GT(test, vc.size, 0U);
	KUNIT_ASSERT_EQ(test, get_u32(RPI_FIRMWARE_GET_BOARD_REVISION, &rev), 0);
	KUNIT_EXPECT_TRUE(test, rev & REV_NEW_STYLE);
	KUNIT_EXPECT_EQ(test, REV_PROC(rev), 2U);			/* a BCM2837 board */
	/* ARM + VC memory is the board's RAM, as the revision code states it. */
	KUNIT_EXPECT_EQ(test, ((u64)vc.base + vc.size) >> 20, 256ULL << REV_MEM(rev));
}

/* A well-formed answer to a 2-word tag, for the malformed variants below. */
static void good_reply(u32 *m, u32 tag)
{
	memset(m, 0, 12 * sizeof(u32));
	m[0] = 32;
	m[1] = 0x80000000u;
	m[2] = tag;
	m[3] = 8;
	m[4] = 0x80000000u | 8;
	m[5] = 0x1000;
	m[6] = 0x2000;
}

static void mailbox_malformed_replies(struct kunit *test)
{
	u32 m[12], t = RPI_FIRMWARE_GET_ARM_MEMORY;
	char why[96];

	good_reply(m, t);
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), 0);
	m[1] = 0x80000001u;
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "error parsing the request");
	good_reply(m, t);
	m[1] = 0;
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "message untouched");
	good_reply(m, t);
	m[2] = RPI_FIRMWARE_GET_VC_MEMORY;
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "malformed reply: tag 0x00010006");
	good_reply(m, t);
	m[4] = 8;
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "tag not answered");
	good_reply(m, t);
	m[4] = 0x80000000u | 64;	/* longer than the value buffer: truncated */
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "64-byte answer for a 8-byte value");
	good_reply(m, t);
	m[4] = 0x80000000u | 4;		/* shorter than asked */
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	good_reply(m, t);
	m[0] = 12;
	KUNIT_EXPECT_EQ(test, rpi_firmware_check_reply(m, t, 8, why, sizeof(why)), -1);
	KUNIT_EXPECT_SUBSTR(test, why, "message size 12 too small");
}

/* A channel nobody serves never answers: a bounded wait and an error, then business as usual. */
static void mailbox_timeout_is_an_error(struct kunit *test)
{
	static u32 msg[8] __aligned(16);
	u64 t0 = arch_counter_read(), ticks;
	unsigned long saved = rpi_firmware_timeout_us;
	struct rpi_range arm;
	char log[256];
	int err;

	err = bcm2835_mbox_call(15, (u32)__pa_symbol(msg) | 0xc0000000u, 20000);
	ticks = arch_counter_read() - t0;
	KUNIT_EXPECT_EQ(test, err, -1);
	KUNIT_EXPECT_LT(test, ticks, arch_counter_freq());		/* well under a second */
	rpi_firmware_timeout_us = 0;	/* even the property channel cannot answer that fast */
	printk_capture_start(log, sizeof(log));
	err = get_range(RPI_FIRMWARE_GET_ARM_MEMORY, &arm);
	printk_capture_stop();
	rpi_firmware_timeout_us = saved;
	if (err == 0)
		kunit_info(test, "the firmware answered within 0 us");
	else
		KUNIT_EXPECT_SUBSTR(test, log, "(timeout)");
	/* A late answer to that request must not be taken for the next one. */
	KUNIT_EXPECT_EQ(test, get_range(RPI_FIRMWARE_GET_ARM_MEMORY, &arm), 0);
	KUNIT_EXPECT_GT(test, arm.size, 0U);
}

static void mailbox_debugfs_node(struct kunit *test)
{
	static char out[1024];
	const struct debugfs_file *f = debugfs_lookup("/sys/kernel/debug/rpi_firmware");
	struct rpi_range arm;
	struct seq_buf s;
	char want[64];

	KUNIT_ASSERT_NOT_NULL(test, f);
	seq_buf_init(&s, out, sizeof(out));
	f->show(&s);
	KUNIT_ASSERT_EQ(test, get_range(RPI_FIRMWARE_GET_ARM_MEMORY, &arm), 0);
	snprintf(want, sizeof(want), "ARM memory:        0x%08x-0x%08x", arm.base, arm.base + arm.size - 1);
	KUNIT_EXPECT_SUBSTR(test, out, want);
	KUNIT_EXPECT_SUBSTR(test, out, "board revision:    0x");
	KUNIT_EXPECT_SUBSTR(test, out, "VC memory:         0x");
}

kunit_test_suite(rpi_firmware,
	KUNIT_CASE(mailbox_arm_memory_matches_dtb),
	KUNIT_CASE(mailbox_vc_memory_follows_arm),
	KUNIT_CASE(mailbox_malformed_replies),
	KUNIT_CASE(mailbox_timeout_is_an_error),
	KUNIT_CASE(mailbox_debugfs_node));
