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

#endif
