/* const.h: constants usable from both C and assembly (UL suffixes vanish in .S files). */
#ifndef PAGODA_CONST_H
#define PAGODA_CONST_H

#ifdef __ASSEMBLER__
#define _AC(x, y)	x
#else
#define _AC(x, y)	x##y
#endif
#define _UL(x)		_AC(x, UL)
#define _ULL(x)		_AC(x, ULL)
#define _BITUL(n)	(_UL(1) << (n))

#endif
