/* bcm2835_mbox.h: the VideoCore mailbox property interface of the BCM2835/2837 (Raspberry Pi firmware). */
#ifndef PAGODA_BCM2835_MBOX_H
#define PAGODA_BCM2835_MBOX_H

#include <compiler.h>

/* Property tags (Raspberry Pi firmware wiki, "Mailbox property interface"). */
#define RPI_FIRMWARE_GET_FIRMWARE_REVISION	0x00000001
#define RPI_FIRMWARE_GET_BOARD_MODEL		0x00010001
#define RPI_FIRMWARE_GET_BOARD_REVISION		0x00010002
#define RPI_FIRMWARE_GET_ARM_MEMORY		0x00010005	/* value: u32 base, u32 size */
#define RPI_FIRMWARE_GET_VC_MEMORY		0x00010006
#define RPI_FIRMWARE_GET_BOARD_MAC_ADDRESS	0x00010003	/* 6 bytes */
#define RPI_FIRMWARE_GET_BOARD_SERIAL		0x00010004	/* u64 */
#define RPI_FIRMWARE_GET_CLOCK_RATE		0x00030002	/* value: u32 clock id, u32 rate in Hz */
#define RPI_FIRMWARE_CLK_UART			2
#define RPI_FIRMWARE_CLK_ARM			3
#define RPI_FIRMWARE_CLK_CORE			4

/*
 * rpi_firmware_property: sends one tag with len bytes of request value from buf
 * over the property channel (8) and copies the response value (len bytes) back
 * into buf. The message lives in a 16-byte aligned buffer that is cleaned to
 * memory before the VideoCore reads it and invalidated before the CPU reads the
 * answer (the VideoCore does not snoop the ARM's caches). Needs the peripherals
 * mapped (after paging_init). Returns 0, or -1 after printing why (timeout, the
 * firmware's error code, a tag it did not answer, a buffer too big).
 */
int rpi_firmware_property(u32 tag, void *buf, size_t len);

/* How long rpi_firmware_property waits for the VideoCore before giving up (default 100 ms). */
extern unsigned long rpi_firmware_timeout_us;

/*
 * bcm2835_mbox_call: writes bus | chan to the ARM -> VC mailbox and waits for the
 * same word back on the VC -> ARM mailbox. 0, or -1 if either side stays busy
 * past timeout_us (no hang: a deadline on the generic timer).
 */
int bcm2835_mbox_call(unsigned int chan, u32 bus, unsigned long timeout_us);

/*
 * rpi_firmware_check_reply: is msg (a property message the firmware answered for
 * tag, with a len-byte value) a well-formed success? 0, or -1 with the reason in
 * why: an error code, another tag, no response bit, an answer longer than the
 * value buffer or shorter than asked, a message too short for its tag. Pure.
 */
int rpi_firmware_check_reply(const u32 *msg, u32 tag, size_t len, char *why, size_t n);

/*
 * rpi_firmware_late_init: once vmalloc works, the registers move to an ioremap
 * and the message to a coherent DMA buffer (no cache maintenance per call).
 * Returns 0, or -1 (reported) leaving the boot-time mapping in use.
 */
int rpi_firmware_late_init(void);

#endif
