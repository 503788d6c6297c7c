/* printk_capture.c: copies of what is printed, for tests that check reports (kernel and host). */
#include <kernel/printk.h>
#include <string.h>

static char *cap_buf;
static size_t cap_size, cap_len;

void printk_capture_start(char *buf, size_t size)
{
	cap_buf = buf;
	cap_size = size;
	cap_len = 0;
	if (size)
		buf[0] = '\0';
}

size_t printk_capture_stop(void)
{
	cap_buf = NULL;
	return cap_len;
}

/* printk_capture: appends n bytes of output to the active capture, truncating at its size. */
void printk_capture(const char *s, size_t n)
{
	if (!cap_buf || cap_len + 1 >= cap_size)
		return;
	if (cap_len + n >= cap_size)
		n = cap_size - 1 - cap_len;
	memcpy(cap_buf + cap_len, s, n);
	cap_len += n;
	cap_buf[cap_len] = '\0';
}
