/* hello.c: the first user program — prints its pid, argv, envp and some of the auxiliary vector, exits 0. */
#include <ulib.h>

int main(int argc, char **argv, char **envp)
{
	int i;

	printf("hello from pid %d\n", getpid());
	for (i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	for (i = 0; envp[i]; i++)
		printf("envp[%d] = %s\n", i, envp[i]);
	printf("auxv: AT_PAGESZ %lu AT_ENTRY %p AT_PHDR %p AT_RANDOM %s\n", getauxval(AT_PAGESZ),
	       (void *)getauxval(AT_ENTRY), (void *)getauxval(AT_PHDR),
	       getauxval(AT_RANDOM) ? "present" : "missing");
	return 0;
}
