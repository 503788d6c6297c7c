/* bcm2835_mbox.c: property calls to the VideoCore firmware through the ARM-to-VC mailbox. */
#include <drivers/bcm2835_mbox.h>
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/cacheflush.h>
#include <mm/dma.h>
#include <mm/io.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

/* Mailbox 0 (VC -> ARM, read) and mailbox 1 (ARM -> VC, write) registers, from MBOX_PHYS. */
#define MBOX_READ		0x00
#define MBOX_STATUS		0x18
#define MBOX_WRITE		0x20
#define MBOX1_STATUS		0x38	/* status of the ARM -> VC mailbox */
#define MBOX_FULL		0x80000000u
#define MBOX_EMPTY		0x40000000u
#define MBOX_CHAN_PROPERTY	8

#define RPI_FIRMWARE_STATUS_REQUEST	0x00000000u
#define RPI_FIRMWARE_STATUS_SUCCESS	0x80000000u
#define RPI_FIRMWARE_TAG_RESPONSE	0x80000000u
/* The VideoCore sees ARM RAM at bus address 0xC0000000 + PA (the L2-uncached alias on BCM2837). */
#define VC_BUS_ALIAS		0xc0000000u

/* Header (size, code), tag (id, value size, request/response), value, end tag. */
#define MBOX_BUF_WORDS		64
static u32 mbox_buf[MBOX_BUF_WORDS] __aligned(64);

/*
 * Before vmalloc exists the driver uses the board's boot-time device map and
 * the static buffer above (with cache maintenance). rpi_firmware_late_init()
 * moves it to ioremap'd registers and a coherent (non-cacheable) DMA buffer.
 */
static void __iomem *mbox_base;
static u32 *mbox_msg = mbox_buf;
static u32 mbox_msg_bus;
static bool mbox_msg_coherent;
unsigned long rpi_firmware_timeout_us = 100000;	/* a reply later than this is an error */

static void __iomem *mbox_reg(unsigned int off)
{
	return mbox_base ? (char __iomem *)mbox_base + off : periph_va(MBOX_PHYS + off);
}

static u64 deadline_after(unsigned long us)
{
	return arch_counter_read() + arch_counter_freq() * us / 1000000;
}

/* Waits until (status & busy_bit) == 0, or the deadline passes. */
static bool mbox_wait(unsigned int status_off, u32 busy_bit, u64 deadline)
{
	while (readl(mbox_reg(status_off)) & busy_bit) {
		if (arch_counter_read() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

int bcm2835_mbox_call(unsigned int chan, u32 bus, unsigned long timeout_us)
{
	u64 deadline = deadline_after(timeout_us);
	u32 v;

	/* Answers to requests that timed out earlier would pass for this one's: drop them. */
	while (!(readl(mbox_reg(MBOX_STATUS)) & MBOX_EMPTY))
		(void)readl(mbox_reg(MBOX_READ));
	if (!mbox_wait(MBOX1_STATUS, MBOX_FULL, deadline))
		return -1;
	wmb();
	writel(bus | chan, mbox_reg(MBOX_WRITE));
	for (;;) {
		if (!mbox_wait(MBOX_STATUS, MBOX_EMPTY, deadline))
			return -1;
		v = readl(mbox_reg(MBOX_READ));
		rmb();
		if ((v & 0xf) == chan && (v & ~0xfu) == bus)
			return 0;
	}
}

int rpi_firmware_check_reply(const u32 *msg, u32 tag, size_t len, char *why, size_t n)
{
	u32 resp = msg[4] & ~RPI_FIRMWARE_TAG_RESPONSE;

	if (msg[1] != RPI_FIRMWARE_STATUS_SUCCESS)
		snprintf(why, n, "firmware answered 0x%08x%s", msg[1],
			 msg[1] == 0x80000001u ? " (error parsing the request)" :
			 msg[1] == RPI_FIRMWARE_STATUS_REQUEST ? " (message untouched)" : "");
	else if (msg[2] != tag)
		snprintf(why, n, "malformed reply: tag 0x%08x in place of the request's", msg[2]);
	else if (!(msg[4] & RPI_FIRMWARE_TAG_RESPONSE))
		snprintf(why, n, "tag not answered (status 0x%08x: unknown to this firmware?)", msg[4]);
	else if (resp > msg[3] || resp < len)
		snprintf(why, n, "malformed reply: %u-byte answer for a %zu-byte value", resp, len);
	else if (msg[0] < (5 + (msg[3] + 3) / 4 + 1) * 4)
		snprintf(why, n, "malformed reply: message size %u too small for its tag", msg[0]);
	else
		return 0;
	return -1;
}

int rpi_firmware_late_init(void)
{
	dma_addr_t bus;
	void __iomem *regs = ioremap(MBOX_PHYS, MBOX_SIZE);
	u32 *msg = dma_alloc_coherent(NULL, sizeof(mbox_buf), &bus, GFP_KERNEL);

	if (!regs || !msg || bus > 0xffffffffu) {
		printk("mailbox: staying on the boot-time mapping (ioremap or DMA buffer failed)\n");
		iounmap(regs);
		if (msg)
			dma_free_coherent(NULL, sizeof(mbox_buf), msg, bus);
		return -1;
	}
	mbox_base = regs;
	mbox_msg = msg;
	mbox_msg_bus = (u32)bus;
	mbox_msg_coherent = true;
	return 0;
}

int rpi_firmware_property(u32 tag, void *buf, size_t len)
{
	size_t vwords = (len + 3) / 4, words = 5 + vwords + 1;
	u32 *m = mbox_msg;
	u32 bus = mbox_msg_coherent ? mbox_msg_bus : (u32)__pa_symbol(mbox_buf) | VC_BUS_ALIAS;
	unsigned long va = (unsigned long)m;
	char why[96];

	if (words > MBOX_BUF_WORDS) {
		printk("mailbox: tag 0x%08x: %zu-byte value too big for the buffer\n", tag, len);
		return -1;
	}
	memset(m, 0, sizeof(mbox_buf));
	m[0] = (u32)(ALIGN(words, 4) * 4);	/* whole 16-byte units */
	m[1] = RPI_FIRMWARE_STATUS_REQUEST;
	m[2] = tag;
	m[3] = (u32)(vwords * 4);
	m[4] = 0;
	memcpy(&m[5], buf, len);
	if (!mbox_msg_coherent)		/* the VC reads memory, not our cache */
		dcache_clean_inval_range(va, va + sizeof(mbox_buf));
	if (bcm2835_mbox_call(MBOX_CHAN_PROPERTY, bus, rpi_firmware_timeout_us)) {
		printk("mailbox: tag 0x%08x: no answer from the VideoCore in %lu us (timeout)\n", tag,
		       rpi_firmware_timeout_us);
		return -1;
	}
	if (!mbox_msg_coherent)		/* drop lines fetched meanwhile */
		dcache_inval_range(va, va + sizeof(mbox_buf));
	if (rpi_firmware_check_reply(m, tag, len, why, sizeof(why))) {
		printk("mailbox: tag 0x%08x: %s\n", tag, why);
		return -1;
	}
	memcpy(buf, &m[5], len);
	return 0;
}
