/* efault.c: write() from bad pointers must return -EFAULT (exit 0), never kill the caller or the kernel. */
#include <ulib.h>

static int try(const void *p, size_t n)
{
	long r = write(1, p, n);

	printf("efault: write(1, %p, %lu) = %ld\n", p, (unsigned long)n, r);
	return r == -EFAULT ? 0 : 1;
}

int main(int argc, char **argv, char **envp)
{
	int bad = 0;

	bad |= try((void *)0x10, 5);
	bad |= try((void *)KERNEL_ADDR, 5);	/* a kernel address */
	bad |= try((void *)UNMAPPED_USER_ADDR, 5);	/* user range, nothing mapped */
	printf("efault: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
