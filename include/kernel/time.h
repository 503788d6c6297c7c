/* time.h: generic-timer ticks (arch_counter_read) converted to wall-clock units. */
#ifndef PAGODA_TIME_H
#define PAGODA_TIME_H

#include <kernel/arch.h>

static inline u64 ticks_to_ns(u64 ticks)
{
	return ticks * 1000000000ULL / arch_counter_freq();
}

static inline unsigned long ticks_to_us(u64 ticks)
{
	return (unsigned long)(ticks * 1000000ULL / arch_counter_freq());
}

/*
 * local_clock (Linux's name): nanoseconds counted by the generic timer, for
 * the timestamps of records (page_owner, KFENCE); split so that no product
 * overflows 64 bits. 0 if the counter has no frequency.
 */
static inline u64 local_clock(void)
{
	u64 f = arch_counter_freq(), c = arch_counter_read();

	return f ? c / f * 1000000000ULL + c % f * 1000000000ULL / f : 0;
}

#endif
