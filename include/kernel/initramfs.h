/* initramfs.h: the built-in cpio (newc) archive of user programs, and its parser. */
#ifndef PAGODA_INITRAMFS_H
#define PAGODA_INITRAMFS_H

#include <types.h>

/* One member of an archive: its name, mode and data (pointers into the archive). */
struct cpio_file {
	const char *name;	/* NUL-terminated, inside the archive */
	const void *data;
	size_t size;
	u32 mode;
};

/*
 * A walk over a newc archive ("070701" headers, 4-byte padding, ended by
 * TRAILER!!!). cpio_next fills *f and returns 1, returns 0 at the trailer, or
 * -EINVAL with why set (one phrase) and at the offset of the bad header, if the
 * archive is malformed: a bad magic or hex digit, a name without its NUL, a
 * member running past the end, no trailer. Nothing is read outside [buf, buf+len).
 */
struct cpio_iter {
	const u8 *buf;
	size_t len;
	size_t at;		/* offset of the next header */
	const char *why;	/* set when cpio_next returns -EINVAL */
};
void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t len);
int cpio_next(struct cpio_iter *it, struct cpio_file *f);
/* cpio_find: the member called name: 0, -ENOENT, or -EINVAL (it->why says why) in *it. */
int cpio_find(struct cpio_iter *it, const char *name, struct cpio_file *f);

/* The image's archive (kernel/initramfs_data.S, built by the Makefile from user/). */
extern const u8 __initramfs_start[], __initramfs_end[];
/*
 * initramfs_find: the member of the image's archive called name: 0,
 * -ENOENT, or -EINVAL after printing "initramfs: malformed archive at offset
 * N: why".
 */
int initramfs_find(const char *name, struct cpio_file *f);

#endif
