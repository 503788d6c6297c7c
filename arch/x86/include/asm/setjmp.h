/* setjmp.h (x86): jmp_buf holds the callee-saved registers of the i386 SysV ABI. */
#ifndef ASM_X86_SETJMP_H
#define ASM_X86_SETJMP_H

/* ebx, esi, edi, ebp, esp, eip (offsets used by arch/x86/setjmp.S) */
#define JB_EBX	0
#define JB_ESI	4
#define JB_EDI	8
#define JB_EBP	12
#define JB_ESP	16
#define JB_EIP	20
#define JB_SIZE	6

#ifndef __ASSEMBLER__
typedef unsigned long jmp_buf[JB_SIZE];
#endif

#endif
