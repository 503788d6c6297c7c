/* hello.c: the first user program — prints its pid and its arguments, exits 0. */
#include <ulib.h>

int main(int argc, char **argv, char **envp)
{
	int i;

	printf("hello from pid %d\n", getpid());
	for (i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	return 0;
}
