/* printk_capture.c: copies of what is printed, for tests that check reports (kernel and host). */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <string.h>

/* All three protected by cap_lock: any CPU may print while a test captures. */
static DEFINE_SPINLOCK(cap_lock);
static char *cap_buf;
static size_t cap_size, cap_len;

void printk_capture_start(char *buf, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&cap_lock, flags);
	cap_buf = buf;
	cap_size = size;
	cap_len = 0;
	if (size)
		buf[0] = '\0';
	spin_unlock_irqrestore(&cap_lock, flags);
}

size_t printk_capture_stop(void)
{
	unsigned long flags;
	size_t len;

	spin_lock_irqsave(&cap_lock, flags);
	cap_buf = NULL;
	len = cap_len;
	spin_unlock_irqrestore(&cap_lock, flags);
	return len;
}

/* printk_capture: appends n bytes of output to the active capture, truncating at its size. */
void printk_capture(const char *s, size_t n)
{
	unsigned long flags;

	spin_lock_irqsave(&cap_lock, flags);
	if (cap_buf && cap_len + 1 < cap_size) {
		if (cap_len + n >= cap_size)
			n = cap_size - 1 - cap_len;
		memcpy(cap_buf + cap_len, s, n);
		cap_len += n;
		cap_buf[cap_len] = '\0';
	}
	spin_unlock_irqrestore(&cap_lock, flags);
}
