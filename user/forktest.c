/*
 * forktest.c: forks N children (default 20, or argv[1]), child i exits with
 * status (7 * i + 3) & 0xff; the parent reaps them all with wait4(-1) and
 * checks each pid's status (Linux's encoding), then that wait4 says ECHILD.
 * Exits 0 when every status was right.
 */
#include <ulib.h>

#define MAX_CHILDREN	60

int main(int argc, char **argv, char **envp)
{
	pid_t pids[MAX_CHILDREN];
	int n = 20, i, bad = 0, reaped = 0;

	(void)envp;
	if (argc > 1) {
		const char *s = argv[1];

		for (n = 0; *s >= '0' && *s <= '9'; s++)
			n = n * 10 + (*s - '0');
	}
	if (n < 1 || n > MAX_CHILDREN)
		return printf("usage: forktest [1-%d]\n", MAX_CHILDREN), 2;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			exit((7 * i + 3) & 0xff);
		if (pids[i] < 0)
			return printf("forktest: fork %d: error %d\n", i, -pids[i]), 1;
	}
	while (reaped < n) {
		int status = -1, j;
		pid_t pid = wait4(-1, &status, 0, NULL);

		if (pid < 0)
			return printf("forktest: wait4 after %d children: error %d\n", reaped, -pid), 1;
		for (j = 0; j < n && pids[j] != pid; j++)
			;
		if (j == n) {
			printf("forktest: wait4 gave pid %d, not a child\n", pid);
			bad++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != ((7 * j + 3) & 0xff)) {
			printf("forktest: child %d (pid %d): status 0x%x, expected exit %d\n", j, pid, status,
			       (7 * j + 3) & 0xff);
			bad++;
		}
		pids[j < n ? j : 0] = j < n ? -1 : pids[0];
		reaped++;
	}
	if (wait4(-1, NULL, 0, NULL) != -ECHILD)
		return printf("forktest: wait4 with no child left is not ECHILD\n"), 1;
	printf("forktest: %d children, %s\n", n, bad ? "WRONG statuses" : "every exit status right");
	return bad ? 1 : 0;
}
