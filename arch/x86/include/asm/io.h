/* io.h (x86): port I/O (in/out) for the legacy PC devices (16550, PIT, isa-debug-exit). */
#ifndef ASM_X86_IO_H
#define ASM_X86_IO_H

#include <types.h>

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port));
}

#endif
