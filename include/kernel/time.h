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

#endif
