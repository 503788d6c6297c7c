/* bcm2835_mbox.c: property calls to the VideoCore firmware through the ARM-to-VC mailbox. */
#include <drivers/bcm2835_mbox.h>
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/cacheflush.h>
#include <mm/io.h>
#include <kernel/printk.h>
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
#define MBOX_TIMEOUT		10000000

/* Header (size, code), tag (id, value size, request/response), value, end tag. */
#define MBOX_BUF_WORDS		64
static u32 mbox_buf[MBOX_BUF_WORDS] __aligned(64);

static void __iomem *mbox_reg(unsigned int off)
{
	return periph_va(MBOX_PHYS + off);
}

static bool mbox_wait(unsigned int status_off, u32 busy_bit)
{
	long n;

	for (n = 0; n < MBOX_TIMEOUT; n++) {
		if (!(readl(mbox_reg(status_off)) & busy_bit))
			return true;
		cpu_relax();
	}
	return false;
}

/* One round trip on the property channel with the message in mbox_buf. */
static int mbox_call(u32 bus)
{
	u32 v;

	if (!mbox_wait(MBOX1_STATUS, MBOX_FULL))
		return -1;
	wmb();
	writel(bus | MBOX_CHAN_PROPERTY, mbox_reg(MBOX_WRITE));
	for (;;) {
		if (!mbox_wait(MBOX_STATUS, MBOX_EMPTY))
			return -1;
		v = readl(mbox_reg(MBOX_READ));
		rmb();
		if ((v & 0xf) == MBOX_CHAN_PROPERTY && (v & ~0xfu) == bus)
			return 0;
	}
}

int rpi_firmware_property(u32 tag, void *buf, size_t len)
{
	size_t vwords = (len + 3) / 4, words = 5 + vwords + 1;
	u32 bus = (u32)__pa_symbol(mbox_buf) | VC_BUS_ALIAS;
	unsigned long va = (unsigned long)mbox_buf;

	if (words > MBOX_BUF_WORDS) {
		printk("mailbox: tag 0x%08x: %zu-byte value too big for the buffer\n", tag, len);
		return -1;
	}
	memset(mbox_buf, 0, sizeof(mbox_buf));
	mbox_buf[0] = (u32)(ALIGN(words, 4) * 4);	/* whole 16-byte units */
	mbox_buf[1] = RPI_FIRMWARE_STATUS_REQUEST;
	mbox_buf[2] = tag;
	mbox_buf[3] = (u32)(vwords * 4);
	mbox_buf[4] = 0;
	memcpy(&mbox_buf[5], buf, len);
	dcache_clean_inval_range(va, va + sizeof(mbox_buf));	/* the VC reads memory, not our cache */
	if (mbox_call(bus)) {
		printk("mailbox: tag 0x%08x: no answer from the VideoCore (timeout)\n", tag);
		return -1;
	}
	dcache_inval_range(va, va + sizeof(mbox_buf));		/* drop lines fetched meanwhile */
	if (mbox_buf[1] != RPI_FIRMWARE_STATUS_SUCCESS || !(mbox_buf[4] & RPI_FIRMWARE_TAG_RESPONSE)) {
		printk("mailbox: tag 0x%08x: firmware answered 0x%08x, tag status 0x%08x\n",
		       tag, mbox_buf[1], mbox_buf[4]);
		return -1;
	}
	memcpy(buf, &mbox_buf[5], len);
	return 0;
}
