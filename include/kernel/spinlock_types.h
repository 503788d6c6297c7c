/* spinlock_types.h: the ticket lock's word, shared by every arch's asm/spinlock.h and the host seam. */
#ifndef PAGODA_SPINLOCK_TYPES_H
#define PAGODA_SPINLOCK_TYPES_H

#include <types.h>

/*
 * A ticket lock in one 32-bit word: the low half is the ticket being served
 * (owner), the high half the next ticket to hand out (next). Taking a ticket
 * adds TICKET_NEXT to the whole word in one atomic step; the lock is free when
 * both halves are equal; only the holder writes owner. Both halves wrap at
 * 16 bits, together.
 */
typedef struct {
	union {
		u32 val;
		struct {
			u16 owner;	/* little-endian (both arches): the low half of val */
			u16 next;
		};
	};
} arch_spinlock_t;

#define __ARCH_SPIN_LOCK_UNLOCKED	{ { 0 } }
#define TICKET_NEXT			(1U << 16)

#endif
