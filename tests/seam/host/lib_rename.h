/* lib_rename.h (host): gives pagoda's lib/ functions their own names so the host tests exercise
 * them, not libc's (force-included into lib/ and the lib suite on the host). */
#define memcpy pg_memcpy
#define memmove pg_memmove
#define memset pg_memset
#define memcmp pg_memcmp
#define memchr pg_memchr
#define strlen pg_strlen
#define strnlen pg_strnlen
#define strcmp pg_strcmp
#define strncmp pg_strncmp
#define strchr pg_strchr
#define strrchr pg_strrchr
#define strstr pg_strstr
#define strspn pg_strspn
#define strcspn pg_strcspn
#define vsnprintf pg_vsnprintf
#define snprintf pg_snprintf
#define strtoul pg_strtoul
#define strtoull pg_strtoull
#define strtol pg_strtol
#define strcpy pg_strcpy
#define strncpy pg_strncpy
