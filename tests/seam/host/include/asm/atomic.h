/* atomic.h (host seam): atomic_t's read-modify-writes as GCC __atomic builtins, sequentially consistent. */
#ifndef HOST_ASM_ATOMIC_H
#define HOST_ASM_ATOMIC_H

static inline int arch_atomic_add_return(int i, int *counter)
{
	return __atomic_add_fetch(counter, i, __ATOMIC_SEQ_CST);
}

static inline int arch_atomic_cmpxchg(int *counter, int old, int new)
{
	__atomic_compare_exchange_n(counter, &old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;	/* what *counter held: unchanged on success, updated on failure */
}

#endif
