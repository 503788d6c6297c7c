/* setjmp.h (arm64): jmp_buf holds x19-x30 and sp (AAPCS64 callee-saved, no FP: -mgeneral-regs-only). */
#ifndef ASM_ARM64_SETJMP_H
#define ASM_ARM64_SETJMP_H

typedef unsigned long jmp_buf[14];

#endif
