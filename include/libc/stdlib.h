/* stdlib.h: the few stdlib functions pagoda and libfdt need, freestanding. */
#ifndef PAGODA_LIBC_STDLIB_H
#define PAGODA_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);

#endif
