/* initramfs_data.S: the user programs' cpio (newc) archive, linked into the image as Linux's initramfs is. */
	.section .rodata.initramfs, "a"
	.balign 16
	.global __initramfs_start
__initramfs_start:
	.incbin INITRAMFS_PATH
	.global __initramfs_end
__initramfs_end:
