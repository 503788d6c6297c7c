/* cat.c: prints files (openat/read/write) — e.g. exec cat /proc/self/maps shows the process's own map. */
#include <ulib.h>

/* cat_one: copies path to stdout; 0, or 1 after a line saying why not. */
static int cat_one(const char *path)
{
	char buf[512];
	long fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return printf("cat: %s: error %ld\n", path, -fd), 1;
	while ((n = read((int)fd, buf, sizeof(buf))) > 0)
		write(1, buf, (size_t)n);
	close((int)fd);
	return n < 0 ? printf("cat: %s: read error %ld\n", path, -n), 1 : 0;
}

int main(int argc, char **argv, char **envp)
{
	int i, bad = 0;

	if (argc < 2)
		return printf("usage: cat FILE...\n"), 2;
	for (i = 1; i < argc; i++)
		bad |= cat_one(argv[i]);
	return bad;
}
