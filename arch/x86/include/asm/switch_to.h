/* switch_to.h (x86): no scheduler on x86 yet (exec says so): an empty thread context. */
#ifndef ASM_X86_SWITCH_TO_H
#define ASM_X86_SWITCH_TO_H

struct thread_struct {
	int unused;
};

#endif
