/* initramfs.c: a newc cpio reader (pure: the host's KTAP build runs it too; the image's archive is found in exec.c). */
#include <compiler.h>
#include <errno.h>
#include <string.h>
#include <kernel/initramfs.h>

#define NEWC_MAGIC	"070701"
#define NEWC_HDR	110		/* the magic and 13 fields of 8 hex digits */
#define NEWC_TRAILER	"TRAILER!!!"
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ, F_DEVMIN,
       F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK, NEWC_FIELDS };

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->at = 0;
	it->why = NULL;
}

/* hex8: the 8 hex digits at p as a number; false if one is not a hex digit. */
static bool hex8(const u8 *p, u32 *v)
{
	unsigned int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		u8 c = p[i];
		u32 d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
		if (d == 16)
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

static int bad(struct cpio_iter *it, const char *why)
{
	it->why = why;
	return -EINVAL;
}

int cpio_next(struct cpio_iter *it, struct cpio_file *f)
{
	const u8 *h = it->buf + it->at;
	size_t name_at, data_at, end;
	u32 v[NEWC_FIELDS];
	unsigned int i;

	if (it->at >= it->len || it->len - it->at < NEWC_HDR)
		return bad(it, "no TRAILER!!! before the end");
	if (memcmp(h, NEWC_MAGIC, 6))
		return bad(it, "bad magic (not a newc header)");
	for (i = 0; i < NEWC_FIELDS; i++)
		if (!hex8(h + 6 + 8 * i, &v[i]))
			return bad(it, "a header field is not hex");
	name_at = it->at + NEWC_HDR;
	if (!v[F_NAMESIZE] || v[F_NAMESIZE] > it->len - name_at)
		return bad(it, "name runs past the end");
	if (it->buf[name_at + v[F_NAMESIZE] - 1] != '\0')
		return bad(it, "name is not NUL-terminated");
	data_at = ALIGN(name_at + v[F_NAMESIZE], 4);
	if (data_at > it->len || v[F_FILESIZE] > it->len - data_at)
		return bad(it, "file data runs past the end");
	f->name = (const char *)it->buf + name_at;
	f->data = it->buf + data_at;
	f->size = v[F_FILESIZE];
	f->mode = v[F_MODE];
	if (!strcmp(f->name, NEWC_TRAILER))
		return 0;
	end = ALIGN(data_at + f->size, 4);
	it->at = end;
	return 1;
}

int cpio_find(struct cpio_iter *it, const char *name, struct cpio_file *f)
{
	int r;

	while ((r = cpio_next(it, f)) > 0)
		if (!strcmp(f->name, name))
			return 0;
	return r ? r : -ENOENT;
}
